import LinearAlgebra
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
    /// Stored at construction: DeepZero asks for it on every query.
    public var sequentialBlocks: [Range<Int>] { layerRanges }

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

    /// Layer l's Glorot-uniform weights and zero bias, without building x₀:
    /// the weights are one SplitMix64 stream over all layers in order, and
    /// SplitMix64 skips ahead in O(1) (its state advances by a constant per draw).
    public func initialBlock(_ l: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let layer = network.layers[l]
        precondition(out.count == (layer.inputs + 1) * layer.outputs, "block \(l) has \((layer.inputs + 1) * layer.outputs) elements")
        out.update(repeating: 0)
        guard let initSeed else { return }
        let drawsBefore = network.layers[..<l].reduce(0) { $0 + $1.inputs * $1.outputs }
        var rng = SplitMix64(seed: initSeed &+ UInt64(drawsBefore) &* 0x9E37_79B9_7F4A_7C15)
        let limit = (6 / Double(layer.inputs + layer.outputs)).squareRoot()
        for k in 0..<(layer.inputs * layer.outputs) { out[k] = rng.uniform(in: -limit, limit) }
    }

    /// x₀ block by block (see ``initialBlock(_:into:)``).
    func makeInitialPoint() -> [Double] {
        var x0 = [Double](repeating: 0, count: dimension)
        x0.withUnsafeMutableBufferPointer { x in
            for (l, range) in sequentialBlocks.enumerated() {
                initialBlock(l, into: UnsafeMutableBufferPointer(rebasing: x[range]))
            }
        }
        return x0
    }

    public func loss(_ h: BlockActivation) -> Double {
        withBatch { _, ys, n in
            precondition(h.rows == n && h.columns == network.outputLayer.outputs, "loss needs the last block's output")
            let penalty = network.l2 == 0 ? 0 : 0.5 * network.l2 * h.accumulator
            return network.meanLoss(logits: h.storage, labels: ys, rows: n) + penalty
        }
    }
}
