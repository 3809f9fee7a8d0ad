/// The fixed train/test split of a ``LearningDataset``, with features
/// standardised by the training rows' statistics.
///
/// Row i (0-based, file order) is a test row when i % 5 == 4, otherwise a
/// training row — deterministic, so results compare across tools. Each
/// feature is mapped to (x − mean) / std with the training rows' mean and
/// *population* standard deviation; a feature with zero deviation on the
/// training rows is only centred. Test rows use the same (training)
/// statistics, so no test information leaks into the objective.
public struct StandardizedSplit: Sendable {
    public let featureCount: Int
    public let classCount: Int
    /// Row-major `trainingCount × featureCount`, standardised.
    public let trainingFeatures: [Double]
    public let trainingLabels: [Int]
    /// Row-major `testCount × featureCount`, standardised with training statistics.
    public let testFeatures: [Double]
    public let testLabels: [Int]
    /// Per-feature training mean and population standard deviation.
    public let mean: [Double]
    public let standardDeviation: [Double]

    public var trainingCount: Int { trainingLabels.count }
    public var testCount: Int { testLabels.count }

    /// True for the rows held out for `testMetric`.
    public static func isTestRow(_ i: Int) -> Bool { i % 5 == 4 }

    public init(_ data: LearningDataset) {
        let p = data.featureCount
        var trainRows: [Int] = []
        var testRows: [Int] = []
        for i in 0..<data.rows { if Self.isTestRow(i) { testRows.append(i) } else { trainRows.append(i) } }

        var mean = [Double](repeating: 0, count: p)
        for i in trainRows { for j in 0..<p { mean[j] += data.features[i * p + j] } }
        for j in 0..<p { mean[j] /= Double(trainRows.count) }
        var variance = [Double](repeating: 0, count: p)
        for i in trainRows {
            for j in 0..<p {
                let d = data.features[i * p + j] - mean[j]
                variance[j] += d * d
            }
        }
        // "Zero deviation" means all training values are equal; testing that
        // exactly avoids dividing by a rounding residue of the mean.
        var constant = [Bool](repeating: true, count: p)
        if let first = trainRows.first {
            for i in trainRows { for j in 0..<p where data.features[i * p + j] != data.features[first * p + j] { constant[j] = false } }
        }
        let std = (0..<p).map { j in constant[j] ? 0 : (variance[j] / Double(trainRows.count)).squareRoot() }

        func standardized(_ rows: [Int]) -> [Double] {
            var out = [Double](repeating: 0, count: rows.count * p)
            for (r, i) in rows.enumerated() {
                for j in 0..<p {
                    let centred = data.features[i * p + j] - mean[j]
                    out[r * p + j] = std[j] > 0 ? centred / std[j] : centred
                }
            }
            return out
        }
        featureCount = p
        classCount = data.classCount
        trainingFeatures = standardized(trainRows)
        trainingLabels = trainRows.map { data.labels[$0] }
        testFeatures = standardized(testRows)
        testLabels = testRows.map { data.labels[$0] }
        self.mean = mean
        standardDeviation = std
    }
}
