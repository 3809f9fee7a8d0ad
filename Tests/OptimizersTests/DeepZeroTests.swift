import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems
import Testing

/// DeepZero's protocol pieces (spec §11.7) and its feature-reuse equivalence.
@Suite struct DeepZeroTests {
    /// 13 → 3 → 3 → 3 (wine): weights [3, 13], [3, 3], [3, 3] and three biases of 3;
    /// 66 parameters in 3 blocks (one per dense layer).
    static let problemSpec = "mlp(data=wine,hidden=3x3,batch=16)"

    static func problem() throws -> any Objective {
        try ProblemCatalog.shared.make(problemSpec, seed: 1).0
    }

    /// Runs `steps` steps the way the harness does (beginStep, then step).
    static func run(_ spec: String, steps: Int, seed: UInt64 = 7) throws -> (x: [Double], opt: DeepZero, counts: EvaluationCounts,
                                                                         queried: [[Int]], events: [String?]) {
        let problem = try Self.problem()
        let (made, _) = try OptimizerCatalog.make(spec, for: problem.capabilities, problemName: problemSpec)
        var opt = try #require(made as? DeepZero)
        try opt.prepare(RunContext(layout: problem.layout, totalSteps: steps, seed: seed))
        var oracle = Oracle(problem, seed: seed)
        var x = problem.initialPoint
        var queried: [[Int]] = [], events: [String?] = []
        for k in 0..<steps {
            problem.beginStep(k)
            try opt.step(&x, oracle: &oracle)
            queried.append(opt.queried)
            events.append(opt.lastEvent)
        }
        return (x, opt, oracle.counts, queried, events)
    }

    @Test func maskHidesExactlyTheRoundedShareOfEachTensor() {
        let layout = ParameterLayout([("w1", [10, 7]), ("b1", [10]), ("w2", [3, 4]), ("b2", [3])])
        let mask = LayerwiseRandomMask(layout: layout, ratios: [0.35, 0.5])
        #expect(mask.maskedCount(0) == 25)   // 24.5 rounds half away from zero
        #expect(mask.maskedCount(1) == 6)
        let s = mask.queried(seed: 3, period: 0)
        #expect(s.count == 95 - 25 - 6)
        #expect(s == s.sorted())
        #expect(Set(70..<80).isSubset(of: Set(s)) && Set(92..<95).isSubset(of: Set(s)))   // biases always queried
        #expect(s.filter { $0 < 70 }.count == 45 && s.filter { (80..<92).contains($0) }.count == 6)
        // Reproducible from (seed, period); another period or seed draws another mask.
        #expect(mask.queried(seed: 3, period: 0) == s)
        #expect(mask.queried(seed: 3, period: 1) != s)
        #expect(mask.queried(seed: 4, period: 0) != s)
    }

    @Test func maskIsRedrawnOnlyAtPeriodBoundaries() throws {
        let r = try Self.run("deepzero(lr=0.01,sparsity=0.5,ratios=uniform,mask_every=3)", steps: 7)
        #expect(r.events == ["mask:0", nil, nil, "mask:1", nil, nil, "mask:2"])
        #expect(r.queried[0] == r.queried[1] && r.queried[1] == r.queried[2])
        #expect(r.queried[3] == r.queried[4] && r.queried[4] == r.queried[5])
        #expect(r.queried[2] != r.queried[3] && r.queried[5] != r.queried[6])
        // Masked: round(19.5) = 20 of 39, round(4.5) = 5 of each 9; the 9 biases are always queried.
        #expect(r.queried[0].count == 66 - 20 - 5 - 5)
        #expect(r.counts.function == 7 * (36 + 1))
    }

    /// A plain loop from Algorithm 1: full forward passes for every query,
    /// g = 0 off S, torch SGD with momentum and L2 decay on all coordinates.
    @Test func matchesAPlainReferenceLoopBitwise() throws {
        let spec = "deepzero(lr=0.05,momentum=0.9,weight_decay=0.01,mu=0.005,sparsity=0.6,ratios=uniform,mask_every=2)"
        let steps = 5
        let fast = try Self.run(spec, steps: steps)

        let problem = try Self.problem()
        var x = problem.initialPoint
        var buffer = [Double](repeating: 0, count: x.count)
        for k in 0..<steps {
            problem.beginStep(k)
            let s = Set(fast.queried[k])
            let f0 = try problem.value(at: x)
            var g = [Double](repeating: 0, count: x.count)
            for i in x.indices where s.contains(i) {
                var probe = x
                probe[i] = x[i] + 0.005
                g[i] = (try problem.value(at: probe) - f0) / 0.005
            }
            for i in x.indices {
                let d = g[i] + 0.01 * x[i]
                buffer[i] = k == 0 ? d : 0.9 * buffer[i] + d
                x[i] -= 0.05 * buffer[i]
            }
        }
        #expect(fast.x == x)
        // A masked coordinate still moved (decay and momentum).
        let masked = Set(0..<x.count).subtracting(fast.queried[0])
        #expect(!masked.isEmpty)
        #expect(masked.allSatisfy { fast.x[$0] != problem.initialPoint[$0] || problem.initialPoint[$0] == 0 })
    }

    @Test func featureReuseAndThreadsChangeSpeedNotResults() throws {
        let base = "deepzero(lr=0.05,sparsity=0.3,ratios=uniform,mask_every=2"
        let reuse = try Self.run(base + ")", steps: 4)
        let plain = try Self.run(base + ",reuse=false)", steps: 4)
        let threaded = try Self.run(base + ",threads=2)", steps: 4)
        #expect(reuse.x == plain.x)
        #expect(reuse.x == threaded.x)
        // Block evaluations: with reuse a query of a coordinate in block b costs B − b.
        let problem = try Self.problem()
        let blocks = try #require(problem as? any BlockSequentialObjective).sequentialBlocks
        func block(_ i: Int) -> Int { blocks.firstIndex { $0.contains(i) }! }
        let b = blocks.count
        #expect(b == 3)
        let withReuse = reuse.queried.map { s in b + s.map { b - block($0) }.reduce(0, +) }.reduce(0, +)
        let without = reuse.queried.map { b * ($0.count + 1) }.reduce(0, +)
        #expect(reuse.opt.blockEvaluations == withReuse)
        #expect(plain.opt.blockEvaluations == without)
        #expect(withReuse < without)
    }

    @Test func zoGraspCountsItsQueriesAndEstimatesHgOnAQuadratic() {
        // f = ½θᵀAθ: H = A, and with common directions Hg = (1/q)Σ uuᵀ·A·g₀.
        let a: [[Double]] = [[3, 1, 0], [1, 2, 0.5], [0, 0.5, 1]]
        var calls = 0
        let f: ([Double]) -> Double = { t in
            calls += 1
            var s = 0.0
            for i in 0..<3 { for j in 0..<3 { s += 0.5 * t[i] * a[i][j] * t[j] } }
            return s
        }
        let theta = [1.0, -2.0, 0.5]
        let q = 20_000
        let hg = ZOGraSP.hessianGradient(at: theta, q: q, mu: 5e-3, seed: 11, value: f)
        #expect(calls == 2 * (q + 1))
        // g₀ ≈ ∇f = Aθ, so Hg ≈ A·Aθ within Monte-Carlo error O(√(d/q)).
        let grad = (0..<3).map { i in (0..<3).map { a[i][$0] * theta[$0] }.reduce(0, +) }
        let expected = (0..<3).map { i in (0..<3).map { a[i][$0] * grad[$0] }.reduce(0, +) }
        let err = zip(hg, expected).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let norm = expected.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(err < 0.1 * norm, "Hg \(hg) vs A²θ \(expected)")
    }

    @Test func zoGraspRatiosPruneTheRequestedShareOfAllWeights() throws {
        let problem = try Self.problem()
        let ratios = try ZOGraSP.layerRatios(at: problem.initialPoint, layout: problem.layout, sparsity: 0.6,
                                             q: 8, mu: 5e-3, seed: 2) { try problem.value(at: $0) }
        let weights = LayerwiseRandomMask.weightBlocks(problem.layout)
        #expect(weights.map(\.count) == [39, 9, 9])
        let pruned = zip(ratios, weights).map { $0 * Double($1.count) }.reduce(0, +)
        #expect(abs(pruned - 34) < 1e-9)   // round(0.6 · 57)
        #expect(ratios.allSatisfy { (0...1).contains($0) })
    }

    @Test func refusesObjectivesWithoutBlocks() throws {
        let (rosen, _) = try ProblemCatalog.shared.make("rosenbrock", seed: 0)
        #expect(throws: SpecError.self) {
            _ = try OptimizerCatalog.make("deepzero", for: rosen.capabilities, problemName: "rosenbrock")
        }
        #expect(throws: SpecError.self) { _ = try OptimizerCatalog.shared.make("deepzero(sparsity=1)") }
    }
}
