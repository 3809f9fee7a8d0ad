import ArgumentParser
import Benchmarks
import Plotting

extension OptLab {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a self-contained HTML report (and summary.md) for a run directory.",
            discussion: """
            Reads DIR/traces.csv, DIR/summary.csv and DIR/manifest.json; writes
            DIR/plots/*.svg, DIR/report.html (or --out) and DIR/summary.md, and
            prints the ranked table. On problems with known f* it adds the runtime
            ECDF over 51 gap targets (1e2 … 1e-8, 5 per decade), ERT tables,
            fixed-budget curves and pairwise Mann–Whitney tests (DIR/ert.csv,
            DIR/significance.csv); --x chooses the runtime: cost (default),
            f_evals-per-dim (function evaluations / dimension, as COCO) or time.
            """)

        @Argument(help: "Run directory written by optlab run or compare.")
        var directory: String

        @Option(help: "HTML file to write (default: DIR/report.html).")
        var out: String?

        @Option(name: .customLong("x"), help: "Runtime of the ECDF, ERT and tests: cost, f_evals-per-dim or time.")
        var runtime: String = "cost"

        func validate() throws {
            if RuntimeMeasure(rawValue: runtime) == nil {
                throw ValidationError("--x must be one of \(RuntimeMeasure.allCases.map(\.rawValue).joined(separator: ", ")), got '\(runtime)'")
            }
            if let out, !out.hasSuffix(".html") { throw ValidationError("--out must name an .html file, got '\(out)'") }
        }

        func run() throws {
            do {
                let written = try RunReport.write(directory: directory, htmlPath: out, measure: RuntimeMeasure(rawValue: runtime) ?? .cost)
                print(try RunReport.rankedTable(directory: directory), terminator: "")
                for path in written where path.hasSuffix(".html") || path.hasSuffix(".md") { print("wrote \(path)") }
            } catch {
                throw fail(error)
            }
        }
    }
}
