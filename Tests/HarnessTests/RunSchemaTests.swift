import Foundation
import Testing
import Harness
import OptimizationCore

/// One CSV schema for run sets: the harness writes it, and the harness
/// (`RunOutcome`) and the reports read summaries with the same parser.
@Suite("Run-set schema")
struct RunSchemaTests {
    @Test("a written summary row reads back through RunSummary, the parser the reports use")
    func summaryRoundTrip() throws {
        let r = Runner(source: testSource).run(problem: "bowl", optimizer: "gd", seed: 7,
                                                  budget: Budget(steps: 1000, targetGap: 1e-6))
        let table = try CSV.parse(CSV.line(RunSchema.summaryColumns) + RunSetWriter.summaryLine(r), source: "s")
        #expect(table.header == RunSetWriter.summaryHeader)
        let summary = try #require(try RunSummary.read(table).first)
        #expect(summary.runID == r.runID && summary.seed == "7" && summary.dim == 2)
        #expect(summary.runStatus == .converged && summary.status == "converged")
        #expect(summary.finalLoss == r.rows.last?.loss && summary.costToTarget == 156)
    }

    @Test("a status the schema does not know reads as error; a bad dim names its column")
    func statusAndErrors() throws {
        var row = [String](repeating: "", count: RunSchema.summaryColumns.count)
        row[RunSchema.summaryColumns.firstIndex(of: "status")!] = "exploded"
        row[RunSchema.summaryColumns.firstIndex(of: "dim")!] = "3"
        let ok = try CSV.parse(CSV.line(RunSchema.summaryColumns) + CSV.line(row), source: "s")
        #expect(try RunSummary.read(ok).first?.runStatus == .error)
        row[RunSchema.summaryColumns.firstIndex(of: "dim")!] = "-1"
        let bad = try CSV.parse(CSV.line(RunSchema.summaryColumns) + CSV.line(row), source: "s")
        #expect(throws: CSVError.self) { try RunSummary.read(bad) }
    }

    /// Plotting reads run directories through the core schema only: no edge to Harness.
    @Test("Plotting depends on neither the Harness target nor its module")
    func plottingDoesNotImportHarness() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        // The target (not the product of the same name): `name: "Plotting",` followed by its dependencies.
        let target = try #require(manifest.range(of: #"name: "Plotting",\s*dependencies:"#, options: .regularExpression))
        let dependencies = manifest[target.upperBound...].prefix { $0 != "]" }
        #expect(dependencies.contains("OptimizationCore") && !dependencies.contains("Harness"))
        let plotting = root.appendingPathComponent("Sources/Plotting")
        let files = FileManager.default.enumerator(atPath: plotting.path)?.compactMap { $0 as? String } ?? []
        #expect(files.contains { $0.hasSuffix(".swift") })
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: plotting.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("import Harness"), "\(file) imports Harness")
        }
    }
}
