import RealModule

/// The pieces of ``DenseNetwork`` that block-wise callers need and that touch
/// no network buffer (so several threads may evaluate perturbed passes at once).
extension DenseNetwork {
    /// The mean cross-entropy of `rows` rows of output-layer logits `z`
    /// against `labels`. Same formulas and summation order as
    /// `forward` + `meanLoss(labels:rows:)`, so the two agree bitwise; log Σ exp is
    /// formed per row instead of being stored.
    func meanLoss(logits z: UnsafePointer<Double>, labels: UnsafePointer<Int>, rows: Int) -> Double {
        let c = outputLayer.outputs
        var total = 0.0, compensation = 0.0
        for i in 0..<rows {
            let term: Double
            switch head {
            case .logistic:
                let e = Double.exp(-abs(z[i]))
                let logSumExp = max(z[i], 0) + Double.log(onePlus: e)
                term = logSumExp - (labels[i] == 1 ? z[i] : 0)
            case .softmax:
                let zi = z + i * c
                var m = zi[0]
                for k in 1..<c where zi[k] > m { m = zi[k] }
                var sum = 0.0
                for k in 0..<c { sum += Double.exp(zi[k] - m) }
                term = (m + Double.log(sum)) - zi[labels[i]]
            }
            let y = term - compensation
            let t = total + y
            compensation = (t - total) - y
            total = t
        }
        return total / Double(rows)
    }

    /// Σ ‖W_l‖² of one layer added to `sum` in the order of `regularizer(weights:)`,
    /// so that accumulating layer by layer reproduces it bitwise.
    func addSquaredWeights(_ l: Int, weight: UnsafePointer<Double>, to sum: inout Double) {
        let count = layers[l].inputs * layers[l].outputs
        for k in 0..<count { sum += weight[k] * weight[k] }
    }
}
