import LinearAlgebra
import OptimizationCore
import RealModule

/// `cnn`: a small convolutional classifier on square grey-scale images
/// (the 8×8 digits by default), with exact derivatives.
///
/// Architecture (PyTorch's conventions, so that a float64 `nn.Sequential`
/// of the same layers gives the same numbers): for each entry of `channels`,
/// `Conv2d(k, padding k/2) → ReLU → MaxPool2d(2)`, then `Flatten` (channel,
/// y, x order) and one `Linear` to the classes; softmax cross-entropy.
///
/// f(x) = (1/N) Σᵢ ℓᵢ + (l2/2)(Σ‖W_conv‖² + ‖W_linear‖²), biases not
/// regularised; features standardised as for `mlp` (``StandardizedSplit``).
///
/// Convolutions are im2col + one `dgemm` per layer over the whole batch
/// (rows = image positions). The Hessian-vector product is Pearlmutter's
/// R-operator: a tangent forward pass (ReLU and max-pool are piecewise
/// linear, so the tangent follows the primal's masks and maxima) and a
/// tangent backward pass. Layer statistics are KFC's (Grosse & Martens,
/// ICML 2016): one row per (image, position) for a convolution — the patch
/// with a trailing 1 as `inputs`, the per-image gradient of the
/// pre-activation at that position as `outputGradients`, `sharing` =
/// positions — and one row per image for the linear layer.
public final class ConvolutionalNetworkProblem: TrainingObjective, HessianVectorObjective, LayerStatisticsObjective,
    SampledLabelObjective {
    public let name: String
    public let layout: ParameterLayout
    public let initialPoint: [Double]
    public let split: StandardizedSplit
    public let schedule: MinibatchSchedule?
    let stages: [ConvolutionStage]
    /// The classifier: inputs = flattened last pooled map, outputs = classes.
    let linear: DenseLayer
    let l2: Double

    public var dimension: Int { layout.dimension }
    public var knownMinimum: KnownMinimum? { nil }

    /// The current step's images and labels.
    private let batch: MinibatchBuffer
    private let trainCapacity: Int
    private let sampledLabels: UnsafeMutablePointer<Int>
    /// False while ``sampledLabelGradient(at:seed:into:)`` runs: that gradient is of the loss alone.
    private var decayInBackward = true

    // Forward buffers (capacity: the larger of the training and test sets).
    private let pool: BufferPool
    private let patches: [UnsafeMutablePointer<Double>]
    private let activations: [UnsafeMutablePointer<Double>]
    private let pooled: [UnsafeMutablePointer<Double>]
    private let argmax: [UnsafeMutablePointer<Int32>]
    private let flat: UnsafeMutablePointer<Double>
    /// Logits, then (after ``softmax(rows:)``) the class probabilities.
    private let probabilities: UnsafeMutablePointer<Double>
    private let logits: UnsafeMutablePointer<Double>
    private let logSumExp: UnsafeMutablePointer<Double>
    // Backward buffers (capacity: one training batch): per-image gradients, not divided by N.
    private let outputDelta: UnsafeMutablePointer<Double>
    private let flatDelta: UnsafeMutablePointer<Double>
    private let pooledDelta: [UnsafeMutablePointer<Double>]
    private let preDelta: [UnsafeMutablePointer<Double>]
    private let patchDelta: UnsafeMutablePointer<Double>
    /// Tangent (R-operator) buffers, allocated by the first Hessian-vector product.
    private var tangent: TangentBuffers?

    private struct TangentBuffers {
        let patches, activations, pooled, pooledDelta, preDelta: [UnsafeMutablePointer<Double>]
        let flat, logits, outputDelta, flatDelta, patchDelta: UnsafeMutablePointer<Double>
    }

    /// `channels` lists the convolution widths; images are side × side
    /// (side² = the data set's feature count).
    init(name: String, split: StandardizedSplit, side: Int, channels: [Int], kernel: Int, l2: Double,
         batchSize: Int, seed: UInt64) {
        self.name = name
        self.split = split
        self.l2 = l2
        var named: [(String, [Int])] = []
        var stages: [ConvolutionStage] = []
        var (offset, size, inChannels) = (0, side, 1)
        for (l, out) in channels.enumerated() {
            let stage = ConvolutionStage(inputChannels: inChannels, outputChannels: out, kernel: kernel, height: size,
                                         width: size, weightOffset: offset, biasOffset: offset + out * inChannels * kernel * kernel)
            named.append(("conv\(l + 1).weight", [out, inChannels, kernel, kernel]))
            named.append(("conv\(l + 1).bias", [out]))
            offset = stage.biasOffset + out
            stages.append(stage)
            size /= 2
            inChannels = out
        }
        let features = inChannels * size * size
        linear = DenseLayer(inputs: features, outputs: split.classCount, weightOffset: offset,
                            biasOffset: offset + features * split.classCount, activation: nil)
        named.append(("linear.weight", [split.classCount, features]))
        named.append(("linear.bias", [split.classCount]))
        self.stages = stages
        layout = ParameterLayout(named)
        schedule = batchSize > 0 ? MinibatchSchedule(trainingCount: split.trainingCount, batchSize: batchSize, seed: seed) : nil

        // PyTorch's default initialisation of Conv2d and Linear: weights and
        // biases U(−1/√fan_in, 1/√fan_in), drawn in layout order.
        var rng = SplitMix64(seed: SplitMix64.derive(seed, 0x636E_6E69_6E69_74))
        var x0 = [Double](repeating: 0, count: linear.biasOffset + linear.outputs)
        for s in stages {
            let bound = 1 / Double(s.patchWidth).squareRoot()
            for k in s.weightOffset..<(s.biasOffset + s.outputChannels) { x0[k] = rng.uniform(in: -bound, bound) }
        }
        let bound = 1 / Double(linear.inputs).squareRoot()
        for k in linear.weightOffset..<(linear.biasOffset + linear.outputs) { x0[k] = rng.uniform(in: -bound, bound) }
        initialPoint = x0

        let forward = max(split.trainingCount, split.testCount)
        trainCapacity = batchSize > 0 ? batchSize : split.trainingCount
        let train = trainCapacity
        let pool = BufferPool()
        self.pool = pool
        patches = stages.map { pool.doubles(forward * $0.positions * $0.patchWidth) }
        activations = stages.map { pool.doubles(forward * $0.positions * $0.outputChannels) }
        pooled = stages.map { pool.doubles(forward * $0.pooledPositions * $0.outputChannels) }
        argmax = stages.map { pool.indices(forward * $0.pooledPositions * $0.outputChannels) }
        flat = pool.doubles(forward * features)
        logits = pool.doubles(forward * split.classCount)
        probabilities = pool.doubles(forward * split.classCount)
        logSumExp = pool.doubles(forward)
        outputDelta = pool.doubles(train * split.classCount)
        flatDelta = pool.doubles(train * features)
        pooledDelta = stages.map { pool.doubles(train * $0.pooledPositions * $0.outputChannels) }
        preDelta = stages.map { pool.doubles(train * $0.positions * $0.outputChannels) }
        patchDelta = pool.doubles(train * (stages.map { $0.positions * $0.patchWidth }.max() ?? 1))
        batch = MinibatchBuffer(split: split, schedule: schedule)
        sampledLabels = .allocate(capacity: train)
    }

    deinit {
        sampledLabels.deallocate()
    }

    // MARK: - Batches

    public var usesMinibatches: Bool { schedule != nil }

    public func beginStep(_ step: Int) { batch.select(step: step) }

    private func withBatch<R>(_ body: (UnsafePointer<Double>, UnsafePointer<Int>, Int) throws -> R) rethrows -> R {
        try batch.withBatch(body)
    }

    private func check(_ x: [Double]) throws {
        guard x.count == dimension else { throw ObjectiveError.dimensionMismatch(expected: dimension, got: x.count) }
    }

    // MARK: - Forward

    /// Forward pass over `n` images; with `direction` also the tangent
    /// (R-operator) forward pass along it. Leaves probabilities and log Σ exp.
    private func forward(_ w: UnsafePointer<Double>, images: UnsafePointer<Double>, count n: Int,
                         direction v: UnsafePointer<Double>? = nil) {
        let t = v == nil ? nil : tangent!
        var input = images
        var tangentInput: UnsafePointer<Double>? = nil
        for (l, s) in stages.enumerated() {
            let rows = n * s.positions, a = activations[l]
            s.im2col(input, images: n, into: patches[l])
            fillRows(a, rows: rows, with: w + s.biasOffset, count: s.outputChannels)
            BLAS.gemm(m: rows, n: s.outputChannels, k: s.patchWidth, alpha: 1, a: patches[l], lda: s.patchWidth,
                      transposeA: false, b: w + s.weightOffset, ldb: s.patchWidth, transposeB: true,
                      beta: 1, c: a, ldc: s.outputChannels)
            if let v, let t {
                // R{s} = R{patches}·Wᵀ + patches·Vᵀ + v_b (the first stage's input is data: no R{patches}).
                let ra = t.activations[l]
                fillRows(ra, rows: rows, with: v + s.biasOffset, count: s.outputChannels)
                if let tangentInput {
                    s.im2col(tangentInput, images: n, into: t.patches[l])
                    BLAS.gemm(m: rows, n: s.outputChannels, k: s.patchWidth, alpha: 1, a: t.patches[l],
                              lda: s.patchWidth, transposeA: false, b: w + s.weightOffset, ldb: s.patchWidth,
                              transposeB: true, beta: 1, c: ra, ldc: s.outputChannels)
                }
                BLAS.gemm(m: rows, n: s.outputChannels, k: s.patchWidth, alpha: 1, a: patches[l], lda: s.patchWidth,
                          transposeA: false, b: v + s.weightOffset, ldb: s.patchWidth, transposeB: true,
                          beta: 1, c: ra, ldc: s.outputChannels)
                for i in 0..<(rows * s.outputChannels) where !(a[i] > 0) { a[i] = 0; ra[i] = 0 }
            } else {
                for i in 0..<(rows * s.outputChannels) where !(a[i] > 0) { a[i] = 0 }
            }
            s.pool(a, images: n, into: pooled[l], argmax: argmax[l])
            input = UnsafePointer(pooled[l])
            if let t, v != nil {
                s.gather(t.activations[l], argmax: argmax[l], images: n, into: t.pooled[l])
                tangentInput = UnsafePointer(t.pooled[l])
            }
        }
        let last = stages[stages.count - 1]
        flatten(input, images: n, stage: last, into: flat)
        affine(flat, rows: n, weights: w, into: logits)
        if let v, let t, let tangentInput {
            flatten(tangentInput, images: n, stage: last, into: t.flat)
            fillRows(t.logits, rows: n, with: v + linear.biasOffset, count: linear.outputs)
            BLAS.gemm(m: n, n: linear.outputs, k: linear.inputs, alpha: 1, a: t.flat, lda: linear.inputs,
                      transposeA: false, b: w + linear.weightOffset, ldb: linear.inputs, transposeB: true,
                      beta: 1, c: t.logits, ldc: linear.outputs)
            BLAS.gemm(m: n, n: linear.outputs, k: linear.inputs, alpha: 1, a: flat, lda: linear.inputs,
                      transposeA: false, b: v + linear.weightOffset, ldb: linear.inputs, transposeB: true,
                      beta: 1, c: t.logits, ldc: linear.outputs)
        }
        softmax(rows: n)
    }

    /// Every row of `target` (rows × count) set to `row`.
    private func fillRows(_ target: UnsafeMutablePointer<Double>, rows: Int, with row: UnsafePointer<Double>, count: Int) {
        for r in 0..<rows { (target + r * count).update(from: row, count: count) }
    }

    /// logits = input·Wᵀ + b for the classifier.
    private func affine(_ input: UnsafePointer<Double>, rows n: Int, weights w: UnsafePointer<Double>,
                        into out: UnsafeMutablePointer<Double>) {
        fillRows(out, rows: n, with: w + linear.biasOffset, count: linear.outputs)
        BLAS.gemm(m: n, n: linear.outputs, k: linear.inputs, alpha: 1, a: input, lda: linear.inputs,
                  transposeA: false, b: w + linear.weightOffset, ldb: linear.inputs, transposeB: true,
                  beta: 1, c: out, ldc: linear.outputs)
    }

    /// NHWC pooled map → one row per image in (channel, y, x) order (PyTorch's `Flatten`).
    private func flatten(_ map: UnsafePointer<Double>, images n: Int, stage s: ConvolutionStage,
                         into out: UnsafeMutablePointer<Double>) {
        let (positions, c) = (s.pooledPositions, s.outputChannels)
        for i in 0..<n {
            for p in 0..<positions { for ch in 0..<c { out[(i * c + ch) * positions + p] = map[(i * positions + p) * c + ch] } }
        }
    }

    /// The adjoint of ``flatten(_:images:stage:into:)``.
    private func unflatten(_ rows: UnsafePointer<Double>, images n: Int, stage s: ConvolutionStage,
                           into map: UnsafeMutablePointer<Double>) {
        let (positions, c) = (s.pooledPositions, s.outputChannels)
        for i in 0..<n {
            for p in 0..<positions { for ch in 0..<c { map[(i * positions + p) * c + ch] = rows[(i * c + ch) * positions + p] } }
        }
    }

    /// Probabilities and log Σ exp of each row of the logits.
    private func softmax(rows n: Int) {
        let c = linear.outputs
        for i in 0..<n {
            let z = logits + i * c, p = probabilities + i * c
            var m = z[0]
            for k in 1..<c { m = max(m, z[k]) }
            var sum = 0.0
            for k in 0..<c { p[k] = Double.exp(z[k] - m); sum += p[k] }
            for k in 0..<c { p[k] /= sum }
            logSumExp[i] = m + Double.log(sum)
        }
    }

    private func meanLoss(labels: UnsafePointer<Int>, rows n: Int) -> Double {
        var total = 0.0
        for i in 0..<n { total += logSumExp[i] - logits[i * linear.outputs + labels[i]] }
        return total / Double(n)
    }

    private func regularizer(_ w: UnsafePointer<Double>) -> Double {
        guard l2 != 0 else { return 0 }
        var sum = 0.0
        for s in stages { for k in 0..<s.weightCount { sum += w[s.weightOffset + k] * w[s.weightOffset + k] } }
        for k in 0..<(linear.inputs * linear.outputs) { sum += w[linear.weightOffset + k] * w[linear.weightOffset + k] }
        return 0.5 * l2 * sum
    }

    // MARK: - Backward

    /// Backward pass for `labels` after ``forward(_:images:count:direction:)``
    /// on the same `n` images: per-image δ in the backward buffers and, when
    /// `gradient` is given, ∇f there. With `direction` (the forward must have
    /// had it too) also the tangent backward pass, H·v into `product`.
    private func backward(_ w: UnsafePointer<Double>, labels: UnsafePointer<Int>, count n: Int,
                          gradient: UnsafeMutablePointer<Double>?,
                          direction v: UnsafePointer<Double>? = nil, product hv: UnsafeMutablePointer<Double>? = nil) {
        let c = linear.outputs, scale = 1 / Double(n)
        let t = v == nil ? nil : tangent!
        outputDelta.update(from: probabilities, count: n * c)
        for i in 0..<n { outputDelta[i * c + labels[i]] -= 1 }
        if let t {
            // R{δ} = (diag p − ppᵀ)·R{z} per image.
            for i in 0..<n {
                let p = probabilities + i * c, rz = t.logits + i * c, rd = t.outputDelta + i * c
                var dot = 0.0
                for k in 0..<c { dot += p[k] * rz[k] }
                for k in 0..<c { rd[k] = p[k] * (rz[k] - dot) }
            }
        }
        // Classifier.
        if let gradient {
            weightGradient(delta: outputDelta, input: flat, rows: n, outputs: c, inputs: linear.inputs, scale: scale,
                           beta: 0, into: gradient + linear.weightOffset)
            columnSums(outputDelta, rows: n, columns: c, scale: scale, into: gradient + linear.biasOffset)
            addDecay(gradient + linear.weightOffset, w + linear.weightOffset, count: c * linear.inputs)
        }
        if let v, let t, let hv {
            weightGradient(delta: t.outputDelta, input: flat, rows: n, outputs: c, inputs: linear.inputs, scale: scale,
                           beta: 0, into: hv + linear.weightOffset)
            weightGradient(delta: outputDelta, input: t.flat, rows: n, outputs: c, inputs: linear.inputs, scale: scale,
                           beta: 1, into: hv + linear.weightOffset)
            columnSums(t.outputDelta, rows: n, columns: c, scale: scale, into: hv + linear.biasOffset)
            addDecay(hv + linear.weightOffset, v + linear.weightOffset, count: c * linear.inputs)
        }
        let last = stages.count - 1
        BLAS.gemm(m: n, n: linear.inputs, k: c, alpha: 1, a: outputDelta, lda: c, transposeA: false,
                  b: w + linear.weightOffset, ldb: linear.inputs, transposeB: false, beta: 0, c: flatDelta, ldc: linear.inputs)
        unflatten(flatDelta, images: n, stage: stages[last], into: pooledDelta[last])
        if let v, let t {
            BLAS.gemm(m: n, n: linear.inputs, k: c, alpha: 1, a: t.outputDelta, lda: c, transposeA: false,
                      b: w + linear.weightOffset, ldb: linear.inputs, transposeB: false, beta: 0, c: t.flatDelta,
                      ldc: linear.inputs)
            BLAS.gemm(m: n, n: linear.inputs, k: c, alpha: 1, a: outputDelta, lda: c, transposeA: false,
                      b: v + linear.weightOffset, ldb: linear.inputs, transposeB: false, beta: 1, c: t.flatDelta,
                      ldc: linear.inputs)
            unflatten(t.flatDelta, images: n, stage: stages[last], into: t.pooledDelta[last])
        }
        // Convolutions, last to first.
        for l in stride(from: last, through: 0, by: -1) {
            let s = stages[l], rows = n * s.positions, a = activations[l], d = preDelta[l]
            s.scatter(pooledDelta[l], argmax: argmax[l], images: n, into: d)
            for i in 0..<(rows * s.outputChannels) where !(a[i] > 0) { d[i] = 0 }
            if let gradient {
                weightGradient(delta: d, input: patches[l], rows: rows, outputs: s.outputChannels, inputs: s.patchWidth,
                               scale: scale, beta: 0, into: gradient + s.weightOffset)
                columnSums(d, rows: rows, columns: s.outputChannels, scale: scale, into: gradient + s.biasOffset)
                addDecay(gradient + s.weightOffset, w + s.weightOffset, count: s.weightCount)
            }
            if let v, let t, let hv {
                let rd = t.preDelta[l]
                s.scatter(t.pooledDelta[l], argmax: argmax[l], images: n, into: rd)
                for i in 0..<(rows * s.outputChannels) where !(a[i] > 0) { rd[i] = 0 }
                weightGradient(delta: rd, input: patches[l], rows: rows, outputs: s.outputChannels, inputs: s.patchWidth,
                               scale: scale, beta: 0, into: hv + s.weightOffset)
                if l > 0 {
                    weightGradient(delta: d, input: t.patches[l], rows: rows, outputs: s.outputChannels,
                                   inputs: s.patchWidth, scale: scale, beta: 1, into: hv + s.weightOffset)
                }
                columnSums(rd, rows: rows, columns: s.outputChannels, scale: scale, into: hv + s.biasOffset)
                addDecay(hv + s.weightOffset, v + s.weightOffset, count: s.weightCount)
            }
            guard l > 0 else { break }
            BLAS.gemm(m: rows, n: s.patchWidth, k: s.outputChannels, alpha: 1, a: d, lda: s.outputChannels,
                      transposeA: false, b: w + s.weightOffset, ldb: s.patchWidth, transposeB: false,
                      beta: 0, c: patchDelta, ldc: s.patchWidth)
            s.col2im(patchDelta, images: n, into: pooledDelta[l - 1])
            if let v, let t {
                BLAS.gemm(m: rows, n: s.patchWidth, k: s.outputChannels, alpha: 1, a: t.preDelta[l], lda: s.outputChannels,
                          transposeA: false, b: w + s.weightOffset, ldb: s.patchWidth, transposeB: false,
                          beta: 0, c: t.patchDelta, ldc: s.patchWidth)
                BLAS.gemm(m: rows, n: s.patchWidth, k: s.outputChannels, alpha: 1, a: d, lda: s.outputChannels,
                          transposeA: false, b: v + s.weightOffset, ldb: s.patchWidth, transposeB: false,
                          beta: 1, c: t.patchDelta, ldc: s.patchWidth)
                s.col2im(t.patchDelta, images: n, into: t.pooledDelta[l - 1])
            }
        }
    }

    /// out (outputs × inputs) ← scale·δᵀ·input + beta·out.
    private func weightGradient(delta: UnsafePointer<Double>, input: UnsafePointer<Double>, rows: Int, outputs: Int,
                                inputs: Int, scale: Double, beta: Double, into out: UnsafeMutablePointer<Double>) {
        BLAS.gemm(m: outputs, n: inputs, k: rows, alpha: scale, a: delta, lda: outputs, transposeA: true,
                  b: input, ldb: inputs, transposeB: false, beta: beta, c: out, ldc: inputs)
    }

    private func columnSums(_ m: UnsafePointer<Double>, rows: Int, columns: Int, scale: Double,
                            into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: columns)
        for r in 0..<rows { for k in 0..<columns { out[k] += m[r * columns + k] } }
        for k in 0..<columns { out[k] *= scale }
    }

    /// Labels drawn from the model's predictive distribution of the last
    /// forward pass, one SplitMix64 uniform per image (inverse cumulative softmax).
    private func sampleLabels(count n: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let c = linear.outputs
        for i in 0..<n {
            sampledLabels[i] = categoricalSample(probabilities + i * c, classes: c, uniform: rng.uniform())
        }
    }

    public func sampledLabelGradient(at x: [Double], seed: UInt64, into gradient: inout [Double]) throws -> Int {
        try check(x)
        if gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        decayInBackward = false
        defer { decayInBackward = true }
        return x.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                withBatch { xs, _, n in
                    forward(w.baseAddress!, images: xs, count: n)
                    sampleLabels(count: n, seed: seed)
                    backward(w.baseAddress!, labels: sampledLabels, count: n, gradient: g.baseAddress!)
                    return n
                }
            }
        }
    }

    private func addDecay(_ g: UnsafeMutablePointer<Double>, _ w: UnsafePointer<Double>, count: Int) {
        guard l2 != 0 && decayInBackward else { return }
        for k in 0..<count { g[k] += l2 * w[k] }
    }

    private func allocateTangent() {
        guard tangent == nil else { return }
        let n = trainCapacity
        tangent = TangentBuffers(
            patches: stages.map { pool.doubles(n * $0.positions * $0.patchWidth) },
            activations: stages.map { pool.doubles(n * $0.positions * $0.outputChannels) },
            pooled: stages.map { pool.doubles(n * $0.pooledPositions * $0.outputChannels) },
            pooledDelta: stages.map { pool.doubles(n * $0.pooledPositions * $0.outputChannels) },
            preDelta: stages.map { pool.doubles(n * $0.positions * $0.outputChannels) },
            flat: pool.doubles(n * linear.inputs), logits: pool.doubles(n * linear.outputs),
            outputDelta: pool.doubles(n * linear.outputs), flatDelta: pool.doubles(n * linear.inputs),
            patchDelta: pool.doubles(n * (stages.map { $0.positions * $0.patchWidth }.max() ?? 1)))
    }

    // MARK: - Objective

    public func value(at x: [Double]) throws -> Double {
        try check(x)
        return x.withUnsafeBufferPointer { w in
            withBatch { xs, ys, n in
                forward(w.baseAddress!, images: xs, count: n)
                return meanLoss(labels: ys, rows: n) + regularizer(w.baseAddress!)
            }
        }
    }

    public func gradient(at x: [Double], into gradient: inout [Double]) throws -> Double {
        try check(x)
        if gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        return x.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                withBatch { xs, ys, n in
                    forward(w.baseAddress!, images: xs, count: n)
                    backward(w.baseAddress!, labels: ys, count: n, gradient: g.baseAddress!)
                    return meanLoss(labels: ys, rows: n) + regularizer(w.baseAddress!)
                }
            }
        }
    }

    public func hessianVectorProduct(at x: [Double], _ v: [Double], into result: inout [Double]) throws {
        try check(x)
        guard v.count == dimension else { throw ObjectiveError.dimensionMismatch(expected: dimension, got: v.count) }
        if result.count != dimension { result = [Double](repeating: 0, count: dimension) }
        allocateTangent()
        x.withUnsafeBufferPointer { w in
            v.withUnsafeBufferPointer { vp in
                result.withUnsafeMutableBufferPointer { hv in
                    withBatch { xs, ys, n in
                        forward(w.baseAddress!, images: xs, count: n, direction: vp.baseAddress!)
                        backward(w.baseAddress!, labels: ys, count: n, gradient: nil, direction: vp.baseAddress!,
                                 product: hv.baseAddress!)
                    }
                }
            }
        }
    }

    public func layerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws -> LayerStatistics {
        var unused: [Double] = []
        return try pass(at: x, gradient: &unused, wantsGradient: false, targets: targets, seed: seed).statistics
    }

    /// One forward pass for both; with empirical targets one backward pass too.
    public func gradientAndLayerStatistics(at x: [Double], into gradient: inout [Double], targets: TargetMode,
                                           seed: UInt64) throws -> (value: Double, statistics: LayerStatistics) {
        try pass(at: x, gradient: &gradient, wantsGradient: true, targets: targets, seed: seed)
    }

    private func pass(at x: [Double], gradient: inout [Double], wantsGradient: Bool, targets: TargetMode,
                      seed: UInt64) throws -> (value: Double, statistics: LayerStatistics) {
        try check(x)
        guard targets != .ggn else {
            throw ObjectiveError.unsupported("exact-GGN layer statistics (use sampled or empirical targets)", problem: name)
        }
        if wantsGradient && gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        return x.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                withBatch { xs, ys, n in
                    let wp = w.baseAddress!
                    forward(wp, images: xs, count: n)
                    let f = meanLoss(labels: ys, rows: n) + regularizer(wp)
                    let statistics: LayerStatistics
                    if targets == .sampled {
                        sampleLabels(count: n, seed: seed)
                        backward(wp, labels: sampledLabels, count: n, gradient: nil)
                        statistics = collectStatistics(images: n)
                        if wantsGradient { backward(wp, labels: ys, count: n, gradient: g.baseAddress!) }
                    } else {
                        backward(wp, labels: ys, count: n, gradient: wantsGradient ? g.baseAddress! : nil)
                        statistics = collectStatistics(images: n)
                    }
                    return (f, statistics)
                }
            }
        }
    }

    /// KFC rows from the buffers of the last forward and backward pass.
    private func collectStatistics(images n: Int) -> LayerStatistics {
        var layers: [LayerStatistics.Layer] = []
        for (l, s) in stages.enumerated() {
            let rows = n * s.positions
            layers.append(.init(name: "conv\(l + 1)", weight: layout.blocks[2 * l], bias: layout.blocks[2 * l + 1],
                                inputs: Matrix.rowsWithOnes(patches[l], rows: rows, columns: s.patchWidth),
                                outputGradients: Matrix.rows(copying: preDelta[l], rows: rows, columns: s.outputChannels),
                                sharing: s.positions))
        }
        let l = stages.count
        layers.append(.init(name: "linear", weight: layout.blocks[2 * l], bias: layout.blocks[2 * l + 1],
                            inputs: Matrix.rowsWithOnes(flat, rows: n, columns: linear.inputs),
                            outputGradients: Matrix.rows(copying: outputDelta, rows: n, columns: linear.outputs)))
        return LayerStatistics(layers: layers, batchSize: n)
    }

    /// The whole training objective (the batch itself when full-batch).
    public func fullValue(at x: [Double]) throws -> Double {
        try check(x)
        guard schedule != nil else { return try value(at: x) }
        return x.withUnsafeBufferPointer { w in
            split.trainingFeatures.withUnsafeBufferPointer { xs in
                split.trainingLabels.withUnsafeBufferPointer { ys in
                    forward(w.baseAddress!, images: xs.baseAddress!, count: split.trainingCount)
                    return meanLoss(labels: ys.baseAddress!, rows: split.trainingCount) + regularizer(w.baseAddress!)
                }
            }
        }
    }

    /// Accuracy on the test rows (every fifth image of the file).
    public func testMetric(at x: [Double]) -> Double? {
        guard x.count == dimension, split.testCount > 0 else { return nil }
        return x.withUnsafeBufferPointer { w in
            split.testFeatures.withUnsafeBufferPointer { xs in
                split.testLabels.withUnsafeBufferPointer { ys in
                    forward(w.baseAddress!, images: xs.baseAddress!, count: split.testCount)
                    let c = linear.outputs
                    var correct = 0
                    for i in 0..<split.testCount {
                        var best = 0
                        for k in 1..<c where logits[i * c + k] > logits[i * c + best] { best = k }
                        if best == ys[i] { correct += 1 }
                    }
                    return Double(correct) / Double(split.testCount)
                }
            }
        }
    }
}
