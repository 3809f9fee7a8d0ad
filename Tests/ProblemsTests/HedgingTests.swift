import LinearAlgebra
import OptimizationCore
import Problems
import Testing

/// The deep-hedging problem: prices, paths, backpropagation through time and
/// the time-shared layer statistics K-FAC uses.
@Suite struct HedgingTests {
    static func make(_ spec: String, seed: UInt64 = 3) throws -> HedgingProblem {
        try #require(try ProblemCatalog.shared.make(spec, seed: seed).0 as? HedgingProblem)
    }

    @Test func blackScholesMatchesTextbookValues() {
        // S = K = 100, T = 1, σ = 0.2, r = 0: 100·(Φ(0.1) − Φ(−0.1)).
        #expect(abs(BlackScholes.callPrice(spot: 100, strike: 100, maturity: 1, volatility: 0.2) - 7.965567455405804) < 1e-10)
        #expect(abs(BlackScholes.callPrice(spot: 110, strike: 100, maturity: 0.5, volatility: 0.3) - 14.745683813458086) < 1e-10)   // independent Python (math.erfc) value
        #expect(BlackScholes.callPrice(spot: 90, strike: 100, maturity: 0, volatility: 0.2) == 0)
        #expect(abs(BlackScholes.callDelta(spot: 100, strike: 100, maturity: 1, volatility: 0.2) - 0.539827837277029) < 1e-12)
    }

    @Test(arguments: MarketPaths.Model.allCases)
    func pathsAreSeededMartingales(_ model: MarketPaths.Model) {
        let a = MarketPaths(model: model, count: 20_000, steps: 10, spot: 100, maturity: 0.5, volatility: 0.3, seed: 9)
        let b = MarketPaths(model: model, count: 20_000, steps: 10, spot: 100, maturity: 0.5, volatility: 0.3, seed: 9)
        #expect(a.prices == b.prices)
        let finals = (0..<a.count).map { a.price(path: $0, step: 10) }
        let mean = finals.reduce(0, +) / Double(a.count)
        let sd = (finals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(a.count - 1)).squareRoot()
        // E[S_T] = S₀ (r = 0) within 4 standard errors; a drift of 1 % would fail.
        #expect(abs(mean - 100) < 4 * sd / Double(a.count).squareRoot())
        #expect(4 * sd / Double(a.count).squareRoot() < 0.7)
        #expect(sd > 15 && sd < 27)   // ≈ 100·0.3·√0.5 ≈ 21
    }

    @Test(arguments: ["entropic", "mse"])
    func gradientMatchesFiniteDifferences(_ risk: String) throws {
        let p = try Self.make("hedging(paths=40,steps=6,hidden=5x4,cost=0.01,risk=\(risk),lambda=0.5)")
        var rng = SplitMix64(seed: 5)
        let x = p.initialPoint.map { $0 + 0.1 * rng.uniform(in: -1, 1) }
        let g = try p.gradient(at: x)
        let h = 1e-6
        var worst = 0.0
        for i in Swift.stride(from: 0, to: x.count, by: 3) {
            var up = x, down = x
            up[i] += h; down[i] -= h
            let fd = (try p.value(at: up) - p.value(at: down)) / (2 * h)
            worst = max(worst, abs(fd - g[i]) / max(1, abs(g[i])))
        }
        #expect(worst < 1e-6, "worst relative error \(worst)")
        #expect(g.contains { abs($0) > 1e-3 })
    }

    /// Σ over steps and paths of g aᵀ / N is the weight gradient (shared weights).
    @Test func timeSharedStatisticsReproduceTheGradient() throws {
        let p = try Self.make("hedging(paths=30,steps=7,hidden=4x3,cost=0.005)")
        let x = p.initialPoint
        let g = try p.gradient(at: x)
        let stats = try p.layerStatistics(at: x, targets: .empirical, seed: 0)
        #expect(stats.batchSize == 30)
        for layer in stats.layers {
            #expect(layer.sharing == 7 && layer.inputs.rows == 30 * 7 && layer.outputGradients.rows == 30 * 7)
            var block = Matrix(rows: layer.outputGradients.columns, columns: layer.inputs.columns)
            BLAS.gemm(layer.outputGradients, layer.inputs, into: &block, transposeA: true, alpha: 1.0 / 30)
            let fanIn = layer.inputs.columns - 1
            for r in 0..<block.rows {
                for c in 0..<fanIn {
                    #expect(abs(block[r, c] - g[layer.weight.offset + r * fanIn + c]) <= 1e-12 * max(1, abs(g[layer.weight.offset + r * fanIn + c])))
                }
                #expect(abs(block[r, fanIn] - g[layer.bias!.offset + r]) <= 1e-12 * max(1, abs(g[layer.bias!.offset + r])))
            }
        }
    }

    /// mse: ρ″ = 2/N, so GGN rows are √2·∂X/∂s while empirical rows are 2(p₀ + Xᵢ)·∂X/∂s;
    /// sampled equals ggn (one output: a ±1 target gives the same outer product).
    @Test func gaussNewtonRowsCarryTheRiskCurvature() throws {
        let p = try Self.make("hedging(paths=12,steps=4,hidden=3,risk=mse)")
        let x = p.initialPoint
        let emp = try p.layerStatistics(at: x, targets: .empirical, seed: 0)
        let ggn = try p.layerStatistics(at: x, targets: .ggn, seed: 0)
        let sampled = try p.layerStatistics(at: x, targets: .sampled, seed: 1)
        let value = try p.value(at: x)
        #expect(value > 0)
        // Recover (p₀ + Xᵢ) from the ratio of the rows of the output layer (one column).
        let last = emp.layers.count - 1
        for r in 0..<emp.layers[last].outputGradients.rows {
            let e = emp.layers[last].outputGradients[r, 0], q = ggn.layers[last].outputGradients[r, 0]
            #expect(sampled.layers[last].outputGradients[r, 0] == q)
            if abs(q) > 1e-12 {
                let residual = e / (q * 2.0.squareRoot())   // p₀ + Xᵢ
                let other = emp.layers[last].outputGradients[r % 12, 0] / (ggn.layers[last].outputGradients[r % 12, 0] * 2.0.squareRoot())
                #expect(abs(residual - other) <= 1e-9 * max(1, abs(residual)))   // the same path's residual at every step
            }
        }
    }

    @Test func impliedPriceOfTheUnhedgedPositionExceedsBlackScholes() throws {
        // Zero policy (θ = 0 ⇒ δ ≡ 0): the seller keeps the naked call; under the
        // entropic measure its price is the certainty equivalent, above the mean payoff.
        let p = try Self.make("hedging(paths=4000,steps=10,hidden=4)")
        let zero = [Double](repeating: 0, count: p.dimension)
        let price = try #require(p.testMetric(at: zero))
        #expect(price > p.blackScholesPrice)
        #expect(abs(p.monteCarloPrice - p.blackScholesPrice) < 0.15)   // ≈ 2.28 ± MC error
        let mse = try Self.make("hedging(paths=4000,steps=10,hidden=4,risk=mse)")
        #expect(abs(try #require(mse.testMetric(at: zero)) - p.blackScholesPrice) < 0.2)   // −mean(X) = mean payoff
    }

    @Test func badKeysAreRejectedWithTheAcceptedValues() {
        #expect(throws: SpecError.self) { _ = try ProblemCatalog.shared.make("hedging(model=garch)", seed: 0) }
        #expect(throws: SpecError.self) { _ = try ProblemCatalog.shared.make("hedging(hidden=3xx)", seed: 0) }
        #expect(throws: SpecError.self) { _ = try ProblemCatalog.shared.make("hedging(cost=-1)", seed: 0) }
        #expect(throws: SpecError.self) { _ = try ProblemCatalog.shared.make("hedging(risk=cvar)", seed: 0) }
    }
}
