import CKernels
import OptimizationCore

/// Lion (EvoLved Sign Momentum), matching google/automl's PyTorch Lion and
/// lucidrains' `lion-pytorch`.
///
/// Update (element-wise; no step counter, no ε, no bias correction):
///
///     c ← β₁·m + (1 − β₁)·g                 (interpolation with the OLD m)
///     θ ← θ·(1 − η·λ)                       (decoupled, lr-coupled decay)
///     θ ← θ − η·sign(c)                     (sign(0) = 0)
///     m ← β₂·m + (1 − β₂)·g
///
/// Defaults: lr 1e-4, beta1 0.9, beta2 0.99, weight_decay 0; plus the
/// schedule keys. The paper suggests an lr 3–10× below AdamW's and a λ
/// 3–10× above it.
///
/// Cost per step: one pass over θ, g, m: 40 bytes per parameter; no
/// division, no square root, no allocation.
///
///     var opt = Lion(lr: 1e-4)
///     opt.update(&params, gradient: grad)
///
/// Reference: Chen et al., "Symbolic Discovery of Optimization Algorithms",
/// arXiv:2302.06675 (Algorithm 2); google/automl lion/lion_pytorch.py.
public struct Lion: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "lion", family: .firstOrder,
        summary: "sign of an interpolated momentum, decoupled decay (google/automl Lion)",
        reference: "Chen et al. 2023, arXiv:2302.06675; google/automl lion",
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
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let (b1, c1, b2, c2, decay, negEta) = (beta1, 1 - beta1, beta2, 1 - beta2, 1 - eta * weightDecay, -eta)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let ms = buffer(0)
                // `optlab_lion` in CKernels, per element:  c ← m·β₁ + g·(1 − β₁);
                // θ ← θ·decay + (−η)·sign(c);  m ← m·β₂ + (1 − β₂)·g.
                let params = optlab_lion_params(beta1: b1, c1: c1, beta2: b2, c2: c2, decay: decay, neg_eta: negEta)
                ParallelLoop.run(count: n, threads: threads) { range in
                    withUnsafePointer(to: params) { optlab_lion($0, xs.base, gs.base, ms.base, range.lo, range.hi) }
                }
            }
        }
    }
}
