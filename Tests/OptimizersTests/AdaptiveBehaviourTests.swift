import OptimizationCore
import Optimizers
import Testing

/// Key names and defaults of the adaptive methods of issue 18 (adopt,
/// ademamix, mars, schedulefree_*, prodigy); their zero-gradient and thread
/// specs sit on their ``FirstOrderTable`` rows (`BehaviourTests`).
struct AdaptiveBehaviourTests {
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
