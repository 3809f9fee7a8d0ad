import OptimizationCore
import Optimizers
import OptimizerTestTable
import Testing

/// Zero gradients, bad hyperparameters, schedules and thread-count independence.
struct BehaviourTests {
    /// Zero-gradient specs of every first-order method that has them (its
    /// ``FirstOrderTable`` row's `behaviour`).
    static let defaultSpecs = FirstOrderTable.rows.flatMap(\.behaviour)

    /// Thread-independence specs: the zero-gradient ones and the rows' `threads`.
    static let threadSpecs = defaultSpecs + FirstOrderTable.rows.flatMap(\.threads)

    static func make(_ spec: String) throws -> any GradientOptimizer {
        let (made, _) = try OptimizerCatalog.shared.make(spec)
        return try #require(made as? any GradientOptimizer)
    }

    @Test(arguments: defaultSpecs)
    func zeroGradientLeavesParametersUnchanged(_ spec: String) throws {
        var opt = try Self.make(spec)
        let layout = ParameterLayout([("W", [2, 3]), ("b", [3]), ("zero", [2, 2])])
        let x0: [Double] = [1, -2, 0.5, 3, 0.25, -1, 4, -5, 6, 0, 0, 0, 0]
        var x = x0
        for _ in 0..<5 {
            opt.update(&x, gradient: [Double](repeating: 0, count: x.count), layout: layout)
        }
        #expect(x == x0)
        #expect(x.allSatisfy { $0.isFinite })
        // Averaging methods (Schedule-Free) answer at x too.
        #expect(opt.evaluationPoint(x) == x0)
    }

    @Test func invalidValuesAreRejectedWithKeyValueAndRange() throws {
        let cases: [(String, String)] = [
            ("adam(beta1=1.5)", "adam: beta1=1.5 is out of range; beta1 must be a number in [0, 1)"),
            ("adan(eps=-1)", "adan: eps=-1 is out of range; eps must be a number in (0, inf)"),
            ("lion(lr=0)", "lion: lr=0 is out of range; lr must be a number in (0, inf)"),
            ("adamp(wd_ratio=2)", "adamp: wd_ratio=2 is out of range; wd_ratio must be a number in [0, 1]"),
            ("sgdp(lr=0.1,momentum=1)", "sgdp: momentum=1 is out of range; momentum must be a number in [0, 1)"),
            ("grams(weight_decay=-0.1)",
             "grams: weight_decay=-0.1 is out of range; weight_decay must be a number in [0, inf)"),
            ("adamw(schedule=cosin)",
             "adamw: schedule=cosin is not a valid choice — did you mean 'cosine'?; schedule must be one of constant|cosine|linear|step"),
            ("sgd", "sgd: missing required key 'lr' (a number in (0, inf)), e.g. sgd(lr=0.01)"),
            ("sgd(lr=0.1,nesterov=1)", "sgd: nesterov=true needs momentum in (0, 1)"),
        ]
        for (spec, message) in cases {
            #expect {
                _ = try OptimizerCatalog.shared.make(spec)
            } throws: { error in
                "\(error)" == message
            }
        }
    }

    /// Typed initialisers validate through the same descriptor; a bad value
    /// stops with the message checked here (the descriptor path does not crash).
    @Test func typedInitialiserValuesAreValidatedByTheDescriptor() {
        #expect(throws: SpecError.invalidValue(owner: "adan", key: "beta3", value: "1", reason: "is out of range",
                                               accepted: "a number in [0, 1)")) {
            _ = try Adan.descriptor.resolve(["beta3": .real(1)])
        }
        #expect(throws: SpecError.self) { _ = try CautiousLion.descriptor.resolve(["lr": .real(-1)]) }
        #expect(throws: SpecError.self) { _ = try SGDP.descriptor.resolve([:]) }   // lr required
        #expect(throws: SpecError.self) { _ = try EXAdam.descriptor.resolve(["eps": .real(.nan)]) }
        #expect(Adan(lr: 5e-3).lr == 5e-3)
        #expect(SGD(lr: 0.1).momentum == 0)
    }

    @Test func defaultsMatchTheIssue() throws {
        let adamw = try OptimizerCatalog.shared.resolve("adamw")
        #expect(adamw.double("weight_decay") == 1e-2)
        let adan = try OptimizerCatalog.shared.resolve("adan")
        #expect([adan.double("beta1"), adan.double("beta2"), adan.double("beta3")] == [0.98, 0.92, 0.99])
        #expect(try OptimizerCatalog.shared.resolve("lion").double("lr") == 1e-4)
        #expect(try OptimizerCatalog.shared.resolve("grams").double("eps") == 1e-6)
        #expect(try OptimizerCatalog.shared.resolve("sgdp(lr=1)").double("momentum") == 0.9)
        #expect(try OptimizerCatalog.shared.canonical("adan(lr=0.001,beta1=0.98)") == "adan")
    }

    @Test func scheduleValues() throws {
        let warm = LearningRateSchedule(.constant, warmup: 4)
        #expect((1...6).map { warm.multiplier(step: $0) } == [0.25, 0.5, 0.75, 1, 1, 1])
        let cosine = LearningRateSchedule(.cosine, total: 10)
        #expect(cosine.multiplier(step: 1) == 1)
        #expect(abs(cosine.multiplier(step: 6) - 0.5) < 1e-15)
        #expect(abs(cosine.multiplier(step: 10) - 0.5 * (1 + Double.cos(.pi * 0.9))) < 1e-15)
        let warmCosine = LearningRateSchedule(.cosine, warmup: 2, total: 12)
        #expect(warmCosine.multiplier(step: 2) == 1)
        #expect(warmCosine.multiplier(step: 3) == 1)
        #expect(abs(warmCosine.multiplier(step: 8) - 0.5) < 1e-15)
        let linear = LearningRateSchedule(.linear, total: 5)
        #expect(maxRelativeDifference((1...5).map { linear.multiplier(step: $0) }, [1, 0.8, 0.6, 0.4, 0.2]) < 1e-15)
        let step = LearningRateSchedule(.step, gamma: 0.5, every: 3)
        #expect((1...7).map { step.multiplier(step: $0) } == [1, 1, 1, 0.5, 0.5, 0.5, 0.25])
    }

    @Test func scheduleScalesTheStep() throws {
        var (made, _) = try OptimizerCatalog.shared.make("sgd(lr=0.5,schedule=linear,total=4)")
        try made.prepare(RunContext(layout: .flat(1)))
        var opt = try #require(made as? any GradientOptimizer)
        var x = [0.0]
        var steps: [Double] = []
        for _ in 0..<4 {
            let before = x[0]
            opt.update(&x, gradient: [1])
            steps.append(before - x[0])
            #expect(opt.currentLearningRate == before - x[0])
        }
        #expect(steps == [0.5, 0.375, 0.25, 0.125])
    }

    /// Every scheduled optimizer takes the horizon from the run (`prepare`):
    /// without one a cosine schedule is an error; with one the multiplier
    /// after prepare(totalSteps: 4) is cos-shaped, so a missing `prepare` fails.
    @Test(arguments: OptimizerTable.rows.filter { $0.checks.contains(.scheduleHorizon) }.map(\.name))
    func scheduleHorizonComesFromTheRun(_ name: String) throws {
        let spec = "\(name)(lr=1,schedule=cosine)"
        var (made, _) = try OptimizerCatalog.shared.make(spec)
        #expect(throws: SpecError.self) { try made.prepare(RunContext(layout: .flat(1))) }
        try made.prepare(RunContext(layout: .flat(1), totalSteps: 4))
        let scheduled = try #require(made as? any Scheduled)
        #expect(abs(scheduled.schedule.multiplier(step: 3) - 0.5) < 1e-15, "\(name)")
    }

    /// Every first-order row names at least one thread spec (a new method
    /// cannot skip the check), and only specs of its own method.
    @Test func everyFirstOrderMethodHasThreadSpecs() throws {
        for row in FirstOrderTable.rows {
            let specs = row.behaviour + row.threads
            #expect(!specs.isEmpty, "\(row.name) has no thread-independence spec")
            for spec in specs { #expect(try SpecString(parsing: spec).name == row.name, "\(spec)") }
        }
    }

    /// Two threads give bit-identical results to one (vectors large enough to split,
    /// several blocks, matrix blocks for the per-block methods; Prodigy's two
    /// global sums and MARS's per-block norms are reductions), on two layouts.
    @Test(arguments: threadSpecs)
    func threadsAreBitIdentical(_ spec: String) throws {
        // Gradient partly aligned with W so AdamP/SGDP take different branches.
        let layout = ParameterLayout([("W1", [300, 400]), ("b1", [300]), ("W2", [17, 3000]), ("v", [70_000])])
        try Self.threadsAgree(spec, layout: layout, seed: 7, steps: 3, alignment: 0.5)
        try Self.threadsAgree(spec, layout: layout, seed: 11, steps: 4, alignment: 0.5)
        // A tall matrix with many row chunks, a wide one with several column
        // chunks, a 3-D block (a stack of matrices; Adafactor's row/column
        // sums) and a scalar.
        let shapes = ParameterLayout([("tall", [20_000, 5]), ("wide", [3, 30_000]), ("stack", [4, 50, 70]), ("s", [])])
        try Self.threadsAgree(spec, layout: shapes, seed: 11, steps: 3, alignment: 0)
    }

    /// `steps` steps with one thread and with two from the same random point
    /// and gradients (after the first step, `alignment`·x is added to the
    /// gradient): the iterates, evaluation points and rates agree bit for bit.
    static func threadsAgree(_ spec: String, layout: ParameterLayout, seed: UInt64, steps: Int,
                             alignment: Double) throws {
        let n = layout.dimension
        var rng = SplitMixForTests(seed: seed)
        let x0 = (0..<n).map { _ in rng.nextSigned() }
        var one = try Self.make(spec), two = try Self.make(spec)
        var parallel = try #require(two as? any ThreadedUpdate)
        parallel.threads = 2
        two = try #require(parallel as? any GradientOptimizer)
        var (x, y) = (x0, x0)
        for step in 0..<steps {
            let g = (0..<n).map { i in rng.nextSigned() + (step == 0 || alignment == 0 ? 0 : alignment * x[i]) }
            one.update(&x, gradient: g, layout: layout)
            two.update(&y, gradient: g, layout: layout)
        }
        #expect(x == y, "\(spec)")
        #expect(x != x0, "\(spec)")
        #expect(one.evaluationPoint(x) == two.evaluationPoint(y), "\(spec)")
        #expect(one.currentLearningRate == two.currentLearningRate, "\(spec)")
    }
}

/// A tiny deterministic generator for test data (SplitMix64).
struct SplitMixForTests {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextSigned() -> Double { Double(next() >> 11) * 0x1p-52 - 1 }
}
