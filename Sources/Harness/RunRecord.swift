import OptimizationCore

/// One logged point of a trace (one row of `traces.csv`).
public struct TraceRow: Sendable {
    public var step: Int
    public var counts: EvaluationCounts
    public var time: Double
    public var loss: Double
    public var bestLoss: Double
    public var gradNorm: Double?
    public var gap: Double?
    public var stepNorm: Double?
    public var lr: Double?
    public var testMetric: Double?
    public var events: [String]
    public var cost: Double
}

/// Everything one run produced: identity, trace and outcome.
public struct RunRecord: Sendable {
    public var runID: String
    public var problem: String
    public var optimizer: String
    public var seed: UInt64
    public var problemFamily: String
    public var optimizerFamily: String
    public var dimension: Int
    public var status: RunStatus
    public var reason: String
    public var rows: [TraceRow]
    public var knownMinimum: KnownMinimum?
    public var targetGap: Double?

    /// A stable hex id of (canonical problem, canonical optimizer, seed,
    /// budget): FNV-1a 64 of their text, so it is the same on every machine
    /// and in every shard.
    public static func makeID(problem: String, optimizer: String, seed: UInt64, budget: Budget) -> String {
        let key = "\(problem)|\(optimizer)|\(seed)|\(budget.identityKey)"
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
