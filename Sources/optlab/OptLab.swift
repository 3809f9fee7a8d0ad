import ArgumentParser
import Benchmarks
import Foundation
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
                      Report.self, Merge.self, Bench.self, Eval.self, Export.self])

    /// Like `ParsableCommand.main()`, but a usage error (unknown flag, a
    /// value that does not parse) exits with status 2 like every other bad
    /// input of the lab, instead of the parser's 64, so scripts test one code.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
