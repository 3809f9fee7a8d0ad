import OptimizationCore

/// M-FAC: preconditioning by the inverse of a damped empirical Fisher built
/// from a sliding window of the last m gradients (dynamic algorithm).
///
/// Update for step t (``GradientWindow`` holds the window and applies F̂⁻¹):
///
///     g ← ∇f(θ) + wd·θ                         (weight decay added to the gradient)
///     push g into the window (oldest dropped when m are stored)
///     u ← F̂⁻¹g,  F̂ = λI + (1/n) Σ_{j ∈ window} g_j g_jᵀ
///     v ← μ·v + (1−μ)·u;  u ← v                (only if μ > 0; note the (1−μ))
///     θ ← θ − lr·u
///
/// n = m with `warm_start=zeros` (the official code: the window starts as m
/// zero rows, so the first step is lr·m·g/(mλ + ‖g‖²), a normalised-gradient
/// step of length ≈ lr·m/‖g‖ — retune lr when m changes) or n = the number of
/// gradients stored with `warm_start=growing`.
///
/// Defaults (official `MFAC` constructor, IST-DASLab/M-FAC `optim.py`): lr 1e-3,
/// m 1024 (capped at the dimension d), damp λ = 1e-5, momentum 0,
/// weight_decay 0, warm_start zeros.
///
/// Cost per step: one gradient; O(dm) for the new Gram row and O(dm + m²)
/// for F̂⁻¹g (Woodbury with an explicitly updated m×m inverse, O(m²) per
/// window update, refreshed by Cholesky every m steps). Memory dm + m².
/// Works on every problem with a gradient.
///
///     var opt = MFAC(lr: 1e-3, m: 128)
///     opt.update(&params, gradient: grad)
///
/// Reference: Frantar, Kurtic & Alistarh, "M-FAC: Efficient Matrix-Free
/// Approximations of Second-Order Information", NeurIPS 2021, arXiv 2107.03356.
public struct MFAC: GradientOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "mfac", family: .secondOrder,
        summary: "M-FAC: inverse of λI + windowed empirical Fisher (last m gradients) by Woodbury, O(dm + m²) per step",
        reference: "Frantar, Kurtic & Alistarh, NeurIPS 2021, arXiv 2107.03356 (IST-DASLab/M-FAC optim.py)",
        hyperparameters: [
            .real("lr", 1e-3, .positive, "learning rate"),
            .integer("m", 1024, .closed(1, 1_000_000), "window size: gradients kept (capped at the dimension)"),
            .real("damp", 1e-5, .positive, "damping λ of F̂ = λI + (1/n)GᵀG"),
            .real("momentum", 0, .unitHalfOpen, "momentum μ: v ← μv + (1−μ)u"),
            .real("weight_decay", 0, .nonNegative, "L2 coefficient added to the gradient"),
            .choice("warm_start", "zeros", GradientWindow.WarmStart.allCases.map(\.rawValue),
                    "zeros: window starts as m zero rows (official); growing: n = gradients stored"),
        ],
        requires: [.gradient])

    public let lr: Double
    /// The requested window size (the window holds min(m, d)).
    public let windowSize: Int
    public let damping: Double
    public let momentum: Double
    public let weightDecay: Double
    public let warmStart: GradientWindow.WarmStart

    public private(set) var currentLearningRate: Double?
    /// The window (nil before the first step, when d is not yet known).
    public private(set) var window: GradientWindow?
    private var direction: [Double] = []
    private var velocity: [Double] = []
    private var decayed: [Double] = []

    public init(lr: Double = 1e-3, m: Int = 1024, damp: Double = 1e-5, momentum: Double = 0,
                weightDecay: Double = 0, warmStart: GradientWindow.WarmStart = .zeros) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "m": .integer(m), "damp": .real(damp), "momentum": .real(momentum),
            "weight_decay": .real(weightDecay), "warm_start": .text(warmStart.rawValue),
        ]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        windowSize = p.int("m")
        damping = p.double("damp")
        momentum = p.double("momentum")
        weightDecay = p.double("weight_decay")
        warmStart = GradientWindow.WarmStart(rawValue: p.string("warm_start")) ?? .zeros
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        let d = x.count
        if window?.dimension != d {
            window = GradientWindow(dimension: d, capacity: min(windowSize, d), damping: damping, warmStart: warmStart)
            direction = [Double](repeating: 0, count: d)
            velocity = [Double](repeating: 0, count: d)
            decayed = [Double](repeating: 0, count: d)
        }
        currentLearningRate = lr
        let (wd, mu, negLr) = (weightDecay, momentum, -lr)
        if wd != 0 {
            decayed.withUnsafeMutableBufferPointer { dp in
                g.withUnsafeBufferPointer { gp in
                    x.withUnsafeBufferPointer { xp in
                        for i in 0..<d { dp[i] = gp[i] + wd * xp[i] }
                    }
                }
            }
            decayed.withUnsafeBufferPointer { gp in
                direction.withUnsafeMutableBufferPointer { window!.pushAndApply(gp, into: $0) }
            }
        } else {
            g.withUnsafeBufferPointer { gp in
                direction.withUnsafeMutableBufferPointer { window!.pushAndApply(gp, into: $0) }
            }
        }
        x.withUnsafeMutableBufferPointer { xp in
            direction.withUnsafeBufferPointer { up in
                guard mu > 0 else {
                    for i in 0..<d { xp[i] += negLr * up[i] }
                    return
                }
                velocity.withUnsafeMutableBufferPointer { vp in
                    for i in 0..<d {
                        vp[i] = mu * vp[i] + (1 - mu) * up[i]
                        xp[i] += negLr * vp[i]
                    }
                }
            }
        }
    }
}
