import LinearAlgebra
import OptimizationCore

/// Sophia — a clipped, diagonally preconditioned sign-momentum method whose
/// diagonal is refreshed every k steps (Liu et al. 2023), as Liuhong99/Sophia
/// `SophiaG` with the training loop of its `train_sophiag.py`.
///
/// Update for step t = 1, 2, … with gradient g (element-wise):
///
///     θ ← θ·(1 − ηλ)
///     m ← β₁m + (1 − β₁)g
///     θ ← θ − η·sign(m)·min(|m| / (ρ·B·h + 1e-15), 1)          (estimator=gnb)
///     θ ← θ − η·sign(m)·min(|m| / max(ρ·h, 1e-15), 1)          (estimator=hutchinson)
///     every k steps, at the new θ on the same batch:
///       gnb:        ĝ ← ∇ mean loss on labels sampled from the model; h ← β₂h + (1 − β₂)ĝ⊙ĝ
///       hutchinson: h ← β₂h + (1 − β₂)·z⊙(Hz), z Rademacher
///
/// B is the number of labels the sampled loss averages over (rows, or
/// tokens for a language model: the reference passes batch × block size).
/// Sophia-H follows the paper (Algorithm 2's max(γh, ε), which also guards a
/// negative Hutchinson estimate); the repository has only SophiaG.
///
/// Defaults: SophiaG's (lr 1e-4, betas (0.965, 0.99), ρ 0.04, weight_decay
/// 0.1) and the training script's k = 10.
///
/// Cost per step: one gradient and one pass over θ; every k steps one more
/// gradient on sampled labels (counted in `grad_evals`) or one Hessian-vector
/// product (`hvp_evals`). Sampled labels come from (seed, step) and probes
/// from Philox, so runs are reproducible; no allocation per step.
///
///     var opt = Sophia(lr: 1e-3)
///     try opt.step(&x, oracle: &oracle)   // needs sampled-label gradients (gnb) or HVPs
///
/// Paper: Liu, Li, Hall, Liang, Ma, "Sophia: A Scalable Stochastic
/// Second-order Optimizer for Language Model Pre-training", ICLR 2024,
/// arXiv:2305.14342. Reference code: Liuhong99/Sophia sophia.py and
/// train_sophiag.py (commit a7e1572).
public struct Sophia: Optimizer {
    /// Where the Hessian diagonal estimate comes from.
    public enum Estimator: String, Sendable, CaseIterable {
        /// Gauss–Newton–Bartlett: B·ĝ⊙ĝ from labels sampled from the model.
        case gnb
        /// Hutchinson: z⊙(Hz) with a Rademacher z.
        case hutchinson
    }

    public static let descriptor = OptimizerDescriptor(
        name: "sophia", family: .secondOrder,
        summary: "Sophia: clipped sign-momentum preconditioned by a Hessian diagonal (GNB or Hutchinson) refreshed every k steps",
        reference: "Liu et al. 2024, arXiv:2305.14342; Liuhong99/Sophia sophia.py (a7e1572)",
        hyperparameters: [
            .real("lr", 1e-4, .positive, "learning rate η"),
            .real("beta1", 0.965, .unitHalfOpen, "decay of the momentum"),
            .real("beta2", 0.99, .unitHalfOpen, "decay of the diagonal estimate"),
            .real("rho", 0.04, .positive, "clipping scale ρ (γ of the paper)"),
            .real("weight_decay", 0.1, .nonNegative, "decoupled decay λ: θ ← θ(1 − ηλ)"),
            .integer("k", 10, .atLeast(1), "steps between diagonal estimates"),
            .choice("estimator", "gnb", Estimator.allCases.map(\.rawValue),
                    "gnb (labels sampled from the model) or hutchinson (Hessian-vector products)"),
        ],
        requires: [.gradient],
        keyRequirements: { p in
            p.optionalString("estimator") == Estimator.hutchinson.rawValue ? .hessianVectorProduct : .sampledLabels
        })

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let rho: Double
    public let weightDecay: Double
    public let interval: Int
    public let estimator: Estimator

    public private(set) var stepCount = 0
    public var currentLearningRate: Double? { stepCount > 0 ? lr : nil }
    private var seed: UInt64 = 0
    private var probe = RademacherProbe()
    /// B of the last GNB estimate (1 for Hutchinson).
    private var labelCount = 1.0
    /// Buffers: m, h.
    private var state = StateSlab(buffers: 2)
    private var estimate: [Double] = []
    private var product: [Double] = []

    public init(lr: Double = 1e-4, beta1: Double = 0.965, beta2: Double = 0.99, rho: Double = 0.04,
                weightDecay: Double = 0.1, k: Int = 10, estimator: Estimator = .gnb) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "rho": .real(rho),
            "weight_decay": .real(weightDecay), "k": .integer(k), "estimator": .text(estimator.rawValue),
        ]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters, seed: UInt64 = 0) {
        self.seed = seed
        probe.reseed(seed)
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        rho = p.double("rho")
        weightDecay = p.double("weight_decay")
        interval = p.int("k")
        estimator = Estimator(rawValue: p.string("estimator"))!
    }

    /// Replaces the Philox probes of `estimator=hutchinson` (tests feed a reference's vectors).
    public mutating func injectProbes(_ source: @escaping @Sendable (_ step: Int, _ sample: Int, _ index: Int) -> Double) {
        probe.injected = source
    }

    /// The seed of step t's sampled labels: derived from the run's seed.
    public func labelSeed(step: Int) -> UInt64 { SplitMix64.derive(seed, UInt64(step)) }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        let n = x.count
        _ = state.prepare(count: n)
        let (_, g) = try oracle.gradient(at: x)
        stepCount += 1
        let (decay, b1, c1, lr) = (1 - lr * weightDecay, beta1, 1 - beta1, lr)
        let gnb = estimator == .gnb
        let scale = gnb ? rho * labelCount : rho
        withParameters(&x, g) { xp, gp in
            state.withPointers { buffer in
                let (mp, hp, x, g) = (buffer(0).base, buffer(1).base, xp.base, gp.base)
                for i in 0..<n {
                    let xi = x[i] * decay
                    let m = mp[i] * b1 + c1 * g[i]
                    mp[i] = m
                    let denominator = gnb ? scale * hp[i] + 1e-15 : Swift.max(scale * hp[i], 1e-15)
                    let ratio = Swift.min(Swift.abs(m) / denominator, 1)
                    let sign: Double = m > 0 ? 1 : (m < 0 ? -1 : 0)
                    x[i] = xi + (-lr * sign) * ratio
                }
            }
        }
        if stepCount % interval == 0 { try refreshDiagonal(at: x, oracle: &oracle) }
    }

    /// h ← β₂h + (1 − β₂)·(ĝ⊙ĝ or z⊙Hz) at x.
    private mutating func refreshDiagonal(at x: [Double], oracle: inout Oracle) throws {
        let n = x.count
        if estimate.count != n {
            estimate = [Double](repeating: 0, count: n)
            product = [Double](repeating: 0, count: n)
        }
        let gnb = estimator == .gnb
        if gnb {
            // ĝ in `estimate`; h gets ĝ·ĝ.
            labelCount = Double(try oracle.sampledLabelGradient(at: x, seed: labelSeed(step: stepCount), into: &estimate))
        } else {
            // z in `estimate`, Hz in `product`; h gets z·Hz.
            let (probe, step) = (probe, stepCount)
            estimate.withUnsafeMutableBufferPointer { probe.fill($0, step: step, sample: 0) }
            try oracle.hessianVectorProduct(at: x, estimate, into: &product)
        }
        let (a, b, b2, c2) = (estimate, product, beta2, 1 - beta2)
        state.withPointers { buffer in
            let h = buffer(1).base
            if gnb {
                for i in 0..<n { h[i] = h[i] * b2 + c2 * a[i] * a[i] }
            } else {
                for i in 0..<n { h[i] = h[i] * b2 + c2 * (b[i] * a[i]) }
            }
        }
    }
}
