import Testing
import LinearAlgebra
import OptimizationCore
import Optimizers

/// Settings that belong to the run, not to a method's spec: the seed (one
/// channel, given when the optimizer is made) and the thread count (the
/// harness's `--threads` through ``ThreadedUpdate``, never a spec key).
@Suite("Run settings: one seed channel, threads not a key")
struct RunSettingTests {
    @Test("no optimizer declares a threads key; deepzero(threads=2) is refused like any unknown key")
    func threadsIsNoKey() throws {
        for descriptor in OptimizerCatalog.shared.descriptors {
            #expect(!descriptor.hyperparameters.contains { $0.name == "threads" }, "\(descriptor.name)")
        }
        #expect(throws: SpecError.self) { _ = try OptimizerCatalog.shared.make("deepzero(threads=2)") }
        var deepZero = try #require(try OptimizerCatalog.shared.make("deepzero").0 as? DeepZero)
        #expect(deepZero.threads == 1)
        deepZero.threads = 3   // what the harness does through ThreadedUpdate
        #expect((deepZero as any ThreadedUpdate).threads == 3)
    }

    @Test("the factory's seed drives a method that used to take it from prepare (Sophia's sampled labels)")
    func seedComesFromTheFactory() throws {
        var sophia = try #require(try OptimizerCatalog.shared.make("sophia", seed: 3).0 as? Sophia)
        #expect(sophia.labelSeed(step: 5) == SplitMix64.derive(3, 5))
        try sophia.prepare(RunContext(layout: .flat(2), totalSteps: 10))
        #expect(sophia.labelSeed(step: 5) == SplitMix64.derive(3, 5))
        let other = try #require(try OptimizerCatalog.shared.make("sophia", seed: 4).0 as? Sophia)
        #expect(other.labelSeed(step: 5) != sophia.labelSeed(step: 5))
    }
}
