import CShims
import OptimizationCore

/// Adadelta: the step is the ratio of two running RMS values (past updates
/// over past gradients) times g, matching `torch.optim.Adadelta`.
///
/// Update for step t = 1, 2, … (element-wise; v and u start at zero):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     v ← ρ·v + (1 − ρ)·g²
///     Δ ← √(u + ε) / √(v + ε) · g
///     u ← ρ·u + (1 − ρ)·Δ²
///     θ ← θ − η·Δ
///
/// The paper has no learning rate (η = 1, the default); torch scales Δ by
/// η after u is updated, so u accumulates the unscaled Δ. We follow torch.
/// The ratio of roots is taken as one root of the ratio (one square root
/// and one division per element instead of two and one; an ulp from torch).
///
/// Defaults (torch's): lr 1, rho 0.9, eps 1e-6, weight_decay 0; plus the
/// schedule keys.
///
/// Cost per step: one pass over θ, g, v, u: 56 bytes per parameter, 1
/// division and 1 square root; no allocation.
///
///     var opt = Adadelta()
///     opt.update(&params, gradient: grad)
///
/// Reference: Zeiler, "ADADELTA: An Adaptive Learning Rate Method",
/// arXiv:1212.5701 (Algorithm 1); reference code torch.optim.Adadelta,
/// torch 2.15.0 (https://docs.pytorch.org/docs/stable/generated/torch.optim.Adadelta.html).
public struct Adadelta: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "adadelta", family: .firstOrder,
        summary: "ratio of running RMS of updates and of gradients, no tuned step size (torch.optim.Adadelta)",
        reference: "Zeiler 2012, arXiv:1212.5701; torch.optim.Adadelta",
        hyperparameters: [
            .real("lr", 1, .positive, "scale η of the update Δ (the paper has none: 1)"),
            .real("rho", 0.9, .unitClosed, "decay ρ of both running averages"),
            .real("eps", 1e-6, .positive, "added inside both roots"),
            .real("weight_decay", 0, .nonNegative, "L2 penalty λ added to the gradient"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let rho: Double
    public let eps: Double
    public let weightDecay: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 2)

    /// Running average of g², v (empty before the first step).
    public var squareAverage: [Double] { state.buffer(0) }
    /// Running average of Δ², u.
    public var deltaAverage: [Double] { state.buffer(1) }

    public init(lr: Double = 1, rho: Double = 0.9, eps: Double = 1e-6, weightDecay: Double = 0,
                schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "rho": .real(rho), "eps": .real(eps), "weight_decay": .real(weightDecay),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        rho = p.double("rho")
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
        let (r, c, eps, l2, negEta) = (rho, 1 - rho, eps, weightDecay, -eta)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (vs, us) = (buffer(0), buffer(1))
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.adadelta(rho: r, c: c, eps: eps, l2: l2, negEta: negEta, xs, gs, vs, us, range)
                }
            }
        }
    }
}
