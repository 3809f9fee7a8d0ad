/// Traces written by another tool, brought into the lab's layout so that
/// `optlab report` and `optlab merge` accept them.
///
/// A trace needs `run_id`, `problem`, `optimizer`, `seed`, `step` and `loss`;
/// any other column of ``RunSchema/traceColumns`` is used when present.
/// What is missing is derived, and said so:
/// - `best_loss`: the running minimum of the finite losses;
/// - `cost`: f_evals + 2·grad_evals + 4·hvp_evals from the counts present
///   (the Hessian term needs the dimension and is left out), else the step;
/// - counts, `time_s`, `gap` and the rest stay empty.
///
/// Columns outside the lab's header are kept apart (``Normalized/extra``):
/// `merge` carries them along, the report ignores them as `plot` does.
public enum TraceImport {
    /// The columns a trace must have.
    public static let required = ["run_id", "problem", "optimizer", "seed", "step", "loss"]

    /// A trace in the lab's columns, plus the columns it had besides.
    public struct Normalized: Sendable {
        /// The trace with exactly ``RunSchema/traceColumns``.
        public let traces: CSVTable
        /// Names of the extra columns, in their order in the file.
        public let extra: [String]
        /// Per row, the extra columns' values (same order as `extra`).
        public let extraValues: [[String]]
        /// True when any lab column was derived or left empty.
        public let derived: Bool
    }

    /// Rewrites `table` into the lab's trace columns. Errors name the file
    /// and the missing column.
    public static func normalize(_ table: CSVTable) throws(CSVError) -> Normalized {
        for name in required { _ = try table.column(name) }
        let header = RunSchema.traceColumns
        let index = Dictionary(table.header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let extra = table.header.filter { !header.contains($0) }
        let extraIndex = extra.map { index[$0]! }
        let present = header.map { index[$0] }
        let derived = present.contains { $0 == nil }
        let (cRun, cLoss, cStep) = (index["run_id"]!, index["loss"]!, index["step"]!)
        let countColumns = ["f_evals", "grad_evals", "hvp_evals"].map { index[$0] }
        let weights = [1.0, 2.0, 4.0]
        var rows: [[String]] = []
        var extraValues: [[String]] = []
        var best: [String: Double] = [:]
        for r in table.rows.indices {
            let row = table.rows[r]
            var out = present.map { $0.map { row[$0] } ?? "" }
            if index["best_loss"] == nil {
                let loss = try table.double(row: r, column: cLoss) ?? .nan
                let previous = best[row[cRun]] ?? .infinity
                let value = loss.isFinite ? min(previous, loss) : previous
                best[row[cRun]] = value
                out[header.firstIndex(of: "best_loss")!] = value.isFinite ? CSV.format(value) : CSV.format(loss)
            }
            if index["cost"] == nil {
                var cost = 0.0, any = false
                for (c, w) in zip(countColumns, weights) {
                    guard let c, let v = try table.double(row: r, column: c) else { continue }
                    cost += w * v
                    any = true
                }
                if !any { cost = try table.requiredDouble(row: r, column: cStep) }
                out[header.firstIndex(of: "cost")!] = CSV.format(cost)
            }
            rows.append(out)
            extraValues.append(extraIndex.map { row[$0] })
        }
        return Normalized(traces: CSVTable(source: table.source, header: header, rows: rows, lines: table.lines),
                          extra: extra, extraValues: extraValues, derived: derived)
    }

    /// One summary row per run (lab header) from a normalized trace: the
    /// status is `diverged` when the last loss is not finite, else `budget`;
    /// f* is known only where the trace has gaps (f* = loss − gap).
    public static func summaries(_ traces: CSVTable) throws(CSVError) -> CSVTable {
        let h = RunSchema.traceColumns
        func c(_ name: String) -> Int { h.firstIndex(of: name)! }
        var order: [String] = []
        var rowsByRun: [String: [Int]] = [:]
        for r in traces.rows.indices {
            let id = traces.rows[r][c("run_id")]
            if rowsByRun[id] == nil { order.append(id) }
            rowsByRun[id, default: []].append(r)
        }
        var out: [[String]] = []
        var lines: [Int] = []
        for id in order {
            var indices = rowsByRun[id]!
            indices.sort { (Int(traces.rows[$0][c("step")]) ?? 0, $0) < (Int(traces.rows[$1][c("step")]) ?? 0, $1) }
            let first = traces.rows[indices.first!], last = traces.rows[indices.last!]
            let finalLoss = try traces.double(row: indices.last!, column: c("loss"))
            var fStar: Double?
            for r in indices {
                if let gap = try traces.double(row: r, column: c("gap")), let loss = try traces.double(row: r, column: c("loss")),
                   gap.isFinite, loss.isFinite {
                    fStar = loss - gap
                    break
                }
            }
            let bestLoss = try traces.double(row: indices.last!, column: c("best_loss"))
            let status = finalLoss.map { $0.isFinite } ?? false ? "budget" : "diverged"
            func opt(_ x: Double?) -> String { x.map(CSV.format) ?? "" }
            let fields: [String: String] = [
                "run_id": id, "problem": first[c("problem")], "optimizer": first[c("optimizer")], "seed": first[c("seed")],
                "problem_family": "", "optimizer_family": "", "dim": "0", "status": status,
                "reason": "derived from traces.csv (no summary.csv)", "steps": last[c("step")],
                "f_evals": last[c("f_evals")], "grad_evals": last[c("grad_evals")], "hvp_evals": last[c("hvp_evals")],
                "hess_evals": last[c("hess_evals")], "cost": last[c("cost")], "time_s": last[c("time_s")],
                "f0": first[c("loss")], "final_loss": opt(finalLoss), "best_loss": opt(bestLoss), "f_star": opt(fStar),
                "f_star_kind": fStar == nil ? "none" : "global",
                "final_gap": opt(fStar.flatMap { f in finalLoss.map { $0 - f } }),
                "best_gap": opt(fStar.flatMap { f in bestLoss.map { $0 - f } }),
                "final_grad_norm": last[c("grad_norm")], "final_test_metric": last[c("test_metric")],
                "target_gap": "", "steps_to_target": "", "cost_to_target": "", "time_to_target": "",
            ]
            out.append(RunSchema.summaryColumns.map { fields[$0] ?? "" })
            lines.append(traces.lines[indices.first!])
        }
        return CSVTable(source: traces.source + " (summary derived)", header: RunSchema.summaryColumns, rows: out,
                        lines: lines)
    }
}
