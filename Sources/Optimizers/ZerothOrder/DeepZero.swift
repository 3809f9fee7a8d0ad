import OptimizationCore

/// DeepZero: sparse coordinate-wise (CGE) zeroth-order training with
/// ZO-GraSP layer ratios, periodic random masks, feature reuse and forward
/// parallelism (spec §8).
///
/// At the first step (when sparsity s > 0) the layer ratios r_l come from
/// ZO-GraSP (`ratios=grasp`, 2(grasp_q + 1) queries) or are all s
/// (`ratios=uniform`). Then for step t = 0, 1, …:
///
///     if t mod K == 0: S ← random mask number t/K (layer l hides round(r_l·n_l) weights; biases always in S)
///     ℓ₀ ← f(x);  gᵢ ← (f(x + μeᵢ) − ℓ₀)/μ for i ∈ S,  gⱼ ← 0 for j ∉ S      (|S| + 1 queries)
///     d ← g + λ·x                         (weight decay on every coordinate, masked ones too)
///     b ← β·b + d                         (momentum on every coordinate; torch.optim.SGD)
///     x ← x − η_t·b
///
/// K is `mask_period` in steps (DeepZero re-samples every 5 epochs: set K to
/// 5 × steps per epoch). On a block-sequential objective (`mlp`, `softmax`,
/// `logreg`; noise-free) the queries run block by block, split over `threads`
/// cores: with `reuse=true` a perturbation in block l re-runs only blocks ≥ l
/// from cached activations; with `reuse=false` every query re-runs all blocks
/// (the reference for the saving). The values, and so the trajectory, are
/// bitwise those of plain CGE for either setting and any thread count.
/// Otherwise each query is a full `value` call through the oracle. Either way every partial or full pass counts as one query
/// (`f_evals`); ``blockEvaluations`` counts the work in block passes.
/// A step with a non-finite value is skipped (x and b stay; queries count;
/// `event` = `skipped_nonfinite`).
///
/// Defaults (DeepZero's `tools/misc.py`): lr 0.1, momentum 0.9,
/// weight_decay 5e-4, mu 5e-3, sparsity 0 (dense CGE), ratios grasp,
/// grasp_q 192, mask_period 100, reuse true; schedule keys of
/// ``LearningRateSchedule`` (DeepZero: 3 warm-up epochs, then cosine).
///
/// Cost per step: |S| + 1 queries; with reuse B + Σ_{i∈S}(B − b(i)) block
/// evaluations instead of (|S| + 1)·B; memory x, g, b, B + 1 cached
/// activations and one block plus two activations per thread.
///
///     optlab run --problem 'mlp(data=digits)' --optimizer 'deepzero(sparsity=0.9)' --threads 2
///
/// Reference: Chen et al., "DeepZero: Scaling up Zeroth-Order Optimization
/// for Deep Model Training", ICLR 2024, arXiv:2310.02025 (Algorithm 1;
/// OPTML-Group/DeepZero).
public struct DeepZero: Optimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "deepzero", family: .zerothOrder,
        summary: "sparse forward CGE with ZO-GraSP layer ratios, feature reuse and coordinate parallelism",
        reference: "Chen et al. 2024, arXiv:2310.02025 (OPTML-Group/DeepZero)",
        hyperparameters: [
            .real("lr", 0.1, .positive, "learning rate η"),
            .real("momentum", 0.9, .unitHalfOpen, "momentum β (all coordinates)"),
            .real("weight_decay", 5e-4, .nonNegative, "L2 decay λ (all coordinates)"),
            .real("mu", 5e-3, .positive, "forward-difference step μ"),
            .real("sparsity", 0, .closed(0, 1), "fraction s of prunable weights left out of the estimate"),
            .choice("ratios", "grasp", Ratios.allCases.map(\.rawValue), "layer ratios: ZO-GraSP at init, or s in every layer"),
            .integer("grasp_q", 192, .atLeast(1), "RGE directions per ZO-GraSP estimate"),
            .integer("mask_period", 100, .atLeast(1), "steps between mask re-samples (K)"),
            .boolean("reuse", true, "restart passes at the perturbed block (block-sequential objectives)"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.value])

    public let lr: Double
    public let momentum: Double
    public let weightDecay: Double
    public let mu: Double
    public let sparsity: Double
    public let uniformRatios: Bool
    public let graspQ: Int
    public let maskPeriod: Int
    public let reuse: Bool
    /// Cores for the coordinate queries: speed only, so a run setting
    /// (`--threads`, ``ThreadedUpdate``) and not a spec key, as for every method.
    public var threads = 1
    public let seed: UInt64
    public var schedule: LearningRateSchedule

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?
    /// Layer ratios r_l (nil before the first step or when dense).
    public private(set) var layerRatios: [Double]?
    /// The current estimated coordinates S (nil: all).
    public private(set) var coordinates: [Int]?
    /// Block passes so far (a full pass of a B-block objective is B).
    public private(set) var blockEvaluations = 0
    /// Steps whose estimate used feature reuse.
    public private(set) var reusedSteps = 0

    private var mask: SparsityMask?
    private var allCoordinates: [Int] = []
    private var gradient: [Double] = []
    private var buffer: [Double] = []
    private var reuseEstimator: FeatureReuseEstimator?

    /// From validated spec values (the catalog's path); `seed` drives ZO-GraSP and the masks.
    public init(_ p: ResolvedParameters, seed: UInt64) {
        lr = p.double("lr")
        momentum = p.double("momentum")
        weightDecay = p.double("weight_decay")
        mu = p.double("mu")
        sparsity = p.double("sparsity")
        uniformRatios = p.string("ratios") == "uniform"
        graspQ = p.int("grasp_q")
        maskPeriod = p.int("mask_period")
        reuse = p.bool("reuse")
        schedule = LearningRateSchedule(p)
        self.seed = seed
    }

    /// How the sparsity is spread over layers (the `ratios` key).
    public enum Ratios: String, CaseIterable, Sendable {
        /// ZO-GraSP layer ratios, computed at initialisation.
        case grasp
        /// The same sparsity in every layer.
        case uniform
    }

    /// Every key of the spec, with the same defaults; `seed` drives ZO-GraSP and the masks.
    public init(lr: Double = 0.1, momentum: Double = 0.9, weightDecay: Double = 5e-4, mu: Double = 5e-3,
                sparsity: Double = 0, ratios: Ratios = .grasp, graspQ: Int = 192, maskPeriod: Int = 100,
                reuse: Bool = true, schedule: LearningRateSchedule = .constant, seed: UInt64 = 0) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "momentum": .real(momentum), "weight_decay": .real(weightDecay), "mu": .real(mu),
            "sparsity": .real(sparsity), "ratios": .text(ratios.rawValue), "grasp_q": .integer(graspQ),
            "mask_period": .integer(maskPeriod), "reuse": .boolean(reuse),
        ].merging(schedule.specValues) { a, _ in a }), seed: seed)
    }

    /// The estimator's view of the objective when feature reuse applies.
    private func layered(_ oracle: Oracle) -> LayeredView? {
        guard oracle.relativeNoise == 0 else { return nil }
        return oracle.layered
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        let n = x.count
        let t = stepCount
        if sparsity > 0 && mask == nil {
            let ratios = uniformRatios
                ? [Double](repeating: sparsity, count: SparsityMask.prunableLayers(of: oracle.layout).count)
                : try ZOGraSP.layerRatios(at: x, layout: oracle.layout, sparsity: sparsity, q: graspQ, mu: mu,
                                          seed: seed, oracle: &oracle)
            layerRatios = ratios
            mask = SparsityMask(layout: oracle.layout, ratios: ratios, seed: seed)
        }
        if let mask, t % maskPeriod == 0 { coordinates = mask.coordinates(index: t / maskPeriod) }
        stepCount += 1

        let finite: Bool
        if let objective = layered(oracle) {
            if reuseEstimator.map({ $0.objective !== objective || $0.threads != threads || $0.reuse != reuse }) ?? true {
                reuseEstimator = FeatureReuseEstimator(objective: objective, threads: threads, reuse: reuse)
            }
            if allCoordinates.count != n { allCoordinates = Array(0..<n) }
            let outcome = reuseEstimator!.estimate(at: x, coordinates: coordinates ?? allCoordinates, mu: mu,
                                                   into: &gradient)
            // The view counted the outcome's 1 + |S| forward passes.
            blockEvaluations += outcome.blockEvaluations
            if reuse { reusedSteps += 1 }
            finite = outcome.isFinite
        } else {
            let blocks = oracle.layered?.sequentialBlocks.count ?? 1
            let outcome = try CoordinateGradientEstimator(mu: mu, scheme: .forward)
                .estimate(at: &x, coordinates: coordinates, into: &gradient, oracle: &oracle)
            blockEvaluations += outcome.queries * blocks
            finite = outcome.isFinite
        }
        guard finite else {
            lastEvent = "skipped_nonfinite"
            return
        }
        lastEvent = nil
        let eta = lr * schedule.multiplier(step: t + 1)
        currentLearningRate = eta
        if buffer.count != n { buffer = [Double](repeating: 0, count: n) }
        let (beta, lambda) = (momentum, weightDecay)
        x.withUnsafeMutableBufferPointer { xb in
            gradient.withUnsafeBufferPointer { gb in
                buffer.withUnsafeMutableBufferPointer { bb in
                    for i in 0..<n {
                        bb[i] = beta * bb[i] + (gb[i] + lambda * xb[i])
                        xb[i] -= eta * bb[i]
                    }
                }
            }
        }
    }
}
