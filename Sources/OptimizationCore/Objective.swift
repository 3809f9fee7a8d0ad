import LinearAlgebra

/// Why an objective could not answer.
public enum ObjectiveError: Error, CustomStringConvertible, Equatable {
    /// The objective lacks this capability (a pairing the catalog should have refused).
    case unsupported(String, problem: String)
    /// x has the wrong length.
    case dimensionMismatch(expected: Int, got: Int)
    /// Anything else, with a message.
    case failed(String)

    public var description: String {
        switch self {
        case .unsupported(let what, let problem): return "'\(problem)' does not provide \(what)"
        case .dimensionMismatch(let e, let g): return "x has \(g) elements, the problem has dimension \(e)"
        case .failed(let m): return m
        }
    }
}

/// A known optimal value, with the point when it is unique.
public struct KnownMinimum: Sendable, Equatable {
    /// Whether f* is the global minimum or a declared local one.
    public enum Kind: String, Sendable { case global, local }
    /// f*: the global minimum, or the declared local value the standard start reaches.
    public let value: Double
    public let kind: Kind
    /// x* when unique and known.
    public let point: [Double]?
    /// Other declared local minimum values a "solved" check should also accept.
    public let otherLocalValues: [Double]

    public init(value: Double, kind: Kind = .global, point: [Double]? = nil, otherLocalValues: [Double] = []) {
        self.value = value
        self.kind = kind
        self.point = point
        self.otherLocalValues = otherLocalValues
    }
}

/// A function to minimise: the value is all every objective provides.
///
/// What else a problem can compute is said by conforming to the small
/// protocols beside this one — ``DifferentiableObjective`` (∇f),
/// ``HessianObjective``, ``HessianVectorObjective``,
/// ``LayerStatisticsObjective``, ``SampledLabelObjective``,
/// ``CurvatureMatrixObjective``, ``BlockSequentialObjective`` — and the
/// harness-side hooks of ``TrainingObjective``. ``capabilities`` is derived
/// from those conformances, so it cannot claim what is not implemented.
///
/// Problems are classes: learning problems keep workspaces and the current
/// minibatch between calls. The harness builds one instance per run, so an
/// instance is never shared between threads. Optimizers reach a problem
/// only through the counting ``Oracle``.
public protocol Objective: AnyObject {
    /// The canonical spec string of this instance, e.g. `rosenbrock(d=6)`.
    var name: String { get }
    var dimension: Int { get }
    var layout: ParameterLayout { get }
    /// x0 (for seeded starts, drawn when the instance was made).
    var initialPoint: [Double] { get }
    var knownMinimum: KnownMinimum? { get }

    /// f(x) on the current batch (full-batch problems: the objective itself).
    func value(at x: [Double]) throws -> Double
}

extension Objective {
    public var knownMinimum: KnownMinimum? { nil }
}

/// Objectives whose optimizer-visible values are noisy (`noise=σ`): the
/// ``Oracle`` multiplies f by (1 + σu), u ~ U(−1, 1), fresh per call.
/// Traces log the noise-free value.
public protocol NoisyObjective: Objective {
    /// σ ≥ 0 (0: no noise).
    var relativeNoise: Double { get }
}
