import CShims
import OptimizationCore

/// Adagrad: per-coordinate steps scaled by the root of the summed squared
/// gradients, matching `torch.optim.Adagrad` (dense, single-tensor path).
///
/// Update for step t = 1, 2, … (element-wise; s starts at
/// `initial_accumulator_value`):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     η_t ← η / (1 + (t − 1)·lr_decay)
///     s ← s + g²
///     θ ← θ − η_t·g / (√s + ε)
///
/// Defaults (torch's): lr 0.01, lr_decay 0, weight_decay 0,
/// initial_accumulator_value 0, eps 1e-10; plus the schedule keys (the
/// scheduled η enters η_t in place of lr).
///
/// Cost per step: one pass over θ, g, s: 40 bytes per parameter, 1 division
/// and 1 square root; no allocation. `threads` splits the pass with
/// bit-identical results.
///
///     var opt = Adagrad(lr: 0.01)
///     opt.update(&params, gradient: grad)
///
/// Reference: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online
/// Learning and Stochastic Optimization", JMLR 12 (2011) (no arXiv id);
/// reference code torch.optim.Adagrad, torch 2.15.0
/// (https://docs.pytorch.org/docs/stable/generated/torch.optim.Adagrad.html).
public struct Adagrad: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "adagrad", family: .firstOrder,
        summary: "steps scaled by the root of the summed squared gradients (torch.optim.Adagrad)",
        reference: "Duchi, Hazan & Singer 2011, JMLR 12; torch.optim.Adagrad",
        hyperparameters: [
            .real("lr", 1e-2, .positive, "learning rate η"),
            .real("lr_decay", 0, .nonNegative, "η_t = η/(1 + (t − 1)·lr_decay)"),
            .real("weight_decay", 0, .nonNegative, "L2 penalty λ added to the gradient"),
            .real("initial_accumulator_value", 0, .nonNegative, "starting value of the sum s"),
            .real("eps", 1e-10, .positive, "added to √s"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let lrDecay: Double
    public let weightDecay: Double
    public let initialAccumulatorValue: Double
    public let eps: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 1)

    /// The sum of squared gradients s (empty before the first step).
    public var sum: [Double] { state.buffer(0) }

    public init(lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0, initialAccumulatorValue: Double = 0,
                eps: Double = 1e-10, schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "lr_decay": .real(lrDecay), "weight_decay": .real(weightDecay),
            "initial_accumulator_value": .real(initialAccumulatorValue), "eps": .real(eps),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        lrDecay = p.double("lr_decay")
        weightDecay = p.double("weight_decay")
        initialAccumulatorValue = p.double("initial_accumulator_value")
        eps = p.double("eps")
        schedule = LearningRateSchedule(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if state.prepare(count: x.count) && initialAccumulatorValue != 0 {
            let s0 = initialAccumulatorValue
            state.withPointers { buffer in
                let s = buffer(0).base
                for i in 0..<x.count { s[i] = s0 }
            }
        }
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let negClr = -(eta / (1 + Double(stepCount - 1) * lrDecay))
        let (l2, eps, n, threads) = (weightDecay, eps, x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let ss = buffer(0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.adagrad(negClr: negClr, l2: l2, eps: eps, xs, gs, ss, range)
                }
            }
        }
    }
}
