import LinearAlgebra

/// Which training rows step k uses: the next batch of a seeded per-epoch
/// permutation.
///
/// An epoch has ⌊n / B⌋ batches of exactly B rows (the n mod B rows left at
/// the end of an epoch's permutation sit that epoch out — fixed batch sizes
/// keep curvature statistics comparable between steps). Epoch e's
/// permutation is a Fisher–Yates shuffle driven by
/// `SplitMix64(derive(seed, tag + e))`, so any step's batch can be computed
/// directly, in any order, and is the same for the same seed.
public struct MinibatchSchedule: Sendable, Hashable {
    public let trainingCount: Int
    public let batchSize: Int
    public let seed: UInt64
    /// Distinguishes this stream from the problem's other seeded draws.
    static let streamTag: UInt64 = 0x6D69_6E69_6261_7463

    public init(trainingCount: Int, batchSize: Int, seed: UInt64) {
        precondition(batchSize >= 1 && batchSize <= trainingCount, "batch size must be in 1...\(trainingCount)")
        self.trainingCount = trainingCount
        self.batchSize = batchSize
        self.seed = seed
    }

    public var batchesPerEpoch: Int { trainingCount / batchSize }

    /// The permutation of the training rows used in epoch `epoch`.
    public func permutation(epoch: Int) -> [Int] {
        var rng = SplitMix64(seed: SplitMix64.derive(seed, Self.streamTag &+ UInt64(epoch)))
        return rng.permutation(trainingCount)
    }

    /// The training-row indices of step `step` (0-based).
    public func batch(step: Int) -> [Int] {
        let (epoch, position) = step.quotientAndRemainder(dividingBy: batchesPerEpoch)
        let start = position * batchSize
        return Array(permutation(epoch: epoch)[start..<(start + batchSize)])
    }
}
