/// DeepZero: zeroth-order training by sparse coordinate-wise gradient
/// estimates with feature reuse (Chen et al., ICLR 2024, Algorithm 1;
/// `OPTML-Group/DeepZero` `sparse_gradient_training.py`).
///
/// Step t (batch fixed within the step; `period` = ⌊t / mask_every⌋):
///
///     S      = LayerwiseRandomMask(ratios).queried(seed, period)   // re-drawn when period changes
///     gᵢ     = (f(θ + μeᵢ) − f(θ))/μ  for i ∈ S,   gⱼ = 0 otherwise   (forward CGE)
///     d      = g + λ·θ                          // L2 weight decay on every coordinate
///     b      = d (t = 0),  b ← m·b + d          // torch SGD momentum, dampening 0
///     θ      ← θ − η_t·b
///
/// Masked coordinates get g = 0 but still move under weight decay and
/// momentum (the model stays dense; only the gradient is sparse). The
/// per-tensor ratios come from ZO-GraSP at the first step (`ratios=zo_grasp`,
/// 2(grasp_q + 1) extra queries, ``ZOGraSP``) or are `sparsity` for every
/// weight tensor (`ratios=uniform`). Weight tensors are the layout's
/// multi-dimensional blocks; biases are always queried.
///
/// Feature reuse (`reuse=true`, default) restarts every query at the block
/// of its coordinate from cached activations (``SparseCoordinateEstimator``);
/// `threads=T` spreads the queries over T cores by equal cost. Both change
/// speed only: the trajectory is bitwise the same for reuse on/off and any T.
/// Needs a block-sequential objective (capability `layered`, e.g. `mlp`).
///
/// Defaults (repository `tools/misc.py`): lr 0.1, momentum 0.9, weight_decay
/// 5e-4, mu 5e-3, sparsity 0 (README example 0.9), grasp_q 192. The lab
/// counts the mask period in steps (`mask_every=100`) where the repository
/// counts 5 epochs, and offers the repository's warm-up + cosine through the
/// schedule keys (`schedule=cosine,warmup=…`; default constant).
///
/// Cost per step: |S| + 1 function values (`f_evals`); block evaluations
/// B + Σ_{i∈S}(B − b(i)) with reuse, (|S| + 1)·B without (`blockEvaluations`).
///
///     var opt = DeepZero(lr: 0.05, sparsity: 0.9)
///     try opt.step(&theta, oracle: &oracle)      // oracle over an `mlp`
///
/// Reference: Chen, Zhang, Jia et al., "DeepZero: Scaling up Zeroth-Order
/// Optimization for Deep Model Training", ICLR 2024, arXiv:2310.02025.
import LinearAlgebra
import OptimizationCore

public struct DeepZero: Optimizer, ThreadedUpdate {
    public enum Ratios: String, Sendable, CaseIterable { case zo_grasp, uniform }

    public static let descriptor = OptimizerDescriptor(
        name: "deepzero", family: .zerothOrder,
        summary: "DeepZero: sparse forward CGE with feature reuse, SGD momentum (ZO-GraSP layer ratios)",
        reference: "Chen et al., ICLR 2024, arXiv:2310.02025; OPTML-Group/DeepZero",
        hyperparameters: [
            .real("lr", 0.1, .positive, "learning rate η"),
            .real("momentum", 0.9, .unitHalfOpen, "momentum m (torch SGD, dampening 0)"),
            .real("weight_decay", 5e-4, .nonNegative, "L2 decay λ added to the estimate (all coordinates)"),
            .real("mu", 5e-3, .positive, "forward-difference step μ"),
            .real("sparsity", 0, .unitHalfOpen, "fraction of weights whose gradient is not estimated"),
            .choice("ratios", "zo_grasp", Ratios.allCases.map(\.rawValue),
                    "per-tensor sparsity: ZO-GraSP scores at the first step, or uniform"),
            .integer("grasp_q", 192, .closed(1, 100_000), "random directions per ZO-GraSP gradient estimate"),
            .integer("mask_every", 100, .atLeast(1), "steps between mask re-draws"),
            .boolean("reuse", true, "restart each query from cached activations (speed only)"),
            .integer("threads", 1, .closed(1, 256), "cores for the coordinate queries (speed only)"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.value, .layered])

    public let lr: Double
    public let momentum: Double
    public let weightDecay: Double
    public let mu: Double
    public let sparsity: Double
    public let ratioRule: Ratios
    public let graspQ: Int
    public let maskEvery: Int
    public var reuse: Bool
    public var threads: Int
    public var schedule: LearningRateSchedule
    public private(set) var seed: UInt64

    /// Per weight tensor, the fraction whose gradient is not estimated.
    public private(set) var layerRatios: [Double]?
    /// The coordinates queried in the current mask period.
    public private(set) var queried: [Int] = []
    /// Block evaluations of all steps so far (the cost feature reuse saves).
    public private(set) var blockEvaluations = 0
    public private(set) var lastEvent: String?
    private var mask: LayerwiseRandomMask?
    private var period = -1
    private var stepCount = 0
    private var buffer: [Double] = []
    private var gradient: [Double] = []
    private var estimator: SparseCoordinateEstimator?

    public var currentLearningRate: Double? { lr * schedule.multiplier(step: stepCount) }

    public init(lr: Double = 0.1, sparsity: Double = 0, seed: UInt64 = 0) {
        self.init(Self.descriptor.validated(["lr": .real(lr), "sparsity": .real(sparsity)]), seed: seed)
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters, seed: UInt64 = 0) {
        lr = p.double("lr")
        momentum = p.double("momentum")
        weightDecay = p.double("weight_decay")
        mu = p.double("mu")
        sparsity = p.double("sparsity")
        ratioRule = Ratios(rawValue: p.string("ratios"))!
        graspQ = p.int("grasp_q")
        maskEvery = p.int("mask_every")
        reuse = p.bool("reuse")
        threads = p.int("threads")
        schedule = LearningRateSchedule(p)
        self.seed = seed
    }

    public mutating func prepare(_ context: RunContext) throws {
        seed = context.seed
        try schedule.prepare(totalSteps: context.totalSteps, owner: Self.descriptor.name)
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        guard let objective = oracle.objective as? any BlockSequentialObjective else {
            throw SpecError.invalidCombination(owner: Self.descriptor.name,
                                               message: "needs a block-sequential (layered) objective such as mlp")
        }
        lastEvent = nil
        let d = x.count
        if buffer.count != d {
            buffer = [Double](repeating: 0, count: d)
            gradient = [Double](repeating: 0, count: d)
        }
        if layerRatios == nil {
            layerRatios = try initialRatios(x, objective: objective, oracle: &oracle)
            mask = LayerwiseRandomMask(layout: objective.layout, ratios: layerRatios!)
        }
        let currentPeriod = stepCount / maskEvery
        if currentPeriod != period {
            period = currentPeriod
            queried = mask!.queried(seed: seed, period: period)
            lastEvent = "mask:\(period)"
        }
        if estimator == nil { estimator = SparseCoordinateEstimator(objective) }

        let (reuse, threads, mu, coordinates) = (self.reuse, self.threads, self.mu, queried)
        let estimator = self.estimator!
        let (base, evaluations) = x.withUnsafeBufferPointer { theta in
            gradient.withUnsafeMutableBufferPointer { g in
                g.update(repeating: 0)
                return estimator.estimate(objective, at: theta, coordinates: coordinates, mu: mu,
                                          reuse: reuse, threads: threads, into: g)
            }
        }
        oracle.record(EvaluationCounts(function: coordinates.count + 1))
        blockEvaluations += evaluations
        guard base.isFinite else {
            lastEvent = "skipped:nonfinite_loss"
            stepCount += 1
            return
        }

        let eta = lr * schedule.multiplier(step: stepCount)
        let (m, lambda, first) = (momentum, weightDecay, stepCount == 0)
        x.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeBufferPointer { g in
                buffer.withUnsafeMutableBufferPointer { b in
                    for i in 0..<d {
                        let di = g[i] + lambda * theta[i]
                        b[i] = first ? di : m * b[i] + di
                        theta[i] -= eta * b[i]
                    }
                }
            }
        }
        stepCount += 1
    }

    /// ZO-GraSP ratios (counted queries through the Oracle) or uniform ones.
    private func initialRatios(_ x: [Double], objective: any BlockSequentialObjective,
                               oracle: inout Oracle) throws -> [Double] {
        let weights = LayerwiseRandomMask.weightBlocks(objective.layout)
        guard sparsity > 0, ratioRule == .zo_grasp else {
            return [Double](repeating: sparsity, count: weights.count)
        }
        return try ZOGraSP.layerRatios(at: x, layout: objective.layout, sparsity: sparsity, q: graspQ, mu: mu,
                                       seed: SplitMix64.derive(seed, 0x6772_6173_70)) { try oracle.value(at: $0) }
    }
}

extension OptimizerCatalog {
    /// Sparse coordinate-wise zeroth-order training.
    static let deepZero: [Registry.Entry] = [
        .init(DeepZero.descriptor) { p, seed in DeepZero(p, seed: seed) },
    ]
}
