import OptimizationCore

/// The gradient estimate a zeroth-order optimizer is configured with: CGE or
/// RGE, built from the shared spec keys (`estimator`, `direction`, `q`, `mu`,
/// `difference`) so every optimizer of the family reads them the same way.
///
/// `difference=auto` follows spec §2.3: RGE uses central differences when
/// q ≤ 2 and forward otherwise; CGE uses forward differences (DeepZero).
public struct GradientEstimator: Sendable {
    /// Set when the estimator is coordinate-wise.
    public private(set) var coordinate: CoordinateGradientEstimator?
    /// Set when the estimator uses random directions.
    public private(set) var random: RandomDirectionEstimator?

    public init(coordinate: CoordinateGradientEstimator) { self.coordinate = coordinate }
    public init(random: RandomDirectionEstimator) { self.random = random }

    /// The kind of estimate (the `estimator` key).
    public enum Kind: String, CaseIterable, Sendable {
        /// Random directions (RGE).
        case rge
        /// Coordinate-wise finite differences (CGE).
        case cge
    }

    /// The `difference` key's value: `auto` (nil) or a scheme.
    static func differenceKey(_ scheme: DifferenceScheme?) -> SpecValue { .text(scheme?.rawValue ?? "auto") }

    /// The shared keys, with the defaults of one optimizer.
    /// A nil `direction` or `q` leaves the key unset with the meaning given
    /// in `variantDefaults` (for optimizers whose variants differ).
    static func keys(estimator: String, direction: DirectionDistribution?, q: Int?, mu: Double,
                     difference: String = "auto", variantDefaults: (direction: String, q: String) = ("", "")) -> [Hyperparameter] {
        let directions = DirectionDistribution.allCases.map(\.rawValue)
        let directionDoc = "distribution of the rge directions"
        let qDoc = "directions per rge estimate"
        return [
            .choice("estimator", estimator, Kind.allCases.map(\.rawValue), "random directions (rge) or coordinates (cge)"),
            direction.map { .choice("direction", $0.rawValue, directions, directionDoc) }
                ?? Hyperparameter("direction", .choice(directions), default: .unset(variantDefaults.direction), doc: directionDoc),
            q.map { .integer("q", $0, .atLeast(1), qDoc) }
                ?? Hyperparameter("q", .integer(.atLeast(1)), default: .unset(variantDefaults.q), doc: qDoc),
            .real("mu", mu, .positive, "difference step / smoothing radius μ"),
            .choice("difference", difference, ["auto", "forward", "central"],
                    "difference quotient (auto: rge central if q ≤ 2 else forward; cge forward)"),
        ]
    }

    /// From validated spec values carrying the shared keys.
    /// `defaultDirection` and `defaultQ` apply when those keys are unset.
    init(_ p: ResolvedParameters, seed: UInt64, defaultDirection: DirectionDistribution = .gaussian, defaultQ: Int = 1) {
        let mu = p.double("mu"), q = p.optionalInt("q") ?? defaultQ
        let difference = p.string("difference")
        if p.string("estimator") == "cge" {
            let scheme: DifferenceScheme = difference == "central" ? .central : .forward
            self.init(coordinate: CoordinateGradientEstimator(mu: mu, scheme: scheme))
        } else {
            let scheme: DifferenceScheme = switch difference {
            case "forward": .forward
            case "central": .central
            default: q <= 2 ? .central : .forward
            }
            self.init(random: RandomDirectionEstimator(
                distribution: p.optionalString("direction").flatMap(DirectionDistribution.init) ?? defaultDirection, q: q, mu: mu,
                scheme: scheme, seed: seed))
        }
    }

    /// Queries one estimate costs in dimension d.
    public func queries(dimension d: Int) -> Int {
        if let coordinate { return coordinate.queries(coordinates: d) }
        return random!.queries
    }

    /// One estimate at x for step `step` (the random stream index) into g.
    public mutating func estimate(at x: inout [Double], step: Int, into g: inout [Double],
                                  oracle: inout Oracle) throws -> EstimateOutcome {
        if let coordinate { return try coordinate.estimate(at: &x, into: &g, oracle: &oracle) }
        return try random!.estimate(at: x, step: step, into: &g, oracle: &oracle)
    }
}
