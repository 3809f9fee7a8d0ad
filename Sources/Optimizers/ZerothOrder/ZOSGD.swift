import OptimizationCore

/// ZO-SGD: stochastic gradient descent on a zeroth-order gradient estimate
/// (Ghadimi & Lan's RSGF; Nesterov & Spokoiny's random gradient-free method).
///
/// Update for step t = 0, 1, … (ĝ from the configured estimator, spec §2–4):
///
///     ĝ ← RGE (q directions, Gaussian/sphere/Rademacher) or CGE, at x_t
///     b ← β·b + ĝ                 (heavy-ball buffer, torch.optim.SGD convention; b = ĝ when β = 0)
///     x ← x − η·b
///
/// A step whose queries return a non-finite value is skipped: x and b stay,
/// the queries still count, and the trace `event` says `skipped_nonfinite`.
///
/// Defaults: estimator rge, direction gaussian, q 1, mu 1e-3, difference auto
/// (central for q ≤ 2), lr (η) 1e-3, momentum (β) 0.
///
/// Cost per step: q + 1 (forward) or 2q (central) value queries for RGE;
/// d + 1 or 2d for CGE; O(qd) arithmetic; memory x, ĝ, b and the
/// estimator's 2d workspace; no allocation after the first step.
///
///     optlab run --problem 'rosenbrock(d=2)' --optimizer 'zo_sgd(lr=1e-3,q=4)'
///
/// Reference: Ghadimi & Lan, "Stochastic first- and zeroth-order methods for
/// nonconvex stochastic programming", SIAM J. Optim. 23(4) 2013,
/// arXiv:1309.5549; Nesterov & Spokoiny, FoCM 17 (2017).
public struct ZOSGD: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "zo_sgd", family: .zerothOrder,
        summary: "SGD (with momentum) on a random-direction or coordinate-wise gradient estimate",
        reference: "Ghadimi & Lan 2013, arXiv:1309.5549; Nesterov & Spokoiny 2017",
        hyperparameters: GradientEstimator.keys(estimator: "rge", direction: .gaussian, q: 1, mu: 1e-3) + [
            .real("lr", 1e-3, .positive, "learning rate η"),
            .real("momentum", 0, .unitHalfOpen, "heavy-ball factor β"),
        ],
        requires: [.value])

    public let lr: Double
    public let momentum: Double
    public private(set) var estimator: GradientEstimator
    public private(set) var stepCount = 0
    public private(set) var lastEvent: String?
    public var currentLearningRate: Double? { lr }
    private var gradient: [Double] = []
    private var buffer: [Double] = []

    /// From validated spec values (the catalog's path); `seed` drives the directions.
    public init(_ p: ResolvedParameters, seed: UInt64) {
        lr = p.double("lr")
        momentum = p.double("momentum")
        estimator = GradientEstimator(p, seed: seed)
    }

    /// Every key of the spec, with the same defaults (`difference` nil: auto); `seed` drives the directions.
    public init(lr: Double = 1e-3, momentum: Double = 0, estimator: GradientEstimator.Kind = .rge,
                direction: DirectionDistribution = .gaussian, q: Int = 1, mu: Double = 1e-3,
                difference: DifferenceScheme? = nil, seed: UInt64 = 0) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "momentum": .real(momentum), "estimator": .text(estimator.rawValue),
            "direction": .text(direction.rawValue), "q": .integer(q), "mu": .real(mu),
            "difference": GradientEstimator.differenceKey(difference),
        ]), seed: seed)
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        let t = stepCount
        stepCount += 1
        let outcome = try estimator.estimate(at: &x, step: t, into: &gradient, oracle: &oracle)
        guard outcome.isFinite else {
            lastEvent = "skipped_nonfinite"
            return
        }
        lastEvent = nil
        let n = x.count
        if buffer.count != n { buffer = [Double](repeating: 0, count: n) }
        let (eta, beta) = (lr, momentum)
        x.withUnsafeMutableBufferPointer { xb in
            gradient.withUnsafeBufferPointer { gb in
                buffer.withUnsafeMutableBufferPointer { bb in
                    for i in 0..<n {
                        bb[i] = beta * bb[i] + gb[i]
                        xb[i] -= eta * bb[i]
                    }
                }
            }
        }
    }
}
