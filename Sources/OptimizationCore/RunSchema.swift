/// The columns of a run set's CSV files and how a run ended: the one
/// schema that the harness writes and merges and that reports and
/// `optlab plot` read (both parse summaries with ``RunSummary/read(_:)``).
public enum RunSchema {
    /// `traces.csv`: one row per logged step.
    public static let traceColumns = ["run_id", "problem", "optimizer", "seed", "step", "f_evals", "grad_evals",
                                      "hvp_evals", "hess_evals", "time_s", "loss", "best_loss", "grad_norm",
                                      "gap", "step_norm", "lr", "test_metric", "event", "cost"]

    /// `summary.csv`: one row per run.
    public static let summaryColumns = ["run_id", "problem", "optimizer", "seed", "problem_family", "optimizer_family",
                                        "dim", "status", "reason", "steps", "f_evals", "grad_evals", "hvp_evals",
                                        "hess_evals", "cost", "time_s", "f0", "final_loss", "best_loss", "f_star",
                                        "f_star_kind", "final_gap", "best_gap", "final_grad_norm", "final_test_metric",
                                        "target_gap", "steps_to_target", "cost_to_target", "time_to_target"]
}

/// How a run ended (summary column `status`).
public enum RunStatus: String, Sendable {
    case converged, budget, diverged, error
}

/// One row of `summary.csv` with the fields the harness and the reports use.
public struct RunSummary: Sendable {
    public let runID, problem, optimizer, seed, problemFamily, optimizerFamily: String
    public let dim: Int
    /// The `status` field as written (``runStatus`` parses it).
    public let status: String
    public let reason: String
    public let steps, fEvals, gradEvals, cost, timeS: Double?
    public let f0, finalLoss, bestLoss, fStar: Double?
    public let fStarKind: String
    public let finalGap, bestGap, targetGap: Double?
    public let costToTarget, timeToTarget: Double?

    /// The status, `error` when the field holds something else.
    public var runStatus: RunStatus { RunStatus(rawValue: status) ?? .error }

    /// The columns a summary must have to be read (summaries derived from a
    /// foreign trace have them, possibly empty).
    public static let requiredColumns = ["run_id", "problem", "optimizer", "seed", "problem_family", "optimizer_family",
                                         "dim", "status", "reason", "steps", "f_evals", "grad_evals", "cost", "time_s",
                                         "f0", "final_loss", "best_loss", "f_star", "f_star_kind", "final_gap",
                                         "best_gap", "target_gap", "cost_to_target", "time_to_target"]

    /// Every row of a summary table. Errors name the file, line and column.
    public static func read(_ t: CSVTable) throws -> [RunSummary] {
        var c: [String: Int] = [:]
        for n in requiredColumns { c[n] = try t.column(n) }
        var out: [RunSummary] = []
        for r in t.rows.indices {
            let row = t.rows[r]
            func s(_ n: String) -> String { row[c[n]!] }
            func d(_ n: String) throws -> Double? { try t.double(row: r, column: c[n]!) }
            guard let dim = Int(s("dim")), dim >= 0 else {
                throw CSVError(file: t.source, line: t.lines[r], column: c["dim"]! + 1,
                               message: "field 'dim' is not a non-negative integer: '\(s("dim"))'")
            }
            out.append(RunSummary(
                runID: s("run_id"), problem: s("problem"), optimizer: s("optimizer"), seed: s("seed"),
                problemFamily: s("problem_family"), optimizerFamily: s("optimizer_family"), dim: dim,
                status: s("status"), reason: s("reason"), steps: try d("steps"), fEvals: try d("f_evals"),
                gradEvals: try d("grad_evals"), cost: try d("cost"), timeS: try d("time_s"), f0: try d("f0"),
                finalLoss: try d("final_loss"), bestLoss: try d("best_loss"), fStar: try d("f_star"),
                fStarKind: s("f_star_kind"), finalGap: try d("final_gap"), bestGap: try d("best_gap"),
                targetGap: try d("target_gap"), costToTarget: try d("cost_to_target"), timeToTarget: try d("time_to_target")))
        }
        return out
    }
}
