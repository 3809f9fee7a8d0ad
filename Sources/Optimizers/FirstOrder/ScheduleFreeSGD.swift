import OptimizationCore
import RealModule

/// Schedule-Free SGD: SGD with momentum replaced by interpolation and
/// averaging, no learning-rate schedule; matches the official
/// `facebookresearch/schedule_free` class `SGDScheduleFree` (schedulefree
/// 1.4.1, `sgd_schedulefree.py`: stores y and z; not the `…Reference` class
/// nor the closure class).
///
/// The parameters the optimizer updates are **y**, where the gradient is
/// taken; the answer is **x = lerp(y, z, 1 − 1/β)** (the reference's
/// `eval()`), returned by ``evaluationPoint(_:into:)`` and logged by the harness.
///
/// Step k = 0, 1, … with gradient g = ∇f(y) (element-wise; z₀ = y₀):
///
///     η = lr·min(1, (k+1)/warmup_steps);  c = w_k/Σw  (``ScheduleFreeAverage``)
///     g ← g + λ·y                               (L2 at y)
///     y ← lerp(y, z, c) + η(β(1 − c) − 1)·g
///     z ← z − η·g
///
/// Defaults: lr 1, momentum (β) 0.9, weight_decay 0, warmup_steps 0, r 0,
/// weight_lr_power 2; plus the lab's schedule keys (they scale lr before the
/// warm-up). momentum must be in (0, 1), as the reference checks.
///
/// Cost per step: one pass over y, g, z: 40 bytes per parameter; no
/// division, no allocation.
///
///     var opt = ScheduleFreeSGD(lr: 0.1)
///     opt.update(&y, gradient: grad(y))
///     let x = opt.evaluationPoint(y)
///
/// Reference: Defazio et al., "The Road Less Scheduled", NeurIPS 2024,
/// arXiv:2405.15682; github.com/facebookresearch/schedule_free
/// (PyPI schedulefree 1.4.1) SGDScheduleFree.
public struct ScheduleFreeSGD: GradientOptimizer, ThreadedUpdate, Scheduled, SettingsBacked {
    public static let descriptor = OptimizerDescriptor(
        name: "schedulefree_sgd", family: .firstOrder,
        summary: "Schedule-Free SGD: gradient at y, answer at the average x (facebookresearch/schedule_free)",
        reference: "Defazio et al. 2024, arXiv:2405.15682; schedulefree 1.4.1 SGDScheduleFree",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(5))   // y, g, z | y, z

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: HyperparameterSettings {
        public var lr: Double = 1
        public var momentum: Double = 0.9
        public var weightDecay: Double = 0
        public var warmupSteps: Int = 0
        public var r: Double = 0
        public var weightLrPower: Double = 2

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("momentum", \.momentum, .unitOpen, "interpolation y = (1−β)z + βx"),
            .real("weight_decay", \.weightDecay, .nonNegative, "L2 coefficient λ, added to the gradient at y"),
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

    public init(lr: Double = Settings.defaults.lr, momentum: Double = Settings.defaults.momentum,
                weightDecay: Double = Settings.defaults.weightDecay, warmupSteps: Int = Settings.defaults.warmupSteps,
                r: Double = Settings.defaults.r, weightLrPower: Double = Settings.defaults.weightLrPower,
                schedule: LearningRateSchedule = .constant) {
        let settings = Settings(lr: lr, momentum: momentum, weightDecay: weightDecay, warmupSteps: warmupSteps, r: r,
                                weightLrPower: weightLrPower)
        self.init(Self.descriptor.validated(settings.specValues.merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        settings = Settings(p)
        average = ScheduleFreeAverage(warmupSteps: settings.warmupSteps, r: settings.r,
                                      weightLrPower: settings.weightLrPower)
        schedule = LearningRateSchedule(p)
    }

    /// x = lerp(y, z, 1 − 1/β), the point to evaluate (false before the first step: x = y).
    public func evaluationPoint(_ x: [Double], into point: inout [Double]) -> Bool {
        scheduleFreeEvaluationPoint(y: x, z: z, beta: settings.momentum, into: &point)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if z.count != x.count {
            z = x
            stepCount = 0
            average.restart()
        }
        stepCount += 1
        let (eta, ckp1) = average.next(lr: settings.lr * schedule.multiplier(step: stepCount))
        currentLearningRate = eta
        let yStep = eta * (settings.momentum * (1 - ckp1) - 1), negEta = -eta
        let lambda = settings.weightDecay
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { ys, gs in
            z.withUnsafeMutableBufferPointer { zb in
                let zs = SharedPointer(zb)
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.scheduleFreeSGD(ckp1: ckp1, yStep: yStep, negEta: negEta, lambda: lambda,
                                                   ys, gs, zs, range)
                }
            }
        }
    }
}
