import OptimizationCore

/// The settings of an element-wise optimizer: every one has a learning rate.
public protocol ElementwiseSettings: HyperparameterSettings {
    /// The base learning rate η (before the schedule's multiplier).
    var lr: Double { get }
}

/// What every element-wise first-order optimizer keeps besides its own
/// extras: the settings, the learning-rate schedule, the thread count, the
/// step count, the last scheduled rate and the per-parameter state slab.
/// `begin(_:_:_:restartOnResize:)` is the prologue every `update` shares.
public struct ElementwiseCore<Settings: ElementwiseSettings>: Sendable {
    /// The hyperparameter values (read them through the optimizer: `adam.beta1`).
    public let settings: Settings
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1
    /// Steps taken so far (t of the last step).
    public internal(set) var stepCount = 0
    /// η times the schedule's multiplier at the last step.
    public internal(set) var currentLearningRate: Double?
    var state: StateSlab

    init(_ settings: Settings, schedule: LearningRateSchedule, buffers: Int) {
        self.settings = settings
        self.schedule = schedule
        state = StateSlab(buffers: buffers)
    }

    /// One step's shared quantities, returned by `begin(_:_:_:restartOnResize:)`.
    struct Step {
        /// The scheduled learning rate η·multiplier(t).
        let eta: Double
        /// The step number t (1-based).
        let t: Int
        /// True when the state buffers were just (re)created and zeroed.
        let fresh: Bool
        let count: Int
        let threads: Int
    }

    /// The prologue of every element-wise `update`: checks the sizes, makes
    /// the zeroed state on the first step (or when the size changes), counts
    /// the step and applies the schedule. `restartOnResize` restarts the step
    /// count with fresh state (the methods whose bias corrections or warm-ups
    /// start over with their moments do).
    mutating func begin(_ owner: String, _ x: [Double], _ g: [Double], restartOnResize: Bool = false) -> Step {
        checkSizes(owner, x, g)
        let fresh = state.prepare(count: x.count)
        if fresh && restartOnResize { stepCount = 0 }
        stepCount += 1
        let eta = settings.lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        return Step(eta: eta, t: stepCount, fresh: fresh, count: x.count, threads: threads)
    }
}

/// An optimizer whose hyperparameters are one `HyperparameterSettings`
/// value; its keys read as properties (`opt.lr`, `opt.weightDecay`).
@dynamicMemberLookup
public protocol SettingsBacked {
    associatedtype Settings: HyperparameterSettings
    /// The hyperparameter values.
    var settings: Settings { get }
    /// From validated spec values (the catalog's path).
    init(_ p: ResolvedParameters)
}

extension SettingsBacked {
    /// A setting by its Swift name: `adam.beta1`, `adam.weightDecay`.
    public subscript<T>(dynamicMember key: KeyPath<Settings, T>) -> T { settings[keyPath: key] }
}

/// An element-wise first-order optimizer: a `HyperparameterSettings`
/// struct (each key declared once), an ``ElementwiseCore`` (size check,
/// state, step count, schedule, threads) and its own `update` kernel.
///
/// The protocol gives: the settings as properties (`adam.beta1`, by dynamic
/// member lookup), `threads`, `schedule`, `stepCount`,
/// `currentLearningRate`, the catalog's `init(_:)` and the validation of the
/// typed initialiser (`init(typed:schedule:)`). A conforming type writes
/// its descriptor (with `Settings.hyperparameters`), its `Settings`, the
/// labelled typed initialiser, `init(core:)`, and `update`.
@dynamicMemberLookup
public protocol ElementwiseOptimizer: GradientOptimizer, ThreadedUpdate, Scheduled, SettingsBacked
where Settings: ElementwiseSettings {
    var core: ElementwiseCore<Settings> { get set }
    /// Wraps a core (settings, schedule, state); extra state starts at its defaults.
    init(core: ElementwiseCore<Settings>)
    /// How many per-parameter buffers the state slab holds with these settings.
    static func stateBuffers(_ settings: Settings) -> Int
}

extension ElementwiseOptimizer {
    /// The hyperparameter values.
    public var settings: Settings { core.settings }

    /// Cores used by `update`; results do not depend on it.
    public var threads: Int {
        get { core.threads }
        set { core.threads = newValue }
    }

    public var schedule: LearningRateSchedule {
        get { core.schedule }
        set { core.schedule = newValue }
    }

    /// Steps taken so far (t of the last step).
    public var stepCount: Int { core.stepCount }

    public var currentLearningRate: Double? { core.currentLearningRate }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        let settings = Settings(p)
        self.init(core: ElementwiseCore(settings, schedule: LearningRateSchedule(p),
                                        buffers: Self.stateBuffers(settings)))
    }

    /// The typed initialisers' path: validates the values against the
    /// descriptor (stopping with the CLI's one-line message when one is out
    /// of range) and then builds exactly as the catalog does.
    public init(typed settings: Settings, schedule: LearningRateSchedule) {
        self.init(Self.descriptor.validated(settings.specValues.merging(schedule.specValues) { a, _ in a }))
    }
}
