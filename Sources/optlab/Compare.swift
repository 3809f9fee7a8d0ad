import ArgumentParser
import Benchmarks
import Foundation
import Harness
import Plotting

extension OptLab {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run, then rank the optimizers and write plots and report.html.",
            discussion: """
            Same flags as `run`, plus --suite. Explicit --problem/--optimizer/--steps/…
            flags override the suite's. Suites: smoke (seconds), demo (the README's
            main job, a few minutes), default (benchmarking suite, a few minutes on
            2 cores), full (every problem, more seeds). Optimizers a suite names
            that the catalog does not know stop the command with an error.
            Example: optlab compare --suite demo --out Reports/demo
            """)

        @OptionGroup var options: RunOptions

        @Option(help: "A built-in suite: \(RunSet.suiteNames.joined(separator: ", ")).")
        var suite: String?

        @Option(help: "Dimensions of the bbob suites, e.g. 2,5,10 (default 2,3,5).")
        var dims: String?

        func run() throws {
            let directory: String
            let outcomes: [RunOutcome]
            do {
                var base: RunPlan?
                if let suite { base = try suitePlan(suite, dims: dims, options: options) }
                let plan = try options.plan(base: base)
                directory = options.outputDirectory()
                outcomes = try options.execute(plan, directory: directory)
            } catch {
                throw fail(error)
            }
            print(options.report(outcomes, directory: directory))
            if let first = outcomes.first, outcomes.allSatisfy({ $0.status == .error }) {
                printError("optlab: error: every run failed (\(outcomes.count) of \(outcomes.count)), so there is nothing to rank or plot; "
                           + "e.g. \(first.problem) × \(first.optimizer) seed \(first.seed): \(first.reason)")
                throw ExitCode(1)
            }
            do {
                print(try RunReport.rankedTable(directory: directory))
                let written = try RunReport.write(directory: directory)
                print("report: \(written.first { $0.hasSuffix(".html") } ?? directory + "/report.html")")
            } catch {
                printError("optlab: error: the runs are in \(directory)/, but the report failed: \(error)")
                throw ExitCode(1)
            }
            if let code = options.exitStatus(outcomes) { throw code }
        }
    }
}

/// `--dims 2,5,10`: dimensions in COCO's range 2…40.
func parseDimensions(_ text: String) throws -> [Int] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.map { Int($0) }
    guard !parts.isEmpty, values.allSatisfy({ $0 != nil && (2...40).contains($0!) }) else {
        throw HarnessError("--dims '\(text)' is not a comma-separated list of dimensions in 2…40, e.g. 2,5,10")
    }
    return values.map { $0! }
}

/// The plan of a built-in suite (`--suite`, with `--dims` for the bbob suites); prints the suite's notes.
func suitePlan(_ suite: String, dims: String?, options: RunOptions) throws -> RunPlan {
    let dimensions = try dims.map(parseDimensions)
    if dimensions != nil && !suite.hasPrefix("bbob") {
        throw HarnessError("--dims applies to the bbob suites only (bbob, bbob-small)")
    }
    guard let s = try RunSet.suite(suite, dimensions: dimensions, evaluationsPerDimension: options.maxEvalsPerDim) else {
        throw HarnessError("unknown suite '\(suite)'; suites: \(RunSet.suiteNames.joined(separator: ", "))")
    }
    if !options.quiet { for note in s.notes { printError("optlab: note: \(note)") } }
    return s.plan
}
