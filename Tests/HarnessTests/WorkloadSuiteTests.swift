import Harness
import Testing

/// The `default` suite runs the two large workloads with their own small budget.
@Suite struct WorkloadSuiteTests {
    @Test func defaultSuiteHasCharlmAndCnnWithASmallBudget() throws {
        let suite = try #require(try RunSet.suite("default"))
        let groups = suite.plan.groups.filter { $0.problems.contains("charlm") || $0.problems.contains("cnn(batch=128)") }
        #expect(!groups.isEmpty)
        for g in groups {
            #expect(g.budget.seconds == 1 && g.budget.steps <= 300)
            #expect(!g.optimizers.contains("bfgs") && !g.optimizers.contains("newton"))
        }
        let optimizers = Set(groups.flatMap(\.optimizers))
        #expect(optimizers.isSuperset(of: ["adamw", "adam", "lion", "adan", "kfac", "mkor"]))
        // The rest of the suite keeps its budget.
        #expect(suite.plan.groups.contains { $0.problems.contains("rosenbrock") && $0.budget.seconds == 2 })
    }
}
