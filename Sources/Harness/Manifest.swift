import Foundation
import LinearAlgebra

/// Provenance of a run set: what ran, where, with which build and budgets.
enum Manifest {
    static func json(plan: RunPlan, records: [RunRecord], command: [String]) throws -> String {
        var m: [String: Any] = [
            "lab_version": labVersion,
            "command_line": command.joined(separator: " "),
            "problems": Array(Set(records.map(\.problem))).sorted(),
            "optimizers": Array(Set(records.map(\.optimizer))).sorted(),
            "seeds": plan.seeds.map { Int($0) },
            "budget": [
                "steps": plan.budget.steps,
                "evaluations": plan.budget.evaluations as Any? ?? NSNull(),
                "seconds": plan.budget.seconds as Any? ?? NSNull(),
                "target_gap": plan.budget.targetGap as Any? ?? NSNull(),
            ],
            "cost_weights": CostModel.description,
            "openblas_core": BLASRuntime.coreName,
            "openblas_threads": BLASRuntime.threads,
            "build_flags": "-Xcc -fno-math-errno",
            "cpu_model": cpuModel(),
            "swift_version": swiftVersion,
            "started_utc": ISO8601DateFormatter().string(from: Date()),
        ]
        if let commit = gitCommit() { m["git_commit"] = commit }
        let data = try JSONSerialization.data(withJSONObject: m, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static var swiftVersion: String {
        #if compiler(>=6.3)
        return "6.3+"
        #else
        return "6.x"
        #endif
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }

    static func gitCommit() -> String? {
        guard let head = try? String(contentsOfFile: ".git/HEAD", encoding: .utf8) else { return nil }
        let h = head.trimmingCharacters(in: .whitespacesAndNewlines)
        guard h.hasPrefix("ref: ") else { return h }
        return try? String(contentsOfFile: ".git/" + h.dropFirst(5), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
