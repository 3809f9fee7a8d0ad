import Foundation
import OptimizationCore

/// Joins run directories (shards of one run set, or separate run sets) into
/// one: `traces.csv` and `summary.csv` with one copy of each run (by
/// `run_id`; the first directory that has a run wins), sorted by run id and
/// step, and a `manifest.json` that lists the inputs and their manifests.
public enum RunSetMerger {
    /// Returns the number of runs in the merged directory.
    ///
    /// Inputs may carry columns besides the lab's (kept, after the lab's
    /// columns, empty where an input lacks them) and may be traces from
    /// another tool without `summary.csv` (see ``TraceImport``: the summary
    /// is derived, missing lab columns are derived or left empty).
    @discardableResult
    public static func merge(_ directories: [String], into output: String, command: [String]) throws -> Int {
        guard !directories.isEmpty else { throw HarnessError("merge: give at least one run directory") }
        var summaries: [String: [String: String]] = [:]
        var owner: [String: Int] = [:]
        var traces: [String: [[String: String]]] = [:]
        var manifests: [Any] = []
        var traceExtra: [String] = [], summaryExtra: [String] = []
        for (d, dir) in directories.enumerated() {
            let imported = try TraceImport.normalize(try CSV.read(path: dir + "/traces.csv"))
            for name in imported.extra where !traceExtra.contains(name) { traceExtra.append(name) }
            let summary: CSVTable
            if FileAccess.kind(dir + "/summary.csv") == .missing {
                summary = try TraceImport.summaries(imported.traces)
            } else {
                summary = try CSV.read(path: dir + "/summary.csv")
                try check(summary, RunSetWriter.summaryHeader)
                for name in summary.header where !RunSetWriter.summaryHeader.contains(name) && !summaryExtra.contains(name) {
                    summaryExtra.append(name)
                }
            }
            let id = try summary.column("run_id")
            for row in summary.rows where owner[row[id]] == nil {
                owner[row[id]] = d
                summaries[row[id]] = Dictionary(zip(summary.header, row), uniquingKeysWith: { a, _ in a })
            }
            let t = imported.traces
            for (r, row) in t.rows.enumerated() where owner[row[0]] == d {
                var fields = Dictionary(zip(t.header, row), uniquingKeysWith: { a, _ in a })
                for (name, value) in zip(imported.extra, imported.extraValues[r]) { fields[name] = value }
                traces[row[0], default: []].append(fields)
            }
            if let text = readTextFile(dir + "/manifest.json"),
               let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
                manifests.append(object)
            } else {
                manifests.append(NSNull())
            }
        }
        do {
            try FileAccess.createDirectory(output)
        } catch {
            throw HarnessError(error.description)
        }
        let traceHeader = RunSetWriter.traceHeader + traceExtra
        let summaryHeader = RunSetWriter.summaryHeader + summaryExtra
        var traceText = CSV.line(traceHeader), summaryText = CSV.line(summaryHeader)
        for id in summaries.keys.sorted() {
            summaryText += CSV.line(summaryHeader.map { summaries[id]![$0] ?? "" })
            let rows = (traces[id] ?? []).enumerated().sorted {
                (Int($0.element["step"] ?? "") ?? 0, $0.offset) < (Int($1.element["step"] ?? "") ?? 0, $1.offset)
            }
            for (_, row) in rows { traceText += CSV.line(traceHeader.map { row[$0] ?? "" }) }
        }
        try AtomicFile.write(traceText, to: output + "/traces.csv")
        try AtomicFile.write(summaryText, to: output + "/summary.csv")
        let manifest: [String: Any] = [
            "lab_version": labVersion,
            "command_line": command.map(Manifest.shellQuoted).joined(separator: " "),
            "merged_from": directories,
            "runs": summaries.count,
            "inputs": manifests,
            "cost_weights": CostModel.weights,
            "started_utc": ISO8601DateFormatter().string(from: Date()),
        ]
        try AtomicFile.write(try Manifest.render(manifest), to: output + "/manifest.json")
        return summaries.count
    }

    /// The lab's columns must all be there (in any order); others are extra.
    private static func check(_ table: CSVTable, _ header: [String]) throws {
        let missing = header.filter { !table.header.contains($0) }
        guard missing.isEmpty else {
            throw HarnessError("\(table.source): missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) of optlab's summary")
        }
    }
}
