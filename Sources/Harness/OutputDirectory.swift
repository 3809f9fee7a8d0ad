import Foundation
import OptimizationCore

/// Guards an output directory against mixing two run sets: before a run set
/// writes into a directory that already holds the lab's files, the runs
/// found there are compared with the runs about to be made.
///
/// - same runs: allowed (the files are rewritten, identical but for `time_s`);
/// - some of the same runs and `resume`: allowed (an interrupted run set);
/// - anything else: refused with one line naming the difference, unless
///   `force`, which first removes what the lab writes there
///   (``OutputDirectory/labFiles``) and nothing else.
public enum OutputDirectory {
    /// Names the lab writes in a run directory (files and folders).
    public static let labFiles = ["traces.csv", "summary.csv", "manifest.json", "report.html", "summary.md",
                                  "tuning.csv", "plots", "runs"]

    /// One run found in a directory: its id and, when known, what it ran.
    struct FoundRun: Hashable {
        let runID: String
        let label: String?
    }

    /// Checks `directory` before a run set with `planned` runs (id and the
    /// spec each id came from) writes there; with `force`, clears the lab's files.
    public static func prepare(_ directory: String, planned: [(RunSpec, RunIdentity)], resume: Bool, force: Bool) throws {
        let kind = FileAccess.kind(directory)
        if kind == .file { throw HarnessError("cannot use '\(directory)' as the output directory: it is a file") }
        guard kind == .directory else { return }
        let present = labFiles.filter { FileAccess.kind(directory + "/" + $0) != .missing }
        guard !present.isEmpty else { return }
        if force {
            try clear(directory, present)
            return
        }
        let found = foundRuns(directory)
        if found.isEmpty && present == ["runs"] { return }   // killed before any run ended: nothing to mix
        let plannedIDs = Set(planned.map(\.1.runID))
        let foundIDs = Set(found.map(\.runID))
        if !foundIDs.isEmpty && foundIDs == plannedIDs { return }
        if resume && !foundIDs.isEmpty && foundIDs.isSubset(of: plannedIDs) { return }
        throw HarnessError(difference(directory, present: present, found: found, planned: planned, resume: resume))
    }

    /// The one-line refusal.
    static func difference(_ directory: String, present: [String], found: [FoundRun],
                           planned: [(RunSpec, RunIdentity)], resume: Bool) -> String {
        let plannedIDs = Set(planned.map(\.1.runID))
        let foundIDs = Set(found.map(\.runID))
        let advice = "use another --out, or --force to remove the lab's files there (\(present.joined(separator: ", ")))"
        if found.isEmpty {
            return "'\(directory)' holds optlab output (\(present.joined(separator: ", "))) of no readable run set; \(advice)"
        }
        let extra = found.filter { !plannedIDs.contains($0.runID) }
        let missing = planned.filter { !foundIDs.contains($0.1.runID) }
        func label(_ s: RunSpec, _ id: RunIdentity) -> String { "\(id.problem) × \(id.optimizer) seed \(s.seed)" }
        let plannedLabels = Set(planned.map { label($0.0, $0.1) })
        var parts: [String] = []
        if !extra.isEmpty {
            let example = extra.compactMap(\.label).sorted().first
            let sameRunOtherBudget = example.map { plannedLabels.contains($0) } ?? false
            parts.append("\(extra.count) run\(extra.count == 1 ? "" : "s") not in this set"
                         + (example.map { " (e.g. \($0)\(sameRunOtherBudget ? " with another budget" : ""))" } ?? ""))
        }
        if !missing.isEmpty {
            let example = missing.map { label($0.0, $0.1) }.sorted()[0]
            parts.append("lacks \(missing.count) of this set's \(planned.count) run\(planned.count == 1 ? "" : "s") (e.g. \(example))")
        }
        if extra.isEmpty && !resume {
            return "'\(directory)' holds \(found.count) of the \(planned.count) runs of this set (an interrupted run set?); "
                + "continue it with --resume, or use --force to remove the lab's files there (\(present.joined(separator: ", ")))"
        }
        return "'\(directory)' holds a different run set: \(parts.joined(separator: "; ")); \(advice)"
    }

    /// Runs recorded in `summary.csv` and in `runs/*.summary.csv` / `runs/*.csv`.
    static func foundRuns(_ directory: String) -> [FoundRun] {
        var out: [String: String?] = [:]
        func addSummary(_ path: String) {
            guard let table = try? CSV.read(path: path),
                  let id = table.header.firstIndex(of: "run_id") else { return }
            let p = table.header.firstIndex(of: "problem"), o = table.header.firstIndex(of: "optimizer")
            let s = table.header.firstIndex(of: "seed")
            for row in table.rows {
                var label: String?
                if let p, let o, let s { label = "\(row[p]) × \(row[o]) seed \(row[s])" }
                if out[row[id]] == nil || out[row[id]]! == nil { out[row[id]] = label }
            }
        }
        addSummary(directory + "/summary.csv")
        let runs = directory + "/runs"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).sorted() where !name.contains(".tmp-") {
            if name.hasSuffix(".summary.csv") {
                addSummary(runs + "/" + name)
            } else if name.hasSuffix(".csv") {
                let id = String(name.dropLast(4))
                if out[id] == nil { out[id] = .some(nil) }
            }
        }
        return out.map { FoundRun(runID: $0.key, label: $0.value) }.sorted { $0.runID < $1.runID }
    }

    /// Removes the named lab files and folders of `directory`.
    static func clear(_ directory: String, _ names: [String]) throws {
        for name in names {
            let path = directory + "/" + name
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
                let reason = posix.map { FileAccessError.reason(errno: Int32($0.code)) } ?? "permission denied or busy"
                throw HarnessError("cannot remove '\(path)' (--force): \(reason)")
            }
        }
    }
}
