import LinearAlgebra

/// M-FAC's curvature model: a sliding window of the last m gradients g₁…g_m
/// (rows of G, m × d) and the damped empirical Fisher
///
///     F̂ = λI + (1/n) GᵀG,      n = m (`zeros`: empty slots are zero rows)
///                                  or the number stored (`growing`)
///
/// applied inversely through Woodbury (spec second-order §8.2):
///
///     F̂⁻¹x = λ⁻¹ [x − Gᵀ (nλI + GGᵀ)⁻¹ G x]
///
/// Why an explicit inverse P = (nλI + GGᵀ)⁻¹ of the small m × m matrix:
/// replacing one gradient changes one row and one column of nλI + GGᵀ,
/// a symmetric rank-2 change, so P is updated by Woodbury in O(m²) instead
/// of refactored in O(m³) (the official code redoes an LU every step).
/// To bound round-off drift P is recomputed from scratch (Cholesky) every
/// m replacements — O(m²) amortised. While a `growing` window fills, the
/// shift nλ changes with n, so P is recomputed at every push (O(n³), only
/// for the first m steps).
///
/// Cost: push O(dm) for the Gram row G·g plus O(m²); product O(dm + m²).
/// Memory dm + m² doubles. All workspaces are allocated once.
public struct GradientWindow {
    /// How the 1/n normalisation of a window that is not yet full is chosen.
    public enum WarmStart: String, Sendable, CaseIterable {
        /// The official code: m zero rows at the start, n = m from step 1.
        case zeros
        /// n = the number of gradients stored so far.
        case growing
    }

    public let dimension: Int
    /// The window size m (capped at the dimension by callers that want it).
    public let capacity: Int
    public let damping: Double
    public let warmStart: WarmStart
    /// Gradients stored so far (at most m).
    public private(set) var stored = 0
    /// The slot the next gradient overwrites.
    private var next = 0
    /// Replacements since P was last recomputed from scratch.
    private var updatesSinceRefresh = 0
    /// The shift nλ that P currently includes.
    private var currentShift: Double

    /// G: m × d, row j = gradient in slot j (zero rows while empty).
    private var gradients: [Double]
    /// P = (nλI + GGᵀ)⁻¹ over the active slots, m × m (leading `active` block used).
    private var inverse: [Double]
    /// GGᵀ, m × m (kept for the from-scratch refresh).
    private var gram: [Double]
    /// Scratch vectors of length m.
    private var q: [Double]
    private var c: [Double]
    private var w: [Double]
    private var pw: [Double]
    private var pk: [Double]

    public init(dimension: Int, capacity: Int, damping: Double, warmStart: WarmStart = .zeros) {
        precondition(dimension > 0 && capacity > 0 && damping > 0, "GradientWindow: d, m and λ must be positive")
        self.dimension = dimension
        self.capacity = capacity
        self.damping = damping
        self.warmStart = warmStart
        gradients = [Double](repeating: 0, count: capacity * dimension)
        inverse = [Double](repeating: 0, count: capacity * capacity)
        gram = [Double](repeating: 0, count: capacity * capacity)
        q = [Double](repeating: 0, count: capacity)
        c = q; w = q; pw = q; pk = q
        currentShift = warmStart == .zeros ? Double(capacity) * damping : 0
        // Empty zeros-window: P = (mλ)⁻¹I.
        if warmStart == .zeros {
            for i in 0..<capacity { inverse[i * capacity + i] = 1 / (Double(capacity) * damping) }
        }
    }

    /// Rows of G that take part in the model: m (`zeros`) or the number stored (`growing`).
    public var active: Int { warmStart == .zeros ? capacity : stored }
    /// The normalisation n of (1/n)GᵀG.
    public var normalization: Double { Double(active) }

    /// Stores g in the next slot (overwriting the oldest when full) and updates P.
    public mutating func push(_ g: UnsafeBufferPointer<Double>) {
        precondition(g.count == dimension, "GradientWindow.push: gradient has \(g.count), expected \(dimension)")
        let (m, d, k) = (capacity, dimension, next)
        stored = min(stored + 1, m)
        next = (next + 1) % m
        gradients.withUnsafeMutableBufferPointer { gp in
            (gp.baseAddress! + k * d).update(from: g.baseAddress!, count: d)
        }
        // Gram row r = G g (all m slots; empty slots give 0).
        gradients.withUnsafeBufferPointer { gp in
            q.withUnsafeMutableBufferPointer { qp in
                BLAS.gemm(m: m, n: 1, k: d, alpha: 1, a: gp.baseAddress!, lda: d, transposeA: false,
                          b: g.baseAddress!, ldb: 1, transposeB: false, beta: 0, c: qp.baseAddress!, ldc: 1)
            }
        }
        let shift = normalization * damping
        let refresh = shift != currentShift
        // The change of M = nλI + GGᵀ in row/column k: δ = new row − old row.
        gram.withUnsafeMutableBufferPointer { kp in
            q.withUnsafeBufferPointer { qp in
                w.withUnsafeMutableBufferPointer { wp in
                    for j in 0..<m { wp[j] = qp[j] - kp[k * m + j] }
                    for j in 0..<m { kp[k * m + j] = qp[j]; kp[j * m + k] = qp[j] }
                }
            }
        }
        updatesSinceRefresh += 1
        if refresh || updatesSinceRefresh >= m {
            recomputeInverse(shift: shift)
            return
        }
        rankTwoUpdate(row: k)
    }

    /// Convenience for arrays.
    public mutating func push(_ g: [Double]) {
        g.withUnsafeBufferPointer { push($0) }
    }

    /// P ← (M + e_k wᵀ + w e_kᵀ)⁻¹ by Woodbury, where w = δ with w_k = δ_k / 2
    /// (δ, the change of row k, is in `w` on entry).
    private mutating func rankTwoUpdate(row k: Int) {
        let m = capacity
        inverse.withUnsafeMutableBufferPointer { pp in
            w.withUnsafeMutableBufferPointer { wp in
                pw.withUnsafeMutableBufferPointer { zw in
                    pk.withUnsafeMutableBufferPointer { zk in
                        let p = pp.baseAddress!
                        wp[k] *= 0.5
                        // z_k = P e_k, z_w = P w (P symmetric: row k = column k).
                        for j in 0..<m { zk[j] = p[k * m + j] }
                        BLAS.gemm(m: m, n: 1, k: m, alpha: 1, a: p, lda: m, transposeA: false,
                                  b: wp.baseAddress!, ldb: 1, transposeB: false, beta: 0, c: zw.baseAddress!, ldc: 1)
                        // S = C⁻¹ + UᵀPU with U = [e_k, w], C = [[0,1],[1,0]] (C⁻¹ = C).
                        var wpw = 0.0
                        for j in 0..<m { wpw += wp[j] * zw[j] }
                        let s11 = zk[k], s12 = 1 + zw[k], s22 = wpw
                        let det = s11 * s22 - s12 * s12
                        let (a, b, c) = (s22 / det, -s12 / det, s11 / det)
                        // P ← P − [z_k z_w] S⁻¹ [z_k z_w]ᵀ.
                        for i in 0..<m {
                            let ui = a * zk[i] + b * zw[i], vi = b * zk[i] + c * zw[i]
                            let row = p + i * m
                            for j in 0..<m { row[j] -= ui * zk[j] + vi * zw[j] }
                        }
                    }
                }
            }
        }
    }

    /// P = (nλI + GGᵀ)⁻¹ over the active block by Cholesky (O(n³)).
    private mutating func recomputeInverse(shift: Double) {
        updatesSinceRefresh = 0
        currentShift = shift
        let (m, n) = (capacity, active)
        var a = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<n { a.storage[i * n + j] = gram[i * m + j] }
            a.storage[i * n + i] += shift
        }
        for i in 0..<(m * m) { inverse[i] = 0 }
        guard let chol = try? Cholesky(a) else {
            preconditionFailure("GradientWindow: nλI + GGᵀ not positive definite (λ = \(damping))")
        }
        var e = [Double](repeating: 0, count: n)
        for j in 0..<n {
            for i in 0..<n { e[i] = i == j ? 1 : 0 }
            try? chol.solve(inPlace: &e)
            for i in 0..<n { inverse[i * m + j] = e[i] }
        }
    }

    /// result ← F̂⁻¹x = λ⁻¹[x − Gᵀ P G x] (O(dm + m²)).
    public mutating func inverseFisherProduct(_ x: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == dimension && result.count == dimension, "GradientWindow: vector length")
        let (m, d, n) = (capacity, dimension, active)
        let invDamping = 1 / damping
        guard n > 0 else {
            for i in 0..<d { result[i] = invDamping * x[i] }
            return
        }
        gradients.withUnsafeBufferPointer { gp in
            q.withUnsafeMutableBufferPointer { qp in
                c.withUnsafeMutableBufferPointer { cp in
                    inverse.withUnsafeBufferPointer { pp in
                        let g = gp.baseAddress!
                        BLAS.gemm(m: n, n: 1, k: d, alpha: 1, a: g, lda: d, transposeA: false,
                                  b: x.baseAddress!, ldb: 1, transposeB: false, beta: 0, c: qp.baseAddress!, ldc: 1)
                        BLAS.gemm(m: n, n: 1, k: n, alpha: 1, a: pp.baseAddress!, lda: m, transposeA: false,
                                  b: qp.baseAddress!, ldb: 1, transposeB: false, beta: 0, c: cp.baseAddress!, ldc: 1)
                        result.baseAddress!.update(from: x.baseAddress!, count: d)
                        BLAS.gemm(m: d, n: 1, k: n, alpha: -1, a: g, lda: d, transposeA: true,
                                  b: cp.baseAddress!, ldb: 1, transposeB: false, beta: 1, c: result.baseAddress!, ldc: 1)
                        for i in 0..<d { result[i] *= invDamping }
                    }
                }
            }
        }
    }

    /// F̂⁻¹x as a new array (tests, one-off calls).
    public mutating func inverseFisherProduct(_ x: [Double]) -> [Double] {
        var r = [Double](repeating: 0, count: dimension)
        x.withUnsafeBufferPointer { xp in r.withUnsafeMutableBufferPointer { inverseFisherProduct(xp, into: $0) } }
        return r
    }
}
