import CShims
import LinearAlgebra
import OptimizationCore

/// The distribution of the random directions of an RGE estimate (spec §2.2).
public enum DirectionDistribution: String, Sendable, CaseIterable {
    /// u ~ N(0, I); scale 1/q. Unbiased for ∇f_μ, the Gaussian-smoothed f.
    case gaussian
    /// v = u/‖u‖, uniform on the unit sphere; scale d/q. Unbiased for the ball-smoothed gradient.
    case sphere
    /// r ∈ {±1}^d (the signs of the Gaussian draw); scale 1/q. Spall's SPSA directions.
    case rademacher
}

/// The random-direction gradient estimate (RGE, spec §2.2–3) with q
/// directions w₁ … w_q:
///
///     forward:  ĝ = s · Σⱼ (f(x + μwⱼ) − f(x)) / μ · wⱼ              q + 1 queries
///     central:  ĝ = s · Σⱼ (f(x + μwⱼ) − f(x − μwⱼ)) / (2μ) · wⱼ      2q queries
///
/// with s = 1/q (Gaussian, Rademacher) or d/q (unit sphere). Directions are
/// never stored between steps: direction j of step t is a pure function of
/// (seed, t, j) — element i is Philox4x32 Gaussian number j·d + i of stream
/// (step t, tag 0) — so any estimate can be regenerated. All queries of one
/// estimate see the same minibatch and noise draw (common random numbers).
///
/// Workspace: one direction and one probe point (2d doubles), allocated on
/// the first estimate and reused.
public struct RandomDirectionEstimator: Sendable {
    public let distribution: DirectionDistribution
    /// Directions per estimate.
    public let q: Int
    /// The smoothing radius μ.
    public let mu: Double
    public let scheme: DifferenceScheme
    public let seed: UInt64
    private let philox: Philox4x32
    private var direction: [Double] = []
    private var probe: [Double] = []

    public init(distribution: DirectionDistribution, q: Int, mu: Double, scheme: DifferenceScheme, seed: UInt64) {
        precondition(q >= 1, "RandomDirectionEstimator: q must be at least 1, got \(q)")
        precondition(mu > 0 && mu.isFinite, "RandomDirectionEstimator: mu must be a positive finite number, got \(mu)")
        self.distribution = distribution
        self.q = q
        self.mu = mu
        self.scheme = scheme
        self.seed = seed
        philox = Philox4x32(seed: seed)
    }

    /// Queries one estimate costs.
    public var queries: Int { scheme == .forward ? q + 1 : 2 * q }

    /// Writes direction `j` of step `step` into `out` (unscaled: a Gaussian
    /// vector, a unit vector, or a ±1 vector).
    public func direction(_ j: Int, step: Int, into out: UnsafeMutableBufferPointer<Double>) {
        Self.fill(out, philox: philox, distribution: distribution, j: j, step: step)
    }

    private static func fill(_ out: UnsafeMutableBufferPointer<Double>, philox: Philox4x32,
                             distribution: DirectionDistribution, j: Int, step: Int) {
        let d = out.count
        philox.fillGaussians(out, first: j * d, step: UInt32(truncatingIfNeeded: step), tag: 0)
        switch distribution {
        case .gaussian:
            break
        case .sphere:
            var s = 0.0
            for i in 0..<d { s += out[i] * out[i] }
            let inv = 1 / optlab_sqrt(s)
            for i in 0..<d { out[i] *= inv }
        case .rademacher:
            for i in 0..<d { out[i] = out[i] < 0 ? -1 : 1 }
        }
    }

    /// Writes ĝ into `g` (resized to x.count) for step `step` (the stream index).
    public mutating func estimate(at x: [Double], step: Int, into g: inout [Double],
                                  oracle: inout Oracle) throws -> EstimateOutcome {
        let d = x.count
        if g.count != d { g = [Double](repeating: 0, count: d) }
        if direction.count != d {
            direction = [Double](repeating: 0, count: d)
            probe = [Double](repeating: 0, count: d)
        }
        let heldBefore = oracle.holdsNoise
        oracle.holdsNoise = true
        defer { oracle.holdsNoise = heldBefore }
        let scale = (distribution == .sphere ? Double(d) : 1) / Double(q)
        var finite = true
        var queries = 0
        var f0: Double?
        if scheme == .forward {
            let v = try oracle.value(at: x)
            queries += 1
            finite = v.isFinite
            f0 = v
        }
        g.withUnsafeMutableBufferPointer { gb in for i in 0..<d { gb[i] = 0 } }
        for j in 0..<q {
            let (p, dist) = (philox, distribution)
            direction.withUnsafeMutableBufferPointer { Self.fill($0, philox: p, distribution: dist, j: j, step: step) }
            fillProbe(x, sign: 1)
            let plus = try oracle.value(at: probe)
            queries += 1
            let quotient: Double
            if let f0 {
                quotient = (plus - f0) / mu
                finite = finite && plus.isFinite
            } else {
                fillProbe(x, sign: -1)
                let minus = try oracle.value(at: probe)
                queries += 1
                quotient = (plus - minus) / (2 * mu)
                finite = finite && plus.isFinite && minus.isFinite
            }
            let c = scale * quotient
            g.withUnsafeMutableBufferPointer { gb in
                direction.withUnsafeBufferPointer { wb in
                    for i in 0..<d { gb[i] += c * wb[i] }
                }
            }
        }
        return EstimateOutcome(queries: queries, baseValue: f0, isFinite: finite)
    }

    /// probe ← x + sign·μ·w.
    private mutating func fillProbe(_ x: [Double], sign: Double) {
        let step = sign * mu
        probe.withUnsafeMutableBufferPointer { pb in
            x.withUnsafeBufferPointer { xb in
                direction.withUnsafeBufferPointer { wb in
                    for i in 0..<xb.count { pb[i] = xb[i] + step * wb[i] }
                }
            }
        }
    }
}
