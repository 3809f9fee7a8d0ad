import OptimizationCore

/// What the command line needs of each run after a run set: read back from
/// the run's summary row, so fresh and resumed runs look the same.
public struct RunOutcome: Sendable, Equatable {
    public var runID: String
    public var problem: String
    public var optimizer: String
    public var seed: UInt64
    public var status: RunStatus
    public var reason: String
    public var finalLoss: Double?
    public var bestLoss: Double?
    /// False when the run was skipped by `--resume` (its files were complete).
    public var executed: Bool

    init(runID: String, status: RunStatus, finalLoss: Double?, bestLoss: Double?) {
        (self.runID, self.status, self.finalLoss, self.bestLoss) = (runID, status, finalLoss, bestLoss)
        (problem, optimizer, seed, reason, executed) = ("", "", 0, "", true)
    }

    /// From the run's summary, parsed by the one summary reader.
    init(summary: RunSummary, executed: Bool) {
        runID = summary.runID
        problem = summary.problem
        optimizer = summary.optimizer
        seed = UInt64(summary.seed) ?? 0
        status = summary.runStatus
        reason = summary.reason
        finalLoss = summary.finalLoss
        bestLoss = summary.bestLoss
        self.executed = executed
    }
}
