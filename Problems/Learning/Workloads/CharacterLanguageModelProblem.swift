import LinearAlgebra
import OptimizationCore
import RealModule

/// `charlm`: a GPT-2-style character language model with exact derivatives.
///
/// Model (pre-LayerNorm GPT-2 blocks, PyTorch's conventions): token plus
/// learned position embeddings; per block x += proj(attn(LN₁(x))),
/// x += proj₂(GELU_tanh(fc(LN₂(x)))), where attn is causal multi-head
/// self-attention on a fused QKV projection with bias; a final LayerNorm; a
/// linear head without bias (`tie=true`: the token embedding).
/// f(x) = mean cross-entropy over all B·T positions + (l2/2)Σ‖M‖² over the
/// matrices M (embeddings, linear weights, head), not biases or LayerNorm
/// parameters.
///
/// Passes work on all B·T positions at once: every linear layer is one
/// `dgemm` with the positions as rows; attention is per (sequence, head)
/// with `dgemm` on strided views of the QKV rows. The Hessian-vector
/// product is Pearlmutter's R-operator: a tangent forward pass through
/// LayerNorm, attention softmax and GELU, then the backward pass and its
/// tangent together. Layer statistics cover every linear layer with one row
/// per position ("expand", Eschenhagen et al., NeurIPS 2023): the layer input
/// (with a trailing 1 when it has a bias) and the gradient of the summed
/// loss of all positions with respect to that position's pre-activation,
/// so that (1/(B·T))·gᵀa is the weight gradient; `batchSize` is B·T.
///
/// Minibatches: step k uses B windows of T + 1 characters whose starts are
/// drawn uniformly in the training part from a stream keyed by (seed, k).
/// ``fullValue(at:)`` is the loss on `eval_windows` fixed, evenly spaced
/// training windows (the whole training text would cost hundreds of
/// forward passes per logged step); ``testMetric(at:)`` is the held-out
/// bits per character on `eval_windows` fixed test windows.
public final class CharacterLanguageModelProblem: TrainingObjective, HessianVectorObjective, LayerStatisticsObjective,
    SampledLabelObjective {
    /// The model's sizes and options (the spec keys of `charlm`).
    public struct Configuration: Sendable, Hashable {
        public var width = 64, layers = 2, heads = 4, context = 64, batch = 16, mlpRatio = 4
        public var tie = false
        public var l2 = 0.0
        public var evalWindows = 64
        public init() {}
    }

    public let name: String
    public let layout: ParameterLayout
    /// Every step draws its windows.
    public var usesMinibatches: Bool { true }
    public let initialPoint: [Double]
    public let corpus: CharacterCorpus
    public let configuration: Configuration
    let seed: UInt64
    public var dimension: Int { layout.dimension }
    public var vocabularySize: Int { corpus.vocabulary.count }

    struct Block {
        let ln1Gamma: Int, ln1Beta: Int, ln2Gamma: Int, ln2Beta: Int
        let qkv: LinearMap, projection: LinearMap, fc: LinearMap, mlpProjection: LinearMap
    }
    let tokenEmbedding: Int
    let positionEmbedding: Int
    let blocks: [Block]
    let finalGamma: Int, finalBeta: Int
    let head: LinearMap
    /// The blocks the L2 term covers (matrices).
    let matrixRanges: [Range<Int>]

    // MARK: Buffers

    typealias Pointer = UnsafeMutablePointer<Double>

    /// Forward values of one pass (or, for the tangent, their R{·}).
    struct Activations {
        var ln1Hat: [Pointer], ln1Rstd: [Pointer], ln1Out: [Pointer], qkv: [Pointer], probabilities: [Pointer]
        var attention: [Pointer], ln2Hat: [Pointer], ln2Rstd: [Pointer], ln2Out: [Pointer], fcPre: [Pointer], fcOut: [Pointer]
        /// tanh k(u) of the GELU (primal only: the backward passes reuse it).
        var fcTanh: [Pointer]
        var stream: Pointer, finalHat: Pointer, finalRstd: Pointer, finalOut: Pointer, logits: Pointer

        init(pool: BufferPool, rows: Int, width d: Int, hidden: Int, layers: Int, scores: Int, vocabulary: Int,
             tangent: Bool = false) {
            func each(_ count: Int) -> [Pointer] { (0..<layers).map { _ in pool.doubles(count) } }
            ln1Hat = each(rows * d); ln1Rstd = each(rows); ln1Out = each(rows * d); qkv = each(rows * 3 * d)
            probabilities = each(scores); attention = each(rows * d)
            ln2Hat = each(rows * d); ln2Rstd = each(rows); ln2Out = each(rows * d)
            fcPre = each(rows * hidden); fcOut = each(rows * hidden); fcTanh = each(tangent ? 1 : rows * hidden)
            stream = pool.doubles(rows * d); finalHat = pool.doubles(rows * d); finalRstd = pool.doubles(rows)
            finalOut = pool.doubles(rows * d); logits = pool.doubles(rows * vocabulary)
        }
    }

    /// Backward signals (per-position gradients of the summed loss), reused across layers.
    struct Signals {
        var stream: Pointer, lnOut: Pointer, qkv: Pointer, attention: Pointer, hidden: Pointer, scores: Pointer
        var logits: Pointer

        init(pool: BufferPool, rows: Int, width d: Int, hidden: Int, context: Int, vocabulary: Int) {
            stream = pool.doubles(rows * d); lnOut = pool.doubles(rows * d); qkv = pool.doubles(rows * 3 * d)
            attention = pool.doubles(rows * d); self.hidden = pool.doubles(rows * hidden)
            scores = pool.doubles(context * context); logits = pool.doubles(rows * vocabulary)
        }
    }

    private let pool: BufferPool
    private var primal: Activations
    private var signals: Signals
    private var tangent: (activations: Activations, signals: Signals)?
    private let probabilities: Pointer
    private let logSumExp: Pointer
    /// A gradient-shaped sink for LayerNorm parameter terms when only the δ are wanted.
    private let sink: Pointer
    private let lnScratch: Pointer

    /// The current step's windows: inputs and targets, B·T each.
    private var starts: [Int]
    private let inputs: UnsafeMutablePointer<Int32>
    private let targets: UnsafeMutablePointer<Int32>
    private let sampledTargets: UnsafeMutablePointer<Int32>
    /// False while ``sampledLabelGradient(at:seed:into:)`` runs: that gradient is of the loss alone.
    private var decayInBackward = true
    /// Fixed evaluation windows (training part for ``fullValue(at:)``, test part for ``testMetric(at:)``).
    private let trainEval: (inputs: [Int32], targets: [Int32])
    private let testEval: (inputs: [Int32], targets: [Int32])

    var rowsCapacity: Int { configuration.batch * configuration.context }
    var headWidth: Int { configuration.width / configuration.heads }
    var hiddenWidth: Int { configuration.mlpRatio * configuration.width }

    init(name: String, corpus: CharacterCorpus, configuration c: Configuration, seed: UInt64) {
        self.name = name
        self.corpus = corpus
        self.configuration = c
        self.seed = seed
        let (d, v, t, m) = (c.width, corpus.vocabulary.count, c.context, c.mlpRatio * c.width)
        var named: [(String, [Int])] = []
        var offset = 0
        var matrices: [Range<Int>] = []
        func add(_ name: String, _ shape: [Int], matrix: Bool = false) -> Int {
            named.append((name, shape))
            let start = offset
            offset += shape.reduce(1, *)
            if matrix { matrices.append(start..<offset) }
            return start
        }
        func linear(_ name: String, inputs: Int, outputs: Int) -> LinearMap {
            let w = add(name + ".weight", [outputs, inputs], matrix: true)
            let b = add(name + ".bias", [outputs])
            return LinearMap(inputs: inputs, outputs: outputs, weightOffset: w, biasOffset: b)
        }
        tokenEmbedding = add("embed.token.weight", [v, d], matrix: true)
        positionEmbedding = add("embed.position.weight", [t, d], matrix: true)
        var blocks: [Block] = []
        for l in 0..<c.layers {
            let p = "block\(l)."
            let g1 = add(p + "ln1.weight", [d]), b1 = add(p + "ln1.bias", [d])
            let qkv = linear(p + "attn.qkv", inputs: d, outputs: 3 * d)
            let projection = linear(p + "attn.proj", inputs: d, outputs: d)
            let g2 = add(p + "ln2.weight", [d]), b2 = add(p + "ln2.bias", [d])
            let fc = linear(p + "mlp.fc", inputs: d, outputs: m)
            let mlpProjection = linear(p + "mlp.proj", inputs: m, outputs: d)
            blocks.append(Block(ln1Gamma: g1, ln1Beta: b1, ln2Gamma: g2, ln2Beta: b2, qkv: qkv, projection: projection,
                                fc: fc, mlpProjection: mlpProjection))
        }
        self.blocks = blocks
        finalGamma = add("ln_f.weight", [d])
        finalBeta = add("ln_f.bias", [d])
        let headOffset = c.tie ? tokenEmbedding : add("head.weight", [v, d], matrix: true)
        head = LinearMap(inputs: d, outputs: v, weightOffset: headOffset, biasOffset: nil)
        layout = ParameterLayout(named)
        matrixRanges = matrices

        // GPT-2 initialisation: N(0, 0.02²), residual projections N(0, (0.02/√(2L))²),
        // zero biases, LayerNorm weights 1; drawn in layout order from one stream.
        var rng = SplitMix64(seed: SplitMix64.derive(seed, 0x6770_7432_696E_6974))
        var x0 = [Double](repeating: 0, count: offset)
        let residual = 0.02 / (2 * Double(c.layers)).squareRoot()
        for block in layout.blocks {
            let std: Double
            if block.name.hasSuffix("proj.weight") { std = residual }
            else if block.name.hasSuffix("ln1.weight") || block.name.hasSuffix("ln2.weight") || block.name == "ln_f.weight" {
                for k in block.range { x0[k] = 1 }
                continue
            } else if block.isMultiDimensional { std = 0.02 }
            else { continue }
            for k in block.range { x0[k] = std * rng.gaussian() }
        }
        initialPoint = x0

        let pool = BufferPool()
        self.pool = pool
        let rows = c.batch * c.context
        let scores = c.batch * c.heads * c.context * c.context
        primal = Activations(pool: pool, rows: rows, width: d, hidden: m, layers: c.layers, scores: scores, vocabulary: v)
        signals = Signals(pool: pool, rows: rows, width: d, hidden: m, context: t, vocabulary: v)
        probabilities = pool.doubles(rows * v)
        logSumExp = pool.doubles(rows)
        sink = pool.doubles(offset)
        lnScratch = pool.doubles(d)
        starts = [Int](repeating: 0, count: c.batch)
        inputs = .allocate(capacity: rows)
        targets = .allocate(capacity: rows)
        sampledTargets = .allocate(capacity: rows)

        func windows(_ starts: [Int]) -> (inputs: [Int32], targets: [Int32]) {
            var (i, o) = ([Int32](), [Int32]())
            for s in starts {
                i += corpus.tokens[s..<(s + t)]
                o += corpus.tokens[(s + 1)..<(s + t + 1)]
            }
            return (i, o)
        }
        trainEval = windows(CharacterCorpus.evenlySpacedStarts(c.evalWindows, lower: 0, upper: corpus.trainingCount, length: t + 1))
        testEval = windows(CharacterCorpus.evenlySpacedStarts(c.evalWindows, lower: corpus.trainingCount,
                                                              upper: corpus.count, length: t + 1))
        beginStep(0)
    }

    deinit {
        inputs.deallocate()
        targets.deallocate()
        sampledTargets.deallocate()
    }

    // MARK: - Batches

    public func beginStep(_ step: Int) {
        CharacterCorpus.trainingStarts(seed: seed, step: max(0, step), length: configuration.context + 1,
                                       trainingCount: corpus.trainingCount, into: &starts)
        fillWindows()
    }

    /// The training windows of the current batch (start indices into the text).
    public var currentWindowStarts: [Int] { starts }

    /// Uses the training windows starting at `starts` (exactly `batch` of
    /// them) until the next ``beginStep(_:)``: for reference comparisons.
    public func useWindows(starts newStarts: [Int]) {
        precondition(newStarts.count == configuration.batch, "useWindows needs \(configuration.batch) starts")
        precondition(newStarts.allSatisfy { $0 >= 0 && $0 + configuration.context < corpus.trainingCount },
                     "window starts must lie in the training part")
        starts = newStarts
        fillWindows()
    }

    private func fillWindows() {
        let t = configuration.context
        corpus.tokens.withUnsafeBufferPointer { text in
            for (b, s) in starts.enumerated() {
                (inputs + b * t).update(from: text.baseAddress! + s, count: t)
                (targets + b * t).update(from: text.baseAddress! + s + 1, count: t)
            }
        }
    }

    private func check(_ x: [Double]) throws {
        guard x.count == dimension else { throw ObjectiveError.dimensionMismatch(expected: dimension, got: x.count) }
    }

    // MARK: - Forward

    /// Forward pass on `windows` windows of `tokens` (windows·T ids); with
    /// `direction`, also the tangent forward pass. Leaves probabilities and log Σ exp.
    private func forward(_ w: UnsafePointer<Double>, tokens: UnsafePointer<Int32>, windows: Int,
                         direction v: UnsafePointer<Double>? = nil) {
        let c = configuration
        let (d, t, rows) = (c.width, c.context, windows * c.context)
        let a = primal
        let r = v == nil ? nil : tangent!.activations
        for i in 0..<rows {
            let token = Int(tokens[i]), position = i % t
            let out = a.stream + i * d, te = w + tokenEmbedding + token * d, pe = w + positionEmbedding + position * d
            for j in 0..<d { out[j] = te[j] + pe[j] }
            if let v, let r {
                let rout = r.stream + i * d, rte = v + tokenEmbedding + token * d, rpe = v + positionEmbedding + position * d
                for j in 0..<d { rout[j] = rte[j] + rpe[j] }
            }
        }
        let attention = CausalAttentionHead(length: t, headWidth: headWidth, qkvStride: 3 * d, outStride: d)
        for (l, block) in blocks.enumerated() {
            LayerNormKernel.forward(a.stream, rows: rows, width: d, gamma: w + block.ln1Gamma, beta: w + block.ln1Beta,
                                    hat: a.ln1Hat[l], rstd: a.ln1Rstd[l], out: a.ln1Out[l])
            block.qkv.forward(w, a.ln1Out[l], rows: rows, into: a.qkv[l])
            if let v, let r {
                LayerNormKernel.tangentForward(hat: a.ln1Hat[l], rstd: a.ln1Rstd[l], r.stream, rows: rows, width: d,
                                               gamma: w + block.ln1Gamma, vGamma: v + block.ln1Gamma,
                                               vBeta: v + block.ln1Beta, rHat: r.ln1Hat[l], rRstd: r.ln1Rstd[l],
                                               rOut: r.ln1Out[l])
                block.qkv.tangentForward(w, v, a.ln1Out[l], r.ln1Out[l], rows: rows, into: r.qkv[l])
            }
            for b in 0..<windows {
                for h in 0..<c.heads {
                    let q = a.qkv[l] + b * t * 3 * d + h * headWidth
                    let scores = (b * c.heads + h) * t * t
                    let out = a.attention[l] + b * t * d + h * headWidth
                    attention.forward(q: q, k: q + d, v: q + 2 * d, probabilities: a.probabilities[l] + scores, out: out)
                    if v != nil, let r {
                        let rq = r.qkv[l] + b * t * 3 * d + h * headWidth
                        attention.tangentForward(q: q, k: q + d, v: q + 2 * d, probabilities: a.probabilities[l] + scores,
                                                 rq: rq, rk: rq + d, rv: rq + 2 * d,
                                                 rProbabilities: r.probabilities[l] + scores,
                                                 rOut: r.attention[l] + b * t * d + h * headWidth)
                    }
                }
            }
            block.projection.forward(w, a.attention[l], rows: rows, accumulate: true, into: a.stream)
            if let v, let r {
                block.projection.tangentForward(w, v, a.attention[l], r.attention[l], rows: rows, accumulate: true,
                                                into: r.stream)
            }
            LayerNormKernel.forward(a.stream, rows: rows, width: d, gamma: w + block.ln2Gamma, beta: w + block.ln2Beta,
                                    hat: a.ln2Hat[l], rstd: a.ln2Rstd[l], out: a.ln2Out[l])
            block.fc.forward(w, a.ln2Out[l], rows: rows, into: a.fcPre[l])
            let count = rows * hiddenWidth
            let u = a.fcPre[l], g = a.fcOut[l], th = a.fcTanh[l]
            for k in 0..<count {
                th[k] = GELU.tanhOfK(u[k])
                g[k] = GELU.value(u[k], tanh: th[k])
            }
            if let v, let r {
                LayerNormKernel.tangentForward(hat: a.ln2Hat[l], rstd: a.ln2Rstd[l], r.stream, rows: rows, width: d,
                                               gamma: w + block.ln2Gamma, vGamma: v + block.ln2Gamma,
                                               vBeta: v + block.ln2Beta, rHat: r.ln2Hat[l], rRstd: r.ln2Rstd[l],
                                               rOut: r.ln2Out[l])
                block.fc.tangentForward(w, v, a.ln2Out[l], r.ln2Out[l], rows: rows, into: r.fcPre[l])
                let ru = r.fcPre[l], rg = r.fcOut[l]
                for k in 0..<count { rg[k] = GELU.derivatives(u[k], tanh: th[k]).0 * ru[k] }
            }
            block.mlpProjection.forward(w, g, rows: rows, accumulate: true, into: a.stream)
            if let v, let r {
                block.mlpProjection.tangentForward(w, v, g, r.fcOut[l], rows: rows, accumulate: true, into: r.stream)
            }
        }
        LayerNormKernel.forward(a.stream, rows: rows, width: d, gamma: w + finalGamma, beta: w + finalBeta,
                                hat: a.finalHat, rstd: a.finalRstd, out: a.finalOut)
        head.forward(w, a.finalOut, rows: rows, into: a.logits)
        if let v, let r {
            LayerNormKernel.tangentForward(hat: a.finalHat, rstd: a.finalRstd, r.stream, rows: rows, width: d,
                                           gamma: w + finalGamma, vGamma: v + finalGamma, vBeta: v + finalBeta,
                                           rHat: r.finalHat, rRstd: r.finalRstd, rOut: r.finalOut)
            head.tangentForward(w, v, a.finalOut, r.finalOut, rows: rows, into: r.logits)
        }
        let vocabulary = vocabularySize
        for i in 0..<rows {
            let z = a.logits + i * vocabulary, p = probabilities + i * vocabulary
            var m = z[0]
            for k in 1..<vocabulary where z[k] > m { m = z[k] }
            var sum = 0.0
            for k in 0..<vocabulary { p[k] = Double.exp(z[k] - m); sum += p[k] }
            let inv = 1 / sum
            for k in 0..<vocabulary { p[k] *= inv }
            logSumExp[i] = m + Double.log(sum)
        }
    }

    /// Σ over `rows` positions of −log p(target).
    private func summedLoss(targets: UnsafePointer<Int32>, rows: Int) -> Double {
        var total = 0.0
        for i in 0..<rows { total += logSumExp[i] - primal.logits[i * vocabularySize + Int(targets[i])] }
        return total
    }

    private func regularizer(_ w: UnsafePointer<Double>) -> Double {
        guard configuration.l2 != 0 else { return 0 }
        var sum = 0.0
        for range in matrixRanges { for k in range { sum += w[k] * w[k] } }
        return 0.5 * configuration.l2 * sum
    }

    // MARK: - Backward

    /// Backward pass for `targets` after a forward pass on the current batch:
    /// ∇f into `gradient` when given (it is overwritten); with `direction`
    /// (the forward must have had it) also H·v into `product`. `record`
    /// receives each linear layer's δ (index 4l + 0…3 for qkv, attn.proj,
    /// mlp.fc, mlp.proj of block l; 4L for the head) while it is valid.
    private func backward(_ w: UnsafePointer<Double>, targets: UnsafePointer<Int32>, gradient: Pointer?,
                          direction v: UnsafePointer<Double>? = nil, product hv: Pointer? = nil,
                          record: ((Int, UnsafePointer<Double>) -> Void)? = nil) {
        let c = configuration
        let (d, t, windows) = (c.width, c.context, c.batch)
        let rows = windows * t, scale = 1 / Double(rows), vocabulary = vocabularySize
        let a = primal, s = signals
        let ta = v == nil ? nil : tangent!.activations, ts = v == nil ? nil : tangent!.signals
        let g = gradient ?? sink
        g.update(repeating: 0, count: dimension)
        if let hv { hv.update(repeating: 0, count: dimension) }
        // Loss: δz = p − onehot(y); R{δz} = (diag p − ppᵀ)R{z}.
        s.logits.update(from: probabilities, count: rows * vocabulary)
        for i in 0..<rows { s.logits[i * vocabulary + Int(targets[i])] -= 1 }
        if let ta, let ts {
            for i in 0..<rows {
                let p = probabilities + i * vocabulary, rz = ta.logits + i * vocabulary, rd = ts.logits + i * vocabulary
                var dot = 0.0
                for k in 0..<vocabulary { dot += p[k] * rz[k] }
                for k in 0..<vocabulary { rd[k] = p[k] * (rz[k] - dot) }
            }
        }
        record?(4 * blocks.count, s.logits)
        if gradient != nil { head.accumulateGradient(delta: s.logits, a.finalOut, rows: rows, scale: scale, into: g) }
        head.inputGradient(w, delta: s.logits, rows: rows, beta: 0, into: s.lnOut)
        s.stream.update(repeating: 0, count: rows * d)
        LayerNormKernel.backward(hat: a.finalHat, rstd: a.finalRstd, dy: s.lnOut, rows: rows, width: d,
                                 gamma: w + finalGamma, scale: scale, gGamma: g + finalGamma, gBeta: g + finalBeta,
                                 scratch: lnScratch, dx: s.stream)
        if let v, let hv, let ta, let ts {
            head.accumulateTangentGradient(delta: s.logits, rDelta: ts.logits, a.finalOut, ta.finalOut, rows: rows,
                                           scale: scale, into: hv)
            head.tangentInputGradient(w, v, delta: s.logits, rDelta: ts.logits, rows: rows, beta: 0, into: ts.lnOut)
            ts.stream.update(repeating: 0, count: rows * d)
            LayerNormKernel.tangentBackward(hat: a.finalHat, rstd: a.finalRstd, rHat: ta.finalHat, rRstd: ta.finalRstd,
                                            dy: s.lnOut, rdy: ts.lnOut, rows: rows, width: d, gamma: w + finalGamma,
                                            vGamma: v + finalGamma, scale: scale, hGamma: hv + finalGamma,
                                            hBeta: hv + finalBeta, rdx: ts.stream)
        }
        let attention = CausalAttentionHead(length: t, headWidth: headWidth, qkvStride: 3 * d, outStride: d)
        for l in stride(from: blocks.count - 1, through: 0, by: -1) {
            let block = blocks[l]
            // MLP branch: δ of mlp.proj is the stream gradient.
            record?(4 * l + 3, s.stream)
            if gradient != nil {
                block.mlpProjection.accumulateGradient(delta: s.stream, a.fcOut[l], rows: rows, scale: scale, into: g)
            }
            block.mlpProjection.inputGradient(w, delta: s.stream, rows: rows, beta: 0, into: s.hidden)
            if let v, let hv, let ta, let ts {
                block.mlpProjection.accumulateTangentGradient(delta: s.stream, rDelta: ts.stream, a.fcOut[l], ta.fcOut[l],
                                                              rows: rows, scale: scale, into: hv)
                block.mlpProjection.tangentInputGradient(w, v, delta: s.stream, rDelta: ts.stream, rows: rows, beta: 0,
                                                         into: ts.hidden)
            }
            let u = a.fcPre[l], th = a.fcTanh[l], dh = s.hidden, count = rows * hiddenWidth
            if let ta, let ts {
                let ru = ta.fcPre[l], rdh = ts.hidden
                for k in 0..<count {
                    let (g1, g2) = GELU.derivatives(u[k], tanh: th[k])
                    rdh[k] = rdh[k] * g1 + dh[k] * g2 * ru[k]
                    dh[k] *= g1
                }
            } else {
                for k in 0..<count { dh[k] *= GELU.derivatives(u[k], tanh: th[k]).0 }
            }
            record?(4 * l + 2, s.hidden)
            if gradient != nil { block.fc.accumulateGradient(delta: s.hidden, a.ln2Out[l], rows: rows, scale: scale, into: g) }
            block.fc.inputGradient(w, delta: s.hidden, rows: rows, beta: 0, into: s.lnOut)
            if let v, let hv, let ta, let ts {
                block.fc.accumulateTangentGradient(delta: s.hidden, rDelta: ts.hidden, a.ln2Out[l], ta.ln2Out[l],
                                                   rows: rows, scale: scale, into: hv)
                block.fc.tangentInputGradient(w, v, delta: s.hidden, rDelta: ts.hidden, rows: rows, beta: 0, into: ts.lnOut)
                LayerNormKernel.tangentBackward(hat: a.ln2Hat[l], rstd: a.ln2Rstd[l], rHat: ta.ln2Hat[l],
                                                rRstd: ta.ln2Rstd[l], dy: s.lnOut, rdy: ts.lnOut, rows: rows, width: d,
                                                gamma: w + block.ln2Gamma, vGamma: v + block.ln2Gamma, scale: scale,
                                                hGamma: hv + block.ln2Gamma, hBeta: hv + block.ln2Beta, rdx: ts.stream)
            }
            LayerNormKernel.backward(hat: a.ln2Hat[l], rstd: a.ln2Rstd[l], dy: s.lnOut, rows: rows, width: d,
                                     gamma: w + block.ln2Gamma, scale: scale, gGamma: g + block.ln2Gamma,
                                     gBeta: g + block.ln2Beta, scratch: lnScratch, dx: s.stream)
            // Attention branch.
            record?(4 * l + 1, s.stream)
            if gradient != nil {
                block.projection.accumulateGradient(delta: s.stream, a.attention[l], rows: rows, scale: scale, into: g)
            }
            block.projection.inputGradient(w, delta: s.stream, rows: rows, beta: 0, into: s.attention)
            if let v, let hv, let ta, let ts {
                block.projection.accumulateTangentGradient(delta: s.stream, rDelta: ts.stream, a.attention[l],
                                                           ta.attention[l], rows: rows, scale: scale, into: hv)
                block.projection.tangentInputGradient(w, v, delta: s.stream, rDelta: ts.stream, rows: rows, beta: 0,
                                                      into: ts.attention)
            }
            for b in 0..<windows {
                for h in 0..<c.heads {
                    let at = b * t * 3 * d + h * headWidth, ao = b * t * d + h * headWidth
                    let scores = (b * c.heads + h) * t * t
                    let q = a.qkv[l] + at, dq = s.qkv + at
                    if let ta, let ts {
                        let rq = ta.qkv[l] + at, rdq = ts.qkv + at
                        attention.tangentBackward(q: q, k: q + d, v: q + 2 * d, probabilities: a.probabilities[l] + scores,
                                                  dOut: s.attention + ao, rq: rq, rk: rq + d, rv: rq + 2 * d,
                                                  rProbabilities: ta.probabilities[l] + scores, rdOut: ts.attention + ao,
                                                  dq: dq, dk: dq + d, dv: dq + 2 * d, rdq: rdq, rdk: rdq + d, rdv: rdq + 2 * d,
                                                  scores: s.scores, rScores: ts.scores)
                    } else {
                        attention.backward(q: q, k: q + d, v: q + 2 * d, probabilities: a.probabilities[l] + scores,
                                           dOut: s.attention + ao, dq: dq, dk: dq + d, dv: dq + 2 * d, scores: s.scores)
                    }
                }
            }
            record?(4 * l, s.qkv)
            if gradient != nil { block.qkv.accumulateGradient(delta: s.qkv, a.ln1Out[l], rows: rows, scale: scale, into: g) }
            block.qkv.inputGradient(w, delta: s.qkv, rows: rows, beta: 0, into: s.lnOut)
            if let v, let hv, let ta, let ts {
                block.qkv.accumulateTangentGradient(delta: s.qkv, rDelta: ts.qkv, a.ln1Out[l], ta.ln1Out[l], rows: rows,
                                                    scale: scale, into: hv)
                block.qkv.tangentInputGradient(w, v, delta: s.qkv, rDelta: ts.qkv, rows: rows, beta: 0, into: ts.lnOut)
                LayerNormKernel.tangentBackward(hat: a.ln1Hat[l], rstd: a.ln1Rstd[l], rHat: ta.ln1Hat[l],
                                                rRstd: ta.ln1Rstd[l], dy: s.lnOut, rdy: ts.lnOut, rows: rows, width: d,
                                                gamma: w + block.ln1Gamma, vGamma: v + block.ln1Gamma, scale: scale,
                                                hGamma: hv + block.ln1Gamma, hBeta: hv + block.ln1Beta, rdx: ts.stream)
            }
            LayerNormKernel.backward(hat: a.ln1Hat[l], rstd: a.ln1Rstd[l], dy: s.lnOut, rows: rows, width: d,
                                     gamma: w + block.ln1Gamma, scale: scale, gGamma: g + block.ln1Gamma,
                                     gBeta: g + block.ln1Beta, scratch: lnScratch, dx: s.stream)
        }
        // Embeddings: scatter the stream gradient to the token and position rows.
        func scatter(_ source: UnsafePointer<Double>, into out: Pointer) {
            for i in 0..<rows {
                let token = Int(inputs[i]), position = i % t
                let te = out + tokenEmbedding + token * d, pe = out + positionEmbedding + position * d
                let row = source + i * d
                for j in 0..<d {
                    te[j] += scale * row[j]
                    pe[j] += scale * row[j]
                }
            }
        }
        if gradient != nil { scatter(s.stream, into: g) }
        if let hv, let ts { scatter(ts.stream, into: hv) }
        if c.l2 != 0 && decayInBackward {
            for range in matrixRanges {
                if gradient != nil { for k in range { g[k] += c.l2 * w[k] } }
                if let v, let hv { for k in range { hv[k] += c.l2 * v[k] } }
            }
        }
    }

    private func allocateTangent() {
        guard tangent == nil else { return }
        let c = configuration, rows = rowsCapacity
        tangent = (Activations(pool: pool, rows: rows, width: c.width, hidden: hiddenWidth, layers: c.layers,
                               scores: c.batch * c.heads * c.context * c.context, vocabulary: vocabularySize,
                               tangent: true),
                   Signals(pool: pool, rows: rows, width: c.width, hidden: hiddenWidth, context: c.context,
                           vocabulary: vocabularySize))
    }

    // MARK: - Objective

    public func value(at x: [Double]) throws -> Double {
        try check(x)
        return x.withUnsafeBufferPointer { w in
            forward(w.baseAddress!, tokens: inputs, windows: configuration.batch)
            return summedLoss(targets: targets, rows: rowsCapacity) / Double(rowsCapacity) + regularizer(w.baseAddress!)
        }
    }

    public func gradient(at x: [Double], into gradient: inout [Double]) throws -> Double {
        try check(x)
        if gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        return x.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                forward(w.baseAddress!, tokens: inputs, windows: configuration.batch)
                backward(w.baseAddress!, targets: targets, gradient: g.baseAddress!)
                return summedLoss(targets: targets, rows: rowsCapacity) / Double(rowsCapacity) + regularizer(w.baseAddress!)
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
                    forward(w.baseAddress!, tokens: inputs, windows: configuration.batch, direction: vp.baseAddress!)
                    backward(w.baseAddress!, targets: targets, gradient: nil, direction: vp.baseAddress!,
                             product: hv.baseAddress!)
                }
            }
        }
    }

    public func layerStatistics(at x: [Double], targets mode: TargetMode, seed: UInt64) throws -> LayerStatistics {
        var unused: [Double] = []
        return try statisticsPass(at: x, gradient: &unused, wantsGradient: false, targets: mode, seed: seed).statistics
    }

    public func gradientAndLayerStatistics(at x: [Double], into gradient: inout [Double], targets mode: TargetMode,
                                           seed: UInt64) throws -> (value: Double, statistics: LayerStatistics) {
        try statisticsPass(at: x, gradient: &gradient, wantsGradient: true, targets: mode, seed: seed)
    }

    /// The linear layers in statistics order: (name, map, its input in the last forward pass).
    private func linearLayers() -> [(String, LinearMap, Pointer)] {
        var out: [(String, LinearMap, Pointer)] = []
        for (l, b) in blocks.enumerated() {
            out.append(("block\(l).attn.qkv", b.qkv, primal.ln1Out[l]))
            out.append(("block\(l).attn.proj", b.projection, primal.attention[l]))
            out.append(("block\(l).mlp.fc", b.fc, primal.ln2Out[l]))
            out.append(("block\(l).mlp.proj", b.mlpProjection, primal.fcOut[l]))
        }
        out.append(("head", head, primal.finalOut))
        return out
    }

    /// Next characters drawn from the model's predictive distribution of the
    /// last forward pass, one SplitMix64 uniform per position (inverse cumulative softmax).
    private func sampleTargets(seed: UInt64) {
        let rows = rowsCapacity, vocabulary = vocabularySize
        var rng = SplitMix64(seed: seed)
        for i in 0..<rows {
            let u = rng.uniform()
            sampledTargets[i] = Int32(categoricalSample(probabilities + i * vocabulary, classes: vocabulary, uniform: u))
        }
    }

    public func sampledLabelGradient(at x: [Double], seed: UInt64, into gradient: inout [Double]) throws -> Int {
        try check(x)
        if gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        decayInBackward = false
        defer { decayInBackward = true }
        x.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                forward(w.baseAddress!, tokens: inputs, windows: configuration.batch)
                sampleTargets(seed: seed)
                backward(w.baseAddress!, targets: sampledTargets, gradient: g.baseAddress!)
            }
        }
        return rowsCapacity
    }

    private func statisticsPass(at x: [Double], gradient: inout [Double], wantsGradient: Bool, targets mode: TargetMode,
                                seed: UInt64) throws -> (value: Double, statistics: LayerStatistics) {
        try check(x)
        guard mode != .ggn else {
            throw ObjectiveError.unsupported("exact-GGN layer statistics (use sampled or empirical targets)", problem: name)
        }
        if wantsGradient && gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        let rows = rowsCapacity
        return x.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                let wp = w.baseAddress!
                forward(wp, tokens: inputs, windows: configuration.batch)
                let f = summedLoss(targets: targets, rows: rows) / Double(rows) + regularizer(wp)
                let layers = linearLayers()
                var deltas = layers.map { Matrix(rows: rows, columns: $0.1.outputs) }
                let record: (Int, UnsafePointer<Double>) -> Void = { index, delta in
                    deltas[index].storage.withUnsafeMutableBufferPointer {
                        $0.baseAddress!.update(from: delta, count: rows * layers[index].1.outputs)
                    }
                }
                if mode == .sampled {
                    sampleTargets(seed: seed)
                    backward(wp, targets: sampledTargets, gradient: nil, record: record)
                    if wantsGradient { backward(wp, targets: targets, gradient: g.baseAddress!) }
                } else {
                    backward(wp, targets: targets, gradient: wantsGradient ? g.baseAddress! : nil, record: record)
                }
                let statistics = layers.enumerated().map { index, layer -> LayerStatistics.Layer in
                    let (name, map, input) = layer
                    let weight = layout.blocks.first { $0.offset == map.weightOffset }!
                    let bias = map.biasOffset.map { offset in layout.blocks.first { $0.offset == offset }! }
                    let a = bias == nil ? Matrix.rows(copying: input, rows: rows, columns: map.inputs)
                        : Matrix.rowsWithOnes(input, rows: rows, columns: map.inputs)
                    return .init(name: name, weight: weight, bias: bias, inputs: a, outputGradients: deltas[index])
                }
                return (f, LayerStatistics(layers: statistics, batchSize: rows))
            }
        }
    }

    /// Mean loss on fixed windows, `batch` windows per forward pass.
    private func windowLoss(_ w: UnsafePointer<Double>, _ windows: (inputs: [Int32], targets: [Int32])) -> Double {
        let t = configuration.context, count = windows.inputs.count / t
        var total = 0.0, done = 0
        windows.inputs.withUnsafeBufferPointer { ins in
            windows.targets.withUnsafeBufferPointer { outs in
                while done < count {
                    let chunk = min(configuration.batch, count - done)
                    forward(w, tokens: ins.baseAddress! + done * t, windows: chunk)
                    total += summedLoss(targets: outs.baseAddress! + done * t, rows: chunk * t)
                    done += chunk
                }
            }
        }
        return total / Double(count * t)
    }

    /// Mean loss on `eval_windows` fixed training windows, plus the L2 term.
    public func fullValue(at x: [Double]) throws -> Double {
        try check(x)
        return x.withUnsafeBufferPointer { w in windowLoss(w.baseAddress!, trainEval) + regularizer(w.baseAddress!) }
    }

    /// Held-out bits per character on `eval_windows` fixed test windows.
    public func testMetric(at x: [Double]) -> Double? {
        guard x.count == dimension else { return nil }
        return x.withUnsafeBufferPointer { w in windowLoss(w.baseAddress!, testEval) / Double.log(2) }
    }
}
