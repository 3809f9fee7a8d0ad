import CShims
import OptimizationCore

/// RMSprop, optionally centred and with heavy-ball momentum, matching
/// `torch.optim.RMSprop` (single-tensor path).
///
/// Update for step t = 1, 2, … (element-wise; v, ḡ, b start at zero):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     v ← α·v + (1 − α)·g²
///     ḡ ← lerp(ḡ, g, 1 − α);  a ← √(v − ḡ²) + ε     (centered)
///                              a ← √v + ε            (otherwise)
///     b ← μ·b + g/a;  θ ← θ − η·b                    (momentum μ > 0)
///     θ ← θ − η·g/a                                  (μ = 0)
///
/// No bias correction: the first steps are large (v starts at zero), as in
/// torch and in Hinton's lecture.
///
/// Defaults (torch's): lr 0.01, alpha 0.99, eps 1e-8, weight_decay 0,
/// momentum 0, centered false; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, v: 40 bytes per parameter (+16 for
/// ḡ when centered, +16 for b with momentum); 1 division, 1 square root; no
/// allocation.
///
///     var opt = RMSprop(lr: 1e-3, momentum: 0.9, centered: true)
///     opt.update(&params, gradient: grad)
///
/// Reference: Hinton, Srivastava & Swersky, Neural Networks for Machine
/// Learning, lecture 6e (2012; no paper, no arXiv id); centred form: Graves,
/// arXiv:1308.0850 §4. Reference code torch.optim.RMSprop, torch 2.15.0
/// (https://docs.pytorch.org/docs/stable/generated/torch.optim.RMSprop.html).
public struct RMSprop: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "rmsprop", family: .firstOrder,
        summary: "steps divided by a running RMS of the gradient; optional centring and momentum (torch.optim.RMSprop)",
        reference: "Hinton et al. 2012, lecture 6e; Graves 2013, arXiv:1308.0850; torch.optim.RMSprop",
        hyperparameters: [
            .real("lr", 1e-2, .positive, "learning rate η"),
            .real("alpha", 0.99, .unitClosed, "decay α of the squared-gradient average"),
            .real("eps", 1e-8, .positive, "added to the root"),
            .real("weight_decay", 0, .nonNegative, "L2 penalty λ added to the gradient"),
            .real("momentum", 0, .unitHalfOpen, "heavy-ball momentum μ on the scaled gradient"),
            .boolean("centered", false, "subtract the squared running mean of g (variance instead of second moment)"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let alpha: Double
    public let eps: Double
    public let weightDecay: Double
    public let momentum: Double
    public let centered: Bool
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    /// v, then b (momentum), then ḡ (centered), only those in use.
    private var state = StateSlab(buffers: 1)

    /// Running average of g², v (empty before the first step).
    public var squareAverage: [Double] { state.buffer(0) }
    /// Momentum buffer b (empty without momentum).
    public var momentumBuffer: [Double] { momentum > 0 ? state.buffer(1) : [] }
    /// Running average of g, ḡ (empty unless centered).
    public var gradientAverage: [Double] { centered ? state.buffer(momentum > 0 ? 2 : 1) : [] }

    public init(lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                momentum: Double = 0, centered: Bool = false, schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "alpha": .real(alpha), "eps": .real(eps), "weight_decay": .real(weightDecay),
            "momentum": .real(momentum), "centered": .boolean(centered),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        alpha = p.double("alpha")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        momentum = p.double("momentum")
        centered = p.bool("centered")
        schedule = LearningRateSchedule(p)
        state = StateSlab(buffers: 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0))
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        _ = state.prepare(count: x.count)
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let kernel = Kernel(alpha: alpha, eps: eps, l2: weightDecay, momentum: momentum, negEta: -eta)
        let (n, threads, hasMomentum, centered) = (x.count, threads, momentum > 0, centered)
        withParameters(&x, g) { xp, gp in
            state.withPointers { buffer in
                let vp = buffer(0)
                let bp = buffer(hasMomentum ? 1 : 0)
                let ap = buffer(centered ? (hasMomentum ? 2 : 1) : 0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.rmsprop(alpha: kernel.alpha, eps: kernel.eps, l2: kernel.l2, momentum: kernel.momentum,
                                           negEta: kernel.negEta, hasMomentum: hasMomentum, centered: centered,
                                           xp, gp, vp, bp, ap, range)
                }
            }
        }
    }

    /// The per-step constants of the element loop (CKernels' `optlab_rmsprop`,
    /// torch's operation order).
    private struct Kernel {
        let alpha: Double, eps: Double, l2: Double, momentum: Double, negEta: Double
    }
}
