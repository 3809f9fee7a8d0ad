import CShims
import OptimizationCore
import RealModule

/// ADOPT: Adam whose step uses the second moment of the *previous* steps
/// only, with the gradient normalised before the momentum, matching the
/// official `iShohei220/adopt` `adopt.py` (single-tensor path).
///
/// Update for call t = 1, 2, … with gradient g (element-wise):
///
///     g ← g + λ·θ                          (L2, only if λ ≠ 0 and not decouple)
///     t = 1:  v ← g²                       (the first call only sets v; θ and m stay)
///     t ≥ 2:  θ ← θ − η·λ·θ                (decoupled decay, only if decouple)
///             n ← clamp(g / max(√v, ε), −(t−1)^¼, (t−1)^¼)
///             m ← lerp(m, n, 1 − β₁)
///             θ ← θ − η·m
///             v ← β₂·v + (1 − β₂)·g²       (after the step: v never sees the g it normalises)
///
/// No bias correction. The clip (t−1)^¼ is the reference's default
/// `clip_lambda = step**0.25` with `step` the number of earlier calls.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.9999, eps 1e-6, weight_decay 0,
/// decouple false; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, one
/// division and one square root; no allocation.
///
///     var opt = ADOPT(lr: 1e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Taniguchi et al., "ADOPT: Modified Adam Can Converge with Any
/// β₂ with the Optimal Rate", NeurIPS 2024, arXiv:2411.02853;
/// github.com/iShohei220/adopt src/adopt/adopt.py, commit 6468572.
public struct ADOPT: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "adopt", family: .firstOrder,
        summary: "Adam with the normalised gradient clipped and v from earlier steps only (iShohei220/adopt)",
        reference: "Taniguchi et al. 2024, arXiv:2411.02853; iShohei220/adopt adopt.py @6468572",
        hyperparameters: [
            .real("lr", 1e-3, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "decay of the momentum of the normalised gradient"),
            .real("beta2", 0.9999, .unitHalfOpen, "decay of the second moment"),
            .real("eps", 1e-6, .positive, "floor of √v in the normalisation"),
            .real("weight_decay", 0, .nonNegative, "decay λ: L2 on the gradient, or θ ← θ − ηλθ with decouple"),
            .boolean("decouple", false, "decoupled (AdamW-style) weight decay"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    public let decouple: Bool
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    /// Calls so far (the first only initialises v).
    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 2)

    /// Momentum m of the normalised gradient (empty before the first step).
    public var m: [Double] { state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { state.buffer(1) }

    public init(lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.9999, eps: Double = 1e-6,
                weightDecay: Double = 0, decouple: Bool = false, schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "eps": .real(eps),
            "weight_decay": .real(weightDecay), "decouple": .boolean(decouple),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        decouple = p.bool("decouple")
        schedule = LearningRateSchedule(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if state.prepare(count: x.count) { stepCount = 0 }
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let first = stepCount == 1
        let clip = first ? 0 : Double.pow(Double(stepCount - 1), 0.25)
        let l2 = decouple ? 0 : weightDecay
        let decay = decouple && weightDecay != 0 ? -(eta * weightDecay) : 0
        let (w1, b2, c2, eps, negEta) = (1 - beta1, beta2, 1 - beta2, eps, -eta)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                // The first step only sets v = g²; later ones use v before updating it.
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.adopt(clip: clip, l2: l2, decay: decay, w1: w1, beta2: b2, c2: c2, eps: eps,
                                         negEta: negEta, first: first, xs, gs, ms, vs, range)
                }
            }
        }
    }
}
