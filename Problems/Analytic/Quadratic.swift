import LinearAlgebra
import OptimizationCore

/// The ill-conditioned convex quadratic f = ½(x − x*)ᵀA(x − x*),
/// A = Q diag(λ) Qᵀ with λᵢ = cond^{(i−1)/(d−1)}.
///
/// Without rotation Q = I and x* = 0 (f = ½Σλᵢxᵢ²), and everything is O(d).
/// With rotation, A is formed once (two gemm) and the gradient is one gemv,
/// the Hessian a copy of A and a Hessian-vector product one gemv, so the
/// problem stays cheap for the Newton benchmarks at d = 500…2000.
public struct Quadratic: GenericFunction {
    public let dimension: Int
    /// λ, ascending.
    public let eigenvalues: [Double]
    /// A when rotated; nil for the diagonal case.
    public let matrix: Matrix?
    /// x*.
    public let minimizer: [Double]

    /// The diagonal quadratic (x* = 0).
    public init(dimension d: Int, condition: Double) {
        self.dimension = d
        self.eigenvalues = Quadratic.spectrum(d, condition)
        self.matrix = nil
        self.minimizer = [Double](repeating: 0, count: d)
    }

    /// The rotated quadratic: Q is the Haar-random orthogonal matrix of a
    /// seeded Gaussian matrix, x* a seeded standard normal vector.
    public init(dimension d: Int, condition: Double, rotationSeed seed: UInt64) throws {
        self.dimension = d
        let lambda = Quadratic.spectrum(d, condition)
        self.eigenvalues = lambda
        var rng = SplitMix64(seed: SplitMix64.derive(seed, 0x5155_4144))
        var g = Matrix(rows: d, columns: d)
        for k in 0..<(d * d) { g.storage[k] = rng.gaussian() }
        let q = try QRDecomposition.randomOrthogonal(fromGaussian: g)
        var scaled = q // Q·diag(λ)
        scaled.storage.withUnsafeMutableBufferPointer { sp in
            for i in 0..<d { for j in 0..<d { sp[i * d + j] *= lambda[j] } }
        }
        var a = Matrix(rows: d, columns: d)
        BLAS.gemm(scaled, q, into: &a, transposeB: true)
        a.symmetrizeFromUpper()
        self.matrix = a
        var xs = [Double](repeating: 0, count: d)
        for i in 0..<d { xs[i] = rng.gaussian() }
        self.minimizer = xs
    }

    static func spectrum(_ d: Int, _ cond: Double) -> [Double] {
        d == 1 ? [1] : (0..<d).map { Double.pow(cond, Double($0) / Double(d - 1)) }
    }

    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        let e = (0..<dimension).map { x[$0] - minimizer[$0] }
        var s = T(0)
        if let a = matrix {
            for i in 0..<dimension {
                var row = T(0)
                for j in 0..<dimension { row += a[i, j] * e[j] }
                s += e[i] * row
            }
        } else {
            for i in 0..<dimension { s += eigenvalues[i] * e[i] * e[i] }
        }
        return 0.5 * s
    }

    public func value(_ x: [Double]) -> Double {
        if matrix != nil {
            var g = [Double](repeating: 0, count: dimension)
            return gradient(x, into: &g)
        }
        var s = 0.0
        for i in 0..<dimension { s += eigenvalues[i] * x[i] * x[i] }
        return 0.5 * s
    }

    public func gradient(_ x: [Double], into g: inout [Double]) -> Double {
        let d = dimension
        if let a = matrix {
            var e = x
            BLAS.axpy(-1, minimizer, &e)
            BLAS.gemv(a, e, into: &g)
            return 0.5 * BLAS.dot(e, g)
        }
        return x.withUnsafeBufferPointer { xp in
            eigenvalues.withUnsafeBufferPointer { lp in
                g.withUnsafeMutableBufferPointer { gp in
                    var s = 0.0
                    for i in 0..<d {
                        gp[i] = lp[i] * xp[i]
                        s += gp[i] * xp[i]
                    }
                    return 0.5 * s
                }
            }
        }
    }

    public func hessian(_ x: [Double]) -> Matrix { matrix ?? Matrix.diagonal(eigenvalues) }

    public func hessianVectorProduct(_ x: [Double], _ v: [Double], into result: inout [Double]) {
        if let a = matrix {
            BLAS.gemv(a, v, into: &result)
            return
        }
        for i in 0..<dimension { result[i] = eigenvalues[i] * v[i] }
    }
}
