import Foundation
import OptimizationCore

/// Writes a run set's files: `traces.csv`, `summary.csv`, `manifest.json`.
/// Each file is written to a temporary name and renamed into place, so a
/// killed process never leaves a truncated file that looks complete.
public enum RunSetWriter {
    public static let traceHeader = ["run_id", "problem", "optimizer", "seed", "step", "f_evals", "grad_evals",
                                     "hvp_evals", "hess_evals", "time_s", "loss", "best_loss", "grad_norm",
                                     "gap", "step_norm", "lr", "test_metric", "event", "cost"]

    public static let summaryHeader = ["run_id", "problem", "optimizer", "seed", "problem_family", "optimizer_family",
                                       "dim", "status", "reason", "steps", "f_evals", "grad_evals", "hvp_evals",
                                       "hess_evals", "cost", "time_s", "f0", "final_loss", "best_loss", "f_star",
                                       "f_star_kind", "final_gap", "best_gap", "final_grad_norm", "final_test_metric",
                                       "target_gap", "steps_to_target", "cost_to_target", "time_to_target"]

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
        let tmp = path + ".tmp-\(getpid())"
        try text.write(toFile: tmp, atomically: false, encoding: .utf8)
        if rename(tmp, path) != 0 {
            throw CSVError(file: path, line: 0, column: 0, message: "cannot rename \(tmp) into place")
        }
    }

    public static func write(_ records: [RunRecord], plan: RunPlan, command: [String], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let sorted = records.sorted { $0.runID < $1.runID }
        try writeAtomically(CSV.line(traceHeader) + sorted.map(traceLines).joined(), to: directory + "/traces.csv")
        try writeAtomically(CSV.line(summaryHeader) + sorted.map(summaryLine).joined(), to: directory + "/summary.csv")
        try writeAtomically(Manifest.json(plan: plan, records: sorted, command: command), to: directory + "/manifest.json")
    }
}
