import Foundation
import OptimizationCore

/// Joins run directories (shards of one run set, or separate run sets) into
/// one: `traces.csv` and `summary.csv` with one copy of each run (by
/// `run_id`; the first directory that has a run wins), sorted by run id and
/// step, and a `manifest.json` that lists the inputs and their manifests.
public enum RunSetMerger {
    /// Returns the number of runs in the merged directory.
    @discardableResult
    public static func merge(_ directories: [String], into output: String, command: [String]) throws -> Int {
        guard !directories.isEmpty else { throw HarnessError("merge: give at least one run directory") }
        var summaries: [String: [String]] = [:]
        var owner: [String: Int] = [:]
        var traces: [String: [[String]]] = [:]
        var manifests: [Any] = []
        for (d, dir) in directories.enumerated() {
            let summary = try CSV.read(path: dir + "/summary.csv")
            try check(summary, RunSetWriter.summaryHeader)
            let trace = try CSV.read(path: dir + "/traces.csv")
            try check(trace, RunSetWriter.traceHeader)
            for row in summary.rows where owner[row[0]] == nil {
                owner[row[0]] = d
                summaries[row[0]] = row
            }
            for row in trace.rows where owner[row[0]] == d {
                traces[row[0], default: []].append(row)
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
        var traceText = CSV.line(RunSetWriter.traceHeader), summaryText = CSV.line(RunSetWriter.summaryHeader)
        let step = RunSetWriter.traceHeader.firstIndex(of: "step")!
        for id in summaries.keys.sorted() {
            summaryText += CSV.line(summaries[id]!)
            let rows = (traces[id] ?? []).sorted { (Int($0[step]) ?? 0) < (Int($1[step]) ?? 0) }
            for row in rows { traceText += CSV.line(row) }
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

    private static func check(_ table: CSVTable, _ header: [String]) throws {
        guard table.header == header else {
            throw HarnessError("\(table.source): the header is not optlab's (expected \(header.joined(separator: ",")))")
        }
    }
}
