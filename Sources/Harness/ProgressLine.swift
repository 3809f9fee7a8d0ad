import Foundation

/// The progress line `run`, `compare` and `tune` show on a terminal:
/// `[done/total] problem × optimizer: status  ETA 12 s`, redrawn in place on
/// stderr. Nothing of it reaches stdout or files.
public final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var executedSoFar = 0
    private let enabled: Bool

    /// Enabled only when stderr is a terminal and `quiet` is false.
    public init(quiet: Bool) { enabled = !quiet && Terminal.stderrIsTerminal }

    public func update(_ p: RunProgress) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if p.outcome.executed { executedSoFar += 1 }
        let elapsed = Date().timeIntervalSince(start)
        let remaining = p.total - p.done
        // The ETA extrapolates from the runs executed (skipped ones cost nothing).
        let eta = executedSoFar == 0 ? 0 : elapsed / Double(executedSoFar) * Double(remaining)
        let o = p.outcome
        Terminal.writeError("\r\u{1B}[K[\(p.done)/\(p.total)] \(o.problem) × \(o.optimizer): \(o.status.rawValue)  ETA \(Self.format(eta))")
        if p.done == p.total { Terminal.writeError("\n") }
    }

    static func format(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s) s" : "\(s / 60) min \(s % 60) s"
    }
}
