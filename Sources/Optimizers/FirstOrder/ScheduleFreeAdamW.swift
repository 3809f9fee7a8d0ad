import CShims
import OptimizationCore
import RealModule

/// Schedule-Free AdamW: no learning-rate schedule, the gradient taken at an
/// interpolation y between the fast iterate z and its running average x;
/// matches the official `facebookresearch/schedule_free` class
/// `AdamWScheduleFree` (schedulefree 1.4.1, `adamw_schedulefree.py`: the
/// memory-saving form that stores y and z, not the `…Reference` class that
/// also stores x, and not the closure class).
///
/// The parameters the optimizer updates are **y**, the point where the
/// gradient is taken. The answer is **x = lerp(y, z, 1 − 1/β₁)** (the
/// reference's `eval()`); ``evaluationPoint(_:into:)`` returns it and the
/// harness logs loss, gap, ‖∇f‖ and the test metric there.
///
/// Step k = 0, 1, … with gradient g = ∇f(y) (element-wise; z₀ = y₀):
///
///     η = lr·min(1, (k+1)/warmup_steps);  c = w_k/Σw  (``ScheduleFreeAverage``)
///     v ← β₂·v + (1 − β₂)·g²
///     ĝ ← g / (√(v/(1 − β₂^{k+1})) + ε) + λ·y     (decay evaluated at y)
///     y ← lerp(y, z, c) + η(β₁(1 − c) − 1)·ĝ      (= (1−β₁)z + β₁x after the step)
///     z ← z − η·ĝ
///
/// Defaults: lr 0.0025, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0,
/// warmup_steps 0, r 0, weight_lr_power 2; plus the lab's schedule keys
/// (they scale lr before the warm-up; Schedule-Free needs none). beta1 must
/// be in (0, 1): the evaluation point divides by it.
///
/// Cost per step: one pass over y, g, z, v: 56 bytes per parameter, one
/// division and one square root (v is multiplied by 1/(1 − β₂^{k+1}) where
/// the reference divides: ulp-level differences); no allocation. The evaluation point is an
/// extra pass over y and z when the harness logs.
///
///     var opt = ScheduleFreeAdamW(lr: 0.0025)
///     opt.update(&y, gradient: grad(y))
///     let x = opt.evaluationPoint(y)           // evaluate and keep this point
///
/// Reference: Defazio et al., "The Road Less Scheduled", NeurIPS 2024,
/// arXiv:2405.15682; github.com/facebookresearch/schedule_free
/// (PyPI schedulefree 1.4.1) AdamWScheduleFree.
public struct ScheduleFreeAdamW: GradientOptimizer, ThreadedUpdate, Scheduled, SettingsBacked {
    public static let descriptor = OptimizerDescriptor(
        name: "schedulefree_adamw", family: .firstOrder,
        summary: "Schedule-Free AdamW: gradient at y, answer at the average x (facebookresearch/schedule_free)",
        reference: "Defazio et al. 2024, arXiv:2405.15682; schedulefree 1.4.1 AdamWScheduleFree",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(7))   // θ, g and two state arrays | θ and both

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: HyperparameterSettings {
        public var lr: Double = 0.0025
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0
        public var warmupSteps: Int = 0
        public var r: Double = 0
        public var weightLrPower: Double = 2

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitOpen, "interpolation y = (1−β₁)z + β₁x"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "added to √v̂ (outside the root)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decay λ added to the normalised gradient, at y"),
            .integer("warmup_steps", \.warmupSteps, .nonNegative, "linear warm-up of η over this many steps"),
            .real("r", \.r, .nonNegative, "polynomial weighting (k+1)^r of the average"),
            .real("weight_lr_power", \.weightLrPower, .nonNegative, "average weights ∝ η_max^weight_lr_power"),
        ]
    }

    /// The hyperparameter values (read them as properties: `opt.lr`).
    public let settings: Settings
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var average: ScheduleFreeAverage
    /// The base sequence z (empty before the first step).
    public private(set) var z: [Double] = []
    /// Second moment v.
    public private(set) var v: [Double] = []

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, warmupSteps: Int = Settings.defaults.warmupSteps,
                r: Double = Settings.defaults.r, weightLrPower: Double = Settings.defaults.weightLrPower,
                schedule: LearningRateSchedule = .constant) {
        let settings = Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay,
                                warmupSteps: warmupSteps, r: r, weightLrPower: weightLrPower)
        self.init(Self.descriptor.validated(settings.specValues.merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        settings = Settings(p)
        average = ScheduleFreeAverage(warmupSteps: settings.warmupSteps, r: settings.r,
                                      weightLrPower: settings.weightLrPower)
        schedule = LearningRateSchedule(p)
    }

    /// x = lerp(y, z, 1 − 1/β₁), the point to evaluate (false before the first step: x = y).
    public func evaluationPoint(_ x: [Double], into point: inout [Double]) -> Bool {
        scheduleFreeEvaluationPoint(y: x, z: z, beta: settings.beta1, into: &point)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if z.count != x.count {
            z = x
            v = [Double](repeating: 0, count: x.count)
            stepCount = 0
            average.restart()
        }
        stepCount += 1
        // v·(1/bc₂) instead of the reference's v/bc₂: one division per element (an ulp).
        let invBc2 = 1 / (1 - Double.pow(settings.beta2, Double(stepCount)))
        let (eta, ckp1) = average.next(lr: settings.lr * schedule.multiplier(step: stepCount))
        currentLearningRate = eta
        let yStep = eta * (settings.beta1 * (1 - ckp1) - 1), negEta = -eta
        let (b2, c2, eps, lambda) = (settings.beta2, 1 - settings.beta2, settings.eps, settings.weightDecay)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { ys, gs in
            z.withUnsafeMutableBufferPointer { zb in
                v.withUnsafeMutableBufferPointer { vb in
                    let (zs, vs) = (SharedPointer(zb), SharedPointer(vb))
                    ParallelLoop.run(count: n, threads: threads) { range in
                        OnePassKernels.scheduleFreeAdamW(invBc2: invBc2, ckp1: ckp1, yStep: yStep, negEta: negEta,
                                                         beta2: b2, c2: c2, eps: eps, lambda: lambda,
                                                         ys, gs, zs, vs, range)
                    }
                }
            }
        }
    }
}
