import LinearAlgebra
import OptimizationCore

/// Shampoo — a Kronecker-factored AdaGrad/Adam preconditioner with one
/// inverse-root factor per tensor side (Gupta et al. 2018), as
/// facebookresearch/optimizers' `DistributedShampoo` runs it on one device
/// with its default eigendecomposition root inverse (Shi et al. 2023).
///
/// Blocks: every parameter is reshaped by merging small adjacent sides while
/// their product stays ≤ `max_preconditioner_dim` (from the last side; sides
/// of 1 dropped), then cut into blocks of at most `max_preconditioner_dim`
/// per side — at 1024 a 10 × 64 weight is one 640-vector with a 640 × 640
/// factor. An order-k block has one factor Lᵢ per side and uses the 2k-th
/// inverse root. Update for step t = 1, 2, … per block with gradient G:
///
///     Lᵢ ← β₂Lᵢ + w·G₍ᵢ₎G₍ᵢ₎ᵀ                 (w = 1 if β₂ = 1, else 1 − β₂)
///     v  ← grafting accumulator of G (see ``GraftingMethod``)
///     refresh when (t mod f = 0 and t > s) or t = s   (f = precondition_frequency,
///         s = start_preconditioning_step, auto: s = f):
///         Xᵢ ← (Lᵢ/c₂ + εI)^(−1/2k) by dsyevd   (c₂ = 1 − β₂ᵗ if β₂ < 1, else 1;
///         eigenvalues shifted up by −λ_min when λ_min < ε; Xᵢ = I before the first refresh)
///     m ← β₁m + (1 − β₁)G;  F ← m/(1 − β₁ᵗ)      (F = G when β₁ = 0)
///     P ← F ×₀ X₀ ×₁ X₁ …
///     P ← P·‖P_graft(F)‖/(‖P‖ + 1e−16)         (grafting ≠ none, t ≥ s)
///     P ← P_graft(F)                           (grafting ≠ none, t < s)
///     d ← P + λθ;  b ← μb + d (b = d at t = 1);  θ ← θ − fl32(η)·b
///
/// The last line is `MomentumWeightDecayStep`, the stage K-FAC and MKOR
/// share; per-block pieces are ``BlockView``, `InverseRootFactor` and
/// ``GraftingMethod``.
///
/// Defaults are the reference's (commit f606606): lr 0.01, betas (0.9, 1),
/// epsilon 1e-12, weight_decay 0, precondition_frequency 1,
/// start_preconditioning_step −1 (= precondition_frequency),
/// max_preconditioner_dim 1024, no grafting (`grafting_config=None`), no
/// momentum. Grafting: grafting_beta2 0.999 for adam and 0.99 for rmsprop
/// (the reference's `AdamPreconditionerConfig`/`RMSpropPreconditionerConfig`),
/// grafting_eps 1e-10. Momentum is its `ClassicMomentumConfig` (dampening 0,
/// no Nesterov); weight decay is its default DECOUPLED type, which adds λθ to
/// the search direction before momentum. Not offered: β₃ ≠ β₁, L2-type decay,
/// `use_bias_correction=false`, the other root-inverse solvers.
///
/// The learning rate is rounded to float32 before it multiplies the step, as
/// the reference does (it holds lr in a float32 tensor): lr = 0.01 steps with
/// 0.009999999776. This changes a step by 2e-8 of itself at most and is kept so
/// that trajectories match the reference.
///
/// Where the lab departs from the reference: the reference keeps its factors
/// and inverse roots in float32 by default (`factor_matrix_dtype`); the lab
/// stays in float64, and the committed reference runs it with both dtypes set
/// to float64. A failed eigendecomposition keeps the previous inverse root
/// (the reference tolerates 3 failures in a row, then raises).
///
/// Cost per step, per block of sides n₁…n_k and size N: the factor Gram
/// matrices (2·nᵢ·N flops each), the preconditioning (2·nᵢ·N each), O(N) for
/// grafting and the step; a refresh adds one n³-ish `dsyevd` and an n³ product
/// per side, counted as one `hess_evals` through the harness, as K-FAC's
/// refreshes are. Refreshes allocate (LAPACK results); the other steps do not.
///
///     var opt = Shampoo(lr: 0.01, grafting: .adam)
///     opt.update(&params, gradient: grad, layout: ParameterLayout([("W", [32, 64]), ("b", [32])]))
///
/// Papers: Gupta, Koren & Singer, "Shampoo: Preconditioned Stochastic Tensor
/// Optimization", arXiv:1802.09568; Shi et al., "A Distributed Data-Parallel
/// PyTorch Implementation of the Distributed Shampoo Optimizer for Training
/// Neural Networks At-Scale", arXiv:2309.06497. Reference code:
/// facebookresearch/optimizers `distributed_shampoo` (commit f606606).
public struct Shampoo: GradientOptimizer, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "shampoo", family: .firstOrder,
        summary: "Shampoo: per-side Kronecker factors, inverse roots by eigendecomposition, grafting (Distributed Shampoo)",
        reference: "Gupta et al. 2018, arXiv:1802.09568; Shi et al. 2023, arXiv:2309.06497; facebookresearch/optimizers (f606606)",
        hyperparameters: [
            .real("lr", 0.01, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "EMA of the gradient (0: the raw gradient)"),
            .real("beta2", 1, .init(lower: 0, lowerClosed: false, upper: 1, upperClosed: true),
                  "decay of the factors (1: AdaGrad sums)"),
            .real("epsilon", 1e-12, .positive, "added to each factor before its inverse root"),
            .real("momentum", 0, .unitHalfOpen, "heavy-ball momentum μ on the search direction (0: none)"),
            .real("weight_decay", 0, .nonNegative, "λ: λθ added to the search direction (decoupled type)"),
            .integer("precondition_frequency", 1, .atLeast(1), "steps between inverse-root refreshes"),
            Hyperparameter("start_preconditioning_step", .integer(.atLeast(1)),
                           default: .unset("auto (precondition_frequency)"),
                           doc: "first step that uses the factors (grafting alone before it); ≥ precondition_frequency"),
            .integer("max_preconditioner_dim", 1024, .atLeast(1), "merge sides up to, and cut blocks at, this size"),
            .choice("grafting", "none", GraftingMethod.allCases.map(\.rawValue),
                    "the method whose step size each block's step takes"),
            Hyperparameter("grafting_beta2", .real(.init(lower: 0, lowerClosed: false, upper: 1, upperClosed: true)),
                           default: .unset("0.999; rmsprop 0.99"), doc: "decay of the grafting second moment"),
            .real("grafting_eps", 1e-10, .positive, "added to the grafting √v"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let momentum: Double
    public let weightDecay: Double
    public let preconditionFrequency: Int
    public let startPreconditioningStep: Int
    public let maxPreconditionerDimension: Int
    public let grafting: GraftingMethod
    public let graftingBeta2: Double
    public let graftingEpsilon: Double
    public var schedule: LearningRateSchedule

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    /// Inverse roots refreshed by the last call.
    public private(set) var lastRefreshes = 0
    private var blocks: [ShampooBlock] = []
    private var blocksLayout: ParameterLayout?
    private var momentumStep = MomentumWeightDecayStep()

    /// Every key of the spec (`startPreconditioningStep` nil: auto).
    public init(lr: Double = 0.01, beta1: Double = 0.9, beta2: Double = 1, epsilon: Double = 1e-12,
                momentum: Double = 0, weightDecay: Double = 0, preconditionFrequency: Int = 1,
                startPreconditioningStep: Int? = nil, maxPreconditionerDimension: Int = 1024,
                grafting: GraftingMethod = .none, graftingBeta2: Double? = nil, graftingEpsilon: Double = 1e-10,
                schedule: LearningRateSchedule = .constant) {
        var values: [String: SpecValue] = [
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "epsilon": .real(epsilon),
            "momentum": .real(momentum), "weight_decay": .real(weightDecay),
            "precondition_frequency": .integer(preconditionFrequency),
            "max_preconditioner_dim": .integer(maxPreconditionerDimension), "grafting": .text(grafting.rawValue),
            "grafting_eps": .real(graftingEpsilon),
        ]
        if let startPreconditioningStep { values["start_preconditioning_step"] = .integer(startPreconditioningStep) }
        if let graftingBeta2 { values["grafting_beta2"] = .real(graftingBeta2) }
        self.init(Self.descriptor.validated(values.merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path; `make(_:)` checks the key combination).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        epsilon = p.double("epsilon")
        momentum = p.double("momentum")
        weightDecay = p.double("weight_decay")
        preconditionFrequency = p.int("precondition_frequency")
        startPreconditioningStep = p.optionalInt("start_preconditioning_step") ?? preconditionFrequency
        maxPreconditionerDimension = p.int("max_preconditioner_dim")
        grafting = GraftingMethod(rawValue: p.string("grafting")) ?? .none
        graftingBeta2 = p.optionalDouble("grafting_beta2") ?? grafting.defaultBeta2
        graftingEpsilon = p.double("grafting_eps")
        schedule = LearningRateSchedule(p)
    }

    /// The catalog's factory: rejects a start before the first refresh, as the reference does.
    static func make(_ p: ResolvedParameters) throws -> Shampoo {
        let shampoo = Shampoo(p)
        guard shampoo.startPreconditioningStep >= shampoo.preconditionFrequency else {
            throw SpecError.invalidCombination(
                owner: "shampoo",
                message: "start_preconditioning_step=\(shampoo.startPreconditioningStep) must be at least "
                    + "precondition_frequency=\(shampoo.preconditionFrequency)")
        }
        return shampoo
    }

    /// The harness path: one gradient, the update, and one `hess_evals` for
    /// a step that refreshed the inverse roots.
    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        let (_, g) = try oracle.gradient(at: x)
        update(&x, gradient: g, layout: oracle.layout)
        if lastRefreshes > 0 { oracle.record(EvaluationCounts(hessian: 1)) }
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if let layout {
            precondition(layout.dimension == x.count,
                         "shampoo: layout has \(layout.dimension) elements, parameters \(x.count)")
            if blocksLayout != layout { makeBlocks(layout) }
        } else if blocksLayout?.dimension != x.count || blocksLayout?.blocks.count != 1 {
            makeBlocks(.flat(x.count))
        }
        stepCount += 1
        let t = stepCount
        // The reference keeps lr in a float32 tensor (`_instantiate_lr_tensors`): η is rounded to float32.
        let eta = Double(Float(lr * schedule.multiplier(step: t)))
        currentLearningRate = eta
        let start = startPreconditioningStep
        let refresh = (t % preconditionFrequency == 0 && t > start) || t == start
        let factorWeight = beta2 == 1 ? 1 : 1 - beta2
        let factorCorrection = beta2 < 1 ? 1 - Double.pow(beta2, Double(t)) : 1
        let constants = ShampooBlock.StepConstants(
            beta1: beta1, biasCorrection1: 1 - beta1 * Double.pow(beta1, Double(t - 1)),
            graftEpsilon: graftingEpsilon,
            graftBiasCorrection: grafting == .adam ? 1 - Double.pow(graftingBeta2, Double(t)) : 1,
            graftOnly: t < start && grafting != .none)
        lastRefreshes = 0
        momentumStep.resize(x.count)
        g.withUnsafeBufferPointer { gp in
            for k in blocks.indices {
                blocks[k].accumulate(gp.baseAddress!, beta2: beta2, weight: factorWeight, graftBeta2: graftingBeta2)
                if refresh { lastRefreshes += blocks[k].refresh(epsilon: epsilon, biasCorrection: factorCorrection) }
            }
        }
        momentumStep.direction.withUnsafeMutableBufferPointer { dp in
            for k in blocks.indices { blocks[k].searchDirection(constants, into: dp.baseAddress!) }
        }
        momentumStep.apply(&x, lr: eta, momentum: momentum, weightDecay: weightDecay, first: t == 1)
    }

    private mutating func makeBlocks(_ layout: ParameterLayout) {
        blocksLayout = layout
        stepCount = 0
        momentumStep = MomentumWeightDecayStep()
        blocks = layout.blocks.flatMap { TensorBlocking.blocks(of: $0, limit: maxPreconditionerDimension) }
            .map { ShampooBlock($0, grafting: grafting, filtered: beta1 != 0) }
    }
}
