import ArgumentParser
import Harness

/// `optlab`: compare, tune and plot optimization algorithms.
@main
struct OptLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optlab",
        abstract: "OptimizerLab: compare optimization algorithms on test problems, with traces and plots.",
        discussion: """
        Optimizers and problems are named by spec strings: `name` or
        `name(key=value,...)`, e.g. `adam(lr=1e-3)` or `rosenbrock(d=6)`.
        `optlab list optimizers` and `optlab list problems` show every name,
        key and default.
        """,
        version: labVersion,
        subcommands: [List.self, SpecCommand.self, Describe.self, Run.self, Compare.self, Tune.self, Plot.self,
                      Report.self, Merge.self, Bench.self])
}
