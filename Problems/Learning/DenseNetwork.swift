import LinearAlgebra
import RealModule

/// A fully connected classifier — a stack of ``DenseLayer``s with a
/// logistic or softmax cross-entropy head — evaluated on whole batches with
/// BLAS gemm (no per-sample loops), with all workspaces allocated once.
///
/// Conventions: a batch is N rows (row-major N × width); `delta[ℓ]` holds
/// the *per-sample* loss gradients with respect to layer ℓ's
/// pre-activations (row i = ∂ℓᵢ/∂sᵢ, not divided by N), which is exactly the
/// `g` of ``LayerStatistics``; the 1/N of the mean loss is applied when
/// the parameter gradient is formed. The objective is
/// (1/N) Σᵢ ℓᵢ + (l2/2) Σ_layers ‖W‖² (biases not regularised).
///
/// The passes are separate per layer (``forwardLayer(_:weights:input:rows:)``)
/// so that the block-sequential API (one block per layer, see
/// `ClassificationProblem+BlockSequential.swift`) can restart the forward
/// pass from a cached layer.
final class DenseNetwork {
    let layers: [DenseLayer]
    let head: OutputHead
    let l2: Double
    /// Rows the forward buffers hold (training set, test set, or one batch).
    let forwardCapacity: Int
    /// Rows the backward and R-pass buffers hold (the largest training batch).
    let trainCapacity: Int

    /// Per layer, N × out: pre-activations s.
    private let pre: [UnsafeMutablePointer<Double>]
    /// Per layer, N × out: activations φ(s); for the output layer, the class probabilities.
    private let post: [UnsafeMutablePointer<Double>]
    /// Per layer, N × out: per-sample gradients with respect to s.
    private let delta: [UnsafeMutablePointer<Double>]
    /// Per layer, N × out: R{s}, R{a} and R{δ} of Pearlmutter's R-operator.
    private let rPre: [UnsafeMutablePointer<Double>]
    private let rPost: [UnsafeMutablePointer<Double>]
    private let rDelta: [UnsafeMutablePointer<Double>]
    /// N × (widest layer input): ∂ℓ/∂a of a hidden layer, for the R-pass.
    private let scratch: UnsafeMutablePointer<Double>
    /// Per row: log Σ exp(logits) (logistic: softplus(z) = log(1 + eᶻ)).
    private let logSumExp: UnsafeMutablePointer<Double>
    /// A column of ones (bias gradients as δᵀ1 through gemm).
    private let ones: UnsafeMutablePointer<Double>
    private var allocations: [UnsafeMutablePointer<Double>] = []

    var outputLayer: DenseLayer { layers[layers.count - 1] }
    var parameterCount: Int { layers.last.map { $0.biasOffset + $0.outputs } ?? 0 }

    init(layers: [DenseLayer], head: OutputHead, l2: Double, forwardCapacity: Int, trainCapacity: Int) {
        precondition(!layers.isEmpty && trainCapacity <= forwardCapacity)
        self.layers = layers
        self.head = head
        self.l2 = l2
        self.forwardCapacity = forwardCapacity
        self.trainCapacity = trainCapacity
        var all: [UnsafeMutablePointer<Double>] = []
        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, count))
            p.initialize(repeating: 0, count: max(1, count))
            all.append(p)
            return p
        }
        pre = layers.map { buffer(forwardCapacity * $0.outputs) }
        post = layers.map { buffer(forwardCapacity * $0.outputs) }
        delta = layers.map { buffer(trainCapacity * $0.outputs) }
        rPre = layers.map { buffer(trainCapacity * $0.outputs) }
        rPost = layers.map { buffer($0.activation == nil ? 1 : trainCapacity * $0.outputs) }   // hidden layers only
        rDelta = layers.map { buffer(trainCapacity * $0.outputs) }
        scratch = buffer(trainCapacity * (layers.map(\.inputs).max() ?? 1))
        logSumExp = buffer(forwardCapacity)
        ones = buffer(forwardCapacity)
        ones.update(repeating: 1, count: forwardCapacity)
        allocations = all
    }

    deinit { for p in allocations { p.deallocate() } }

    // MARK: - Forward

    /// The forward pass over `rows` rows of `input` (rows × inputs of layer 1):
    /// fills every layer's s and a, the output probabilities and log Σ exp.
    func forward(weights w: UnsafePointer<Double>, input: UnsafePointer<Double>, rows: Int) {
        precondition(rows <= forwardCapacity)
        var x = input
        for l in layers.indices {
            forwardLayer(l, weights: w, input: x, rows: rows)
            x = UnsafePointer(post[l])
        }
        outputProbabilities(rows: rows)
    }

    /// Layer `l` alone: s = x Wᵀ + 1 bᵀ, a = φ(s) (the output layer keeps s as logits).
    func forwardLayer(_ l: Int, weights w: UnsafePointer<Double>, input x: UnsafePointer<Double>, rows: Int) {
        forwardLayer(l, weight: w + layers[l].weightOffset, bias: w + layers[l].biasOffset, input: x, rows: rows,
                     pre: pre[l], post: post[l])
    }

    /// Layer `l` with its own W and b pointers into caller-owned outputs
    /// (`post` may equal `pre`: φ is applied element by element). Touches no
    /// network buffer, so block-wise callers may run it on several threads.
    func forwardLayer(_ l: Int, weight: UnsafePointer<Double>, bias: UnsafePointer<Double>,
                      input x: UnsafePointer<Double>, rows: Int,
                      pre s: UnsafeMutablePointer<Double>, post: UnsafeMutablePointer<Double>) {
        let layer = layers[l]
        for i in 0..<rows { (s + i * layer.outputs).update(from: bias, count: layer.outputs) }
        BLAS.gemm(m: rows, n: layer.outputs, k: layer.inputs, alpha: 1,
                  a: x, lda: layer.inputs, transposeA: false,
                  b: weight, ldb: layer.inputs, transposeB: true,
                  beta: 1, c: s, ldc: layer.outputs)
        layer.activation?.apply(s, into: post, count: rows * layer.outputs)
    }

    /// Probabilities and log Σ exp from the logits, stably (max subtracted).
    private func outputProbabilities(rows: Int) {
        let c = outputLayer.outputs
        let z = UnsafePointer(pre[layers.count - 1])
        let p = post[layers.count - 1]
        switch head {
        case .logistic:
            for i in 0..<rows {
                let e = Double.exp(-abs(z[i]))          // in (0, 1]: no overflow
                logSumExp[i] = max(z[i], 0) + Double.log(onePlus: e)
                p[i] = z[i] >= 0 ? 1 / (1 + e) : e / (1 + e)
            }
        case .softmax:
            for i in 0..<rows {
                let zi = z + i * c, pi = p + i * c
                var m = zi[0]
                for k in 1..<c where zi[k] > m { m = zi[k] }
                var sum = 0.0
                for k in 0..<c { pi[k] = Double.exp(zi[k] - m); sum += pi[k] }
                let inv = 1 / sum
                for k in 0..<c { pi[k] *= inv }
                logSumExp[i] = m + Double.log(sum)
            }
        }
    }

    /// The mean cross-entropy of the last forward pass against `labels`.
    func meanLoss(labels: UnsafePointer<Int>, rows: Int) -> Double {
        let c = outputLayer.outputs
        let z = UnsafePointer(pre[layers.count - 1])
        // Compensated (Kahan) sum: the mean of thousands of similar terms
        // stays within a few ulps (f(x0) = ln C to ~1e-16).
        var total = 0.0, compensation = 0.0
        for i in 0..<rows {
            let term: Double
            switch head {
            case .logistic: term = logSumExp[i] - (labels[i] == 1 ? z[i] : 0)
            case .softmax: term = logSumExp[i] - z[i * c + labels[i]]
            }
            let y = term - compensation
            let t = total + y
            compensation = (t - total) - y
            total = t
        }
        return total / Double(rows)
    }

    /// How many rows of the last forward pass are classified as `labels`.
    func correctCount(labels: UnsafePointer<Int>, rows: Int) -> Int {
        let c = outputLayer.outputs
        let z = UnsafePointer(pre[layers.count - 1])
        var correct = 0
        for i in 0..<rows {
            let predicted: Int
            switch head {
            case .logistic: predicted = z[i] > 0 ? 1 : 0
            case .softmax:
                var best = 0
                for k in 1..<c where z[i * c + k] > z[i * c + best] { best = k }
                predicted = best
            }
            if predicted == labels[i] { correct += 1 }
        }
        return correct
    }

    /// (l2/2) Σ ‖W‖² over the weight matrices.
    func regularizer(weights w: UnsafePointer<Double>) -> Double {
        guard l2 != 0 else { return 0 }
        var sum = 0.0
        for layer in layers {
            let wl = w + layer.weightOffset
            for k in 0..<(layer.inputs * layer.outputs) { sum += wl[k] * wl[k] }
        }
        return 0.5 * l2 * sum
    }

    // MARK: - Backward

    /// δ of the output layer for `labels`: p − onehot(y) (logistic: σ(z) − y).
    func outputDeltas(labels: UnsafePointer<Int>, rows: Int) {
        precondition(rows <= trainCapacity)
        let c = outputLayer.outputs
        let d = delta[layers.count - 1]
        d.update(from: post[layers.count - 1], count: rows * c)
        switch head {
        case .logistic: for i in 0..<rows where labels[i] == 1 { d[i] -= 1 }
        case .softmax: for i in 0..<rows { d[i * c + labels[i]] -= 1 }
        }
    }

    /// δ of the output layer set to column k of a square root S of the loss
    /// Hessian with respect to the logits (exact-GGN statistics): softmax
    /// row i = √p_ik (e_k − p_i), since Σ_k p_k (e_k − p)(e_k − p)ᵀ = diag p − ppᵀ;
    /// logistic (one column) √(p(1 − p)).
    func gaussNewtonOutputDeltas(column k: Int, rows: Int) {
        precondition(rows <= trainCapacity)
        let c = outputLayer.outputs
        let d = delta[layers.count - 1], p = probabilities
        switch head {
        case .logistic:
            for i in 0..<rows { d[i] = (p[i] * (1 - p[i])).squareRoot() }
        case .softmax:
            for i in 0..<rows {
                let root = p[i * c + k].squareRoot()
                for j in 0..<c { d[i * c + j] = -root * p[i * c + j] }
                d[i * c + k] += root
            }
        }
    }

    /// δ of every hidden layer from the output δ: δ_{ℓ−1} = (δ_ℓ W_ℓ) ⊙ φ′(s_{ℓ−1}).
    func backpropagateDeltas(weights w: UnsafePointer<Double>, rows: Int) {
        for l in stride(from: layers.count - 1, to: 0, by: -1) {
            let layer = layers[l]
            BLAS.gemm(m: rows, n: layer.inputs, k: layer.outputs, alpha: 1,
                      a: delta[l], lda: layer.outputs, transposeA: false,
                      b: w + layer.weightOffset, ldb: layer.inputs, transposeB: false,
                      beta: 0, c: delta[l - 1], ldc: layer.inputs)
            layers[l - 1].activation!.multiplyByDerivative(delta[l - 1], output: post[l - 1],
                                                           count: rows * layer.inputs)
        }
    }

    /// ∇f = (1/N) Σ δᵀ[a | 1] per layer, plus l2·W, written into `g`.
    func accumulateGradient(weights w: UnsafePointer<Double>, input: UnsafePointer<Double>, rows: Int,
                            into g: UnsafeMutablePointer<Double>, regularized: Bool = true) {
        let scale = 1 / Double(rows)
        for l in layers.indices {
            let layer = layers[l]
            let x = l == 0 ? input : UnsafePointer(post[l - 1])
            BLAS.gemm(m: layer.outputs, n: layer.inputs, k: rows, alpha: scale,
                      a: delta[l], lda: layer.outputs, transposeA: true,
                      b: x, ldb: layer.inputs, transposeB: false,
                      beta: 0, c: g + layer.weightOffset, ldc: layer.inputs)
            BLAS.gemm(m: layer.outputs, n: 1, k: rows, alpha: scale,
                      a: delta[l], lda: layer.outputs, transposeA: true,
                      b: ones, ldb: 1, transposeB: false,
                      beta: 0, c: g + layer.biasOffset, ldc: 1)
            if l2 != 0 && regularized {
                let gw = g + layer.weightOffset, wl = w + layer.weightOffset
                for k in 0..<(layer.inputs * layer.outputs) { gw[k] += l2 * wl[k] }
            }
        }
    }

    // MARK: - Read access for statistics and the dense Hessian

    /// Layer `l`'s input a_{ℓ−1} for the last forward pass (`input` for layer 1).
    func layerInput(_ l: Int, input: UnsafePointer<Double>) -> UnsafePointer<Double> {
        l == 0 ? input : UnsafePointer(post[l - 1])
    }
    /// Layer `l`'s per-sample pre-activation gradients from the last backward pass.
    func layerDelta(_ l: Int) -> UnsafePointer<Double> { UnsafePointer(delta[l]) }
    /// pᵢ − yᵢ per row after ``outputDeltas(labels:rows:)`` (the output layer's δ).
    var outputResiduals: UnsafePointer<Double> { UnsafePointer(delta[layers.count - 1]) }

    /// The output probabilities of the last forward pass (logistic: σ(z), one per row).
    var probabilities: UnsafePointer<Double> { UnsafePointer(post[layers.count - 1]) }

    // MARK: - Hessian-vector product (Pearlmutter's R-operator)

    /// H·v on the batch of the last forward and backward pass (both must
    /// have run at `w` on these `rows`): a forward R-pass propagates
    /// R{s}, R{a}; a backward R-pass propagates R{δ} and forms R{∇f} = H·v.
    func hessianVectorProduct(weights w: UnsafePointer<Double>, direction v: UnsafePointer<Double>,
                              input: UnsafePointer<Double>, rows: Int, into hv: UnsafeMutablePointer<Double>) {
        precondition(rows <= trainCapacity)
        // Forward R-pass: R{s_ℓ} = R{a_{ℓ−1}} Wᵀ + a_{ℓ−1} Vᵀ + 1 v_bᵀ; R{a} = φ′(s) ⊙ R{s}.
        for l in layers.indices {
            let layer = layers[l]
            let rs = rPre[l]
            for i in 0..<rows { (rs + i * layer.outputs).update(from: v + layer.biasOffset, count: layer.outputs) }
            BLAS.gemm(m: rows, n: layer.outputs, k: layer.inputs, alpha: 1,
                      a: layerInput(l, input: input), lda: layer.inputs, transposeA: false,
                      b: v + layer.weightOffset, ldb: layer.inputs, transposeB: true,
                      beta: 1, c: rs, ldc: layer.outputs)
            if l > 0 {
                BLAS.gemm(m: rows, n: layer.outputs, k: layer.inputs, alpha: 1,
                          a: rPost[l - 1], lda: layer.inputs, transposeA: false,
                          b: w + layer.weightOffset, ldb: layer.inputs, transposeB: true,
                          beta: 1, c: rs, ldc: layer.outputs)
            }
            if let activation = layer.activation {
                rPost[l].update(from: rs, count: rows * layer.outputs)
                activation.multiplyByDerivative(rPost[l], output: post[l], count: rows * layer.outputs)
            }
        }
        // Output: R{δ_L} = (diag p − p pᵀ) R{z} per row (logistic: p(1 − p) R{z}).
        let last = layers.count - 1
        let c = outputLayer.outputs
        let p = UnsafePointer(post[last]), rz = UnsafePointer(rPre[last]), rd = rDelta[last]
        switch head {
        case .logistic:
            for i in 0..<rows { rd[i] = p[i] * (1 - p[i]) * rz[i] }
        case .softmax:
            for i in 0..<rows {
                var dot = 0.0
                for k in 0..<c { dot += p[i * c + k] * rz[i * c + k] }
                for k in 0..<c { rd[i * c + k] = p[i * c + k] * (rz[i * c + k] - dot) }
            }
        }
        // Backward R-pass.
        let scale = 1 / Double(rows)
        for l in stride(from: last, through: 0, by: -1) {
            let layer = layers[l]
            // R{∇W} = (1/N)(R{δ}ᵀ a + δᵀ R{a}) + l2·V; R{∇b} = (1/N) R{δ}ᵀ 1.
            BLAS.gemm(m: layer.outputs, n: layer.inputs, k: rows, alpha: scale,
                      a: rDelta[l], lda: layer.outputs, transposeA: true,
                      b: layerInput(l, input: input), ldb: layer.inputs, transposeB: false,
                      beta: 0, c: hv + layer.weightOffset, ldc: layer.inputs)
            if l > 0 {
                BLAS.gemm(m: layer.outputs, n: layer.inputs, k: rows, alpha: scale,
                          a: delta[l], lda: layer.outputs, transposeA: true,
                          b: rPost[l - 1], ldb: layer.inputs, transposeB: false,
                          beta: 1, c: hv + layer.weightOffset, ldc: layer.inputs)
            }
            BLAS.gemm(m: layer.outputs, n: 1, k: rows, alpha: scale,
                      a: rDelta[l], lda: layer.outputs, transposeA: true,
                      b: ones, ldb: 1, transposeB: false,
                      beta: 0, c: hv + layer.biasOffset, ldc: 1)
            if l2 != 0 {
                let h = hv + layer.weightOffset, vl = v + layer.weightOffset
                for k in 0..<(layer.inputs * layer.outputs) { h[k] += l2 * vl[k] }
            }
            guard l > 0 else { break }
            // R{∂a_{ℓ−1}} = R{δ_ℓ} W + δ_ℓ V; ∂a_{ℓ−1} = δ_ℓ W (into scratch);
            // R{δ_{ℓ−1}} = R{∂a} ⊙ φ′ + ∂a ⊙ φ″ ⊙ R{s}.
            BLAS.gemm(m: rows, n: layer.inputs, k: layer.outputs, alpha: 1,
                      a: rDelta[l], lda: layer.outputs, transposeA: false,
                      b: w + layer.weightOffset, ldb: layer.inputs, transposeB: false,
                      beta: 0, c: rDelta[l - 1], ldc: layer.inputs)
            BLAS.gemm(m: rows, n: layer.inputs, k: layer.outputs, alpha: 1,
                      a: delta[l], lda: layer.outputs, transposeA: false,
                      b: v + layer.weightOffset, ldb: layer.inputs, transposeB: false,
                      beta: 1, c: rDelta[l - 1], ldc: layer.inputs)
            BLAS.gemm(m: rows, n: layer.inputs, k: layer.outputs, alpha: 1,
                      a: delta[l], lda: layer.outputs, transposeA: false,
                      b: w + layer.weightOffset, ldb: layer.inputs, transposeB: false,
                      beta: 0, c: scratch, ldc: layer.inputs)
            layers[l - 1].activation!.rBackward(rDelta[l - 1], upstream: scratch, output: post[l - 1],
                                                rPre: rPre[l - 1], count: rows * layer.inputs)
        }
    }

    // MARK: - Sampled targets

    /// Labels drawn from the model's predictive distribution of the last
    /// forward pass (categorical over the softmax, Bernoulli(σ(z)) for
    /// logistic), one uniform draw per row from `rng`.
    func sampleLabels(rows: Int, rng: inout SplitMix64, into labels: UnsafeMutablePointer<Int>) {
        let c = outputLayer.outputs
        let p = probabilities
        for i in 0..<rows {
            let u = rng.uniform()
            switch head {
            case .logistic: labels[i] = u < p[i] ? 1 : 0
            case .softmax: labels[i] = categoricalSample(p + i * c, classes: c, uniform: u)
            }
        }
    }
}
