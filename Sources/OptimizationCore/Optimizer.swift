/// What the harness tells an optimizer before its first step.
///
/// It carries no seed: an optimizer that draws random numbers receives the
/// run's seed once, when it is made (the catalog factory's `seed`, or the
/// `seed:` of its initialiser) — one channel, so a seed cannot be set in two
/// places that disagree.
public struct RunContext: Sendable {
    /// The parameter layout of the problem.
    public var layout: ParameterLayout
    /// The run's step budget, if any (default horizon of lr schedules).
    public var totalSteps: Int?

    public init(layout: ParameterLayout, totalSteps: Int? = nil) {
        self.layout = layout
        self.totalSteps = totalSteps
    }
}

/// An optimization method: one call per step, never per element.
///
/// State lives in the conforming struct (copying an optimizer copies its
/// state, so `var fresh = template` restarts). Hot loops run on unsafe
/// buffer pointers taken once per step and allocate nothing.
public protocol Optimizer {
    /// Name, family, reference, hyperparameters and required capabilities.
    static var descriptor: OptimizerDescriptor { get }

    /// Called once by the harness before the first step.
    mutating func prepare(_ context: RunContext) throws

    /// Advances `x` by one step, querying the objective only through `oracle`.
    mutating func step(_ x: inout [Double], oracle: inout Oracle) throws

    /// The learning rate / step size used by the last step (trace column `lr`).
    var currentLearningRate: Double? { get }

    /// Something worth noting about the last step (trace column `event`),
    /// e.g. `"modified_newton:mu=1e-3"`; nil when nothing happened.
    var lastEvent: String? { get }

    /// The evaluation point: where this optimizer's answer is, when it is
    /// not the iterate `x` it trains at. Schedule-Free methods evaluate the
    /// gradient at y (the iterate) but answer with x, an average of their
    /// z sequence; ASGD-style averaging is the same. Writes that point into
    /// `point` (resized if needed) and returns true; returns false — the
    /// default, which touches nothing and allocates nothing — when `x`
    /// itself is the answer. The harness logs loss, best loss, gap, ‖∇f‖
    /// and the test metric at this point.
    func evaluationPoint(_ x: [Double], into point: inout [Double]) -> Bool
}

extension Optimizer {
    public mutating func prepare(_ context: RunContext) throws {}
    public var currentLearningRate: Double? { nil }
    public var lastEvent: String? { nil }
    public func evaluationPoint(_ x: [Double], into point: inout [Double]) -> Bool { false }

    /// The point to judge this optimizer by, as a new array: the iterate
    /// itself for ordinary optimizers, the averaged x for Schedule-Free.
    ///
    ///     var opt = ScheduleFreeAdamW()
    ///     for _ in 0..<1000 { opt.update(&y, gradient: grad(y)) }
    ///     let answer = opt.evaluationPoint(y)      // evaluate / ship this one
    public func evaluationPoint(_ x: [Double]) -> [Double] {
        var point: [Double] = []
        return evaluationPoint(x, into: &point) ? point : x
    }
}

/// A first-order method usable in anyone's training loop, without Oracle or Harness:
///
///     import Optimizers
///     var opt = Adam(lr: 1e-3)
///     for _ in 0..<1000 {
///         let g = gradient(params)
///         opt.update(&params, gradient: g)
///     }
public protocol GradientOptimizer: Optimizer {
    /// One step from a gradient. `layout` matters only to per-tensor methods
    /// (AdamP, SGDP, the Cautious variants); nil means one flat block.
    mutating func update(_ x: inout [Double], gradient: [Double], layout: ParameterLayout?)
}

extension GradientOptimizer {
    /// One step on a single flat block.
    public mutating func update(_ x: inout [Double], gradient: [Double]) {
        update(&x, gradient: gradient, layout: nil)
    }

    /// The harness path: one gradient evaluation, then ``update(_:gradient:layout:)``.
    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        let (_, g) = try oracle.gradient(at: x)
        update(&x, gradient: g, layout: oracle.layout)
    }
}
