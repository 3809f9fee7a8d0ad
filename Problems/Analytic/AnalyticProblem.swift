import LinearAlgebra
import OptimizationCore

/// An ``Objective`` around a ``SmoothFunction``: the object the harness and
/// optimizers see for every analytic (MGH, quadratic, Rayleigh) and global
/// problem. Value, gradient, dense Hessian and exact Hessian-vector products
/// are always available; `noise=σ` makes the ``Oracle`` perturb values
/// (``NoisyObjective``) while traces keep the noise-free value.
public final class AnalyticProblem: NoisyObjective, HessianObjective, HessianVectorObjective, CurvatureMatrixObjective {
    public let name: String
    public let function: any SmoothFunction
    public let layout: ParameterLayout
    public let initialPoint: [Double]
    public let knownMinimum: KnownMinimum?
    public let relativeNoise: Double
    /// The search box of a global problem (where seeded starts are drawn), or nil.
    public let bounds: [ClosedRange<Double>]?

    public var dimension: Int { function.dimension }

    /// The Gauss–Newton matrix for least-squares functions; no Fisher (no data).
    public func provides(_ kind: CurvatureKind) -> Bool {
        kind == .ggn && function is any LeastSquaresFunction
    }

    public init(name: String, function: any SmoothFunction, initialPoint: [Double],
                knownMinimum: KnownMinimum?, noise: Double = 0, layout: ParameterLayout? = nil,
                bounds: [ClosedRange<Double>]? = nil) {
        precondition(initialPoint.count == function.dimension, "\(name): x0 has the wrong length")
        self.name = name
        self.function = function
        self.initialPoint = initialPoint
        self.knownMinimum = knownMinimum
        self.relativeNoise = noise
        self.layout = layout ?? .flat(function.dimension)
        self.bounds = bounds
    }

    private func check(_ x: [Double]) throws {
        guard x.count == dimension else { throw ObjectiveError.dimensionMismatch(expected: dimension, got: x.count) }
    }

    public func value(at x: [Double]) throws -> Double {
        try check(x)
        return function.value(x)
    }

    public func gradient(at x: [Double], into gradient: inout [Double]) throws -> Double {
        try check(x)
        if gradient.count != dimension { gradient = [Double](repeating: 0, count: dimension) }
        return function.gradient(x, into: &gradient)
    }

    public func hessian(at x: [Double]) throws -> Matrix {
        try check(x)
        return function.hessian(x)
    }

    /// Least squares f = Σ rᵢ²: the Gauss–Newton matrix 2JᵀJ (`dsyrk`), the
    /// Hessian without the Σ rᵢ∇²rᵢ term.
    public func curvatureMatrix(_ kind: CurvatureKind, at x: [Double]) throws -> Matrix {
        try check(x)
        guard kind == .ggn, let ls = function as? any LeastSquaresFunction else {
            throw ObjectiveError.unsupported(kind.label, problem: name)
        }
        let jacobian = ls.jacobian(x)
        var ggn = Matrix(rows: dimension, columns: dimension)
        BLAS.syrk(jacobian, into: &ggn, alpha: 2)
        return ggn
    }

    public func hessianVectorProduct(at x: [Double], _ v: [Double], into result: inout [Double]) throws {
        try check(x)
        guard v.count == dimension else { throw ObjectiveError.dimensionMismatch(expected: dimension, got: v.count) }
        if result.count != dimension { result = [Double](repeating: 0, count: dimension) }
        function.hessianVectorProduct(x, v, into: &result)
    }
}
