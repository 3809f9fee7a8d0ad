import CKernels
import CShims
import OptimizationCore
import RealModule

/// Adan (Adaptive Nesterov momentum), matching the official `sail-sg/Adan`
/// `adan.py` (which uses b = 1 − β_paper, hence the defaults below).
///
/// Update for step k = 1, 2, … (element-wise; one counter for all blocks,
/// as the official per-group counter):
///
///     g ← c·g, c = min(1, max_grad_norm/(‖g‖₂ + ε))   (only if max_grad_norm > 0; global norm)
///     Δ ← g − g_prev                        (g_prev := g at k = 1, so Δ₁ = 0)
///     m ← β₁·m + (1 − β₁)·g
///     d ← β₂·d + (1 − β₂)·Δ
///     n ← β₃·n + (1 − β₃)·(g + β₂·Δ)²
///     denom ← √n/√(1 − β₃ᵏ) + ε             (ε outside the root)
///     θ ← θ − (η/(1 − β₁ᵏ))·m/denom − (η·β₂/(1 − β₂ᵏ))·d/denom
///     θ ← θ/(1 + η·λ)                       (proximal weight decay, the default no_prox=False)
///     g_prev ← g
///
/// Code vs paper (Algorithm 1): the paper has no bias correction, puts ε
/// inside the root and initialises m₀ = g₀, n₀ = g₀²; the official code (our
/// reference) zero-initialises, bias-corrects and puts ε outside. With λ = 0
/// the first step is exactly η·sign(g) (up to ε).
///
/// Defaults: lr 1e-3, beta1 0.98, beta2 0.92, beta3 0.99, eps 1e-8,
/// weight_decay 0 (prox), max_grad_norm 0 (off); plus the schedule keys.
/// The authors suggest an lr 5–10× that of AdamW.
///
/// Cost per step: one pass over θ, g, m, d, n, g_prev: 88 bytes per
/// parameter, 1 division (2 with weight decay) and 1 square root (plus a norm pass when
/// clipping); no allocation.
///
///     var opt = Adan(lr: 1e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Xie et al., "Adan: Adaptive Nesterov Momentum Algorithm for
/// Faster Optimizing Deep Models", arXiv:2208.06677 (Algorithm 1); sail-sg/Adan.
public struct Adan: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "adan", family: .firstOrder,
        summary: "Adaptive Nesterov momentum with proximal decay (official sail-sg/Adan)",
        reference: "Xie et al. 2022, arXiv:2208.06677; sail-sg/Adan",
        hyperparameters: [
            .real("lr", 1e-3, .positive, "learning rate η"),
            .real("beta1", 0.98, .unitHalfOpen, "decay of the gradient average m (code convention b = 1 − β)"),
            .real("beta2", 0.92, .unitHalfOpen, "decay of the gradient-difference average d"),
            .real("beta3", 0.99, .unitHalfOpen, "decay of the second moment n"),
            .real("eps", 1e-8, .positive, "added to √n̂ (outside the root)"),
            .real("weight_decay", 0, .nonNegative, "proximal decay λ: θ ← θ/(1 + ηλ)"),
            .real("max_grad_norm", 0, .nonNegative, "clip the global gradient norm to this (0: off)"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let beta3: Double
    public let eps: Double
    public let weightDecay: Double
    public let maxGradNorm: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 4)

    /// Average of gradients m (empty before the first step).
    public var m: [Double] { state.buffer(0) }
    /// Average of gradient differences d.
    public var d: [Double] { state.buffer(1) }
    /// Second moment n of g + β₂Δ.
    public var n: [Double] { state.buffer(2) }
    /// The previous (clipped) gradient.
    public var previousGradient: [Double] { state.buffer(3) }

    public init(lr: Double = 1e-3, beta1: Double = 0.98, beta2: Double = 0.92, beta3: Double = 0.99,
                eps: Double = 1e-8, weightDecay: Double = 0, maxGradNorm: Double = 0,
                schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "beta3": .real(beta3),
            "eps": .real(eps), "weight_decay": .real(weightDecay), "max_grad_norm": .real(maxGradNorm),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        beta3 = p.double("beta3")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        maxGradNorm = p.double("max_grad_norm")
        schedule = LearningRateSchedule(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if state.prepare(count: x.count) { stepCount = 0 }
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let k = Double(stepCount)
        let clip = maxGradNorm > 0 ? Swift.min(1, maxGradNorm / (optlab_sqrt(sumOfSquares(g)) + eps)) : 1
        let first = stepCount == 1
        let stepSize = eta / (1 - Double.pow(beta1, k))
        let stepSizeDiff = eta * beta2 / (1 - Double.pow(beta2, k))
        let invBc3Sqrt = 1 / optlab_sqrt(1 - Double.pow(beta3, k))
        let prox = 1 + eta * weightDecay, decays = weightDecay != 0
        let (b1, c1, b2, c2, b3, c3, eps) = (beta1, 1 - beta1, beta2, 1 - beta2, beta3, 1 - beta3, eps)
        let (negS, negSD) = (-stepSize, -stepSizeDiff)
        let (count, threads) = (x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (ms, ds, ns, ps) = (buffer(0), buffer(1), buffer(2), buffer(3))
                // `optlab_adan` in CKernels, per element:  g ← g·clip;  δ ← g − g₋
                // (0 on the first step);  m ← m·β₁ + (1 − β₁)g;  d ← d·β₂ + (1 − β₂)δ;
                // u ← δ·β₂ + g;  n ← n·β₃ + (1 − β₃)u·u;  g₋ ← g;
                // r ← 1/(√n·(1/√bc₃) + ε);  θ ← (θ + (−s)·m·r + (−s_d)·d·r) / prox.
                // One division: r serves both terms (torch divides twice; the
                // difference is an ulp, and speed needs it).
                let params = optlab_adan_params(
                    clip: clip, beta1: b1, c1: c1, beta2: b2, c2: c2, beta3: b3, c3: c3, eps: eps,
                    inv_bc3_sqrt: invBc3Sqrt, neg_step: negS, neg_step_diff: negSD, prox: prox,
                    first: first ? 1 : 0, decays: decays ? 1 : 0)
                ParallelLoop.run(count: count, threads: threads) { range in
                    withUnsafePointer(to: params) {
                        optlab_adan($0, xs.base, gs.base, ms.base, ds.base, ns.base, ps.base, range.lo, range.hi)
                    }
                }
            }
        }
    }
}

/// Σ gᵢ² in a fixed order (four interleaved partial sums), so the clipping
/// factor does not depend on the thread count.
func sumOfSquares(_ g: [Double]) -> Double {
    g.withUnsafeBufferPointer { p in
        var s = (0.0, 0.0, 0.0, 0.0)
        let n4 = p.count & ~3
        var i = 0
        while i < n4 {
            s.0 += p[i] * p[i]
            s.1 += p[i + 1] * p[i + 1]
            s.2 += p[i + 2] * p[i + 2]
            s.3 += p[i + 3] * p[i + 3]
            i += 4
        }
        while i < p.count {
            s.0 += p[i] * p[i]
            i += 1
        }
        return (s.0 + s.1) + (s.2 + s.3)
    }
}
