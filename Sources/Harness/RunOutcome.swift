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

    init(summaryRow r: [String], executed: Bool) {
        let h = RunSetWriter.summaryHeader
        func field(_ name: String) -> String { r[h.firstIndex(of: name)!] }
        runID = field("run_id")
        problem = field("problem")
        optimizer = field("optimizer")
        seed = UInt64(field("seed")) ?? 0
        status = RunStatus(rawValue: field("status")) ?? .error
        reason = field("reason")
        finalLoss = CSV.parseDouble(field("final_loss"))
        bestLoss = CSV.parseDouble(field("best_loss"))
        self.executed = executed
    }
}
