import OptimizationCore

/// ZO-signSGD: a sign step on a zeroth-order gradient estimate.
///
/// Update for step t = 0, 1, …:
///
///     ĝ ← estimate at x_t (default: q forward unit-sphere directions, scale d/q)
///     x ← x − η·sign(ĝ)           (sign(0) = 0)
///
/// A step whose queries return a non-finite value is skipped (x stays, the
/// queries count, `event` = `skipped_nonfinite`).
///
/// Defaults: estimator rge, direction sphere, q 10, mu 1e-3, difference auto
/// (forward for q > 2), lr (η) 1e-3 — the estimator of the ZO-AdaMM code's
/// `ZOsignSGD` mode.
///
/// Cost per step: q + 1 value queries (forward) or 2q (central); O(qd)
/// arithmetic; memory x, ĝ and the 2d estimator workspace.
///
///     optlab run --problem 'rosenbrock(d=2)' --optimizer 'zo_signsgd(lr=1e-3)'
///
/// Reference: Liu, Chen, Chen, Hong, "signSGD via Zeroth-Order Oracle",
/// ICLR 2019 (an ICLR paper without an arXiv id); its estimator as in the
/// ZO-AdaMM code (Chen et al. 2019, arXiv:1910.06513).
public struct ZOSignSGD: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "zo_signsgd", family: .zerothOrder,
        summary: "sign descent on a zeroth-order gradient estimate (ZO-signSGD)",
        reference: "Liu, Chen, Chen, Hong, ICLR 2019; estimator of the ZO-AdaMM code, arXiv:1910.06513",
        hyperparameters: GradientEstimator.keys(estimator: "rge", direction: .sphere, q: 10, mu: 1e-3) + [
            .real("lr", 1e-3, .positive, "learning rate η"),
        ],
        requires: [.value])

    public let lr: Double
    public private(set) var estimator: GradientEstimator
    public private(set) var stepCount = 0
    public private(set) var lastEvent: String?
    public var currentLearningRate: Double? { lr }
    private var gradient: [Double] = []

    /// From validated spec values (the catalog's path); `seed` drives the directions.
    public init(_ p: ResolvedParameters, seed: UInt64) {
        lr = p.double("lr")
        estimator = GradientEstimator(p, seed: seed)
    }

    /// Every key of the spec, with the same defaults (`difference` nil: auto); `seed` drives the directions.
    public init(lr: Double = 1e-3, estimator: GradientEstimator.Kind = .rge, direction: DirectionDistribution = .sphere,
                q: Int = 10, mu: Double = 1e-3, difference: DifferenceScheme? = nil, seed: UInt64 = 0) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "estimator": .text(estimator.rawValue), "direction": .text(direction.rawValue),
            "q": .integer(q), "mu": .real(mu), "difference": GradientEstimator.differenceKey(difference),
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
        let eta = lr
        x.withUnsafeMutableBufferPointer { xb in
            gradient.withUnsafeBufferPointer { gb in
                for i in 0..<xb.count {
                    let s: Double = gb[i] > 0 ? 1 : (gb[i] < 0 ? -1 : 0)
                    xb[i] -= eta * s
                }
            }
        }
    }
}
