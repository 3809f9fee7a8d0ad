import CKernels
import CShims
import OptimizationCore
import RealModule

/// Grams (Gradient Descent with Adaptive Momentum Scaling): Adam's magnitude,
/// the current gradient's sign. Matches the official `Gunale0926/Grams`
/// (PyPI `grams-pytorch` 0.0.2).
///
/// Update for step t = 1, 2, … (element-wise):
///
///     θ ← θ − η·λ·θ                         (decoupled, lr-coupled; before the moments)
///     m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
///     θ ← θ − (η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)) · sign(g)·|m| / (√v + ε)
///
/// ε is added to the root of the *uncorrected* v ("E-hat"): the official
/// code differs from the paper's ε-after-√v̂ form; the code is the reference.
/// A coordinate with g = 0 does not move (sign(0) = 0) except by decay.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-6, weight_decay 0;
/// plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, 1
/// division and 1 square root; no allocation.
///
///     var opt = Grams(lr: 1e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Cao, Li, Song, "Grams: Gradient Descent with Adaptive Momentum
/// Scaling", arXiv:2412.17107 (Algorithm 1); github.com/Gunale0926/Grams.
public struct Grams: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "grams", family: .firstOrder,
        summary: "Adam magnitude with the current gradient's sign (official Grams)",
        reference: "Cao, Li, Song 2024, arXiv:2412.17107; Gunale0926/Grams",
        hyperparameters: [
            .real("lr", 1e-3, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", 0.999, .unitHalfOpen, "decay of the second moment"),
            .real("eps", 1e-6, .positive, "added to √v (uncorrected v)"),
            .real("weight_decay", 0, .nonNegative, "decoupled decay λ: θ ← θ − ηλθ"),
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
    /// Second moment v.
    public var v: [Double] { state.buffer(1) }

    public init(lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-6,
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
        let t = Double(stepCount)
        let stepSize = eta * optlab_sqrt(1 - Double.pow(beta2, t)) / (1 - Double.pow(beta1, t))
        let negStep = -stepSize, decay = -(eta * weightDecay), decays = weightDecay > 0
        let (b1, c1, b2, c2, eps) = (beta1, 1 - beta1, beta2, 1 - beta2, eps)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                // `optlab_grams` in CKernels, per element:  θ ← θ + (−ηλ)·θ (if λ > 0);
                // m ← m·β₁ + (1 − β₁)g;  v ← v·β₂ + (1 − β₂)g·g;
                // θ ← θ + (−s)·(sign(g)·|m|) / (√v + ε).
                let params = optlab_grams_params(neg_step: negStep, decay: decay, beta1: b1, c1: c1, beta2: b2, c2: c2,
                                                 eps: eps, decays: decays ? 1 : 0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    withUnsafePointer(to: params) {
                        optlab_grams($0, xs.base, gs.base, ms.base, vs.base, range.lo, range.hi)
                    }
                }
            }
        }
    }
}
