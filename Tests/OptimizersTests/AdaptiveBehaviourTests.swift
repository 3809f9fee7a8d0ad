import OptimizationCore
import Optimizers
import Testing

/// Zero gradients, thread-count independence, key names and defaults of the
/// adaptive methods of issue 18 (adopt, ademamix, mars, schedulefree_*, prodigy).
struct AdaptiveBehaviourTests {
    static let specs = ["adopt", "adopt(decouple=1,weight_decay=0.1)", "ademamix", "ademamix(alpha_warmup=3,beta3_warmup=3)",
                        "mars(weight_decay_1d=0)", "mars(variant=lion,weight_decay_1d=0)", "mars(optimize_1d=1)",
                        "schedulefree_adamw", "schedulefree_sgd(lr=0.01)", "prodigy", "prodigy(beta1=0,decouple=0)"]

    /// (Decay variants move θ without a gradient, as they should.)
    @Test(arguments: specs.filter { !$0.contains("weight_decay=0.1") })
    func zeroGradientLeavesParametersUnchanged(_ spec: String) throws {
        var opt = try BehaviourTests.make(spec)
        let layout = ParameterLayout([("W", [2, 3]), ("b", [3]), ("zero", [2, 2])])
        let x0: [Double] = [1, -2, 0.5, 3, 0.25, -1, 4, -5, 6, 0, 0, 0, 0]
        var x = x0
        for _ in 0..<5 { opt.update(&x, gradient: [Double](repeating: 0, count: x.count), layout: layout) }
        #expect(x == x0)
        #expect(opt.evaluationPoint(x) == x0)
    }

    /// Two threads give bit-identical results to one: the vector is large enough to
    /// split, and Prodigy's two global sums and MARS's per-block norms are reductions.
    @Test(arguments: specs + ["mars", "mars(lr=0.01,variant=lion,weight_decay=0.1)",
                              "prodigy(use_bias_correction=1,weight_decay=0.01)", "schedulefree_adamw(weight_decay=0.1)"])
    func threadsAreBitIdentical(_ spec: String) throws {
        let layout = ParameterLayout([("W1", [300, 400]), ("b1", [300]), ("W2", [17, 3000]), ("v", [70_000])])
        let n = layout.dimension
        var rng = SplitMixForTests(seed: 11)
        let x0 = (0..<n).map { _ in rng.nextSigned() }
        var one = try BehaviourTests.make(spec), two = try BehaviourTests.make(spec)
        var parallel = try #require(two as? any ThreadedUpdate)
        parallel.threads = 2
        two = try #require(parallel as? any GradientOptimizer)
        var (x, y) = (x0, x0)
        for step in 0..<4 {
            let g = (0..<n).map { i in rng.nextSigned() + (step == 0 ? 0 : 0.5 * x[i]) }
            one.update(&x, gradient: g, layout: layout)
            two.update(&y, gradient: g, layout: layout)
        }
        #expect(x == y)
        #expect(x != x0)
        #expect(one.evaluationPoint(x) == two.evaluationPoint(y))
        #expect(one.currentLearningRate == two.currentLearningRate)
    }

    /// A key listed twice would silently take one value for both meanings
    /// (MARS's `gamma` met the step schedule's `gamma`): every first-order
    /// descriptor has distinct key names.
    @Test func keyNamesAreDistinct() throws {
        for name in OptimizerCatalog.firstOrderNames {
            let keys = try OptimizerCatalog.shared.entry(named: name).descriptor.hyperparameters.map(\.name)
            #expect(Set(keys).count == keys.count, "\(name): \(keys)")
        }
        let mars = try OptimizerCatalog.shared.resolve("mars(schedule=step,schedule_gamma=0.5)")
        #expect(mars.double("gamma") == 0.025 && mars.double("schedule_gamma") == 0.5)
        #expect(MARS(schedule: LearningRateSchedule(.step, gamma: 0.5, every: 2)).schedule.gamma == 0.5)
    }

    @Test func defaultsMatchTheIssue() throws {
        let r = { (spec: String) in try OptimizerCatalog.shared.resolve(spec) }
        let adopt = try r("adopt")
        #expect([adopt.double("lr"), adopt.double("beta1"), adopt.double("beta2"), adopt.double("eps")] == [1e-3, 0.9, 0.9999, 1e-6])
        #expect(adopt.double("weight_decay") == 0 && !adopt.bool("decouple"))
        let ademamix = try r("ademamix")
        #expect([ademamix.double("beta1"), ademamix.double("beta2"), ademamix.double("beta3"), ademamix.double("alpha")]
                == [0.9, 0.999, 0.9999, 2])
        #expect(ademamix.optionalInt("beta3_warmup") == nil && ademamix.optionalInt("alpha_warmup") == nil)
        let mars = try r("mars")
        #expect([mars.double("lr"), mars.double("beta1"), mars.double("beta2"), mars.double("gamma")] == [0.003, 0.95, 0.99, 0.025])
        #expect([mars.double("lr_1d"), mars.double("beta1_1d"), mars.double("beta2_1d"), mars.double("weight_decay_1d")]
                == [0.003, 0.9, 0.95, 0.1])
        #expect(mars.string("variant") == "adamw" && mars.bool("approx") && !mars.bool("optimize_1d"))
        let sfa = try r("schedulefree_adamw")
        #expect([sfa.double("lr"), sfa.double("beta1"), sfa.double("beta2"), sfa.double("eps"), sfa.double("r"),
                 sfa.double("weight_lr_power")] == [0.0025, 0.9, 0.999, 1e-8, 0, 2])
        #expect(sfa.int("warmup_steps") == 0)
        let sfs = try r("schedulefree_sgd")
        #expect([sfs.double("lr"), sfs.double("momentum")] == [1, 0.9])
        let prodigy = Prodigy()
        #expect(prodigy.lr == 1 && prodigy.beta3 == 0.999.squareRoot() && prodigy.d0 == 1e-6 && prodigy.growthRate == .infinity)
        #expect(prodigy.decouple && !prodigy.useBiasCorrection && !prodigy.safeguardWarmup && prodigy.dCoef == 1)
        #expect(try OptimizerCatalog.shared.canonical("prodigy(beta3=0.5,growth_rate=2)") == "prodigy(beta3=0.5,growth_rate=2)")
    }

    @Test func invalidValuesAreRejected() {
        for spec in ["schedulefree_sgd(momentum=0)", "schedulefree_adamw(beta1=0)", "mars(variant=shampoo)",
                     "prodigy(d0=0)", "ademamix(alpha_warmup=0)", "prodigy(growth_rate=inf)"] {
            #expect(throws: SpecError.self, "\(spec)") { _ = try OptimizerCatalog.shared.make(spec) }
        }
    }
}
