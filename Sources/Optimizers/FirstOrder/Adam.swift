import CShims
import OptimizationCore
import RealModule

/// Adam and its AMSGrad variant, matching `torch.optim.Adam`.
///
/// Update for step t = 1, 2, … with gradient g (all element-wise):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     m ← m + (1 − β₁)(g − m)              (= β₁m + (1 − β₁)g, torch's lerp)
///     v ← β₂·v + (1 − β₂)·g²
///     v̄ ← max(v̄, v) if amsgrad else v     (max of the raw v, then bias-correct)
///     θ ← θ − (η/(1 − β₁ᵗ)) · m / (√v̄ / √(1 − β₂ᵗ) + ε)     (ε outside the root: "E-out")
///
/// Defaults: lr (η) 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0
/// (L2, coupled: it passes through the moments — use ``AdamW`` for decoupled
/// decay), amsgrad false; plus the schedule keys of ``LearningRateSchedule``.
///
/// Cost per step: one pass over θ, g, m, v (plus v̄): 56 bytes of memory
/// traffic per parameter, 2 divisions and 1 square root; no allocation.
/// `threads` splits the pass across cores with bit-identical results.
///
///     var opt = Adam(lr: 1e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Kingma & Ba, "Adam: A Method for Stochastic Optimization",
/// ICLR 2015, arXiv:1412.6980 (Algorithm 1); AMSGrad: Reddi, Kale, Kumar,
/// ICLR 2018. Matches torch.optim.Adam (the paper's Algorithm 1 with ε added
/// after the bias-corrected root).
public struct Adam: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "adam", family: .firstOrder,
        summary: "Adam with bias correction (torch.optim.Adam); optional L2 decay and AMSGrad",
        reference: "Kingma & Ba 2015, arXiv:1412.6980; torch.optim.Adam",
        hyperparameters: [
            .real("lr", 1e-3, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", 0.999, .unitHalfOpen, "decay of the second moment"),
            .real("eps", 1e-8, .positive, "added to √v̂ (outside the root)"),
            .real("weight_decay", 0, .nonNegative, "L2 penalty λ added to the gradient"),
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

    /// Steps taken so far (t of the last step).
    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 3)

    /// First moment m (empty before the first step).
    public var m: [Double] { state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { state.buffer(1) }
    /// AMSGrad's running maximum of v (zeros unless `amsgrad`; empty before the first step).
    public var vMax: [Double] {
        amsgrad ? state.buffer(2) : [Double](repeating: 0, count: state.storage.isEmpty ? 0 : state.count)
    }

    public init(lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
                weightDecay: Double = 0, amsgrad: Bool = false, schedule: LearningRateSchedule = .constant) {
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
            beta1: beta1, beta2: beta2, eps: eps, l2: weightDecay, decayFactor: 1, amsgrad: amsgrad)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xp, gp in
            state.withPointers { buffer in
                let (mp, vp, wp) = (buffer(0), buffer(1), buffer(amsgrad ? 2 : 1))
                ParallelLoop.run(count: n, threads: threads) { kernel.run(xp, gp, mp, vp, wp, $0) }
            }
        }
    }
}
