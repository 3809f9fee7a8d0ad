/// The rows a classification problem trains on at the current step: a copy
/// of the training rows that a ``MinibatchSchedule`` gives step k, or the
/// whole training set when there is no schedule. The epoch's permutation is
/// cached, so selecting a step's batch allocates nothing.
final class MinibatchBuffer {
    let split: StandardizedSplit
    let schedule: MinibatchSchedule?
    private var epoch = -1
    private var permutation: [Int] = []
    private var step = 0
    /// The gathered features and labels of the current minibatch (B × p, B).
    private let features: UnsafeMutablePointer<Double>
    private let labels: UnsafeMutablePointer<Int>

    init(split: StandardizedSplit, schedule: MinibatchSchedule?) {
        self.split = split
        self.schedule = schedule
        let batchSize = schedule?.batchSize ?? 0
        features = .allocate(capacity: max(1, batchSize * split.featureCount))
        labels = .allocate(capacity: max(1, batchSize))
        if schedule != nil { select(step: 0) }
    }

    deinit {
        features.deallocate()
        labels.deallocate()
    }

    /// Training-row indices (into the split's training rows) of the current step.
    var rows: ArraySlice<Int> {
        guard let schedule else { return ArraySlice(0..<split.trainingCount) }
        let start = (step % schedule.batchesPerEpoch) * schedule.batchSize
        return permutation[start..<(start + schedule.batchSize)]
    }

    /// Gathers step `step`'s rows (0-based; negative counts as 0); nothing to do without a schedule.
    func select(step: Int) {
        guard let schedule else { return }
        self.step = max(0, step)
        let e = self.step / schedule.batchesPerEpoch
        if e != epoch {
            permutation = schedule.permutation(epoch: e)
            epoch = e
        }
        let p = split.featureCount
        let rows = rows
        split.trainingFeatures.withUnsafeBufferPointer { xs in
            split.trainingLabels.withUnsafeBufferPointer { ys in
                for (r, i) in rows.enumerated() {
                    (features + r * p).update(from: xs.baseAddress! + i * p, count: p)
                    labels[r] = ys[i]
                }
            }
        }
    }

    /// Runs `body` on the current batch: (features N × p, labels, N).
    func withBatch<R>(_ body: (UnsafePointer<Double>, UnsafePointer<Int>, Int) throws -> R) rethrows -> R {
        if let schedule { return try body(features, labels, schedule.batchSize) }
        return try split.trainingFeatures.withUnsafeBufferPointer { xs in
            try split.trainingLabels.withUnsafeBufferPointer { ys in
                try body(xs.baseAddress!, ys.baseAddress!, split.trainingCount)
            }
        }
    }
}
