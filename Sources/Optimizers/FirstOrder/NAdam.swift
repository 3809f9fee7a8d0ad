import CShims
import OptimizationCore
import RealModule

/// NAdam (Adam with Nesterov momentum and Dozat's momentum schedule), and
/// NAdamW with `decoupled_weight_decay=true`, matching `torch.optim.NAdam`.
///
/// Update for step t = 1, 2, … (m, v start at zero, the product Π₀ = 1):
///
///     θ ← θ·(1 − η·λ)                      (decoupled_weight_decay: NAdamW)
///     g ← g + λ·θ                          (otherwise: L2, only if λ ≠ 0)
///     μ_t ← β₁(1 − ½·0.96^(t·ψ));  μ_{t+1} likewise;  Π_t ← Π_{t−1}·μ_t
///     m ← lerp(m, g, 1 − β₁);  v ← β₂·v + (1 − β₂)·g²
///     d ← √(v/(1 − β₂ᵗ)) + ε
///     θ ← θ − η(1 − μ_t)/(1 − Π_t) · g/d − η·μ_{t+1}/(1 − Π_t·μ_{t+1}) · m/d
///
/// ψ is `momentum_decay`. Π_t is a running product kept in a double, as
/// torch keeps it in a float64 tensor. The √ of the bias-corrected v is
/// formed as √(v·(1/(1 − β₂ᵗ))) (torch divides): results differ by an ulp.
/// NAdamW (decoupled decay with the full scheduled η) is AlgoPerf's
/// baseline optimizer.
///
/// Defaults (torch's): lr 0.002, beta1 0.9, beta2 0.999, eps 1e-8,
/// weight_decay 0, momentum_decay 0.004, decoupled_weight_decay false;
/// plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, 2
/// divisions (torch's two addcdiv terms), 1 square root; no allocation.
///
///     var opt = NAdam(lr: 2e-3, weightDecay: 0.01, decoupledWeightDecay: true)   // NAdamW
///     opt.update(&params, gradient: grad)
///
/// Reference: Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016
/// workshop (no arXiv id); decoupled decay: Loshchilov & Hutter,
/// arXiv:1711.05101. Reference code torch.optim.NAdam, torch 2.15.0
/// (https://docs.pytorch.org/docs/stable/generated/torch.optim.NAdam.html).
public struct NAdam: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "nadam", family: .firstOrder,
        summary: "Adam with Nesterov momentum and a momentum schedule; NAdamW with decoupled_weight_decay (torch.optim.NAdam)",
        reference: "Dozat 2016, ICLR workshop; torch.optim.NAdam",
        hyperparameters: [
            .real("lr", 2e-3, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "decay of the first moment (μ_t's ceiling)"),
            .real("beta2", 0.999, .unitHalfOpen, "decay of the second moment"),
            .real("eps", 1e-8, .positive, "added to the bias-corrected √v"),
            .real("weight_decay", 0, .nonNegative, "decay λ: L2 on the gradient, or decoupled θ ← θ(1 − ηλ)"),
            .real("momentum_decay", 4e-3, .nonNegative, "ψ in μ_t = β₁(1 − ½·0.96^(tψ))"),
            .boolean("decoupled_weight_decay", false, "decoupled decay (NAdamW) instead of L2"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    public let momentumDecay: Double
    public let decoupledWeightDecay: Bool
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    /// Π_t = μ₁·μ₂·…·μ_t (1 before the first step).
    public private(set) var muProduct = 1.0
    private var state = StateSlab(buffers: 2)

    /// First moment m (empty before the first step).
    public var m: [Double] { state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { state.buffer(1) }

    public init(lr: Double = 2e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
                weightDecay: Double = 0, momentumDecay: Double = 4e-3, decoupledWeightDecay: Bool = false,
                schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "eps": .real(eps),
            "weight_decay": .real(weightDecay), "momentum_decay": .real(momentumDecay),
            "decoupled_weight_decay": .boolean(decoupledWeightDecay),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        momentumDecay = p.double("momentum_decay")
        decoupledWeightDecay = p.bool("decoupled_weight_decay")
        schedule = LearningRateSchedule(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if state.prepare(count: x.count) { muProduct = 1 }
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let t = Double(stepCount)
        let mu = beta1 * (1 - 0.5 * Double.pow(0.96, t * momentumDecay))
        let muNext = beta1 * (1 - 0.5 * Double.pow(0.96, (t + 1) * momentumDecay))
        muProduct *= mu
        let muProductNext = muProduct * muNext
        // torch's scalar order: (−η·(1 − μ))/(1 − Π), (−η·μ_{t+1})/(1 − Π·μ_{t+1}).
        let gradCoefficient = -eta * (1 - mu) / (1 - muProduct)
        let momentumCoefficient = -eta * muNext / (1 - muProductNext)
        let invBc2 = 1 / (1 - Double.pow(beta2, t))
        let decoupled = decoupledWeightDecay && weightDecay != 0
        let decay = decoupled ? 1 - eta * weightDecay : 1
        let l2 = decoupled ? 0 : weightDecay
        let (w1, b2, c2, eps) = (1 - beta1, beta2, 1 - beta2, eps)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.nadam(gradCoefficient: gradCoefficient, momentumCoefficient: momentumCoefficient,
                                         invBc2: invBc2, w1: w1, beta2: b2, c2: c2, eps: eps, l2: l2, decay: decay,
                                         xs, gs, ms, vs, range)
                }
            }
        }
    }
}
