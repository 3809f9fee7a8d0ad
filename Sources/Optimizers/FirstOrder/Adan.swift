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
public struct Adan: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "adan", family: .firstOrder,
        summary: "Adaptive Nesterov momentum with proximal decay (official sail-sg/Adan)",
        reference: "Xie et al. 2022, arXiv:2208.06677; sail-sg/Adan",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(11))   // θ, g, m, d, n, g₋ | θ, m, d, n, g₋

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-3
        public var beta1: Double = 0.98
        public var beta2: Double = 0.92
        public var beta3: Double = 0.99
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0
        public var maxGradNorm: Double = 0

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the gradient average m (code convention b = 1 − β)"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the gradient-difference average d"),
            .real("beta3", \.beta3, .unitHalfOpen, "decay of the second moment n"),
            .real("eps", \.eps, .positive, "added to √n̂ (outside the root)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "proximal decay λ: θ ← θ/(1 + ηλ)"),
            .real("max_grad_norm", \.maxGradNorm, .nonNegative, "clip the global gradient norm to this (0: off)"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 4 }

    /// Average of gradients m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }
    /// Average of gradient differences d.
    public var d: [Double] { core.state.buffer(1) }
    /// Second moment n of g + β₂Δ.
    public var n: [Double] { core.state.buffer(2) }
    /// The previous (clipped) gradient.
    public var previousGradient: [Double] { core.state.buffer(3) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, beta3: Double = Settings.defaults.beta3,
                eps: Double = Settings.defaults.eps, weightDecay: Double = Settings.defaults.weightDecay,
                maxGradNorm: Double = Settings.defaults.maxGradNorm, schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, beta3: beta3, eps: eps,
                                  weightDecay: weightDecay, maxGradNorm: maxGradNorm), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g, restartOnResize: true), s = core.settings, eta = step.eta
        let k = Double(step.t)
        let clip = s.maxGradNorm > 0 ? Swift.min(1, s.maxGradNorm / (optlab_sqrt(sumOfSquares(g)) + s.eps)) : 1
        let first = step.t == 1
        let stepSize = eta / (1 - Double.pow(s.beta1, k))
        let stepSizeDiff = eta * s.beta2 / (1 - Double.pow(s.beta2, k))
        let invBc3Sqrt = 1 / optlab_sqrt(1 - Double.pow(s.beta3, k))
        let prox = 1 + eta * s.weightDecay, decays = s.weightDecay != 0
        let (b1, c1, b2, c2, b3, c3, eps) = (s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.beta3, 1 - s.beta3, s.eps)
        let (negS, negSD) = (-stepSize, -stepSizeDiff)
        let (count, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
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
