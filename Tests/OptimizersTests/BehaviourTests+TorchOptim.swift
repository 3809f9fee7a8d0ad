import OptimizationCore
import Optimizers
import Testing

/// BehaviourTests' checks for the torch.optim family (zero gradient, thread
/// independence), plus its spec errors and defaults.
extension BehaviourTests {
    static let torchOptimSpecs = [
        "adagrad", "adagrad(initial_accumulator_value=0.1,lr_decay=0.01)", "rmsprop",
        "rmsprop(centered=1,momentum=0.9)", "adadelta", "adamax", "nadam", "nadam(decoupled_weight_decay=1)",
        "radam", "adafactor", "adafactor(d=2,eps1=1e-30)", "rprop",
    ]

    @Test(arguments: torchOptimSpecs)
    func torchOptimZeroGradientLeavesParametersUnchanged(_ spec: String) throws {
        try zeroGradientLeavesParametersUnchanged(spec)
    }

    /// Large enough to split across two threads, several matrix blocks of
    /// different shapes (adafactor's row/column sums) and vector blocks.
    @Test(arguments: torchOptimSpecs + ["rmsprop(centered=1,weight_decay=0.01)", "radam(decoupled_weight_decay=1,weight_decay=0.1)",
                                        "adafactor(weight_decay=0.1)", "nadam(weight_decay=0.01)",
                                        "asgd", "asgd(t0=0,weight_decay=0.01)"])
    func torchOptimThreadsAreBitIdentical(_ spec: String) throws {
        try threadsAreBitIdentical(spec)
        // A tall matrix with many row chunks, a wide one with several column
        // chunks, a 3-D block (a stack of matrices) and a scalar.
        let layout = ParameterLayout([("tall", [20_000, 5]), ("wide", [3, 30_000]), ("stack", [4, 50, 70]), ("s", [])])
        let n = layout.dimension
        var rng = SplitMixForTests(seed: 11)
        let x0 = (0..<n).map { _ in rng.nextSigned() }
        var one = try Self.make(spec), two = try Self.make(spec)
        var parallel = try #require(two as? any ThreadedUpdate)
        parallel.threads = 2
        two = try #require(parallel as? any GradientOptimizer)
        var (x, y) = (x0, x0)
        for _ in 0..<3 {
            let g = (0..<n).map { _ in rng.nextSigned() }
            one.update(&x, gradient: g, layout: layout)
            two.update(&y, gradient: g, layout: layout)
        }
        #expect(x == y)
        #expect(x != x0)
    }

    @Test func torchOptimDefaultsAreTorchs() throws {
        let c = OptimizerCatalog.shared
        let adagrad = try c.resolve("adagrad")
        #expect([adagrad.double("lr"), adagrad.double("lr_decay"), adagrad.double("weight_decay"),
                 adagrad.double("initial_accumulator_value"), adagrad.double("eps")] == [0.01, 0, 0, 0, 1e-10])
        let rmsprop = try c.resolve("rmsprop")
        #expect([rmsprop.double("lr"), rmsprop.double("alpha"), rmsprop.double("eps"), rmsprop.double("momentum")]
                == [0.01, 0.99, 1e-8, 0])
        #expect(!rmsprop.bool("centered"))
        let adadelta = try c.resolve("adadelta")
        #expect([adadelta.double("lr"), adadelta.double("rho"), adadelta.double("eps")] == [1, 0.9, 1e-6])
        let adamax = try c.resolve("adamax")
        #expect([adamax.double("lr"), adamax.double("beta1"), adamax.double("beta2"), adamax.double("eps")]
                == [0.002, 0.9, 0.999, 1e-8])
        let nadam = try c.resolve("nadam")
        #expect([nadam.double("lr"), nadam.double("momentum_decay")] == [0.002, 0.004])
        #expect(!nadam.bool("decoupled_weight_decay"))
        let radam = try c.resolve("radam")
        #expect([radam.double("lr"), radam.double("beta2"), radam.double("eps")] == [0.001, 0.999, 1e-8])
        let adafactor = try c.resolve("adafactor")
        #expect([adafactor.double("lr"), adafactor.double("beta2_decay"), adafactor.double("eps2"), adafactor.double("d")]
                == [0.01, -0.8, 0.001, 1])
        #expect(adafactor.optionalDouble("eps1") == nil)
        #expect(Adafactor().eps1 == nil)
        let rprop = try c.resolve("rprop")
        #expect([rprop.double("lr"), rprop.double("eta_minus"), rprop.double("eta_plus"), rprop.double("step_min"),
                 rprop.double("step_max")] == [0.01, 0.5, 1.2, 1e-6, 50])
    }

    @Test func torchOptimInvalidValuesAreRejected() throws {
        let cases: [(String, String)] = [
            ("rprop(eta_plus=0.9)", "rprop: eta_plus=0.9 is out of range; eta_plus must be a number in (1, inf)"),
            ("rprop(step_min=2,step_max=1)", "rprop: step_min=2 must not exceed step_max=1"),
            ("adafactor(beta2_decay=0.5)",
             "adafactor: beta2_decay=0.5 is out of range; beta2_decay must be a number in (-inf, 0]"),
            ("adafactor(d=0.5)", "adafactor: d=0.5 is out of range; d must be a number in [1, inf)"),
            ("rmsprop(alpha=1.5)", "rmsprop: alpha=1.5 is out of range; alpha must be a number in [0, 1]"),
            ("nadam(decoupled_weight_decay=maybe)",
             "nadam: decoupled_weight_decay=maybe is not a boolean; decoupled_weight_decay must be true/false/1/0"),
        ]
        for (spec, message) in cases {
            #expect(throws: (any Error).self, "\(spec)") { _ = try OptimizerCatalog.shared.make(spec) }
            do {
                _ = try OptimizerCatalog.shared.make(spec)
            } catch {
                #expect("\(error)" == message)
            }
        }
    }
}
