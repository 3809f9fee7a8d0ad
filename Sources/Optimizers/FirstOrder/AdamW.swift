import CShims
import OptimizationCore
import RealModule

/// AdamW: Adam with decoupled weight decay, matching `torch.optim.AdamW`.
///
/// Update for step t = 1, 2, … (element-wise):
///
///     θ ← θ·(1 − η·λ)                      (decoupled, lr-coupled decay on θ_{t−1}, before the step)
///     m ← m + (1 − β₁)(g − m);  v ← β₂·v + (1 − β₂)·g²;  v̄ ← max(v̄, v) if amsgrad
///     θ ← θ − (η/(1 − β₁ᵗ)) · m / (√v̄ / √(1 − β₂ᵗ) + ε)     (ε outside the root)
///
/// The paper (Algorithm 2) multiplies λ by a schedule multiplier only; like
/// PyTorch (the reference here) we multiply by the full scheduled η.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 1e-2,
/// amsgrad false; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, 2
/// divisions and 1 square root; no allocation.
///
///     var opt = AdamW(lr: 1e-3, weightDecay: 0.01)
///     opt.update(&params, gradient: grad)
///
/// Reference: Loshchilov & Hutter, "Decoupled Weight Decay Regularization",
/// ICLR 2019, arXiv:1711.05101 (Algorithm 2); torch.optim.AdamW.
public struct AdamW: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "adamw", family: .firstOrder,
        summary: "Adam with decoupled weight decay (torch.optim.AdamW)",
        reference: "Loshchilov & Hutter 2019, arXiv:1711.05101; torch.optim.AdamW",
        hyperparameters: [
            .real("lr", 1e-3, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", 0.999, .unitHalfOpen, "decay of the second moment"),
            .real("eps", 1e-8, .positive, "added to √v̂ (outside the root)"),
            .real("weight_decay", 1e-2, .nonNegative, "decoupled decay λ: θ ← θ(1 − ηλ)"),
            .boolean("amsgrad", false, "use the running maximum of v (AMSGrad)"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    public let amsgrad: Bool
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 2)

    /// First moment m (empty before the first step).
    public var m: [Double] { state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { state.buffer(1) }

    public init(lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
                weightDecay: Double = 1e-2, amsgrad: Bool = false, schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "eps": .real(eps),
            "weight_decay": .real(weightDecay), "amsgrad": .boolean(amsgrad),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        amsgrad = p.bool("amsgrad")
        schedule = LearningRateSchedule(p)
        state = StateSlab(buffers: amsgrad ? 3 : 2)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        _ = state.prepare(count: x.count)
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let t = Double(stepCount)
        let kernel = AdamKernel(
            stepSize: eta / (1 - Double.pow(beta1, t)), bc2Sqrt: optlab_sqrt(1 - Double.pow(beta2, t)),
            beta1: beta1, beta2: beta2, eps: eps, l2: 0, decayFactor: 1 - eta * weightDecay, amsgrad: amsgrad)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xp, gp in
            state.withPointers { buffer in
                let (mp, vp, wp) = (buffer(0), buffer(1), buffer(amsgrad ? 2 : 1))
                ParallelLoop.run(count: n, threads: threads) { kernel.run(xp, gp, mp, vp, wp, $0) }
            }
        }
    }
}
