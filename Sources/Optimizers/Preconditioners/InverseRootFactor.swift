import LinearAlgebra

/// One side of a Kronecker-factored preconditioner: the factor statistic
/// L (n × n) accumulated from Gram matrices G₍ₖ₎G₍ₖ₎ᵀ, and its damped
/// inverse root X = (L/c + εI)^(−1/r) refreshed by a LAPACK
/// eigendecomposition (`dsyevd`).
///
/// The refresh follows Distributed Shampoo's `matrix_inverse_root` with its
/// default `EigenConfig` (perturbation before the decomposition):
///
///     A ← L/c + εI;  A = Q diag(λ) Qᵀ (λ ascending)
///     if λ_min < ε:  λ ← (λ − λ_min) + ε      (the factor may be numerically indefinite)
///     X ← Q diag(λ^(−1/r)) Qᵀ, made exactly symmetric from its upper triangle
///
/// (the reference stores X packed as its upper triangle). X starts as the
/// identity. Accumulating allocates nothing; a refresh allocates the LAPACK
/// result.
struct InverseRootFactor {
    let side: Int
    /// L.
    private(set) var statistic: Matrix
    /// X = (L/c + εI)^(−1/r); the identity until the first refresh.
    private(set) var inverseRoot: Matrix
    private var scaled: Matrix

    init(side: Int) {
        self.side = side
        statistic = Matrix(rows: side, columns: side)
        inverseRoot = .identity(side)
        scaled = Matrix(rows: side, columns: side)
    }

    /// L ← βL + w·gram (β = 1 skips the product, as the reference does; the
    /// sum is fused as torch's vectorised `add(alpha:)`).
    mutating func accumulate(_ gram: UnsafePointer<Double>, decay beta: Double, weight w: Double) {
        let count = side * side
        statistic.storage.withUnsafeMutableBufferPointer { l in
            if beta != 1 { for i in 0..<count { l[i] *= beta } }
            for i in 0..<count { l[i] = l[i].addingProduct(w, gram[i]) }
        }
    }

    /// X ← (L/c + εI)^(exponent) with exponent = −1/r. Returns false (and
    /// keeps the previous X) when the eigendecomposition fails or L is not finite.
    @discardableResult
    mutating func refresh(exponent: Double, epsilon: Double, biasCorrection c: Double) -> Bool {
        let n = side
        var a = statistic
        var finite = true
        a.storage.withUnsafeMutableBufferPointer { ap in
            for i in 0..<(n * n) {
                ap[i] = ap[i] / c
                if !ap[i].isFinite { finite = false }
            }
            for i in 0..<n { ap[i * n + i] += epsilon }
        }
        guard finite, let eigen = try? SymmetricEigen(a) else { return false }
        var lambda = eigen.values
        let smallest = lambda[0]
        if smallest < epsilon {
            for i in 0..<n { lambda[i] = (lambda[i] + -smallest) + epsilon }
        }
        // torch's pow with exponent −1/2 is rsqrt (1/√λ); other exponents go through pow.
        let power: (Double) -> Double = exponent == -0.5 ? { 1 / $0.squareRoot() } : { Double.pow($0, exponent) }
        var ok = true
        eigen.vectors.storage.withUnsafeBufferPointer { q in
            scaled.storage.withUnsafeMutableBufferPointer { s in
                for j in 0..<n {
                    let d = power(lambda[j])
                    if !d.isFinite { ok = false }
                    for i in 0..<n { s[i * n + j] = q[i * n + j] * d }
                }
            }
        }
        guard ok else { return false }
        BLAS.gemm(scaled, eigen.vectors, into: &inverseRoot, transposeB: true)
        inverseRoot.storage.withUnsafeMutableBufferPointer { x in
            for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { x[j * n + i] = x[i * n + j] } }
        }
        return true
    }
}
