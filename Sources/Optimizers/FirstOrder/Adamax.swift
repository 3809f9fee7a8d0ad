import OptimizationCore
import RealModule

/// Adamax: Adam with the infinity norm in place of the second moment,
/// matching `torch.optim.Adamax` (single-tensor path).
///
/// Update for step t = 1, 2, … (element-wise; m and u start at zero):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     m ← lerp(m, g, 1 − β₁)
///     u ← max(β₂·u, |g| + ε)
///     θ ← θ − (η/(1 − β₁ᵗ))·m / u
///
/// torch adds ε to |g| inside the max (the paper has no ε); we follow torch.
///
/// Defaults (torch's): lr 0.002, beta1 0.9, beta2 0.999, eps 1e-8,
/// weight_decay 0; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, u: 56 bytes per parameter, 1
/// division, no square root; no allocation.
///
///     var opt = Adamax(lr: 2e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Kingma & Ba, "Adam: A Method for Stochastic Optimization",
/// ICLR 2015, arXiv:1412.6980 (Algorithm 2, §7.1); reference code
/// torch.optim.Adamax, torch 2.15.0
/// (https://docs.pytorch.org/docs/stable/generated/torch.optim.Adamax.html).
public struct Adamax: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "adamax", family: .firstOrder,
        summary: "Adam with an exponentially weighted infinity norm for the scale (torch.optim.Adamax)",
        reference: "Kingma & Ba 2015, arXiv:1412.6980 §7.1; torch.optim.Adamax",
        hyperparameters: [
            .real("lr", 2e-3, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", 0.999, .unitHalfOpen, "decay of the infinity norm"),
            .real("eps", 1e-8, .positive, "added to |g| inside the max"),
            .real("weight_decay", 0, .nonNegative, "L2 penalty λ added to the gradient"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 2)

    /// First moment m (empty before the first step).
    public var m: [Double] { state.buffer(0) }
    /// Exponentially weighted infinity norm u.
    public var u: [Double] { state.buffer(1) }

    public init(lr: Double = 2e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
                weightDecay: Double = 0, schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "eps": .real(eps),
            "weight_decay": .real(weightDecay),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        schedule = LearningRateSchedule(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        _ = state.prepare(count: x.count)
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let negClr = -(eta / (1 - Double.pow(beta1, Double(stepCount))))
        let (w1, b2, eps, l2) = (1 - beta1, beta2, eps, weightDecay)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (ms, us) = (buffer(0), buffer(1))
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.adamax(negClr: negClr, w1: w1, beta2: b2, eps: eps, l2: l2, xs, gs, ms, us, range)
                }
            }
        }
    }
}
