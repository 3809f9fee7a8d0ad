import CShims
import LinearAlgebra
import OptimizationCore

/// SOAP — Adam run in the eigenbasis of Shampoo's Kronecker factors
/// (Vyas et al. 2024), as nikhilvyas/SOAP `soap.py`.
///
/// Per block with (possibly merged) shape [n₀, n₁, …] and gradient G; a
/// dimension larger than `max_precond_dim` (and a 1-D block unless
/// `precondition_1d`) keeps the identity basis, so 1-D blocks get plain
/// Adam in SOAP's arithmetic:
///
///     first call: Lₖ ← lerp(Lₖ, G₍ₖ₎G₍ₖ₎ᵀ, 1 − β_s); Qₖ ← eigenvectors of Lₖ + 1e-30·I,
///                 eigenvalues descending; θ is not moved (so G never projects itself)
///     then, t = 1, 2, …:
///       G' ← G ×₀ Q₀ ×₁ Q₁ …                            (rotate into the basis)
///       m ← β₁m + (1 − β₁)G';  v ← β₂v + (1 − β₂)G'²      (m is kept rotated)
///       N ← (m / (√v + ε)) ×₀ Q₀ᵀ ×₁ Q₁ᵀ …               (rotate back)
///       N ← N / (1e-30 + rms(N))                         (normalize_grads only)
///       θ ← θ − η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)·N                (correct_bias; else η·N)
///       θ ← θ − ηλ·θ                                     (after the step, λ > 0)
///       Lₖ ← lerp(Lₖ, G₍ₖ₎G₍ₖ₎ᵀ, 1 − β_s)
///       every `precondition_frequency` steps: m rotated back; order Qₖ's
///         columns by the estimated eigenvalues diag(QₖᵀLₖQₖ) (descending,
///         v's slices with them), then Qₖ ← Q of QR(Lₖ·Qₖ) — one power
///         iteration; m rotated into the new basis
///
/// β_s = `shampoo_beta`, or β₂ when negative (the default −1).
/// Defaults are soap.py's: lr 3e-3, betas (0.95, 0.95), eps 1e-8,
/// weight_decay 0.01, precondition_frequency 10, max_precond_dim 10000,
/// merge_dims false, precondition_1d false, normalize_grads false,
/// correct_bias true.
///
/// Where the lab departs from the reference: soap.py casts the factors to
/// float32 for `eigh` and `qr` (its factors are float32 on GPUs); the lab
/// stays in float64 — the committed reference runs soap.py with that cast
/// removed. Eigenvectors are unique only up to sign (which cancels between
/// the rotations) and within repeated eigenvalues (which does not): with a
/// rank-deficient factor the trajectory depends on the LAPACK build.
///
/// Cost per step: per preconditioned side n, the rotation of the gradient
/// into the basis and of the update back (2·n·(block size) flops each) plus
/// the factor update (2·n·(block size)); a refresh every
/// `precondition_frequency` steps adds two rotations of m, an n × n product
/// and a QR (the first call an eigendecomposition), counted as
/// one `hess_evals` through the harness, as K-FAC's refreshes are. Refreshes
/// allocate (LAPACK workspaces); the other steps do not.
///
///     var opt = SOAP(lr: 3e-3)
///     opt.update(&params, gradient: grad, layout: ParameterLayout([("W", [32, 64]), ("b", [32])]))
///
/// Paper: Vyas et al., "SOAP: Improving and Stabilizing Shampoo using Adam",
/// arXiv:2409.11321. Reference code: nikhilvyas/SOAP soap.py (commit a1e5535).
public struct SOAP: GradientOptimizer, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "soap", family: .firstOrder,
        summary: "SOAP: Adam in the eigenbasis of Shampoo's Kronecker factors, refreshed by power iteration + QR",
        reference: "Vyas et al. 2024, arXiv:2409.11321; nikhilvyas/SOAP soap.py (a1e5535)",
        hyperparameters: [
            .real("lr", 3e-3, .positive, "learning rate η"),
            .real("beta1", 0.95, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", 0.95, .unitHalfOpen, "decay of the second moment"),
            .real("shampoo_beta", -1, .closed(-1, 1), "decay of the Kronecker factors; negative: beta2"),
            .real("eps", 1e-8, .positive, "added to √v"),
            .real("weight_decay", 0.01, .nonNegative, "decoupled decay λ, applied after the step: θ ← θ − ηλθ"),
            .integer("precondition_frequency", 10, .atLeast(1), "steps between basis refreshes"),
            .integer("max_precond_dim", 10000, .atLeast(1), "sides larger than this keep the identity basis"),
            .boolean("merge_dims", false, "merge adjacent sides while their product stays ≤ max_precond_dim"),
            .boolean("precondition_1d", false, "give 1-D blocks a factor too"),
            .boolean("normalize_grads", false, "divide each block's update by its RMS"),
            .boolean("correct_bias", true, "Adam's bias correction √(1 − β₂ᵗ)/(1 − β₁ᵗ)"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let shampooBeta: Double
    public let eps: Double
    public let weightDecay: Double
    public let preconditionFrequency: Int
    public let maxPreconditionerDimension: Int
    public let mergeDimensions: Bool
    public let precondition1D: Bool
    public let normalizeGradients: Bool
    public let correctBias: Bool
    public var schedule: LearningRateSchedule

    /// Adam steps taken (the first call only builds the bases and is not counted).
    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    /// Basis refreshes made by the last call (the first call's eigendecompositions included).
    public private(set) var lastRefreshes = 0
    private var blocks: [SOAPBlock] = []
    private var blocksLayout: ParameterLayout?

    public init(lr: Double = 3e-3, beta1: Double = 0.95, beta2: Double = 0.95, shampooBeta: Double = -1,
                eps: Double = 1e-8, weightDecay: Double = 0.01, preconditionFrequency: Int = 10,
                maxPreconditionerDimension: Int = 10000, mergeDimensions: Bool = false, precondition1D: Bool = false,
                normalizeGradients: Bool = false, correctBias: Bool = true, schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "shampoo_beta": .real(shampooBeta),
            "eps": .real(eps), "weight_decay": .real(weightDecay),
            "precondition_frequency": .integer(preconditionFrequency),
            "max_precond_dim": .integer(maxPreconditionerDimension), "merge_dims": .boolean(mergeDimensions),
            "precondition_1d": .boolean(precondition1D), "normalize_grads": .boolean(normalizeGradients),
            "correct_bias": .boolean(correctBias),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        shampooBeta = p.double("shampoo_beta")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        preconditionFrequency = p.int("precondition_frequency")
        maxPreconditionerDimension = p.int("max_precond_dim")
        mergeDimensions = p.bool("merge_dims")
        precondition1D = p.bool("precondition_1d")
        normalizeGradients = p.bool("normalize_grads")
        correctBias = p.bool("correct_bias")
        schedule = LearningRateSchedule(p)
    }

    /// The harness path: one gradient, the update, and one `hess_evals` for
    /// a step that refreshed a basis.
    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        let (_, g) = try oracle.gradient(at: x)
        update(&x, gradient: g, layout: oracle.layout)
        if lastRefreshes > 0 { oracle.record(EvaluationCounts(hessian: 1)) }
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if let layout {
            precondition(layout.dimension == x.count, "soap: layout has \(layout.dimension) elements, parameters \(x.count)")
            if blocksLayout != layout { makeBlocks(layout) }
        } else if blocksLayout?.dimension != x.count || blocksLayout?.blocks.count != 1 {
            makeBlocks(.flat(x.count))
        }
        lastRefreshes = 0
        let factorWeight = 1 - (shampooBeta >= 0 ? shampooBeta : beta2)
        guard blocks.isEmpty || blocks[0].hasBasis else {   // not `first`: it copies the block (an allocation in debug builds)
            // The first call only builds the factors and their eigenbases.
            for k in blocks.indices { lastRefreshes += blocks[k].initialize(g, factorWeight: factorWeight) }
            currentLearningRate = nil
            return
        }
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let t = Double(stepCount)
        let stepSize = correctBias ? eta * (1 - Double.pow(beta2, t)).squareRoot() / (1 - Double.pow(beta1, t)) : eta
        let adam = SOAPBlock.AdamConstants(beta1: beta1, beta2: beta2, eps: eps, stepSize: stepSize,
                                           decay: weightDecay > 0 ? -eta * weightDecay : nil,
                                           normalize: normalizeGradients)
        let refresh = stepCount % preconditionFrequency == 0
        for k in blocks.indices {
            blocks[k].adamStep(&x, g, adam)
            lastRefreshes += blocks[k].updateFactors(g, factorWeight: factorWeight, refresh: refresh)
        }
    }

    private mutating func makeBlocks(_ layout: ParameterLayout) {
        blocksLayout = layout
        stepCount = 0
        blocks = layout.blocks.filter { $0.count > 0 }.map { block in
            let shape = block.shape.count > 1 && mergeDimensions
                ? Self.mergedShape(block.shape, limit: maxPreconditionerDimension)
                : (block.shape.count > 1 ? block.shape : [block.count])
            let preconditioned = shape.map { side in
                side <= maxPreconditionerDimension && (block.shape.count > 1 || precondition1D)
            }
            return SOAPBlock(range: block.range, shape: shape, preconditioned: preconditioned)
        }
    }

    /// soap.py's `merge_dims`: adjacent sides multiplied together while the
    /// product stays ≤ `limit`.
    static func mergedShape(_ shape: [Int], limit: Int) -> [Int] {
        var merged: [Int] = []
        var current = 1
        for side in shape {
            if current * side > limit {
                if current > 1 {
                    merged.append(current)
                    current = side
                } else {
                    merged.append(side)
                    current = 1
                }
            } else {
                current *= side
            }
        }
        if current > 1 || merged.isEmpty { merged.append(current) }
        return merged
    }
}
