import OptimizationCore

/// AdaHessian — Adam with the squared gradient replaced by the square of a
/// Hutchinson estimate of the Hessian's diagonal (Yao et al. 2021), as the
/// authors' `optim_adahessian.py`.
///
/// Update for step t with gradient g and Rademacher probes z₁ … z_S
/// (S = `n_samples`), all element-wise:
///
///     D ← |(1/S) Σₛ zₛ ⊙ (H zₛ)|          (every `update_each` steps; kept in between)
///     m ← β₁m + (1 − β₁)g
///     v ← β₂v + (1 − β₂)D²
///     θ ← θ − η·( (m/(1 − β₁ᵗ)) / ((√v)ᵏ / (√(1 − β₂ᵗ))ᵏ + ε) + λθ )
///
/// with k = `hessian_power` and λ = `weight_decay` (the reference's decay:
/// added to the step, scaled by η, not passed through the moments). For
/// S = 1 this is the reference's |Hz|; the reference estimates every step
/// with one probe and averages no kernel, so `update_each` and `n_samples`
/// (the paper's §3.3 delayed Hessian update, and more probes) are the lab's
/// additions, defaulting to the reference's behaviour. Blocks of any shape
/// are treated element-wise, as the reference does for 1-D and 2-D tensors
/// (it averages |Hz| over a conv kernel's spatial dimensions only).
///
/// Defaults: lr 0.15, betas (0.9, 0.999), eps 1e-4, weight_decay 0,
/// hessian_power 1, update_each 1, n_samples 1 (the reference's).
///
/// Cost per step: one gradient and S Hessian-vector products (counted as
/// `hvp_evals`) on a step that refreshes D, one gradient otherwise; two
/// passes over θ. Probes come from (seed, step, sample) by Philox, so the
/// run is reproducible; no allocation per step.
///
///     var opt = AdaHessian(lr: 0.15)
///     try opt.step(&x, oracle: &oracle)      // needs Hessian-vector products
///
/// Paper: Yao et al., "ADAHESSIAN: An Adaptive Second Order Optimizer for
/// Machine Learning", AAAI 2021, arXiv:2006.00719. Reference code:
/// amirgholami/adahessian image_classification/optim_adahessian.py
/// (commit 85ebc00).
public struct AdaHessian: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "adahessian", family: .secondOrder,
        summary: "AdaHessian: Adam on a Hutchinson estimate of the Hessian diagonal (Hessian-vector products)",
        reference: "Yao et al. 2021, arXiv:2006.00719; amirgholami/adahessian optim_adahessian.py (85ebc00)",
        hyperparameters: [
            .real("lr", 0.15, .positive, "learning rate η"),
            .real("beta1", 0.9, .unitHalfOpen, "decay of the gradient's moving average"),
            .real("beta2", 0.999, .unitHalfOpen, "decay of the squared diagonal estimate's moving average"),
            .real("eps", 1e-4, .positive, "added to the denominator"),
            .real("weight_decay", 0, .nonNegative, "decay λ added to the step: θ ← θ − η(… + λθ)"),
            .real("hessian_power", 1, .closed(0, 1), "power k of the diagonal in the denominator"),
            .integer("update_each", 1, .atLeast(1), "steps between diagonal estimates (the last one is reused)"),
            .integer("n_samples", 1, .atLeast(1), "Rademacher probes averaged per estimate"),
        ],
        requires: [.gradient, .hessianVectorProduct])

    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    public let hessianPower: Double
    public let updateEach: Int
    public let samples: Int

    public private(set) var stepCount = 0
    public var currentLearningRate: Double? { stepCount > 0 ? lr : nil }
    private var probe = RademacherProbe()
    /// Buffers: m, v, D.
    private var state = StateSlab(buffers: 3)
    /// The probe z and the product Hz (reused every step).
    private var probeVector: [Double] = []
    private var product: [Double] = []

    /// Replaces the Philox probes by `source` (zᵢ for step, sample, i; ±1):
    /// how tests feed the vectors a reference drew.
    public mutating func injectProbes(_ source: @escaping @Sendable (_ step: Int, _ sample: Int, _ index: Int) -> Double) {
        probe.injected = source
    }

    public init(lr: Double = 0.15, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-4,
                weightDecay: Double = 0, hessianPower: Double = 1, updateEach: Int = 1, samples: Int = 1) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "beta1": .real(beta1), "beta2": .real(beta2), "eps": .real(eps),
            "weight_decay": .real(weightDecay), "hessian_power": .real(hessianPower),
            "update_each": .integer(updateEach), "n_samples": .integer(samples),
        ]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters, seed: UInt64 = 0) {
        probe.reseed(seed)
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.double("beta2")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        hessianPower = p.double("hessian_power")
        updateEach = p.int("update_each")
        samples = p.int("n_samples")
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        let n = x.count
        _ = state.prepare(count: n)
        let (_, g) = try oracle.gradient(at: x)
        stepCount += 1
        if (stepCount - 1) % updateEach == 0 { try estimateDiagonal(at: x, oracle: &oracle) }
        let t = Double(stepCount)
        let (b1, b2, c1, c2) = (beta1, beta2, 1 - beta1, 1 - beta2)
        let (bc1, rootBc2) = (1 - Double.pow(beta1, t), (1 - Double.pow(beta2, t)).squareRoot())
        let (k, eps, lr, decay) = (hessianPower, eps, lr, weightDecay)
        let denominatorScale = k == 1 ? rootBc2 : Double.pow(rootBc2, k)
        withParameters(&x, g) { xp, gp in
            state.withPointers { buffer in
                let (mp, vp, dp) = (buffer(0).base, buffer(1).base, buffer(2).base)
                let (x, g) = (xp.base, gp.base)
                for i in 0..<n {
                    let m = mp[i] * b1 + c1 * g[i]
                    let v = vp[i] * b2 + c2 * (dp[i] * dp[i])
                    mp[i] = m
                    vp[i] = v
                    let root = v.squareRoot()
                    let denominator = (k == 1 ? root : Double.pow(root, k)) / denominatorScale + eps
                    x[i] = x[i] - lr * (m / bc1 / denominator + decay * x[i])
                }
            }
        }
    }

    /// D ← |(1/S) Σ zₛ ⊙ H zₛ| at x (S Hessian-vector products).
    private mutating func estimateDiagonal(at x: [Double], oracle: inout Oracle) throws {
        let n = x.count
        if probeVector.count != n {
            probeVector = [Double](repeating: 0, count: n)
            product = [Double](repeating: 0, count: n)
        }
        for s in 0..<samples {
            let (probe, step) = (probe, stepCount)
            probeVector.withUnsafeMutableBufferPointer { probe.fill($0, step: step, sample: s) }
            try oracle.hessianVectorProduct(at: x, probeVector, into: &product)
            let (z, hz, samples) = (probeVector, product, samples)
            state.withPointers { buffer in
                let d = buffer(2).base
                for i in 0..<n { d[i] = (s == 0 ? 0 : d[i]) + z[i] * hz[i] }
                if s == samples - 1 {
                    let scale = 1 / Double(samples)
                    for i in 0..<n { d[i] = Swift.abs(samples == 1 ? d[i] : d[i] * scale) }
                }
            }
        }
    }
}
