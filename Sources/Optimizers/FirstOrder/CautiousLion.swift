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
public struct CautiousLion: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "clion", family: .firstOrder,
        summary: "Lion with the Cautious sign-agreement mask, per block (kyleliang919/C-Optim)",
        reference: "Liang et al. 2024, arXiv:2411.16085; kyleliang919/C-Optim c_lion.py",
        hyperparameters: [
            .real("lr", 1e-4, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "interpolation weight of m in the update direction"),
            .real("beta2", 0.99, .unitHalfOpen, "decay of the momentum m"),
            .real("weight_decay", 0, .nonNegative, "decoupled decay λ: θ ← θ(1 − ηλ)"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let weightDecay: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 1)
    private var plan = BlockPlan()

    /// Momentum m (empty before the first step).
    public var m: [Double] { state.buffer(0) }

    public init(lr: Double = 1e-4, beta1: Double = 0.9, beta2: Double = 0.99, weightDecay: Double = 0,
                schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "weight_decay": .real(weightDecay),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        weightDecay = p.double("weight_decay")
        schedule = LearningRateSchedule(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        _ = state.prepare(count: x.count)
        plan.prepare(.resolved(layout, count: x.count))
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let (b1, c1, b2, c2, decay, negEta) = (beta1, 1 - beta1, beta2, 1 - beta2, 1 - eta * weightDecay, -eta)
        let threads = threads
        let segments = plan.segments
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
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
