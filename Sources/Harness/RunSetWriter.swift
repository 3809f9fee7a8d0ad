import Foundation
import OptimizationCore

/// Writes a run set's files: `traces.csv`, `summary.csv`, `manifest.json`.
/// Each file is written to a temporary name and renamed into place, so a
/// killed process never leaves a truncated file that looks complete.
public enum RunSetWriter {
    /// The trace columns (``RunSchema/traceColumns``).
    public static var traceHeader: [String] { RunSchema.traceColumns }
    /// The summary columns (``RunSchema/summaryColumns``).
    public static var summaryHeader: [String] { RunSchema.summaryColumns }

    static func opt(_ x: Double?) -> String { x.map(CSV.format) ?? "" }

    public static func traceLines(_ r: RunRecord) -> String {
        var out = ""
        for row in r.rows {
            out += CSV.line([r.runID, r.problem, r.optimizer, String(r.seed), String(row.step),
                             String(row.counts.function), String(row.counts.gradient),
                             String(row.counts.hessianVector), String(row.counts.hessian),
                             CSV.format(row.time), CSV.format(row.loss), CSV.format(row.bestLoss),
                             opt(row.gradNorm), opt(row.gap), opt(row.stepNorm), opt(row.lr),
                             opt(row.testMetric), row.events.joined(separator: ";"), CSV.format(row.cost)])
        }
        return out
    }

    public static func summaryLine(_ r: RunRecord) -> String {
        let first = r.rows.first, last = r.rows.last
        let fStar = r.knownMinimum?.value
        let reached = r.targetGap.flatMap { t in fStar.flatMap { f in r.rows.first { $0.bestLoss - f <= t } } }
        return CSV.line([
            r.runID, r.problem, r.optimizer, String(r.seed), r.problemFamily, r.optimizerFamily,
            String(r.dimension), r.status.rawValue, r.reason, String(last?.step ?? 0),
            String(last?.counts.function ?? 0), String(last?.counts.gradient ?? 0),
            String(last?.counts.hessianVector ?? 0), String(last?.counts.hessian ?? 0),
            CSV.format(last?.cost ?? 0), CSV.format(last?.time ?? 0),
            opt(first?.loss), opt(last?.loss), opt(last?.bestLoss), opt(fStar),
            r.knownMinimum?.kind.rawValue ?? "none",
            opt(fStar.flatMap { f in last.map { $0.loss - f } }),
            opt(fStar.flatMap { f in last.map { $0.bestLoss - f } }),
            opt(last?.gradNorm), opt(last?.testMetric), opt(r.targetGap),
            reached.map { String($0.step) } ?? "", opt(reached?.cost), opt(reached?.time),
        ])
    }

    /// Writes `text` to `path` atomically (temporary file, then rename).
    public static func writeAtomically(_ text: String, to path: String) throws {
        try AtomicFile.write(text, to: path)
    }

    /// Writes each record's per-run files, then assembles the run set's files.
    public static func write(_ records: [RunRecord], plan: RunPlan, command: [String], to directory: String) throws {
        let files = RunFiles(directory: directory)
        try files.prepare()
        for r in records { try files.write(r) }
        try assemble(directory: directory, runIDs: records.map(\.runID),
                     manifest: Manifest.json(plan: plan, command: command, identities: records.map {
                         RunIdentity(runID: $0.runID, problem: $0.problem, optimizer: $0.optimizer)
                     }))
    }

    /// Joins the per-run files of `runIDs` (sorted by run id, rows in step
    /// order) into `traces.csv` and `summary.csv`, and writes `manifest.json`;
    /// each file atomically.
    public static func assemble(directory: String, runIDs: [String], manifest: String) throws {
        let files = RunFiles(directory: directory)
        var traces = CSV.line(traceHeader), summary = CSV.line(summaryHeader)
        for id in Set(runIDs).sorted() {
            let (t, s) = try files.bodies(id)
            traces += t
            summary += s
        }
        try AtomicFile.write(traces, to: directory + "/traces.csv")
        try AtomicFile.write(summary, to: directory + "/summary.csv")
        try AtomicFile.write(manifest, to: directory + "/manifest.json")
    }
}
