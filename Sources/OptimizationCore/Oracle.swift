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
///     var oracle = Oracle(objective)
///     let f = try oracle.value(at: x)              // counts.function += 1
///     let (f, g) = try oracle.gradient(at: x)      // counts.gradient += 1
public struct Oracle {
    public let objective: any Objective
    public private(set) var counts = EvaluationCounts()
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
        self.relativeNoise = (objective as? any NoisyObjective)?.relativeNoise ?? 0
        self.noiseSource = SplitMix64(seed: SplitMix64.derive(seed, 0x6E6F_6973_65))
    }

    public var dimension: Int { objective.dimension }
    public var layout: ParameterLayout { objective.layout }
    public var capabilities: Capabilities { objective.capabilities }

    /// f(x) as the optimizer sees it (noisy when the problem says so).
    public mutating func value(at x: [Double]) throws -> Double {
        counts.function += 1
        let f = try objective.value(at: x)
        if f < queries.best { queries.improve(f, evaluation: counts.function) }
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
        counts.gradient += 1
        prepareGradientBuffer()
        let f = try objective.gradient(at: x, into: &gradientBuffer)
        return (f, gradientBuffer)
    }

    /// Writes ∇f(x) into `g` and returns f(x).
    public mutating func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
        counts.gradient += 1
        return try objective.gradient(at: x, into: &g)
    }

    public mutating func hessian(at x: [Double]) throws -> Matrix {
        counts.hessian += 1
        return try objective.hessian(at: x)
    }

    public mutating func hessianVectorProduct(at x: [Double], _ v: [Double], into result: inout [Double]) throws {
        counts.hessianVector += 1
        try objective.hessianVectorProduct(at: x, v, into: &result)
    }

    /// The gradient on labels sampled from the model (Sophia-G), counted as a
    /// gradient evaluation; returns the number of labels averaged over.
    public mutating func sampledLabelGradient(at x: [Double], seed: UInt64, into g: inout [Double]) throws -> Int {
        counts.gradient += 1
        return try objective.sampledLabelGradient(at: x, seed: seed, into: &g)
    }

    /// A dense Gauss–Newton or Fisher matrix, counted as a Hessian evaluation.
    public mutating func curvatureMatrix(_ kind: CurvatureKind, at x: [Double]) throws -> Matrix {
        counts.hessian += 1
        return try objective.curvatureMatrix(kind, at: x)
    }

    /// Layer statistics: one forward and backward pass, counted as a gradient
    /// evaluation (``LayerStatistics/passes`` of them when the statistics
    /// needed several backward passes, as exact-GGN ones of a softmax do).
    public mutating func layerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws -> LayerStatistics {
        counts.gradient += 1
        let stats = try objective.layerStatistics(at: x, targets: targets, seed: seed)
        counts.gradient += max(0, stats.passes - 1)
        return stats
    }

    /// Layer statistics and f(x), ∇f(x) at the same x, counted exactly as
    /// ``layerStatistics(at:targets:seed:)`` then ``gradient(at:)`` (the
    /// objective may share work between them; the counts stay those of the
    /// algorithm). The gradient is the oracle's buffer, as for `gradient(at:)`.
    public mutating func gradientAndLayerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws
        -> (value: Double, gradient: [Double], statistics: LayerStatistics) {
        counts.gradient += 2
        prepareGradientBuffer()
        let (f, stats) = try objective.gradientAndLayerStatistics(at: x, into: &gradientBuffer, targets: targets, seed: seed)
        counts.gradient += max(0, stats.passes - 1)
        return (f, gradientBuffer, stats)
    }

    private mutating func prepareGradientBuffer() {
        if gradientBuffer.count != objective.dimension {
            gradientBuffer = [Double](repeating: 0, count: objective.dimension)
        }
    }

    /// Records work done outside the calls above (e.g. a curvature-factor
    /// refresh that K-FAC counts as a Hessian evaluation).
    /// Records, for each gap in `gaps` (decreasing), the first value query
    /// whose noise-free f satisfies f − f* ≤ gap: what COCO counts as the
    /// runtime to a target (the queried points, not the optimizer's iterate).
    public mutating func trackQueries(optimum: Double, gaps: [Double]) {
        queries = QueryRecord(optimum: optimum, gaps: gaps)
    }

    public mutating func record(_ extra: EvaluationCounts) {
        counts.function += extra.function
        counts.gradient += extra.gradient
        counts.hessianVector += extra.hessianVector
        counts.hessian += extra.hessian
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
