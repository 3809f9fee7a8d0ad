import OptimizationCore
import Optimizers
import Testing

/// BehaviourTests' checks for the torch.optim family: its spec errors and
/// defaults (its zero-gradient and thread specs sit on its ``FirstOrderTable`` rows).
extension BehaviourTests {
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
