import LinearAlgebra

/// Cumulative evaluation counts of one run.
public struct EvaluationCounts: Sendable, Equatable, Hashable {
    /// Function values, line-search trials and zeroth-order probes included.
    public var function = 0
    /// Gradient evaluations (each also yields the value, which is not counted again).
    public var gradient = 0
    /// Hessian-vector products.
    public var hessianVector = 0
    /// Dense Hessians or curvature-factor refreshes.
    public var hessian = 0

    public init(function: Int = 0, gradient: Int = 0, hessianVector: Int = 0, hessian: Int = 0) {
        self.function = function
        self.gradient = gradient
        self.hessianVector = hessianVector
        self.hessian = hessian
    }
}

/// The only way an optimizer sees the objective during a run: it forwards
/// each call and counts it (`f_evals`, `grad_evals`, `hvp_evals`,
/// `hess_evals`). Evaluations the harness makes for logging go to the
/// objective directly and are not counted.
///
/// The oracle resolves the problem's conformances once, at construction: a
/// call the problem does not provide throws
/// ``ObjectiveError/unsupported(_:problem:)`` (still counted as an attempt);
/// block-wise methods are reached through the counted ``layered`` view. There
/// is no public handle on the objective itself.
///
///     var oracle = Oracle(objective)
///     let f = try oracle.value(at: x)              // counts.function += 1
///     let (f, g) = try oracle.gradient(at: x)      // counts.gradient += 1
public struct Oracle {
    private let objective: any Objective
    // Typed views, cast once here rather than per call.
    private let differentiable: (any DifferentiableObjective)?
    private let hessianSource: (any HessianObjective)?
    private let hessianVectorSource: (any HessianVectorObjective)?
    private let statisticsSource: (any LayerStatisticsObjective)?
    private let sampledLabelSource: (any SampledLabelObjective)?
    private let curvatureSource: (any CurvatureMatrixObjective)?
    /// The counted block-sequential view (nil when the problem is not
    /// block-sequential). Its forward passes count as function evaluations.
    public let layered: LayeredView?
    private var recorded = EvaluationCounts()
    /// Relative value noise σ and its generator (seeded from the run's seed).
    public let relativeNoise: Double
    private var noiseSource: SplitMix64
    /// While true, every value call sees the same noise draw (common random
    /// numbers: all queries of one zeroth-order estimate see the same noise).
    public var holdsNoise = false {
        didSet { if holdsNoise && !oldValue { heldDraw = nil } }
    }
    private var heldDraw: Double?
    /// Reused gradient storage: returned arrays share it, so a caller that
    /// drops the previous gradient before asking again causes no allocation.
    /// Allocated by the first gradient call, so that value-only (zeroth-order)
    /// runs on huge problems do not pay for a d-sized buffer they never use.
    private var gradientBuffer: [Double] = []
    /// COCO-style bookkeeping of the values the optimizer queried (see ``trackQueries(optimum:gaps:)``).
    public private(set) var queries = QueryRecord()

    public init(_ objective: any Objective, seed: UInt64 = 0) {
        self.objective = objective
        differentiable = objective as? any DifferentiableObjective
        hessianSource = objective as? any HessianObjective
        hessianVectorSource = objective as? any HessianVectorObjective
        statisticsSource = objective as? any LayerStatisticsObjective
        sampledLabelSource = objective as? any SampledLabelObjective
        curvatureSource = objective as? any CurvatureMatrixObjective
        layered = (objective as? any BlockSequentialObjective).map(LayeredView.init)
        self.relativeNoise = (objective as? any NoisyObjective)?.relativeNoise ?? 0
        self.noiseSource = SplitMix64(seed: SplitMix64.derive(seed, 0x6E6F_6973_65))
    }

    /// Cumulative counts: the calls below, work recorded with ``record(_:)``
    /// and the forward passes of the ``layered`` view.
    public var counts: EvaluationCounts {
        var c = recorded
        if let layered { c.function += layered.completedPasses }
        return c
    }

    public var dimension: Int { objective.dimension }
    /// The problem's canonical spec, for error messages.
    public var problemName: String { objective.name }
    public var layout: ParameterLayout { objective.layout }
    public var capabilities: Capabilities { objective.capabilities }

    private func unsupported(_ what: String) -> ObjectiveError {
        .unsupported(what, problem: objective.name)
    }

    /// f(x) as the optimizer sees it (noisy when the problem says so).
    public mutating func value(at x: [Double]) throws -> Double {
        recorded.function += 1
        let f = try objective.value(at: x)
        if f < queries.best { queries.improve(f, evaluation: recorded.function) }
        guard relativeNoise > 0 else { return f }
        return f * (1 + relativeNoise * nextNoise())
    }

    private mutating func nextNoise() -> Double {
        if holdsNoise, let u = heldDraw { return u }
        let u = noiseSource.uniform(in: -1, 1)
        if holdsNoise { heldDraw = u }
        return u
    }

    /// f(x) and ∇f(x). The returned array is the oracle's buffer: keep it
    /// only until the next gradient call to avoid a copy.
    public mutating func gradient(at x: [Double]) throws -> (value: Double, gradient: [Double]) {
        recorded.gradient += 1
        guard let differentiable else { throw unsupported("gradients") }
        prepareGradientBuffer()
        let f = try differentiable.gradient(at: x, into: &gradientBuffer)
        return (f, gradientBuffer)
    }

    /// Writes ∇f(x) into `g` and returns f(x).
    public mutating func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
        recorded.gradient += 1
        guard let differentiable else { throw unsupported("gradients") }
        return try differentiable.gradient(at: x, into: &g)
    }

    public mutating func hessian(at x: [Double]) throws -> Matrix {
        recorded.hessian += 1
        guard let hessianSource else { throw unsupported("a dense Hessian") }
        return try hessianSource.hessian(at: x)
    }

    public mutating func hessianVectorProduct(at x: [Double], _ v: [Double], into result: inout [Double]) throws {
        recorded.hessianVector += 1
        guard let hessianVectorSource else { throw unsupported("Hessian-vector products") }
        try hessianVectorSource.hessianVectorProduct(at: x, v, into: &result)
    }

    /// The gradient on labels sampled from the model (Sophia-G), counted as a
    /// gradient evaluation; returns the number of labels averaged over.
    public mutating func sampledLabelGradient(at x: [Double], seed: UInt64, into g: inout [Double]) throws -> Int {
        recorded.gradient += 1
        guard let sampledLabelSource else { throw unsupported("gradients on labels sampled from the model") }
        return try sampledLabelSource.sampledLabelGradient(at: x, seed: seed, into: &g)
    }

    /// A dense Gauss–Newton or Fisher matrix, counted as a Hessian evaluation.
    public mutating func curvatureMatrix(_ kind: CurvatureKind, at x: [Double]) throws -> Matrix {
        recorded.hessian += 1
        guard let curvatureSource else { throw unsupported(kind.label) }
        return try curvatureSource.curvatureMatrix(kind, at: x)
    }

    /// Layer statistics: one forward and backward pass, counted as a gradient
    /// evaluation (``LayerStatistics/passes`` of them when the statistics
    /// needed several backward passes, as exact-GGN ones of a softmax do).
    public mutating func layerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws -> LayerStatistics {
        recorded.gradient += 1
        guard let statisticsSource else { throw unsupported("layer statistics") }
        let stats = try statisticsSource.layerStatistics(at: x, targets: targets, seed: seed)
        recorded.gradient += max(0, stats.passes - 1)
        return stats
    }

    /// Layer statistics and f(x), ∇f(x) at the same x, counted exactly as
    /// ``layerStatistics(at:targets:seed:)`` then ``gradient(at:)`` (the
    /// objective may share work between them; the counts stay those of the
    /// algorithm). The gradient is the oracle's buffer, as for `gradient(at:)`.
    public mutating func gradientAndLayerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws
        -> (value: Double, gradient: [Double], statistics: LayerStatistics) {
        recorded.gradient += 2
        guard let statisticsSource else { throw unsupported("layer statistics") }
        prepareGradientBuffer()
        let (f, stats) = try statisticsSource.gradientAndLayerStatistics(at: x, into: &gradientBuffer, targets: targets,
                                                                         seed: seed)
        recorded.gradient += max(0, stats.passes - 1)
        return (f, gradientBuffer, stats)
    }

    private mutating func prepareGradientBuffer() {
        if gradientBuffer.count != objective.dimension {
            gradientBuffer = [Double](repeating: 0, count: objective.dimension)
        }
    }

    /// Records, for each gap in `gaps` (decreasing), the first value query
    /// whose noise-free f satisfies f − f* ≤ gap: what COCO counts as the
    /// runtime to a target (the queried points, not the optimizer's iterate).
    public mutating func trackQueries(optimum: Double, gaps: [Double]) {
        queries = QueryRecord(optimum: optimum, gaps: gaps)
    }

    /// Records work done outside the calls above, charged by what it costs:
    /// e.g. a K-FAC inverse refresh that the trace counts as a Hessian
    /// evaluation, or queries a wrapped library made on its own.
    public mutating func record(_ extra: EvaluationCounts) {
        recorded.function += extra.function
        recorded.gradient += extra.gradient
        recorded.hessianVector += extra.hessianVector
        recorded.hessian += extra.hessian
    }
}


/// The best value an optimizer has queried so far and the queries that
/// crossed gap targets (at most one entry per target: no allocation per call
/// otherwise).
public struct QueryRecord: Sendable {
    /// One query that crossed at least one target: its 1-based evaluation
    /// number and f − f*.
    public struct Hit: Sendable, Equatable {
        public let evaluation: Int
        public let gap: Double
    }

    /// The lowest noise-free value queried (+inf before any query).
    public private(set) var best = Double.infinity
    /// The evaluation number at which `best` was queried (0 before any query).
    public private(set) var bestEvaluation = 0
    public private(set) var hits: [Hit] = []
    public let optimum: Double?
    public let gaps: [Double]
    private var next = 0

    public init(optimum: Double? = nil, gaps: [Double] = []) {
        self.optimum = optimum
        self.gaps = gaps
        hits.reserveCapacity(gaps.count)
    }

    mutating func improve(_ f: Double, evaluation: Int) {
        best = f
        bestEvaluation = evaluation
        guard let optimum, next < gaps.count else { return }
        let gap = f - optimum
        var crossed = false
        while next < gaps.count && gap <= gaps[next] { next += 1; crossed = true }
        if crossed { hits.append(Hit(evaluation: evaluation, gap: gap)) }
    }
}
