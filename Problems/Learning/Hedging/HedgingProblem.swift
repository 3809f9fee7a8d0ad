import LinearAlgebra
import OptimizationCore
import RealModule

/// Deep hedging in the style of Buehler, Gonon, Teichmann & Wood (2019,
/// arXiv 1802.03042): sell a European call at t = 0 and hedge it with the
/// underlying on n steps, the holding chosen by a policy network shared
/// across time steps (``HedgingPolicy``). The objective is a convex risk
/// measure of the terminal P&L X over the simulated paths (``MarketPaths``):
///
/// * `risk=entropic`: ρ(X) = (1/λ)·log((1/N) Σᵢ exp(−λXᵢ)). Cash invariance
///   makes ρ(X) itself the indifference price of the option under the policy.
/// * `risk=mse`: (1/N) Σᵢ (p₀ + Xᵢ)², p₀ the Monte-Carlo mean payoff of the
///   training paths; the implied price is −mean(X).
///
/// The implied price on an independent set of test paths is the problem's
/// `test_metric`; with `cost=0` and `model=black_scholes` it should approach
/// the Black–Scholes price (``blackScholesPrice``) as the policy learns Δ.
///
/// Layer statistics (K-FAC, MKOR) sum over the time steps that share the
/// weights (`sharing` = n, rows t·N + i). With sᵢₜ a layer's pre-activations
/// and ∂Xᵢ/∂sᵢₜ from backpropagation through time, the rows of g are
/// * `empirical`: N·(∂ρ/∂Xᵢ)·∂Xᵢ/∂sᵢₜ, so that (1/N)·gᵀa is the weight gradient;
/// * `ggn` and `sampled`: √(N·ρ″ᵢ)·∂Xᵢ/∂sᵢₜ, the square-root trick for the
///   Gauss–Newton matrix of the risk measure (spec second-order §2.8) with
///   ρ″ᵢ = 2/N (mse) or λπᵢ, π = softmax(−λX) (entropic: the diagonal of
///   λ(diag π − ππᵀ), which bounds it from above). With one output a sampled
///   target ±1 gives the same gᵢgᵢᵀ, so `sampled` equals `ggn` here.
public final class HedgingProblem: TrainingObjective, LayerStatisticsObjective {
    /// The risk measure minimised (the `risk` key).
    public enum Risk: String, Sendable, CaseIterable { case entropic, mse }

    public let name: String
    public let layout: ParameterLayout
    public let initialPoint: [Double]
    public let risk: Risk
    public let lambda: Double
    /// The Black–Scholes price of the call (spot, strike, maturity, σ of the problem).
    public let blackScholesPrice: Double
    /// The mean payoff of the training paths (the mse premium p₀).
    public let monteCarloPrice: Double

    private let train: HedgingPolicy
    private let test: HedgingPolicy
    private var weightBlocks: [ParameterBlock] = []
    private var biasBlocks: [ParameterBlock] = []

    public var dimension: Int { layout.dimension }

    init(name: String, model: MarketPaths.Model, paths: Int, steps: Int, hidden: [Int], cost: Double,
         risk: Risk, lambda: Double, volatility: Double, seed: UInt64) {
        self.name = name
        self.risk = risk
        self.lambda = lambda
        let (spot, strike, maturity) = (100.0, 100.0, 30.0 / 365)
        let widths = [3] + hidden + [1]
        var named: [(String, [Int])] = []
        var weightOffsets: [Int] = [], biasOffsets: [Int] = []
        var offset = 0
        for l in 0..<(widths.count - 1) {
            named.append(("layer\(l + 1).weight", [widths[l + 1], widths[l]]))
            named.append(("layer\(l + 1).bias", [widths[l + 1]]))
            weightOffsets.append(offset)
            biasOffsets.append(offset + widths[l] * widths[l + 1])
            offset += (widths[l] + 1) * widths[l + 1]
        }
        layout = ParameterLayout(named)
        weightBlocks = layout.blocks.filter(\.isMultiDimensional)
        biasBlocks = layout.blocks.filter { !$0.isMultiDimensional }

        let trainPaths = MarketPaths(model: model, count: paths, steps: steps, spot: spot, maturity: maturity,
                                     volatility: volatility, seed: SplitMix64.derive(seed, 0x7061_7468))
        let testPaths = MarketPaths(model: model, count: paths, steps: steps, spot: spot, maturity: maturity,
                                    volatility: volatility, seed: SplitMix64.derive(seed, 0x7465_7374))
        train = HedgingPolicy(widths: widths, weightOffsets: weightOffsets, biasOffsets: biasOffsets,
                              paths: trainPaths, strike: strike, maturity: maturity, cost: cost)
        test = HedgingPolicy(widths: widths, weightOffsets: weightOffsets, biasOffsets: biasOffsets,
                             paths: testPaths, strike: strike, maturity: maturity, cost: cost)
        blackScholesPrice = BlackScholes.callPrice(spot: spot, strike: strike, maturity: maturity, volatility: volatility)
        monteCarloPrice = (0..<paths).map { max(trainPaths.price(path: $0, step: steps) - strike, 0) }
            .reduce(0, +) / Double(paths)

        // Glorot-uniform weights from the seed, zero biases (as `mlp`).
        var x0 = [Double](repeating: 0, count: offset)
        var rng = SplitMix64(seed: seed)
        for l in 0..<(widths.count - 1) {
            let limit = (6 / Double(widths[l] + widths[l + 1])).squareRoot()
            for k in 0..<(widths[l] * widths[l + 1]) { x0[weightOffsets[l] + k] = rng.uniform(in: -limit, limit) }
        }
        initialPoint = x0
    }

    private func check(_ x: [Double]) throws {
        guard x.count == dimension else { throw ObjectiveError.dimensionMismatch(expected: dimension, got: x.count) }
    }

    /// ρ(X) and, per path, ∂ρ/∂Xᵢ and the Gauss–Newton weight ρ″ᵢ.
    private func riskOf(_ x: [Double]) -> (value: Double, slope: [Double], curvature: [Double]) {
        let n = Double(x.count)
        switch risk {
        case .mse:
            let p0 = monteCarloPrice
            let value = x.reduce(0) { $0 + (p0 + $1) * (p0 + $1) } / n
            return (value, x.map { 2 * (p0 + $0) / n }, [Double](repeating: 2 / n, count: x.count))
        case .entropic:
            let m = x.map { -lambda * $0 }.max() ?? 0
            let e = x.map { Double.exp(-lambda * $0 - m) }
            let z = e.reduce(0, +)
            let value = (m + Double.log(z / n)) / lambda
            let pi = e.map { $0 / z }
            return (value, pi.map { -$0 }, pi.map { lambda * $0 })
        }
    }

    /// The option price the policy θ implies on `policy`'s paths.
    private func impliedPrice(_ policy: HedgingPolicy, _ x: [Double]) -> Double {
        let pnl = x.withUnsafeBufferPointer { policy.forward($0) }
        switch risk {
        case .entropic: return riskOf(pnl).value
        case .mse: return -pnl.reduce(0, +) / Double(pnl.count)
        }
    }

    /// The price implied by θ on the training paths (the test paths give `testMetric`).
    public func impliedPrice(at x: [Double]) throws -> Double {
        try check(x)
        return impliedPrice(train, x)
    }

    public func value(at x: [Double]) throws -> Double {
        try check(x)
        return riskOf(x.withUnsafeBufferPointer { train.forward($0) }).value
    }

    public func gradient(at x: [Double], into gradient: inout [Double]) throws -> Double {
        try check(x)
        if gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        let (value, slope, _) = riskOf(x.withUnsafeBufferPointer { train.forward($0) })
        x.withUnsafeBufferPointer { train.backward($0) }
        gradient.withUnsafeMutableBufferPointer { g in train.accumulateGradient(weights: slope, into: g) }
        return value
    }

    public func layerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws -> LayerStatistics {
        try check(x)
        let (_, slope, curvature) = riskOf(x.withUnsafeBufferPointer { train.forward($0) })
        x.withUnsafeBufferPointer { train.backward($0) }
        let n = Double(slope.count)
        let scale: [Double]
        switch targets {
        case .empirical: scale = slope.map { $0 * n }
        case .ggn, .sampled: scale = curvature.map { ($0 * n).squareRoot() }
        }
        return LayerStatistics(layers: statistics(rowScale: scale), batchSize: train.paths.count)
    }

    /// Per layer: a = [inputs | 1] and g = rowScaleᵢ·∂Xᵢ/∂s, rows t·N + i, sharing n.
    private func statistics(rowScale: [Double]) -> [LayerStatistics.Layer] {
        let n = train.paths.count, rows = train.rows
        return (0..<train.layers).map { l in
            let (fanIn, fanOut) = (train.widths[l], train.widths[l + 1])
            var a = Matrix(rows: rows, columns: fanIn + 1, repeating: 1)
            var g = Matrix(rows: rows, columns: fanOut)
            train.layerInputs[l].withUnsafeBufferPointer { input in
                a.storage.withUnsafeMutableBufferPointer { ap in
                    for r in 0..<rows {
                        (ap.baseAddress! + r * (fanIn + 1)).update(from: input.baseAddress! + r * fanIn, count: fanIn)
                    }
                }
            }
            train.outputDerivatives[l].withUnsafeBufferPointer { d in
                g.storage.withUnsafeMutableBufferPointer { gp in
                    for r in 0..<rows {
                        let s = rowScale[r % n]
                        for k in 0..<fanOut { gp[r * fanOut + k] = s * d[r * fanOut + k] }
                    }
                }
            }
            return LayerStatistics.Layer(name: "layer\(l + 1)", weight: weightBlocks[l], bias: biasBlocks[l],
                                         inputs: a, outputGradients: g, sharing: train.paths.steps)
        }
    }

    /// The implied option price on the held-out paths.
    public func testMetric(at x: [Double]) -> Double? {
        guard x.count == dimension else { return nil }
        return impliedPrice(test, x)
    }
}
