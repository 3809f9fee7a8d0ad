import Foundation
import Testing
import Harness
@testable import Plotting

/// Issue 16 §7: a traces.csv made by another tool (only run_id, problem,
/// optimizer, seed, step, loss; optionally counts and time) is reported, and
/// merged, without a summary.csv.
@Suite("foreign traces: report derives the summary; merge accepts extra columns")
struct ForeignTraceTests {
    /// Two optimizers on one problem, two seeds; "slow" never gets below 0.5.
    static func foreignTraces(counts: Bool, extra: Bool = false) -> String {
        var header = ["run_id", "problem", "optimizer", "seed", "step", "loss"]
        if counts { header += ["grad_evals", "time_s"] }
        if extra { header += ["wall_clock"] }
        var text = header.joined(separator: ",") + "\n"
        for (o, rate, floor) in [("fast", 0.5, 0.0), ("slow", 0.9, 0.5)] {
            for seed in 0..<2 {
                for step in 0...20 {
                    let loss = floor + pow(rate, Double(step))
                    var row = ["\(o)-\(seed)", "quad", o, "\(seed)", "\(step)", "\(loss)"]
                    if counts { row += ["\(step)", "\(Double(step) * 0.001)"] }
                    if extra { row += ["t\(step)"] }
                    text += row.joined(separator: ",") + "\n"
                }
            }
        }
        return text
    }

    @Test("report on a minimal foreign trace: summary derived, cost = step, no time figures", arguments: [false, true])
    func reportDerivesSummary(counts: Bool) throws {
        let dir = Fixtures.temporaryDirectory("foreign")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.foreignTraces(counts: counts).write(toFile: dir + "/traces.csv", atomically: true, encoding: .utf8)
        let written = try RunReport.write(directory: dir)
        #expect(written.contains(dir + "/report.html") && written.contains(dir + "/summary.md"))
        #expect(written.contains { $0.hasSuffix("convergence-time-all.svg") } == counts, "\(written)")
        let run = try RunDirectory(path: dir)
        #expect(run.summaryDerived && run.summaries.count == 4)
        let fast = try #require(run.summaries.first { $0.runID == "fast-0" })
        #expect(fast.status == "budget" && fast.finalLoss == pow(0.5, 20) && fast.bestLoss == pow(0.5, 20))
        #expect(fast.f0 == 1 && fast.steps == 20 && fast.fStar == nil)
        // cost: 2·grad_evals with counts, else the step.
        #expect(fast.cost == (counts ? 40 : 20))
        #expect(run.traces["slow-1"]?.bestLoss.last == 0.5 + pow(0.9, 20))
        let table = try RunReport.rankedTable(directory: dir)
        let first = try #require(table.split(separator: "\n").first { $0.contains("  1  ") })
        #expect(first.contains("fast"), "\(table)")
        #expect(table.contains("quad  [—, n unknown, f* unknown: values are losses]"), "\(table)")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("derived from traces.csv"))
    }

    @Test("a foreign trace without a required column names it")
    func missingRequiredColumn() throws {
        let dir = Fixtures.temporaryDirectory("foreign-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "run_id,problem,optimizer,seed,loss\na,quad,x,0,1\n".write(toFile: dir + "/traces.csv", atomically: true, encoding: .utf8)
        #expect { _ = try RunDirectory(path: dir) } throws: { "\($0)".contains("missing column 'step'") }
    }

    @Test("merge accepts foreign traces and extra columns, and keeps the extra columns")
    func mergeExtraColumns() throws {
        let a = Fixtures.temporaryDirectory("merge-a"), b = Fixtures.temporaryDirectory("merge-b")
        let out = Fixtures.temporaryDirectory("merge-out")
        defer { for d in [a, b, out] { try? FileManager.default.removeItem(atPath: d) } }
        try Fixtures.writeRunDirectory(a)
        // The lab's own files with one extra trace column appended.
        let labTraces = try String(contentsOfFile: a + "/traces.csv", encoding: .utf8)
        let lines = labTraces.split(separator: "\n")
        let withExtra = ([lines[0] + ",note"] + lines.dropFirst().map { $0 + ",n" }).joined(separator: "\n") + "\n"
        try withExtra.write(toFile: a + "/traces.csv", atomically: true, encoding: .utf8)
        try Self.foreignTraces(counts: true, extra: true).write(toFile: b + "/traces.csv", atomically: true, encoding: .utf8)
        let labRuns = try RunDirectory(path: a).summaries.count
        let n = try RunSetMerger.merge([a, b], into: out, command: ["test"])
        #expect(n == labRuns + 4)
        let merged = try RunDirectory(path: out)
        #expect(!merged.summaryDerived && merged.summaries.count == labRuns + 4)
        let header = try String(contentsOfFile: out + "/traces.csv", encoding: .utf8).split(separator: "\n")[0]
        #expect(header == (RunSetWriter.traceHeader + ["note", "wall_clock"]).joined(separator: ","))
        let table = merged.traceTable
        #expect(table.rows.count == lines.count - 1 + 4 * 21)
        _ = try RunReport.write(directory: out)
    }
}
