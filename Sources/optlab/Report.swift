import ArgumentParser
import Plotting

extension OptLab {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a self-contained HTML report (and summary.md) for a run directory.",
            discussion: """
            Reads DIR/traces.csv, DIR/summary.csv and DIR/manifest.json; writes
            DIR/plots/*.svg, DIR/report.html (or --out) and DIR/summary.md, and
            prints the ranked table.
            """)

        @Argument(help: "Run directory written by optlab run or compare.")
        var directory: String

        @Option(help: "HTML file to write (default: DIR/report.html).")
        var out: String?

        func validate() throws {
            if let out, !out.hasSuffix(".html") { throw ValidationError("--out must name an .html file, got '\(out)'") }
        }

        func run() throws {
            do {
                let written = try RunReport.write(directory: directory, htmlPath: out)
                print(try RunReport.rankedTable(directory: directory), terminator: "")
                for path in written where path.hasSuffix(".html") || path.hasSuffix(".md") { print("wrote \(path)") }
            } catch {
                throw fail(error)
            }
        }
    }
}
