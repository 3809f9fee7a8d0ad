import LinearAlgebra
import OptimizationCore

/// How K-FAC damps the Kronecker product A ⊗ G (spec second-order §2.3).
public enum KroneckerDamping: String, Sendable, CaseIterable {
    /// Factored Tikhonov with the π correction (Martens & Grosse §6.3, kfac-jax):
    /// (A + π√λ I)⁻¹ ⊗ (G + √λ/π I)⁻¹, π = √((tr A / dim A) / (tr G / dim G)).
    case factored
    /// The exact inverse of A ⊗ G + λI through both eigendecompositions
    /// (gpauloski/kfac-pytorch EIGEN, alecwangcq): eigenvalues clamped at 0.
    case eigen

    /// π = √((tr A / dim A) / (tr G / dim G)); 1 when either trace is not positive
    /// (kfac-jax then damps each factor by √λ alone).
    public static func pi(_ a: Matrix, _ g: Matrix) -> Double {
        let ta = trace(a) / Double(a.rows), tg = trace(g) / Double(g.rows)
        guard ta > 0, tg > 0, ta.isFinite, tg.isFinite else { return 1 }
        return (ta / tg).squareRoot()
    }

    /// The damped factors of the factored mode: (A + π√λ I, G + √λ/π I).
    public static func dampedFactors(_ a: Matrix, _ g: Matrix, damping: Double) -> (a: Matrix, g: Matrix, pi: Double) {
        let p = pi(a, g), r = damping.squareRoot()
        var da = a, dg = g
        for i in 0..<a.rows { da[i, i] += p * r }
        for i in 0..<g.rows { dg[i, i] += r / p }
        return (da, dg, p)
    }

    static func trace(_ m: Matrix) -> Double { (0..<m.rows).reduce(0) { $0 + m[$1, $1] } }
}

/// One linear layer's K-FAC state: the factors A = E[āāᵀ] (d_in + 1 with the
/// bias as homogeneous coordinate) and G = E[ggᵀ] (d_out), their damped
/// inverses or eigendecompositions, and the workspaces of the step.
///
/// Row-major caution (spec §2.1): the layer's parameters [W | b] are a
/// d_out × d_in matrix V, and the dense curvature that matches the flat
/// row-major vector is G ⊗ A; the step is G⁻¹ V A⁻¹.
public struct KroneckerLayer {
    public let weight: ParameterBlock
    public let bias: ParameterBlock?
    /// Where [W | b] lives in the flat vector (the per-layer view Shampoo's blocks use too).
    public let view: BlockView
    /// d_in (+1 with a bias) and d_out.
    public let inputs: Int
    public let outputs: Int
    public var a: Matrix
    public var g: Matrix
    /// factored: the damped inverses; eigen: the eigenvectors (columns).
    private var leftA: Matrix
    private var leftG: Matrix
    /// eigen: 1/(d_G,i d_A,j + λ), d_out × d_in.
    private var scale: Matrix
    private var mode: KroneckerDamping = .factored
    /// Workspaces: the gathered gradient V, an intermediate and the step Δ.
    public private(set) var gradient: Matrix
    private var temporary: Matrix
    public private(set) var step: Matrix
    /// True once an inverse (or eigendecomposition) exists.
    public private(set) var hasInverse = false

    public init(weight: ParameterBlock, bias: ParameterBlock?, identity: Bool) {
        self.weight = weight
        self.bias = bias
        view = BlockView(weight: weight, bias: bias)
        outputs = weight.shape[0]
        inputs = weight.count / max(1, outputs) + (bias == nil ? 0 : 1)
        a = identity ? .identity(inputs) : Matrix(rows: inputs, columns: inputs)
        g = identity ? .identity(outputs) : Matrix(rows: outputs, columns: outputs)
        leftA = Matrix(rows: inputs, columns: inputs)
        leftG = Matrix(rows: outputs, columns: outputs)
        scale = Matrix(rows: 0, columns: 0)
        gradient = Matrix(rows: outputs, columns: inputs)
        temporary = gradient
        step = gradient
    }

    /// A ← ε A + (1−ε) aᵀa / R and G ← ε G + (1−ε)·sharing·gᵀg / R (`dsyrk`),
    /// R = the rows of the statistics (samples × shared positions).
    public mutating func accumulate(_ layer: LayerStatistics.Layer, keep epsilon: Double) {
        let rows = Double(max(1, layer.inputs.rows))
        precondition(layer.inputs.columns == inputs && layer.outputGradients.columns == outputs,
                     "K-FAC: layer statistics of \(layer.name) do not match its parameter blocks")
        BLAS.syrk(layer.inputs, into: &a, transpose: true, alpha: (1 - epsilon) / rows, beta: epsilon)
        BLAS.syrk(layer.outputGradients, into: &g, transpose: true,
                  alpha: (1 - epsilon) * Double(layer.sharing) / rows, beta: epsilon)
    }

    /// Recomputes the damped inverses (factored: `dpotrf` + `dpotri`, falling
    /// back to `dsyevd` with eigenvalues clamped at 0 if round-off makes a
    /// damped factor indefinite) or the eigendecompositions (eigen: `dsyevd`,
    /// eigenvalues clamped at 0) from the current factors.
    public mutating func refresh(damping: Double, mode: KroneckerDamping) throws {
        self.mode = mode
        switch mode {
        case .factored:
            let p = KroneckerDamping.pi(a, g), r = damping.squareRoot()
            leftA = try Self.dampedInverse(a, shift: p * r)
            leftG = try Self.dampedInverse(g, shift: r / p)
        case .eigen:
            let ea = try SymmetricEigen(a), eg = try SymmetricEigen(g)
            let da = ea.values.map { max($0, 0) }, dg = eg.values.map { max($0, 0) }
            leftA = ea.vectors
            leftG = eg.vectors
            if scale.rows != outputs { scale = Matrix(rows: outputs, columns: inputs) }
            for i in 0..<outputs { for j in 0..<inputs { scale[i, j] = 1 / (dg[i] * da[j] + damping) } }
        }
        hasInverse = true
    }

    /// (F + shift·I)⁻¹ by Cholesky; by the clamped eigendecomposition if that fails.
    static func dampedInverse(_ f: Matrix, shift: Double) throws -> Matrix {
        var damped = f
        for i in 0..<f.rows { damped[i, i] += shift }
        if let chol = try? Cholesky(damped), let inv = try? chol.inverse() { return inv }
        let e = try SymmetricEigen(f)
        return inverse(e.vectors, e.values.map { max($0, 0) }, shift: shift)
    }

    /// Q diag(1/(d + shift)) Qᵀ.
    static func inverse(_ q: Matrix, _ d: [Double], shift: Double) -> Matrix {
        var scaled = q
        let n = q.rows
        for i in 0..<n { for j in 0..<n { scaled[i, j] /= d[j] + shift } }
        var result = Matrix(rows: n, columns: n)
        BLAS.gemm(scaled, q, into: &result, transposeB: true)
        return result
    }

    /// Gathers V = [∇W | ∇b] from the flat gradient.
    public mutating func gather(_ flat: UnsafeBufferPointer<Double>) {
        let view = view
        gradient.storage.withUnsafeMutableBufferPointer { view.gather(flat.baseAddress!, into: $0.baseAddress!) }
    }

    /// Δ = G⁻¹ V A⁻¹ (damped) into ``step``; returns ⟨Δ, V⟩.
    public mutating func preconditionGradient() -> Double {
        switch mode {
        case .factored:
            BLAS.gemm(leftG, gradient, into: &temporary)
            BLAS.gemm(temporary, leftA, into: &step)
        case .eigen:
            BLAS.gemm(leftG, gradient, into: &temporary, transposeA: true)
            BLAS.gemm(temporary, leftA, into: &step)
            step.storage.withUnsafeMutableBufferPointer { s in
                scale.storage.withUnsafeBufferPointer { c in
                    for k in 0..<s.count { s[k] *= c[k] }
                }
            }
            BLAS.gemm(leftG, step, into: &temporary)
            BLAS.gemm(temporary, leftA, into: &step, transposeB: true)
        }
        return step.storage.withUnsafeBufferPointer { s in
            gradient.storage.withUnsafeBufferPointer { BLAS.dot(s, $0) }
        }
    }

    /// Writes α·Δ into the layer's positions of the flat direction.
    public func scatter(_ alpha: Double, into flat: UnsafeMutableBufferPointer<Double>) {
        step.storage.withUnsafeBufferPointer { view.scatter(alpha, $0.baseAddress!, into: flat.baseAddress!) }
    }

    /// The damped Kronecker preconditioner applied to one matrix V (tests,
    /// one-off use): G, A given, Δ = (G ⊗ A + damping)⁻¹ vec_row(V) in the
    /// chosen mode.
    public static func apply(a: Matrix, g: Matrix, to v: Matrix, damping: Double,
                             mode: KroneckerDamping) throws -> Matrix {
        let blocks = ParameterLayout([("w", [v.rows, v.columns])])
        var layer = KroneckerLayer(weight: blocks.blocks[0], bias: nil, identity: false)
        layer.a = a
        layer.g = g
        try layer.refresh(damping: damping, mode: mode)
        layer.gradient = v
        _ = layer.preconditionGradient()
        return layer.step
    }
}
