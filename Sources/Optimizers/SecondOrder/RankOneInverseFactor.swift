import LinearAlgebra

/// MKOR's inverse Kronecker factor P ≈ F⁻¹ (F = A or G), kept directly and
/// updated by Sherman–Morrison from one batch-mean vector v per refresh, in
/// O(n²) (spec second-order §3.2–3.3).
///
/// - `blendAndUpdate(_:)` (official code, `mkor/mkor.py` + `factors.py`):
///   P' = 0.95P + 0.05I, then P = P' − (P'v)(P'v)ᵀ / (1 + vᵀP'v), i.e.
///   P_t = ((0.95P_{t−1} + 0.05I)⁻¹ + vvᵀ)⁻¹.
/// - `emaUpdate(_:decay:)` (exact inverse of J_t = γJ_{t−1} + (1−γ)vvᵀ):
///   P = (1/γ)[P − (1−γ) PvvᵀP / (γ + (1−γ)vᵀPv)].
/// - ``reset(toward:)``: P ← (1−ζ)P + ζI (the stabiliser's reset).
public struct RankOneInverseFactor {
    public let size: Int
    /// P, n × n row-major, symmetric.
    public private(set) var inverse: Matrix
    private var product: [Double]

    public init(size: Int) {
        self.size = size
        inverse = .identity(size)
        product = [Double](repeating: 0, count: size)
    }

    /// max |P_ij| (the stabiliser's trigger).
    public var largestMagnitude: Double {
        inverse.storage.reduce(0) { max($0, abs($1)) }
    }

    /// P ← (1−ζ)P + ζI.
    public mutating func reset(toward zeta: Double) {
        blend(keep: 1 - zeta)
    }

    /// The official update: blend toward I (0.95/0.05), then Sherman–Morrison with v.
    public mutating func blendAndUpdate(_ v: UnsafeBufferPointer<Double>) {
        blend(keep: 0.95)
        shermanMorrison(v, weight: 1, denominatorBase: 1, outerScale: 1)
    }

    /// The exact-EMA update with decay γ.
    public mutating func emaUpdate(_ v: UnsafeBufferPointer<Double>, decay gamma: Double) {
        shermanMorrison(v, weight: 1 - gamma, denominatorBase: gamma, outerScale: 1 / gamma)
    }

    /// P ← s·[P − w·(Pv)(Pv)ᵀ / (base + w·vᵀPv)].
    private mutating func shermanMorrison(_ v: UnsafeBufferPointer<Double>, weight w: Double,
                                          denominatorBase base: Double, outerScale s: Double) {
        precondition(v.count == size, "RankOneInverseFactor: v has \(v.count), expected \(size)")
        let n = size
        inverse.storage.withUnsafeMutableBufferPointer { pp in
            product.withUnsafeMutableBufferPointer { up in
                let p = pp.baseAddress!, u = up.baseAddress!
                BLAS.gemv(m: n, n: n, alpha: 1, a: p, lda: n, transpose: false, x: v.baseAddress!, beta: 0, y: u)
                var quadratic = 0.0
                for i in 0..<n { quadratic += v[i] * u[i] }
                let c = w / (base + w * quadratic)
                for i in 0..<n {
                    let row = p + i * n, ui = c * u[i]
                    for j in 0..<n { row[j] = s * (row[j] - ui * u[j]) }
                }
            }
        }
    }

    /// P ← keep·P + (1 − keep)·I.
    private mutating func blend(keep: Double) {
        let n = size
        inverse.storage.withUnsafeMutableBufferPointer { p in
            for k in 0..<(n * n) { p[k] *= keep }
            for i in 0..<n { p[i * n + i] += 1 - keep }
        }
    }

    /// Array convenience for tests.
    public mutating func blendAndUpdate(_ v: [Double]) { v.withUnsafeBufferPointer { blendAndUpdate($0) } }
    public mutating func emaUpdate(_ v: [Double], decay: Double) { v.withUnsafeBufferPointer { emaUpdate($0, decay: decay) } }

    /// Sets P (tests: Sherman–Morrison from an arbitrary SPD P).
    public mutating func setInverse(_ p: Matrix) {
        precondition(p.rows == size && p.columns == size)
        inverse = p
    }

    /// Plain Sherman–Morrison P ← (P⁻¹ + vvᵀ)⁻¹, no blend.
    public mutating func shermanMorrison(_ v: [Double]) {
        v.withUnsafeBufferPointer { shermanMorrison($0, weight: 1, denominatorBase: 1, outerScale: 1) }
    }
}
