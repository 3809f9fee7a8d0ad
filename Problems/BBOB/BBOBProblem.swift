import LinearAlgebra
import OptimizationCore

/// The ``Objective`` around a ``BBOBFunction``: value only (the bbob
/// functions are not smooth: T_osz, plateaus, penalties) and the known
/// minimum COCO records (f* = COCO's `best_value`, x* = `best_parameter`).
///
/// The start is COCO's `initial_solution` (the origin, the centre of the
/// region of interest [−5, 5]^d), or with `start=uniform` a point drawn
/// uniformly in [−4, 4]^d from the run's seed (where COCO draws x_opt).
public final class BBOBProblem: Objective {
    public let name: String
    public let function: BBOBFunction
    public let layout: ParameterLayout
    public let initialPoint: [Double]
    public let knownMinimum: KnownMinimum?
    /// COCO's region of interest, [−5, 5]^d.
    public let bounds: [ClosedRange<Double>]

    public var dimension: Int { function.dimension }

    public init(name: String, function: BBOBFunction, initialPoint: [Double]) {
        precondition(initialPoint.count == function.dimension, "\(name): x0 has the wrong length")
        self.name = name
        self.function = function
        self.initialPoint = initialPoint
        layout = .flat(function.dimension)
        knownMinimum = KnownMinimum(value: function.bestValue, point: function.bestParameter)
        bounds = [ClosedRange<Double>](repeating: -5...5, count: function.dimension)
    }

    public func value(at x: [Double]) throws -> Double {
        guard x.count == dimension else { throw ObjectiveError.dimensionMismatch(expected: dimension, got: x.count) }
        return function.value(x)
    }
}
