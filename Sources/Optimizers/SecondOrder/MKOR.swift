import LinearAlgebra
import OptimizationCore

/// MKOR: K-FAC-style per-layer preconditioning P_G·V·P_A whose inverse
/// factors are kept directly and refreshed by Sherman–Morrison rank-1
/// updates from batch means, with SGD momentum on the rescaled result.
///
/// Update for step t = 0, 1, … (per layer, V = [∇W | ∇b]):
///
///     if t % inv_freq == 0 or t < warmup_steps:  (one statistics pass)
///         ā = mean_i clamp([a_i; 1], ±c),  ḡ = mean_i clamp(g_i, ±c)   (c = clip)
///         for (P, v) in (P_A, ā), (P_G, ḡ):
///             if reset flag: P ← (1−ζ)P + ζI, flag cleared
///             else official: P ← ((0.95P + 0.05I)⁻¹ + vvᵀ)⁻¹        (Sherman–Morrison)
///                  ema:      P ← (γP⁻¹ + (1−γ)vvᵀ)⁻¹, γ = stat_decay (exact EMA)
///                  if max|P_ij| > reset_threshold: set both flags of the layer
///     Δ = P_G V P_A,  ν = (‖∇W‖ + ‖∇b‖)/(‖Δ_W‖ + ‖Δ_b‖)  (layer skipped if not finite)
///     d = ν·Δ (+ plain gradient outside the layers) + wd·θ
///     b ← μb + d (b = d at the first step);  θ ← θ − lr·b
///
/// Reset flags start set (the first refresh only resets), as in the official
/// code. The official `_reset_factors` in fact always sets P ← I (its
/// membership test is always true, spec §3.4), which is `stabilization=1`;
/// the default ζ = 0.1 is the documented intent.
///
/// `hybrid=true` (MKOR-H; the switching rule is the lab's, spec §3.5): with
/// L̄ the EMA (0.9) of the step losses and w = hybrid_window, once the rate
/// (L̄_{t−w} − L̄_t)/w falls below hybrid_ratio × the rate of the first
/// window, MKOR switches for good to the plain first-order step (no more
/// statistics, no preconditioning); the trace event reads `hybrid_switch`.
///
/// Defaults (official `Mohammad-Mozaffari/mkor` `mkor/mkor.py` unless
/// noted): inv_freq 10, stabilization 0.1, reset_threshold 2 (hard-coded
/// there), clip 100, stat_decay 0.95 (stored but unused by the official
/// update; used by `variant=ema`), warmup_steps 0, momentum 0.9 and lr 0.01
/// (lab defaults for the inner SGD), weight_decay 0, variant official.
///
/// Counting: each statistics pass is one gradient evaluation (the counts of
/// a separate pass, although a network shares the gradient's passes: the
/// targets are empirical). A factor refresh is charged by what it costs: the
/// rank-1 Sherman–Morrison updates make no oracle call, so it adds nothing —
/// not a `hess_evals`, which the cost model prices as a dense Hessian (2·dim).
///
/// Cost per step, per layer (d_i = d_in + 1, d_o = d_out): one gradient;
/// every inv_freq steps copies of a and g from it plus 6(d_i² + d_o²);
/// 2d_o d_i(d_i + d_o) for Δ. No factorisations.
///
///     let (opt, _) = try OptimizerCatalog.shared.make("mkor(lr=0.05,inv_freq=10)")
///
/// Reference: Mozaffari, Li, Zhang & Mehri Dehnavi, "MKOR: Momentum-Enabled
/// Kronecker-Factor-Based Optimizer Using Rank-1 Updates", NeurIPS 2023, arXiv 2306.01685.
public struct MKOR: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "mkor", family: .secondOrder,
        summary: "MKOR: inverse Kronecker factors by Sherman–Morrison rank-1 updates, norm rescaling, SGD momentum",
        reference: "Mozaffari et al., NeurIPS 2023, arXiv 2306.01685 (Mohammad-Mozaffari/mkor)",
        hyperparameters: [
            .real("lr", 0.01, .positive, "learning rate of the inner SGD"),
            .real("momentum", 0.9, .unitHalfOpen, "momentum μ of the inner SGD"),
            .real("weight_decay", 0, .nonNegative, "L2 coefficient added to the rescaled step"),
            .integer("inv_freq", 10, .closed(1, 1_000_000), "steps between factor refreshes"),
            .integer("warmup_steps", 0, .closed(0, 1_000_000), "refresh at every step before this one"),
            .real("stabilization", 0.1, .unitClosed, "reset ζ: P ← (1−ζ)P + ζI"),
            .real("reset_threshold", 2, .positive, "reset when max|P_ij| exceeds this"),
            .real("clip", 100, .positive, "clamp of a and g entries before the batch mean"),
            .real("stat_decay", 0.95, .unitOpen, "γ of variant=ema"),
            .choice("variant", "official", Variant.allCases.map(\.rawValue),
                    "official: 0.95/0.05 blend + unit rank-1; ema: exact inverse of the EMA"),
            .boolean("hybrid", false, "MKOR-H: switch to the first-order step when progress stalls"),
            .integer("hybrid_window", 50, .closed(1, 1_000_000), "hybrid: window w of the loss-rate test"),
            .real("hybrid_ratio", 0.1, .unitOpen, "hybrid: switch when the rate < ratio × the first window's"),
        ],
        requires: [.gradient, .layerStatistics])

    public let lr: Double
    public let momentum: Double
    public let weightDecay: Double
    public let invFreq: Int
    public let warmupSteps: Int
    public let stabilization: Double
    public let resetThreshold: Double
    public let clip: Double
    public let statDecay: Double
    public let exactEMA: Bool
    public let hybrid: Bool
    public let hybridWindow: Int
    public let hybridRatio: Double

    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?
    /// True once MKOR-H has switched to the first-order step.
    public private(set) var switched = false
    /// Per layer: the inverse factors and the step workspaces.
    public private(set) var layers: [Layer] = []
    private var stepIndex = 0
    private var seed: UInt64 = 0
    private var direction: [Double] = []
    private var buffer: [Double] = []
    private var smoothedLoss = Double.nan
    private var lossHistory: [Double] = []
    private var referenceRate: Double?

    /// One layer's state.
    public struct Layer {
        public let weight: ParameterBlock
        public let bias: ParameterBlock?
        public var a: RankOneInverseFactor
        public var g: RankOneInverseFactor
        public var resetFlag = true
        var meanA: [Double]
        var meanG: [Double]
        var gradient: Matrix
        var temporary: Matrix
        var step: Matrix
    }

    /// How the inverse factors follow the statistics.
    public enum Variant: String, CaseIterable, Sendable {
        /// The official code's 0.95/0.05 blend with a unit rank-1 update.
        case official
        /// The exact inverse of an EMA with decay `statDecay`.
        case ema
    }

    /// Every key of the spec, with the same defaults.
    public init(lr: Double = 0.01, momentum: Double = 0.9, weightDecay: Double = 0, invFreq: Int = 10,
                warmupSteps: Int = 0, stabilization: Double = 0.1, resetThreshold: Double = 2, clip: Double = 100,
                statDecay: Double = 0.95, variant: Variant = .official, hybrid: Bool = false,
                hybridWindow: Int = 50, hybridRatio: Double = 0.1) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "momentum": .real(momentum), "weight_decay": .real(weightDecay),
            "inv_freq": .integer(invFreq), "warmup_steps": .integer(warmupSteps),
            "stabilization": .real(stabilization), "reset_threshold": .real(resetThreshold), "clip": .real(clip),
            "stat_decay": .real(statDecay), "variant": .text(variant.rawValue), "hybrid": .boolean(hybrid),
            "hybrid_window": .integer(hybridWindow), "hybrid_ratio": .real(hybridRatio),
        ]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters, seed: UInt64 = 0) {
        self.seed = seed
        lr = p.double("lr")
        momentum = p.double("momentum")
        weightDecay = p.double("weight_decay")
        invFreq = p.int("inv_freq")
        warmupSteps = p.int("warmup_steps")
        stabilization = p.double("stabilization")
        resetThreshold = p.double("reset_threshold")
        clip = p.double("clip")
        statDecay = p.double("stat_decay")
        exactEMA = p.string("variant") == "ema"
        hybrid = p.bool("hybrid")
        hybridWindow = p.int("hybrid_window")
        hybridRatio = p.double("hybrid_ratio")
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        var notes: [String] = []
        let f: Double, g: [Double]
        if !switched && (stepIndex % invFreq == 0 || stepIndex < warmupSteps) {
            // One call: the network shares its forward and backward passes.
            let stats: LayerStatistics
            (f, g, stats) = try oracle.gradientAndLayerStatistics(at: x, targets: .empirical,
                                                                 seed: SplitMix64.derive(seed, UInt64(stepIndex)))
            if layers.isEmpty { layers = stats.layers.map(Self.makeLayer) }
            // Rank-1 updates of the factor inverses from the statistics pass already counted: no oracle work.
            for (k, layer) in stats.layers.enumerated() { refresh(k, layer) }
            notes.append("factor_refresh")
        } else {
            (f, g) = try oracle.gradient(at: x)
        }
        stepIndex += 1
        if hybrid && !switched && checkSwitch(loss: f) {
            switched = true
            notes.append("hybrid_switch")
        }
        let d = x.count
        if direction.count != d {
            direction = [Double](repeating: 0, count: d)
            buffer = direction
        }
        direction.withUnsafeMutableBufferPointer { dp in
            g.withUnsafeBufferPointer { gp in
                dp.baseAddress!.update(from: gp.baseAddress!, count: d)
                guard !switched else { return }
                for k in layers.indices { Self.preconditionLayer(&layers[k], gp, into: dp) }
            }
        }
        let (wd, mu, first, negLr) = (weightDecay, momentum, stepIndex == 1, -lr)
        direction.withUnsafeBufferPointer { dp in
            x.withUnsafeMutableBufferPointer { xp in
                buffer.withUnsafeMutableBufferPointer { bp in
                    for i in 0..<d {
                        let di = wd != 0 ? dp[i] + wd * xp[i] : dp[i]
                        let bi = mu == 0 || first ? di : mu * bp[i] + di
                        bp[i] = bi
                        xp[i] += negLr * bi
                    }
                }
            }
        }
        currentLearningRate = lr
        lastEvent = notes.isEmpty ? nil : notes.joined(separator: ";")
    }

    private static func makeLayer(_ s: LayerStatistics.Layer) -> Layer {
        let (di, dout) = (s.inputs.columns, s.outputGradients.columns)
        let v = Matrix(rows: dout, columns: di)
        return Layer(weight: s.weight, bias: s.bias, a: RankOneInverseFactor(size: di), g: RankOneInverseFactor(size: dout),
                     meanA: [Double](repeating: 0, count: di), meanG: [Double](repeating: 0, count: dout),
                     gradient: v, temporary: v, step: v)
    }

    /// One factor refresh of layer k from its statistics.
    private mutating func refresh(_ k: Int, _ s: LayerStatistics.Layer) {
        Self.clampedMean(s.inputs, clip: clip, into: &layers[k].meanA)
        Self.clampedMean(s.outputGradients, clip: clip, into: &layers[k].meanG)
        if layers[k].resetFlag {
            layers[k].a.reset(toward: stabilization)
            layers[k].g.reset(toward: stabilization)
            layers[k].resetFlag = false
            return
        }
        let (gamma, ema) = (statDecay, exactEMA)
        func update(_ factor: inout RankOneInverseFactor, _ v: [Double]) {
            v.withUnsafeBufferPointer { ema ? factor.emaUpdate($0, decay: gamma) : factor.blendAndUpdate($0) }
        }
        update(&layers[k].a, layers[k].meanA)
        update(&layers[k].g, layers[k].meanG)
        if max(layers[k].a.largestMagnitude, layers[k].g.largestMagnitude) > resetThreshold {
            layers[k].resetFlag = true
        }
    }

    /// mean over rows of clamp(m, ±c).
    static func clampedMean(_ m: Matrix, clip c: Double, into mean: inout [Double]) {
        let (rows, cols) = (m.rows, m.columns)
        mean.withUnsafeMutableBufferPointer { out in
            m.storage.withUnsafeBufferPointer { p in
                for j in 0..<cols { out[j] = 0 }
                for i in 0..<rows {
                    let row = p.baseAddress! + i * cols
                    for j in 0..<cols { out[j] += min(max(row[j], -c), c) }
                }
                let inv = 1 / Double(max(1, rows))
                for j in 0..<cols { out[j] *= inv }
            }
        }
    }

    /// Δ = P_G V P_A rescaled to the gradient's norm (sum of the W and b norms),
    /// written into the layer's positions of `direction`.
    static func preconditionLayer(_ layer: inout Layer, _ flat: UnsafeBufferPointer<Double>,
                             into direction: UnsafeMutableBufferPointer<Double>) {
        let rows = layer.weight.shape[0], inW = layer.weight.count / max(1, rows)
        let cols = layer.gradient.columns
        let (weight, bias) = (layer.weight, layer.bias)
        layer.gradient.storage.withUnsafeMutableBufferPointer { v in
            for i in 0..<rows {
                (v.baseAddress! + i * cols).update(from: flat.baseAddress! + weight.offset + i * inW, count: inW)
                if let bias { v[i * cols + inW] = flat[bias.offset + i] }
            }
        }
        BLAS.gemm(layer.g.inverse, layer.gradient, into: &layer.temporary)
        BLAS.gemm(layer.temporary, layer.a.inverse, into: &layer.step)
        var (gw, gb, sw, sb) = (0.0, 0.0, 0.0, 0.0)
        layer.gradient.storage.withUnsafeBufferPointer { v in
            layer.step.storage.withUnsafeBufferPointer { s in
                for i in 0..<rows {
                    for j in 0..<inW { gw += v[i * cols + j] * v[i * cols + j]; sw += s[i * cols + j] * s[i * cols + j] }
                    if bias != nil { gb += v[i * cols + inW] * v[i * cols + inW]; sb += s[i * cols + inW] * s[i * cols + inW] }
                }
            }
        }
        let nu = (gw.squareRoot() + gb.squareRoot()) / (sw.squareRoot() + sb.squareRoot())
        guard nu.isFinite else { return }            // zero step: keep the plain gradient (official: skip)
        layer.step.storage.withUnsafeBufferPointer { s in
            for i in 0..<rows {
                let dst = direction.baseAddress! + weight.offset + i * inW, src = s.baseAddress! + i * cols
                for j in 0..<inW { dst[j] = nu * src[j] }
                if let bias { direction[bias.offset + i] = nu * src[inW] }
            }
        }
    }

    /// MKOR-H's test on the smoothed loss (true: switch now).
    private mutating func checkSwitch(loss f: Double) -> Bool {
        guard f.isFinite else { return false }
        smoothedLoss = smoothedLoss.isNaN ? f : 0.9 * smoothedLoss + 0.1 * f
        lossHistory.append(smoothedLoss)
        let w = hybridWindow
        if lossHistory.count > w + 1 { lossHistory.removeFirst() }
        guard lossHistory.count == w + 1 else { return false }
        let rate = (lossHistory[0] - lossHistory[w]) / Double(w)
        guard let reference = referenceRate else {
            referenceRate = rate
            return false
        }
        return reference > 0 && rate < hybridRatio * reference
    }
}
