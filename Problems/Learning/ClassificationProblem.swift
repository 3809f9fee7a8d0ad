import LinearAlgebra
import OptimizationCore

/// A classification objective on a ``StandardizedSplit``: logistic
/// regression, softmax regression or an MLP (all a ``DenseNetwork``).
///
/// f(x) = (1/N) Σ_{i ∈ batch} ℓᵢ(x) + (l2/2) Σ ‖W‖², biases not regularised.
/// With `batchSize == 0` the batch is the whole training set; otherwise
/// ``beginStep(_:)`` selects step k's batch from a ``MinibatchSchedule``
/// and every call until the next `beginStep` sees that batch.
/// ``fullValue(at:)`` is always the full training objective and
/// ``testMetric(at:)`` the accuracy on the test rows.
///
/// The instance owns all workspaces (allocated once); a call takes its
/// pointers once and runs whole-batch BLAS passes.
public final class ClassificationProblem: TrainingObjective, HessianObjective, HessianVectorObjective,
    LayerStatisticsObjective, SampledLabelObjective, CurvatureMatrixObjective {
    public let name: String
    public let layout: ParameterLayout
    /// Linear models (no hidden layer) form the dense Hessian, Gauss–Newton
    /// and Fisher matrices; networks give Hessian-vector products only.
    public let providesHessian: Bool
    /// x₀, built on first use (a block-streamed run on a huge network never
    /// asks for it: it fills its store with ``initialBlock(_:into:)``).
    public private(set) lazy var initialPoint: [Double] = makeInitialPoint()
    /// The seed of the Glorot-uniform weights (nil: x₀ = 0).
    let initSeed: UInt64?
    public let knownMinimum: KnownMinimum?
    public let split: StandardizedSplit
    /// The minibatch order (nil for full batch).
    public let schedule: MinibatchSchedule?
    let network: DenseNetwork
    /// Each dense layer's parameter range (weights then bias), in forward order.
    let layerRanges: [Range<Int>]

    /// The current step's rows.
    private let batch: MinibatchBuffer
    /// Labels drawn for `.sampled` layer statistics.
    private let sampled: UnsafeMutablePointer<Int>

    public var dimension: Int { layout.dimension }

    /// Training-row indices (into the split's training rows) of the current step.
    public var currentBatch: ArraySlice<Int> { batch.rows }

    /// Builds the network. `hidden` lists hidden widths (empty: a linear
    /// model, whose blocks are named `weight`/`bias`; otherwise
    /// `layerK.weight`/`layerK.bias`). `initSeed` nil gives x0 = 0, otherwise
    /// Glorot-uniform weights from that seed and zero biases.
    init(name: String, split: StandardizedSplit, hidden: [Int], activation: Activation, head: OutputHead,
         l2: Double, batchSize: Int, seed: UInt64, initSeed: UInt64?, knownMinimum: KnownMinimum?) {
        let outputs = head == .logistic ? 1 : split.classCount
        let widths = [split.featureCount] + hidden + [outputs]
        var named: [(String, [Int])] = []
        var layers: [DenseLayer] = []
        var offset = 0
        for l in 0..<(widths.count - 1) {
            let (fanIn, fanOut) = (widths[l], widths[l + 1])
            let prefix = hidden.isEmpty ? "" : "layer\(l + 1)."
            named.append((prefix + "weight", [fanOut, fanIn]))
            named.append((prefix + "bias", [fanOut]))
            layers.append(DenseLayer(inputs: fanIn, outputs: fanOut, weightOffset: offset,
                                     biasOffset: offset + fanIn * fanOut,
                                     activation: l < widths.count - 2 ? activation : nil))
            offset += (fanIn + 1) * fanOut
        }
        self.name = name
        self.split = split
        self.layout = ParameterLayout(named)
        self.knownMinimum = knownMinimum
        self.schedule = batchSize > 0 ? MinibatchSchedule(trainingCount: split.trainingCount, batchSize: batchSize, seed: seed) : nil
        let trainCapacity = batchSize > 0 ? batchSize : split.trainingCount
        network = DenseNetwork(layers: layers, head: head, l2: l2,
                               forwardCapacity: max(split.trainingCount, split.testCount),
                               trainCapacity: trainCapacity)
        providesHessian = hidden.isEmpty
        layerRanges = layers.map { $0.weightOffset..<($0.biasOffset + $0.outputs) }

        self.initSeed = initSeed

        batch = MinibatchBuffer(split: split, schedule: schedule)
        sampled = .allocate(capacity: trainCapacity)
    }

    deinit {
        sampled.deallocate()
    }

    // MARK: - Batches

    public var usesMinibatches: Bool { schedule != nil }

    public func beginStep(_ step: Int) { batch.select(step: step) }

    /// Runs `body` on the current batch: (features N × p, labels, N).
    func withBatch<R>(_ body: (UnsafePointer<Double>, UnsafePointer<Int>, Int) throws -> R) rethrows -> R {
        try batch.withBatch(body)
    }

    private func check(_ x: [Double]) throws {
        guard x.count == dimension else { throw ObjectiveError.dimensionMismatch(expected: dimension, got: x.count) }
    }

    // MARK: - Objective

    public func value(at x: [Double]) throws -> Double {
        try check(x)
        return x.withUnsafeBufferPointer { w in
            withBatch { xs, ys, n in
                network.forward(weights: w.baseAddress!, input: xs, rows: n)
                return network.meanLoss(labels: ys, rows: n) + network.regularizer(weights: w.baseAddress!)
            }
        }
    }

    public func gradient(at x: [Double], into gradient: inout [Double]) throws -> Double {
        try gradientPass(at: x, into: &gradient, statistics: nil).value
    }

    public func hessian(at x: [Double]) throws -> Matrix {
        guard providesHessian else {
            throw ObjectiveError.unsupported("a dense Hessian (only Hessian-vector products)", problem: name)
        }
        try check(x)
        return x.withUnsafeBufferPointer { w in
            withBatch { xs, _, n in
                network.forward(weights: w.baseAddress!, input: xs, rows: n)
                return network.linearModelHessian(input: xs, rows: n)
            }
        }
    }

    /// Linear models only. The Gauss–Newton matrix equals the Hessian here
    /// (canonical link: the logits are linear in the parameters); the
    /// empirical Fisher replaces each row's output curvature by rᵢrᵢᵀ,
    /// rᵢ = pᵢ − yᵢ.
    public func provides(_ kind: CurvatureKind) -> Bool { providesHessian }

    public func curvatureMatrix(_ kind: CurvatureKind, at x: [Double]) throws -> Matrix {
        guard provides(kind) else {
            throw ObjectiveError.unsupported("\(kind.label) (linear models only)", problem: name)
        }
        try check(x)
        return x.withUnsafeBufferPointer { w in
            withBatch { xs, ys, n in
                network.forward(weights: w.baseAddress!, input: xs, rows: n)
                switch kind {
                case .ggn:
                    return network.linearModelHessian(input: xs, rows: n)
                case .fisher:
                    network.outputDeltas(labels: ys, rows: n)
                    return network.linearModelHessian(input: xs, rows: n,
                                                      curvature: .empiricalFisher(residuals: network.outputResiduals))
                }
            }
        }
    }

    public func hessianVectorProduct(at x: [Double], _ v: [Double], into result: inout [Double]) throws {
        try check(x)
        guard v.count == dimension else { throw ObjectiveError.dimensionMismatch(expected: dimension, got: v.count) }
        if result.count != dimension { result = [Double](repeating: 0, count: dimension) }
        x.withUnsafeBufferPointer { w in
            v.withUnsafeBufferPointer { vp in
                result.withUnsafeMutableBufferPointer { hv in
                    withBatch { xs, ys, n in
                        let wp = w.baseAddress!
                        network.forward(weights: wp, input: xs, rows: n)
                        network.outputDeltas(labels: ys, rows: n)
                        network.backpropagateDeltas(weights: wp, rows: n)
                        network.hessianVectorProduct(weights: wp, direction: vp.baseAddress!, input: xs, rows: n,
                                                     into: hv.baseAddress!)
                    }
                }
            }
        }
    }

    public func layerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws -> LayerStatistics {
        try check(x)
        return x.withUnsafeBufferPointer { w in
            withBatch { xs, ys, n in
                network.forward(weights: w.baseAddress!, input: xs, rows: n)
                return statisticsAfterForward(weights: w.baseAddress!, input: xs, labels: ys, rows: n,
                                              targets: targets, seed: seed)
            }
        }
    }

    /// One forward pass for both; with empirical targets the backward pass
    /// is shared too (the statistics' δ are the gradient's). Bit-identical to
    /// the two separate calls: the same arithmetic on the same activations.
    public func sampledLabelGradient(at x: [Double], seed: UInt64, into gradient: inout [Double]) throws -> Int {
        try check(x)
        if gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        return x.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                withBatch { xs, _, n in
                    let wp = w.baseAddress!
                    network.forward(weights: wp, input: xs, rows: n)
                    var rng = SplitMix64(seed: seed)
                    network.sampleLabels(rows: n, rng: &rng, into: sampled)
                    network.outputDeltas(labels: sampled, rows: n)
                    network.backpropagateDeltas(weights: wp, rows: n)
                    network.accumulateGradient(weights: wp, input: xs, rows: n, into: g.baseAddress!, regularized: false)
                    return n
                }
            }
        }
    }

    public func gradientAndLayerStatistics(at x: [Double], into gradient: inout [Double], targets: TargetMode,
                                           seed: UInt64) throws -> (value: Double, statistics: LayerStatistics) {
        let pass = try gradientPass(at: x, into: &gradient, statistics: (targets, seed))
        return (pass.value, pass.statistics!)
    }

    /// Forward pass, loss, then (when asked) the layer statistics, then the
    /// gradient's backward pass — reusing the statistics' one for empirical targets.
    private func gradientPass(at x: [Double], into gradient: inout [Double],
                              statistics request: (targets: TargetMode, seed: UInt64)?) throws
        -> (value: Double, statistics: LayerStatistics?) {
        try check(x)
        if gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        return x.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                withBatch { xs, ys, n in
                    let wp = w.baseAddress!
                    network.forward(weights: wp, input: xs, rows: n)
                    let f = network.meanLoss(labels: ys, rows: n) + network.regularizer(weights: wp)
                    let stats = request.map {
                        statisticsAfterForward(weights: wp, input: xs, labels: ys, rows: n, targets: $0.targets, seed: $0.seed)
                    }
                    if request?.targets != .empirical {
                        network.outputDeltas(labels: ys, rows: n)
                        network.backpropagateDeltas(weights: wp, rows: n)
                    }
                    network.accumulateGradient(weights: wp, input: xs, rows: n, into: g.baseAddress!)
                    return (f, stats)
                }
            }
        }
    }

    /// The statistics of ``layerStatistics(at:targets:seed:)`` once the
    /// forward pass at the weights has run on this batch. Leaves the
    /// network's δ buffers holding the statistics' backward pass.
    private func statisticsAfterForward(weights wp: UnsafePointer<Double>, input xs: UnsafePointer<Double>,
                                        labels ys: UnsafePointer<Int>, rows n: Int,
                                        targets: TargetMode, seed: UInt64) -> LayerStatistics {
        switch targets {
        case .empirical:
            network.outputDeltas(labels: ys, rows: n)
        case .sampled:
            var rng = SplitMix64(seed: seed)
            network.sampleLabels(rows: n, rng: &rng, into: sampled)
            network.outputDeltas(labels: sampled, rows: n)
        case .ggn:
            return gaussNewtonStatistics(weights: wp, input: xs, rows: n)
        }
        network.backpropagateDeltas(weights: wp, rows: n)
        return LayerStatistics(layers: network.layers.indices.map { statistics(layer: $0, input: xs, rows: n) },
                               batchSize: n)
    }

    /// Exact-GGN statistics: one backward pass per column k of the output
    /// Hessian's square root (``DenseNetwork/gaussNewtonOutputDeltas(column:rows:)``);
    /// row i·C + k holds aᵢ and the δ of column k, and `sharing` is C, so that
    /// G = C·gᵀg/(N·C) = (1/N) Σᵢ Σ_k g_ik g_ikᵀ (the ``TargetMode/ggn`` convention).
    private func gaussNewtonStatistics(weights wp: UnsafePointer<Double>, input: UnsafePointer<Double>,
                                       rows n: Int) -> LayerStatistics {
        let columns = network.outputLayer.outputs
        var layers = network.layers.indices.map { l -> LayerStatistics.Layer in
            let layer = network.layers[l]
            let weight = layout.blocks[2 * l], bias = layout.blocks[2 * l + 1]
            let layerName = weight.name == "weight" ? "linear" : String(weight.name.dropLast(".weight".count))
            var a = Matrix(rows: n * columns, columns: layer.inputs + 1, repeating: 1)
            let source = network.layerInput(l, input: input)
            a.storage.withUnsafeMutableBufferPointer { ap in
                for i in 0..<n {
                    for k in 0..<columns {
                        (ap.baseAddress! + (i * columns + k) * (layer.inputs + 1))
                            .update(from: source + i * layer.inputs, count: layer.inputs)
                    }
                }
            }
            return .init(name: layerName, weight: weight, bias: bias, inputs: a,
                         outputGradients: Matrix(rows: n * columns, columns: layer.outputs), sharing: columns)
        }
        for k in 0..<columns {
            network.gaussNewtonOutputDeltas(column: k, rows: n)
            network.backpropagateDeltas(weights: wp, rows: n)
            for l in layers.indices {
                let width = network.layers[l].outputs, delta = network.layerDelta(l)
                layers[l].outputGradients.storage.withUnsafeMutableBufferPointer { gp in
                    for i in 0..<n {
                        (gp.baseAddress! + (i * columns + k) * width).update(from: delta + i * width, count: width)
                    }
                }
            }
        }
        return LayerStatistics(layers: layers, batchSize: n, passes: columns)
    }

    /// a = [input | 1] (ones column last) and g = per-sample δ of layer `l`.
    private func statistics(layer l: Int, input: UnsafePointer<Double>, rows: Int) -> LayerStatistics.Layer {
        let layer = network.layers[l]
        let width = layer.inputs + 1
        var a = Matrix(rows: rows, columns: width, repeating: 1)
        var g = Matrix(rows: rows, columns: layer.outputs)
        let source = network.layerInput(l, input: input)
        a.storage.withUnsafeMutableBufferPointer { ap in
            for i in 0..<rows { (ap.baseAddress! + i * width).update(from: source + i * layer.inputs, count: layer.inputs) }
        }
        g.storage.withUnsafeMutableBufferPointer { gp in
            gp.baseAddress!.update(from: network.layerDelta(l), count: rows * layer.outputs)
        }
        let weight = layout.blocks[2 * l], bias = layout.blocks[2 * l + 1]
        let layerName = weight.name == "weight" ? "linear" : String(weight.name.dropLast(".weight".count))
        return .init(name: layerName, weight: weight, bias: bias, inputs: a, outputGradients: g)
    }

    public func fullValue(at x: [Double]) throws -> Double {
        try check(x)
        guard schedule != nil else { return try value(at: x) }
        return x.withUnsafeBufferPointer { w in
            split.trainingFeatures.withUnsafeBufferPointer { xs in
                split.trainingLabels.withUnsafeBufferPointer { ys in
                    network.forward(weights: w.baseAddress!, input: xs.baseAddress!, rows: split.trainingCount)
                    return network.meanLoss(labels: ys.baseAddress!, rows: split.trainingCount)
                        + network.regularizer(weights: w.baseAddress!)
                }
            }
        }
    }

    /// Accuracy on the test rows (every fifth row of the file).
    public func testMetric(at x: [Double]) -> Double? {
        guard x.count == dimension, split.testCount > 0 else { return nil }
        return x.withUnsafeBufferPointer { w in
            split.testFeatures.withUnsafeBufferPointer { xs in
                split.testLabels.withUnsafeBufferPointer { ys in
                    network.forward(weights: w.baseAddress!, input: xs.baseAddress!, rows: split.testCount)
                    let correct = network.correctCount(labels: ys.baseAddress!, rows: split.testCount)
                    return Double(correct) / Double(split.testCount)
                }
            }
        }
    }
}
