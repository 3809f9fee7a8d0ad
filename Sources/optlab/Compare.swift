import ArgumentParser
import Harness
import Plotting

extension OptLab {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run, then rank the optimizers and write plots and report.html.",
            discussion: """
            Same flags as `run`, plus --suite. Explicit --problem/--optimizer/--steps
            flags override the suite's. Example: optlab compare --suite demo --out Reports/demo
            """)

        @OptionGroup var options: RunOptions

        @Option(help: "A built-in suite: \(RunSet.suiteNames.joined(separator: ", ")).")
        var suite: String?

        func run() throws {
            var base: RunPlan?
            if let suite {
                guard let s = RunSet.suite(suite) else {
                    throw fail(ValidationError("unknown suite '\(suite)'; suites: \(RunSet.suiteNames.joined(separator: ", "))"))
                }
                base = s
            }
            let plan: RunPlan
            do { plan = try options.plan(base: base) } catch let e as ValidationError { throw e } catch { throw fail(error) }
            let directory = options.outputDirectory
            let records = try options.execute(plan, directory: directory)
            do {
                print(try RunReport.rankedTable(directory: directory))
                let written = try RunReport.write(directory: directory)
                print("report: \(written.first { $0.hasSuffix(".html") } ?? directory + "/report.html")")
            } catch {
                printError("optlab: error: the runs are in \(directory)/, but the report failed: \(error)")
                throw ExitCode(1)
            }
            if let code = options.exitStatus(records) { throw code }
        }
    }
}
