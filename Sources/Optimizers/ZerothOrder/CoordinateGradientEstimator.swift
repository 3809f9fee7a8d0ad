import OptimizationCore

/// The coordinate-wise gradient estimate (CGE, spec §2.1), on all
/// coordinates or on a subset S; g[j] = 0 for j ∉ S.
///
///     forward:  g[i] = (f(x + μeᵢ) − f(x)) / μ              |S| + 1 queries
///     central:  g[i] = (f(x + μeᵢ) − f(x − μeᵢ)) / (2μ)      2|S| queries
///
/// Each coordinate is perturbed in place and restored **by assignment** of
/// the saved value, so x is bitwise unchanged afterwards ((xᵢ + μ) − μ ≠ xᵢ
/// in floating point). All queries of one estimate see the same minibatch
/// (the harness selects it once per step) and the same noise draw (the
/// oracle's `holdsNoise`): the common-random-numbers rule. No randomness, so
/// the estimate is deterministic.
///
///     let cge = CoordinateGradientEstimator(mu: 0x1p-4, scheme: .central)
///     let outcome = try cge.estimate(at: &x, into: &g, oracle: &oracle)
public struct CoordinateGradientEstimator: Sendable {
    /// The difference step μ.
    public var mu: Double
    public var scheme: DifferenceScheme

    public init(mu: Double, scheme: DifferenceScheme = .forward) {
        precondition(mu > 0 && mu.isFinite, "CoordinateGradientEstimator: mu must be a positive finite number, got \(mu)")
        self.mu = mu
        self.scheme = scheme
    }

    /// Queries one estimate costs on `count` coordinates.
    public func queries(coordinates count: Int) -> Int {
        scheme == .forward ? count + 1 : 2 * count
    }

    /// Writes the estimate into `g` (resized to x.count; zero outside the
    /// subset). `coordinates` nil means all; otherwise indices in 0..<x.count.
    /// x is perturbed during the call and bitwise restored before it returns.
    public func estimate(at x: inout [Double], coordinates: [Int]? = nil, into g: inout [Double],
                         oracle: inout Oracle) throws -> EstimateOutcome {
        let n = x.count
        if g.count != n { g = [Double](repeating: 0, count: n) }
        let heldBefore = oracle.holdsNoise
        oracle.holdsNoise = true
        defer { oracle.holdsNoise = heldBefore }
        var finite = true
        var queries = 0
        var f0: Double?
        if scheme == .forward {
            let v = try oracle.value(at: x)
            queries += 1
            finite = finite && v.isFinite
            f0 = v
        }
        func one(_ i: Int) throws {
            let save = x[i]
            x[i] = save + mu
            let plus = try oracle.value(at: x)
            queries += 1
            if let f0 {
                x[i] = save
                g[i] = (plus - f0) / mu
                finite = finite && plus.isFinite
            } else {
                x[i] = save - mu
                let minus = try oracle.value(at: x)
                queries += 1
                x[i] = save
                g[i] = (plus - minus) / (2 * mu)
                finite = finite && plus.isFinite && minus.isFinite
            }
        }
        if let coordinates {
            g.withUnsafeMutableBufferPointer { gb in for i in 0..<n { gb[i] = 0 } }
            for i in coordinates {
                precondition(i >= 0 && i < n, "CoordinateGradientEstimator: coordinate \(i) outside 0..<\(n)")
                try one(i)
            }
        } else {
            for i in 0..<n { try one(i) }
        }
        return EstimateOutcome(queries: queries, baseValue: f0, isFinite: finite)
    }
}
