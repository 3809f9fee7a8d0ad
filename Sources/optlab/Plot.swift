import ArgumentParser
import Benchmarks
import Foundation
import Plotting

extension OptLab {
    struct Plot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw convergence plots (SVG) from trace CSV files.",
            discussion: """
            Any CSV with the columns problem, optimizer, seed and the chosen x and
            y columns works. One panel per problem, one line per optimizer: the
            median over seeds with a min–max band. Default x: f_evals when all
            gradient/Hessian counts are zero, else step. Default y: gap when the
            files have it, else loss; log y unless --linear-y.
            """)

        enum XColumn: String, ExpressibleByArgument, CaseIterable {
            case step, f_evals, grad_evals, hvp_evals, hess_evals, cost, time_s
        }

        enum YColumn: String, ExpressibleByArgument, CaseIterable {
            case loss, gap, best_loss, grad_norm, test_metric
        }

        @Argument(help: "Trace CSV files (e.g. DIR/traces.csv).")
        var files: [String]

        @Option(help: "x column: step, f_evals, grad_evals, hvp_evals, hess_evals, cost or time_s.")
        var x: XColumn?

        @Option(help: "y column: loss, gap, best_loss, grad_norm or test_metric.")
        var y: YColumn?

        @Flag(help: "Logarithmic x axis.")
        var logX = false

        @Flag(help: "Logarithmic y axis (the default).")
        var logY = false

        @Flag(help: "Linear y axis instead of the default log axis.")
        var linearY = false

        @Option(parsing: .upToNextOption, help: "Only these problems (canonical spec strings as in the CSV).")
        var problem: [String] = []

        @Option(parsing: .upToNextOption, help: "Only these optimizers (canonical spec strings as in the CSV).")
        var optimizer: [String] = []

        @Option(help: "Figure title (default: what is plotted and the file names).")
        var title: String?

        @Option(help: "Output SVG file.")
        var out: String

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one CSV file") }
            if logY && linearY { throw ValidationError("--log-y and --linear-y exclude each other") }
            if !out.hasSuffix(".svg") { throw ValidationError("--out must name an .svg file, got '\(out)'") }
        }

        func run() throws {
            do {
                let svg = try RunReport.convergencePlot(
                    files: files,
                    selection: TraceSelection(x: x?.rawValue, y: y?.rawValue, problems: problem, optimizers: optimizer),
                    logX: logX, logY: !linearY, title: title)
                try writeText(svg, to: out)
                print("wrote \(out)")
            } catch {
                throw fail(error)
            }
        }
    }
}
