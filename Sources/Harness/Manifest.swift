import Foundation
import LinearAlgebra

/// Provenance of a run set (`manifest.json`): what ran, where, with which
/// build, budgets and command line.
public enum Manifest {
    /// Extra facts the caller knows (jobs, shard, tuning grid, …).
    public static func json(plan: RunPlan, command: [String], identities: [RunIdentity],
                            extra: [String: Any] = [:]) throws -> String {
        var m: [String: Any] = [
            "lab_version": labVersion,
            "command_line": command.map(shellQuoted).joined(separator: " "),
            "problems": unique(identities.map(\.problem)),
            "optimizers": unique(identities.map(\.optimizer)),
            "seeds": plan.seeds.map { Int($0) },
            "groups": plan.groups.map { g -> [String: Any] in
                ["problems": g.problems, "optimizers": g.optimizers, "seeds": g.seeds.map { Int($0) },
                 "budget": g.budget.manifestValue]
            },
            "runs": identities.count,
            "logging": plan.logEvery.map { "every \($0) steps" }
                ?? "steps 0-10, then 20 per decade, every gap-target crossing, the final step",
            "cost_weights": CostModel.weights,
            "cost_formula": CostModel.description,
            "openblas_core": BLASRuntime.coreName,
            "openblas_threads": BLASRuntime.threads,
            "build_flags": "-Xcc -fno-math-errno",
            "cpu_model": cpuModel(),
            "swift_version": swiftVersion,
            "started_utc": ISO8601DateFormatter().string(from: Date()),
        ]
        if let suite = plan.suite { m["suite"] = suite }
        if let commit = gitCommit() { m["git_commit"] = commit }
        for (k, v) in extra { m[k] = v }
        return try render(m)
    }

    /// Adds entries to an existing `manifest.json` (e.g. what a tuning run
    /// chose, known only after the runs); keys already there are replaced.
    public static func amend(directory: String, with entries: [String: Any]) throws {
        let path = directory + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: path),
              var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw HarnessError("cannot read \(path) as a JSON object")
        }
        for (k, v) in entries { object[k] = v }
        try AtomicFile.write(try render(object), to: path)
    }

    static func render(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func shellQuoted(_ s: String) -> String {
        let plain = s.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@+".contains($0) }
        return plain && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static var swiftVersion: String {
        #if compiler(>=6.3)
        return "6.3 or later"
        #elseif compiler(>=6.2)
        return "6.2"
        #else
        return "6.0 or 6.1"
        #endif
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }

    /// `git rev-parse HEAD` in the current directory, or nil (no git, not a checkout).
    static func gitCommit() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "HEAD"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
