import Foundation
import OptimizationCore
@testable import Optimizers
import Problems
import Testing

@Suite("DeepZero: feature reuse, parallel CGE, masks (spec §11.1.5–6, §11.7)")
struct ZerothOrderDeepZeroTests {
    /// A 3-block network on digits, minibatch 16: 247 parameters.
    static func network(seed: UInt64 = 1) throws -> any BlockSequentialObjective {
        let (problem, _) = try ProblemCatalog.shared.make("mlp(data=digits,hidden=3x3,batch=16)", seed: seed)
        let layered = try #require(problem as? any BlockSequentialObjective)
        layered.beginStep(0)
        return layered
    }

    @Test("feature-reuse CGE equals full-pass CGE bitwise, for any thread count; block count Σ(B − b(i)) + B")
    func reuseEqualsFullPass() throws {
        let objective = try Self.network()
        var x = objective.initialPoint
        let n = x.count, blocks = objective.sequentialBlocks
        #expect(blocks.count == 3)
        for subset in [Array(0..<n), Array(stride(from: 1, to: n, by: 7))] {
            var reference: [Double] = []
            var oracle = Oracle(objective)
            let plain = try CoordinateGradientEstimator(mu: 5e-3, scheme: .forward)
                .estimate(at: &x, coordinates: subset.count == n ? nil : subset, into: &reference, oracle: &oracle)
            let expectedBlocks = 3 + subset.reduce(0) { total, i in total + 3 - blocks.firstIndex { $0.contains(i) }! }
            for threads in [1, 2, 3] {
                let reuse = FeatureReuseEstimator(objective: objective, threads: threads)
                var g: [Double] = []
                let outcome = reuse.estimate(at: x, coordinates: subset, mu: 5e-3, into: &g)
                #expect(g == reference, "threads \(threads), |S| = \(subset.count)")
                #expect(outcome.baseValue == plain.baseValue)
                #expect(outcome.queries == plain.queries)
                #expect(outcome.blockEvaluations == expectedBlocks)
                let full = FeatureReuseEstimator(objective: objective, threads: threads, reuse: false)
                var h: [Double] = []
                let fullOutcome = full.estimate(at: x, coordinates: subset, mu: 5e-3, into: &h)
                #expect(h == reference, "no reuse, threads \(threads)")
                #expect(fullOutcome.blockEvaluations == 3 * (subset.count + 1))
            }
            #expect(x == objective.initialPoint)
        }
    }

    @Test("deepzero with and without reuse, on 1 or 2 threads: the same trajectory bit for bit")
    func trajectories() throws {
        func run(_ spec: String, threads: Int = 1, opaque: Bool = false) throws -> ([Double], Int, Int) {
            let network = try Self.network()
            let objective: any Objective = opaque ? OpaqueView(network) : network
            let (made, _) = try OptimizerCatalog.make(spec, for: objective.capabilities, problemName: objective.name, seed: 4)
            var threaded = try #require(made as? DeepZero)
            threaded.threads = threads
            var opt: any Optimizer = threaded
            var oracle = Oracle(objective)
            var x = objective.initialPoint
            for k in 0..<3 {
                objective.beginStep(k)
                try opt.step(&x, oracle: &oracle)
            }
            return (x, oracle.counts.function, (opt as! DeepZero).blockEvaluations)
        }
        let reused = try run("deepzero(sparsity=0.5,ratios=uniform,lr=0.05)")
        let plain = try run("deepzero(sparsity=0.5,ratios=uniform,lr=0.05,reuse=false)")
        let parallel = try run("deepzero(sparsity=0.5,ratios=uniform,lr=0.05)", threads: 2)
        #expect(reused.0 == plain.0 && reused.0 == parallel.0)
        #expect(reused.1 == plain.1 && reused.1 == parallel.1)
        #expect(reused.2 < plain.2, "reuse saves block evaluations: \(reused.2) vs \(plain.2)")
        #expect(reused.0 != (try Self.network()).initialPoint)
        // The same function seen as value-only: every query goes through oracle.value. The layered
        // view's count of forward passes gives the same f_evals, and the trajectory is the same.
        let opaque = try run("deepzero(sparsity=0.5,ratios=uniform,lr=0.05)", opaque: true)
        #expect(opaque.0 == reused.0 && opaque.1 == reused.1)
        #expect(reused.1 > 3)
    }

    @Test("mask: each layer hides exactly round(r·n) weights, biases never; reproducible from (seed, index)")
    func maskRatios() throws {
        let objective = try Self.network()
        let layout = objective.layout
        let ratios = [0.5, 0.25, 0.9]
        let mask = SparsityMask(layout: layout, ratios: ratios, seed: 8)
        #expect(mask.layers.map(\.name) == ["layer1.weight", "layer2.weight", "layer3.weight"])
        let s = Set(mask.coordinates(index: 0))
        for (l, layer) in mask.layers.enumerated() {
            let hidden = layer.range.filter { !s.contains($0) }.count
            #expect(hidden == Int((ratios[l] * Double(layer.count)).rounded(.toNearestOrAwayFromZero)))
        }
        for block in layout.blocks where !block.isMultiDimensional { #expect(block.range.allSatisfy(s.contains)) }
        #expect(mask.coordinates(index: 0) == SparsityMask(layout: layout, ratios: ratios, seed: 8).coordinates(index: 0))
        #expect(mask.coordinates(index: 1) != mask.coordinates(index: 0))
        #expect(SparsityMask(layout: layout, ratios: ratios, seed: 9).coordinates(index: 0) != mask.coordinates(index: 0))
    }

    @Test("the mask is re-sampled only when t mod K == 0; masked coordinates still move by decay and momentum")
    func maskPeriodAndDecay() throws {
        let objective = try Self.network()
        var opt = DeepZero(lr: 0.5, momentum: 0.9, weightDecay: 0.1, sparsity: 0.5, ratios: .uniform, maskPeriod: 2, seed: 3)
        var oracle = Oracle(objective)
        var x = objective.initialPoint
        let x0 = x
        try opt.step(&x, oracle: &oracle)
        let s0 = try #require(opt.coordinates)
        let inS = Set(s0)
        let masked = (0..<x.count).filter { !inS.contains($0) }
        #expect(!masked.isEmpty)
        for i in masked {
            // g = 0: b = 0.9·0 + (0 + λx₀), x₁ = x₀ − η·b.
            #expect(x[i] == x0[i] - 0.5 * (0.9 * 0 + (0 + 0.1 * x0[i])))
        }
        #expect(oracle.counts.function == s0.count + 1)
        objective.beginStep(1)
        try opt.step(&x, oracle: &oracle)
        #expect(opt.coordinates == s0)
        objective.beginStep(2)
        try opt.step(&x, oracle: &oracle)
        #expect(opt.coordinates != s0)
        #expect(opt.coordinates!.count == s0.count)
    }

    @Test("ZO-GraSP costs 2(q+1) queries and hides round(s·N) prunable weights in total")
    func grasp() throws {
        let objective = try Self.network()
        var oracle = Oracle(objective)
        let ratios = try ZOGraSP.layerRatios(at: objective.initialPoint, layout: objective.layout, sparsity: 0.8,
                                             q: 6, mu: 5e-3, seed: 1, oracle: &oracle)
        #expect(oracle.counts.function == 2 * (6 + 1))
        let layers = SparsityMask.prunableLayers(of: objective.layout)
        let hidden = zip(ratios, layers).map { Int(($0 * Double($1.count)).rounded()) }.reduce(0, +)
        #expect(hidden == Int((0.8 * Double(layers.reduce(0) { $0 + $1.count })).rounded(.toNearestOrAwayFromZero)))
        #expect(ratios.allSatisfy { $0 >= 0 && $0 <= 1 })
        var opt = DeepZero(sparsity: 0.8, graspQ: 6, seed: 1)
        var oracle2 = Oracle(objective)
        var x = objective.initialPoint
        try opt.step(&x, oracle: &oracle2)
        #expect(opt.layerRatios == ratios)
        #expect(oracle2.counts.function == 14 + opt.coordinates!.count + 1)
    }
}
