import OptimizationCore

/// `logreg`, `softmax` and `mlp` as block-sequential objectives: one block
/// per dense layer (its weights, then its bias — contiguous in the layout),
/// so a zeroth-order method can perturb and stream the network layer by
/// layer (`zo2`, exact `mezo`) or restart a pass at a layer (DeepZero).
///
/// The activation after block l is that layer's output a_l = φ(s_l) (the
/// logits after the last block); the accumulator carries Σ‖W‖² of the layers
/// so far, so `loss` adds (l2/2)·Σ‖W‖² exactly as `value(at:)` does.
extension ClassificationProblem: BlockSequentialObjective {
    public var sequentialBlocks: [Range<Int>] {
        network.layers.map { $0.weightOffset..<($0.biasOffset + $0.outputs) }
    }

    public func makeActivation() -> BlockActivation {
        let rows = schedule?.batchSize ?? split.trainingCount
        let widest = max(split.featureCount, network.layers.map(\.outputs).max() ?? 1)
        return BlockActivation(capacity: rows * widest)
    }

    public func begin(into h: BlockActivation) {
        withBatch { xs, _, n in
            h.reshape(rows: n, columns: split.featureCount)
            h.storage.update(from: xs, count: n * split.featureCount)
            h.accumulator = 0
        }
    }

    public func apply(block l: Int, parameters: UnsafeBufferPointer<Double>, input: BlockActivation,
                      output: BlockActivation) {
        let layer = network.layers[l]
        precondition(parameters.count == (layer.inputs + 1) * layer.outputs,
                     "block \(l) has \((layer.inputs + 1) * layer.outputs) parameters, got \(parameters.count)")
        precondition(input.columns == layer.inputs && input !== output, "block \(l) needs a distinct \(layer.inputs)-wide input")
        output.reshape(rows: input.rows, columns: layer.outputs)
        let weight = parameters.baseAddress!
        network.forwardLayer(l, weight: weight, bias: weight + layer.inputs * layer.outputs,
                             input: input.storage, rows: input.rows, pre: output.storage, post: output.storage)
        output.accumulator = input.accumulator
        if network.l2 != 0 { network.addSquaredWeights(l, weight: weight, to: &output.accumulator) }
    }

    public func loss(_ h: BlockActivation) -> Double {
        withBatch { _, ys, n in
            precondition(h.rows == n && h.columns == network.outputLayer.outputs, "loss needs the last block's output")
            let penalty = network.l2 == 0 ? 0 : 0.5 * network.l2 * h.accumulator
            return network.meanLoss(logits: h.storage, labels: ys, rows: n) + penalty
        }
    }
}
