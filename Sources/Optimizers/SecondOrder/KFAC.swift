import LinearAlgebra
import OptimizationCore

/// K-FAC: natural-gradient steps with a block-diagonal, Kronecker-factored
/// Fisher (one block A ⊗ G per linear layer), KL-clipped, with momentum.
///
/// Update for step t = 0, 1, … (per layer ℓ, V_ℓ = [∇W_ℓ | ∇b_ℓ]):
///
///     every cov_every steps:  statistics (a, g) from the problem with the
///         `fisher` targets;  A ← εA + (1−ε)·aᵀa/R,  G ← εG + (1−ε)·s·gᵀg/R
///         (dsyrk; ε = stat_decay, debiased as kfac-jax: w ← βw + 1, ε = 1 − 1/w;
///          `factor_init=identity`: A = G = I at the start and ε = stat_decay)
///     every inv_every steps:  factored: (A + π√λI)⁻¹, (G + √λ/π I)⁻¹ by dpotrf + dpotri,
///         π = √((tr A/d_A)/(tr G/d_G));  eigen: A, G = QΛQᵀ (dsyevd, clamped ≥ 0)
///     Δ_ℓ = G⁻¹ V_ℓ A⁻¹            factored (2 gemm)
///         = Q_G[(Q_GᵀV Q_A) ⊘ (d_G d_Aᵀ + λ)]Q_Aᵀ    eigen (exact (A⊗G + λI)⁻¹)
///     ν = min(1, √(κ / |lr² Σ_ℓ ⟨Δ_ℓ, V_ℓ⟩|))   (KL clip, 1 if κ = 0 or the sum is 0)
///     d = ν·Δ (+ the plain gradient for parameters outside the layers) + wd·θ
///     b ← μb + d (b = d at the first step);  θ ← θ − lr·b
///
/// The gradient comes from a separate `gradient` call (it includes the
/// problem's own L2 term), so `fisher=sampled` never biases the step.
///
/// Defaults and where they come from: lr 0.01 (alecwangcq/KFAC-Pytorch
/// `main.py`), momentum 0.9 (alecwangcq `KFACOptimizer`), stat_decay 0.95
/// (alecwangcq, gpauloski/kfac-pytorch, kfac-jax `curvature_ema`), damping
/// 1e-3 (alecwangcq and gpauloski), kl_clip 1e-3 (alecwangcq and gpauloski),
/// cov_every 1 (gpauloski `factor_update_steps`, kfac-jax
/// `curvature_update_period`), inv_every 10 (spec §2.4 lab default for small
/// MLPs; alecwangcq uses 100, kfac-jax 5), weight_decay 0 (alecwangcq),
/// fisher sampled (Martens & Grosse; alecwangcq `main.py`), damping_mode
/// factored (Martens & Grosse §6.3, kfac-jax), factor_init debiased (kfac-jax).
///
/// Counting: each statistics pass is one extra forward/backward pass (a
/// gradient evaluation, counted by the oracle; `fisher=ggn` on a C-class
/// softmax costs C backward passes and counts C); each refresh of the
/// inverses counts as one `hess_evals`.
///
/// Cost per step, per layer with d_i = d_in + 1, d_o = d_out: one gradient;
/// every cov_every steps a statistics backward pass (sampled targets; the
/// forward pass is shared with the gradient's) and B(d_i² + d_o²) for the
/// factors; ≈ d_i³ + d_o³ (factored; eigen ≈ 11(d_i³ + d_o³))
/// every inv_every steps; 2d_o d_i(d_i + d_o) (factored; twice that for eigen).
///
///     let (opt, _) = try OptimizerCatalog.shared.make("kfac(lr=0.01,inv_every=10)")
///
/// Reference: Martens & Grosse, "Optimizing Neural Networks with
/// Kronecker-factored Approximate Curvature", ICML 2015, arXiv 1503.05671.
public struct KFAC: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "kfac", family: .secondOrder,
        summary: "K-FAC: per-layer Kronecker-factored Fisher A⊗G, π-damped inverses, KL clip, momentum",
        reference: "Martens & Grosse, ICML 2015, arXiv 1503.05671 (alecwangcq/KFAC-Pytorch, gpauloski/kfac-pytorch, kfac-jax)",
        hyperparameters: [
            .real("lr", 0.01, .positive, "learning rate"),
            .real("momentum", 0.9, .unitHalfOpen, "momentum μ (b ← μb + d)"),
            .real("stat_decay", 0.95, .unitHalfOpen, "EMA decay ε of the factors"),
            .real("damping", 1e-3, .nonNegative, "Tikhonov damping λ"),
            .real("kl_clip", 1e-3, .nonNegative, "KL-clip κ (0: off)"),
            .integer("cov_every", 1, .closed(1, 1_000_000), "steps between factor statistics"),
            .integer("inv_every", 10, .closed(1, 1_000_000), "steps between inverse refreshes"),
            .real("weight_decay", 0, .nonNegative, "L2 coefficient added to the preconditioned step"),
            .choice("fisher", "sampled", ["sampled", "empirical", "ggn"],
                    "targets for G: sampled (true Fisher), empirical (labels), ggn (exact Gauss–Newton)"),
            .choice("damping_mode", "factored", KroneckerDamping.allCases.map(\.rawValue),
                    "factored: π-corrected factored Tikhonov; eigen: exact (A⊗G + λI)⁻¹"),
            .choice("factor_init", "debiased", FactorInit.allCases.map(\.rawValue),
                    "debiased EMA (kfac-jax) or A = G = I at the start (PyTorch repos)"),
        ],
        requires: [.gradient, .layerStatistics])

    public let lr: Double
    public let momentum: Double
    public let statDecay: Double
    public let damping: Double
    public let klClip: Double
    public let covEvery: Int
    public let invEvery: Int
    public let weightDecay: Double
    public let fisher: TargetMode
    public let dampingMode: KroneckerDamping
    public let identityInit: Bool

    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?
    /// The per-layer factors (empty before the first step).
    public private(set) var layers: [KroneckerLayer] = []
    private var stepIndex = 0
    private var debiasWeight = 0.0
    private var seed: UInt64 = 0
    private var direction: [Double] = []
    private var buffer: [Double] = []

    /// How the Kronecker factors start.
    public enum FactorInit: String, CaseIterable, Sendable {
        /// Debiased EMA (kfac-jax): the first statistics are the factors.
        case debiased
        /// A = G = I at the start, then a plain EMA (the PyTorch repositories).
        case identity
    }

    /// Every key of the spec, with the same defaults.
    public init(lr: Double = 0.01, momentum: Double = 0.9, statDecay: Double = 0.95, damping: Double = 1e-3,
                klClip: Double = 1e-3, covEvery: Int = 1, invEvery: Int = 10, weightDecay: Double = 0,
                fisher: TargetMode = .sampled, dampingMode: KroneckerDamping = .factored,
                factorInit: FactorInit = .debiased) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "momentum": .real(momentum), "stat_decay": .real(statDecay), "damping": .real(damping),
            "kl_clip": .real(klClip), "cov_every": .integer(covEvery), "inv_every": .integer(invEvery),
            "weight_decay": .real(weightDecay), "fisher": .text(fisher.rawValue),
            "damping_mode": .text(dampingMode.rawValue), "factor_init": .text(factorInit.rawValue),
        ]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters, seed: UInt64 = 0) {
        self.seed = seed
        lr = p.double("lr")
        momentum = p.double("momentum")
        statDecay = p.double("stat_decay")
        damping = p.double("damping")
        klClip = p.double("kl_clip")
        covEvery = p.int("cov_every")
        invEvery = p.int("inv_every")
        weightDecay = p.double("weight_decay")
        fisher = TargetMode(rawValue: p.string("fisher")) ?? .sampled
        dampingMode = KroneckerDamping(rawValue: p.string("damping_mode")) ?? .factored
        identityInit = p.string("factor_init") == "identity"
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        var notes: [String] = []
        // Statistics and gradient at the same x: one call lets the network
        // share its forward pass between them (counts as two passes).
        let g: [Double]
        if stepIndex % covEvery == 0 {
            let stats: LayerStatistics
            (_, g, stats) = try oracle.gradientAndLayerStatistics(at: x, targets: fisher,
                                                                 seed: SplitMix64.derive(seed, UInt64(stepIndex)))
            if layers.isEmpty {
                layers = stats.layers.map { KroneckerLayer(weight: $0.weight, bias: $0.bias, identity: identityInit) }
            }
            let epsilon: Double
            if identityInit {
                epsilon = statDecay
            } else {
                debiasWeight = statDecay * debiasWeight + 1
                epsilon = 1 - 1 / debiasWeight
            }
            for (k, layer) in stats.layers.enumerated() { layers[k].accumulate(layer, keep: epsilon) }
        } else {
            (_, g) = try oracle.gradient(at: x)
        }
        if stepIndex % invEvery == 0 || layers.contains(where: { !$0.hasInverse }) {
            for k in layers.indices { try layers[k].refresh(damping: damping, mode: dampingMode) }
            oracle.record(EvaluationCounts(hessian: 1))
            notes.append("inverse_refresh")
        }
        stepIndex += 1
        let d = x.count
        if direction.count != d {
            direction = [Double](repeating: 0, count: d)
            buffer = direction
        }
        var vg = 0.0
        g.withUnsafeBufferPointer { gp in
            for k in layers.indices {
                layers[k].gather(gp)
                vg += layers[k].preconditionGradient()
            }
        }
        var nu = 1.0
        let quadratic = abs(lr * lr * vg)
        if klClip > 0 && quadratic > 0 && quadratic.isFinite { nu = min(1, (klClip / quadratic).squareRoot()) }
        if nu < 1 { notes.append("kl_clip=\(formatNumber(nu))") }
        let (wd, mu, first, negLr) = (weightDecay, momentum, stepIndex == 1, -lr)
        direction.withUnsafeMutableBufferPointer { dp in
            g.withUnsafeBufferPointer { gp in dp.baseAddress!.update(from: gp.baseAddress!, count: d) }
            for layer in layers { layer.scatter(nu, into: dp) }
            x.withUnsafeMutableBufferPointer { xp in
                buffer.withUnsafeMutableBufferPointer { bp in
                    for i in 0..<d {
                        let di = wd != 0 ? dp[i] + wd * xp[i] : dp[i]
                        let bi = mu == 0 ? di : (first ? di : mu * bp[i] + di)
                        bp[i] = bi
                        xp[i] += negLr * bi
                    }
                }
            }
        }
        currentLearningRate = lr * nu
        lastEvent = notes.isEmpty ? nil : notes.joined(separator: ";")
    }
}
