import CKernels
import OptimizationCore

/// C-Lion: Lion whose sign update is masked to the coordinates where it
/// agrees with the current gradient, matching the official
/// `kyleliang919/C-Optim` `c_lion.py`.
///
/// Update (element-wise; the mask is normalised per block of the
/// `ParameterLayout`):
///
///     θ ← θ·(1 − η·λ)                       (decoupled, lr-coupled decay)
///     u ← sign(β₁·m + (1 − β₁)·g)           (old m; sign(0) = 0)
///     φ ← 1[u∘g > 0] · n_block/(Σ_block 1[u∘g > 0] + 1)
///     θ ← θ − η·(u∘φ)
///     m ← β₂·m + (1 − β₂)·g
///
/// The official file's default betas are (0.95, 0.98); the lab keeps Lion's
/// (0.9, 0.99) so that `clion` and `lion` differ only by the mask. The
/// normalisation n/(Σ + 1) is the original C-Optim one (c_lion.py still
/// uses it), so a fully aligned block of n coordinates moves by n/(n + 1)·η.
///
/// Defaults: lr 1e-4, beta1 0.9, beta2 0.99, weight_decay 0; plus the
/// schedule keys.
///
/// Cost per step: a counting pass over g, m (16 bytes per parameter) and the
/// update pass (40 bytes); no allocation after the first step.
///
///     var opt = CautiousLion(lr: 1e-4)
///     opt.update(&params, gradient: grad, layout: layout)
///
/// Reference: Liang et al., "Cautious Optimizers: Improving Training with One
/// Line of Code", arXiv:2411.16085; github.com/kyleliang919/C-Optim.
public struct CautiousLion: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "clion", family: .firstOrder,
        summary: "Lion with the Cautious sign-agreement mask, per block (kyleliang919/C-Optim)",
        reference: "Liang et al. 2024, arXiv:2411.16085; kyleliang919/C-Optim c_lion.py",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(5))   // θ, g, m | θ, m

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-4
        public var beta1: Double = 0.9
        public var beta2: Double = 0.99
        public var weightDecay: Double = 0

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "interpolation weight of m in the update direction"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the momentum m"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decoupled decay λ: θ ← θ(1 − ηλ)"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 1 }

    private var plan = BlockPlan()

    /// Momentum m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, weightDecay: Double = Settings.defaults.weightDecay,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, weightDecay: weightDecay), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        plan.prepare(.resolved(layout, count: step.count))
        let (b1, c1, b2, c2, decay, negEta) = (s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, 1 - eta * s.weightDecay, -eta)
        let threads = step.threads
        let segments = plan.segments
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let ms = buffer(0)
                // CKernels' `optlab_clion_*` (on the instruction set of
                // KernelPath.active): pass 1 counts sign(c)·g > 0, i.e. c and g
                // both > 0 or both < 0, per segment (an exact integer); pass 2:
                // u ← sign(c);  θ ← θ·decay + (−η)·(u·φ);  m ← m·β₂ + (1 − β₂)g.
                let params = optlab_clion_params(beta1: b1, c1: c1, beta2: b2, c2: c2, decay: decay, neg_eta: negEta)
                plan.withPointers { partials, _ in
                    segments.forEachSegment(threads: threads) { s, a, b, _ in
                        let aligned = withUnsafePointer(to: params) {
                            optlab_clion_count($0, gs.base, ms.base, Int64(a), Int64(b))
                        }
                        partials.base[s] = Double(aligned)
                    }
                }
                plan.finish { aligned, size in Double(size) / (aligned + 1) }
                plan.withPointers { _, maskValues in
                    segments.forEachSegment(threads: threads) { _, a, b, block in
                        let maskValue = maskValues.base[block]
                        withUnsafePointer(to: params) {
                            optlab_clion_step($0, maskValue, xs.base, gs.base, ms.base, Int64(a), Int64(b))
                        }
                    }
                }
            }
        }
    }
}
