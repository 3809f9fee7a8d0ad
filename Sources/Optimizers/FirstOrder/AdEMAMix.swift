import CShims
import Foundation
import OptimizationCore
import RealModule

/// AdEMAMix: Adam plus a second, slow momentum (β₃ close to 1) mixed into
/// the numerator, matching the official `apple/ml-ademamix`
/// `pytorch/ademamix.py`.
///
/// Update for step t = 1, 2, … (element-wise):
///
///     m₁ ← β₁·m₁ + (1 − β₁)·g              (fast EMA; m₁ = g when β₁ = 0)
///     m₂ ← β₃·m₂ + (1 − β₃)·g              (slow EMA, no bias correction)
///     v  ← β₂·v + (1 − β₂)·g²
///     u  ← (m₁/(1 − β₁ᵗ) + α·m₂) / (√v/√(1 − β₂ᵗ) + ε) + λ·θ
///     θ  ← θ − η·u                          (decay λ inside the step: AdamW-style)
///
/// Warm-ups (reference schedulers, t < T only): α_t = (t/T_α)·α;
/// β₃,t = f⁻¹((1 − t/T_β)·f(β₁) + (t/T_β)·f(β₃)) with f(β) = ln ½ / ln(β + 1e-8) − 1
/// (the half-life in steps) and f⁻¹(h) = ½^{1/(h+1)}.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, beta3 0.9999, alpha 2,
/// beta3_warmup none, alpha_warmup none, eps 1e-8, weight_decay 0; plus the
/// schedule keys. The paper pairs α ≈ 5–10 and β₃ = 0.9999 with warm-ups as
/// long as the run; the reference defaults are kept here.
///
/// Cost per step: one pass over θ, g, m₁, m₂, v: 72 bytes per parameter,
/// one division and one square root (the reference's divisions by the bias
/// corrections become multiplications by their reciprocals: ulp-level
/// differences); no allocation.
///
///     var opt = AdEMAMix(lr: 1e-3, alpha: 5)
///     opt.update(&params, gradient: grad)
///
/// Reference: Pagliardini, Ablin, Grangier, "The AdEMAMix Optimizer: Better,
/// Faster, Older", arXiv:2409.03137 (Algorithm 1); github.com/apple/ml-ademamix
/// pytorch/ademamix.py, commit c3d73c0.
public struct AdEMAMix: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "ademamix", family: .firstOrder,
        summary: "Adam with a slow second momentum mixed in (apple/ml-ademamix)",
        reference: "Pagliardini et al. 2024, arXiv:2409.03137; apple/ml-ademamix @c3d73c0",
        hyperparameters: [
            .real("lr", 1e-3, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "decay of the fast momentum"),
            .real("beta2", 0.999, .unitHalfOpen, "decay of the second moment"),
            .real("beta3", 0.9999, .unitHalfOpen, "decay of the slow momentum"),
            .real("alpha", 2, .nonNegative, "weight α of the slow momentum"),
            Hyperparameter("beta3_warmup", .integer(.atLeast(1)), default: .unset("none"),
                           doc: "steps of the half-life warm-up of β₃ from β₁"),
            Hyperparameter("alpha_warmup", .integer(.atLeast(1)), default: .unset("none"),
                           doc: "steps of the linear warm-up of α from 0"),
            .real("eps", 1e-8, .positive, "added to √v̂ (outside the root)"),
            .real("weight_decay", 0, .nonNegative, "decay λ added to the update: θ ← θ − η(u + λθ)"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let beta3: Double
    public let alpha: Double
    public let beta3Warmup: Int?
    public let alphaWarmup: Int?
    public let eps: Double
    public let weightDecay: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 3)

    /// Fast momentum m₁ (empty before the first step).
    public var fastMomentum: [Double] { state.buffer(0) }
    /// Slow momentum m₂.
    public var slowMomentum: [Double] { state.buffer(1) }
    /// Second moment v.
    public var v: [Double] { state.buffer(2) }

    public init(lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, beta3: Double = 0.9999,
                alpha: Double = 2, beta3Warmup: Int? = nil, alphaWarmup: Int? = nil, eps: Double = 1e-8,
                weightDecay: Double = 0, schedule: LearningRateSchedule = .constant) {
        var values: [String: SpecValue] = [
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "beta3": .real(beta3),
            "alpha": .real(alpha), "eps": .real(eps), "weight_decay": .real(weightDecay),
        ]
        if let beta3Warmup { values["beta3_warmup"] = .integer(beta3Warmup) }
        if let alphaWarmup { values["alpha_warmup"] = .integer(alphaWarmup) }
        self.init(Self.descriptor.validated(values.merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        beta3 = p.double("beta3")
        alpha = p.double("alpha")
        beta3Warmup = p.optionalInt("beta3_warmup")
        alphaWarmup = p.optionalInt("alpha_warmup")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        schedule = LearningRateSchedule(p)
    }

    /// α and β₃ of step t (the reference's two warm-up schedulers).
    public func alphaAndBeta3(step t: Int) -> (alpha: Double, beta3: Double) {
        var a = alpha, b3 = beta3
        if let w = alphaWarmup, t < w {
            let s = Double(t) / Double(w)
            a = (1 - s) * 0 + s * alpha
        }
        if let w = beta3Warmup, t < w {
            let s = Double(t) / Double(w)
            func halfLife(_ beta: Double) -> Double { Foundation.log(0.5) / Foundation.log(beta + 1e-8) - 1 }
            b3 = Foundation.pow(0.5, 1 / ((1 - s) * halfLife(beta1) + s * halfLife(beta3) + 1))
        }
        return (a, b3)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if state.prepare(count: x.count) { stepCount = 0 }
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let t = Double(stepCount)
        let (a, b3) = alphaAndBeta3(step: stepCount)
        let invBc1 = 1 / (1 - Double.pow(beta1, t))
        let invBc2Sqrt = 1 / optlab_sqrt(1 - Double.pow(beta2, t))
        let (b1, c1, b2, c2, c3, eps, lambda, negEta) = (beta1, 1 - beta1, beta2, 1 - beta2, 1 - b3, eps, weightDecay, -eta)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (fs, ss, vs) = (buffer(0), buffer(1), buffer(2))
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.ademamix(beta1: b1, c1: c1, beta3: b3, c3: c3, beta2: b2, c2: c2, invBc1: invBc1,
                                            alpha: a, invBc2Sqrt: invBc2Sqrt, eps: eps, lambda: lambda,
                                            negEta: negEta, xs, gs, fs, ss, vs, range)
                }
            }
        }
    }
}
