import CKernels
import CShims
import OptimizationCore
import RealModule

/// C-AdamW: AdamW whose update is masked to the coordinates where it agrees
/// in sign with the current gradient, matching the official
/// `kyleliang919/C-Optim` `c_adamw.py` (its HF-AdamW-style path).
///
/// Update for step t = 1, 2, …; the mask is normalised per block of the
/// `ParameterLayout`:
///
///     θ ← θ − η·λ·θ                         (decoupled, lr-coupled; only if λ > 0)
///     m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
///     φ ← 1[m∘g > 0] / max(mean_block(1[m∘g > 0]), 1e-3)    (strict >; g = 0 is masked)
///     θ ← θ − (η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)) · (m∘φ)/(√v + ε)    (ε on the uncorrected √v: "E-hat")
///
/// Official code vs paper: arXiv v4 normalises by mean + ε and the first
/// C-Optim versions by numel/(sum + 1); the current code (our reference) uses
/// max(mean, 1e-3). The file's default multi-tensor path imports a module
/// missing from the repository, so the reference is the single-tensor path.
/// Defaults follow the lab's `adamw` (eps 1e-8, weight_decay 1e-2); the
/// official defaults are eps 1e-6, weight_decay 0.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 1e-2;
/// plus the schedule keys.
///
/// Cost per step: a moment/count pass (48 bytes per parameter) and an
/// update pass (40 bytes); no allocation after the first step.
///
///     var opt = CautiousAdamW(lr: 1e-3)
///     opt.update(&params, gradient: grad, layout: layout)
///
/// Reference: Liang et al., "Cautious Optimizers: Improving Training with One
/// Line of Code", arXiv:2411.16085; github.com/kyleliang919/C-Optim.
public struct CautiousAdamW: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "cadamw", family: .firstOrder,
        summary: "AdamW with the Cautious sign-agreement mask, per block (kyleliang919/C-Optim)",
        reference: "Liang et al. 2024, arXiv:2411.16085; kyleliang919/C-Optim c_adamw.py",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(7))   // θ, g and two state arrays | θ and both

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var eps: Double = 1e-8
        public var weightDecay: Double = 1e-2

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "added to √v (uncorrected v)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decoupled decay λ: θ ← θ − ηλθ"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 2 }

    private var plan = BlockPlan()

    /// First moment m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { core.state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay),
                                  schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        plan.prepare(.resolved(layout, count: step.count))
        let t = Double(step.t)
        let negStep = -(eta * optlab_sqrt(1 - Double.pow(s.beta2, t)) / (1 - Double.pow(s.beta1, t)))
        let decay = -(eta * s.weightDecay), decays = s.weightDecay > 0
        let (b1, c1, b2, c2, eps) = (s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.eps)
        let threads = step.threads
        let segments = plan.segments
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                // CKernels' `optlab_cadamw_*` (on the instruction set of
                // KernelPath.active): pass 1 updates m, v and counts m·g > 0 per
                // segment (an integer: exact in any order); pass 2 steps θ.
                let params = optlab_cadamw_params(neg_step: negStep, decay: decay, beta1: b1, c1: c1, beta2: b2, c2: c2,
                                                  eps: eps, decays: decays ? 1 : 0)
                plan.withPointers { partials, _ in
                    segments.forEachSegment(threads: threads) { s, a, b, _ in
                        let aligned = withUnsafePointer(to: params) {
                            optlab_cadamw_moments($0, gs.base, ms.base, vs.base, Int64(a), Int64(b))
                        }
                        partials.base[s] = Double(aligned)
                    }
                }
                plan.finish { aligned, size in 1 / Swift.max(aligned / Double(size), 1e-3) }
                plan.withPointers { _, maskValues in
                    segments.forEachSegment(threads: threads) { _, a, b, block in
                        let maskValue = maskValues.base[block]
                        withUnsafePointer(to: params) {
                            optlab_cadamw_step($0, maskValue, xs.base, gs.base, ms.base, vs.base, Int64(a), Int64(b))
                        }
                    }
                }
            }
        }
    }
}
