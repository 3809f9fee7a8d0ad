import OptimizationCore

/// Runs a whole plan (sequentially, deterministic order) and writes its files.
public enum RunSet {
    /// Runs every (problem, optimizer, seed); `progress` gets (done, total, record).
    public static func execute(_ plan: RunPlan, runner: Runner = Runner(),
                               progress: (Int, Int, RunRecord) -> Void = { _, _, _ in }) -> [RunRecord] {
        let runs = plan.runs
        var records: [RunRecord] = []
        for (i, r) in runs.enumerated() {
            let record = runner.run(problem: r.problem, optimizer: r.optimizer, seed: r.seed, budget: plan.budget)
            records.append(record)
            progress(i + 1, runs.count, record)
        }
        return records
    }

    /// The built-in suites: `smoke` (seconds) and `demo` (the README's main job).
    public static func suite(_ name: String) -> RunPlan? {
        switch name {
        case "smoke":
            return RunPlan(problems: ["rosenbrock", "quadratic(d=20,cond=100)"],
                           optimizers: available(["adam(lr=0.01)", "sgd(lr=0.001,momentum=0.9)"]),
                           seeds: [0], budget: Budget(steps: 200))
        case "demo":
            return RunPlan(problems: ["rosenbrock(d=6)", "quadratic(d=100,cond=1e4)",
                                      "logreg(data=breast_cancer)", "mlp(data=digits)"],
                           optimizers: available(["adam(lr=0.01)", "adamw(lr=0.01)", "adan(lr=0.01)", "lion(lr=0.001)",
                                                  "grams(lr=0.01)", "exadam(lr=0.01)", "adamp(lr=0.01)",
                                                  "sgd(lr=0.01,momentum=0.9)", "cadamw(lr=0.01)", "clion(lr=0.001)",
                                                  "adam(lr=0.001)"]),
                           seeds: [0, 1, 2], budget: Budget(steps: 1000))
        default:
            return nil
        }
    }

    public static let suiteNames = ["smoke", "demo"]

    /// The specs whose optimizer the catalog knows (so suites work as optimizers land).
    static func available(_ specs: [String]) -> [String] {
        specs.filter { (try? OptimizerCatalog.shared.resolve($0)) != nil }
    }
}

import Optimizers
