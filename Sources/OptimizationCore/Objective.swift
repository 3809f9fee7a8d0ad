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

/// Which targets the backward pass of `layerStatistics` uses.
public enum TargetMode: String, Sendable, CaseIterable {
    /// The true labels (empirical Fisher).
    case empirical
    /// Labels drawn from the model's own predictive distribution (true Fisher, K-FAC).
    case sampled
    /// The exact generalised Gauss–Newton: the backward pass propagates the
    /// columns of a square root S (SSᵀ = ∂²ℓ/∂z²) of the loss Hessian with
    /// respect to the outputs instead of one target (spec second-order §1a).
    /// A problem returns one row per (sample, column): `inputs` repeats aᵢ for
    /// each column and `sharing` is multiplied by the number of columns, so
    /// that G = sharing·gᵀg/rows = (1/N) Σᵢ Σ_k g_ik g_ikᵀ.
    case ggn
}

/// Per-layer statistics of one linear layer on the current batch.
///
/// Convention (documented once, used by K-FAC and MKOR): `inputs` is N×(in+1)
/// when the layer has a bias — a column of ones appended last (the
/// homogeneous coordinate) — and N×in otherwise; `outputGradients` is N×out,
/// row i the gradient of sample i's *own* loss with respect to the layer's
/// pre-activations. Then the data part of the mean loss has gradient
/// (1/N)·gᵀa with respect to [W | b].
public struct LayerStatistics: Sendable {
    /// The statistics of one linear layer.
    public struct Layer: Sendable {
        public let name: String
        /// The block holding W (shape [out, in]).
        public let weight: ParameterBlock
        /// The block holding b (shape [out]), if any.
        public let bias: ParameterBlock?
        /// a: N×(in + 1 if bias).
        public var inputs: Matrix
        /// g: N×out.
        public var outputGradients: Matrix
        /// How many time steps / positions share these weights (1 for a plain MLP).
        /// With R = the rows of `inputs`, K-FAC forms A = aᵀa/R and
        /// G = sharing·gᵀg/R: for weights shared over T positions (R = N·T rows)
        /// that is the Kronecker approximation T·Ā⊗Ḡ of Martens, Ba & Johnson
        /// (ICLR 2018, independence across positions); exact-GGN rows multiply it
        /// by the number of square-root columns (see ``TargetMode/ggn``).
        public var sharing: Int

        public init(name: String, weight: ParameterBlock, bias: ParameterBlock?, inputs: Matrix,
                    outputGradients: Matrix, sharing: Int = 1) {
            self.name = name
            self.weight = weight
            self.bias = bias
            self.inputs = inputs
            self.outputGradients = outputGradients
            self.sharing = sharing
        }
    }
    public var layers: [Layer]
    /// Number of samples N.
    public var batchSize: Int
    /// Forward/backward passes the statistics cost (1; exact-GGN statistics of
    /// a C-class softmax cost C backward passes). The ``Oracle`` counts this
    /// many gradient evaluations.
    public var passes: Int

    public init(layers: [Layer], batchSize: Int, passes: Int = 1) {
        self.layers = layers
        self.batchSize = batchSize
        self.passes = passes
    }
}

/// A function to minimise, with the derivatives it can provide.
///
/// Problems are classes: learning problems keep workspaces and the current
/// minibatch between calls. The harness builds one instance per run, so an
/// instance is never shared between threads. Optional capabilities have
/// default implementations that throw ``ObjectiveError/unsupported(_:problem:)``.
public protocol Objective: AnyObject {
    /// The canonical spec string of this instance, e.g. `rosenbrock(d=6)`.
    var name: String { get }
    var dimension: Int { get }
    var layout: ParameterLayout { get }
    var capabilities: Capabilities { get }
    /// x0 (for seeded starts, drawn when the instance was made).
    var initialPoint: [Double] { get }
    var knownMinimum: KnownMinimum? { get }

    /// f(x) on the current batch (full-batch problems: the objective itself).
    func value(at x: [Double]) throws -> Double
    /// Writes ∇f(x) into `gradient` (resized if needed) and returns f(x).
    func gradient(at x: [Double], into gradient: inout [Double]) throws -> Double

    /// The dense Hessian.
    func hessian(at x: [Double]) throws -> Matrix
    /// ∇²f(x)·v into `result`.
    func hessianVectorProduct(at x: [Double], _ v: [Double], into result: inout [Double]) throws
    /// Layer statistics on the current batch; `seed` drives sampled targets.
    func layerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws -> LayerStatistics
    /// ∇f(x) into `gradient` and the layer statistics at the same x, with
    /// the same results as ``layerStatistics(at:targets:seed:)`` followed by
    /// ``gradient(at:into:)``. Networks override it to share the forward
    /// pass (and, for empirical targets, the backward pass) between the two.
    func gradientAndLayerStatistics(at x: [Double], into gradient: inout [Double], targets: TargetMode,
                                    seed: UInt64) throws -> (value: Double, statistics: LayerStatistics)
    /// ∇ of the mean loss (without the regulariser) on the current batch with
    /// labels drawn from the model's own predictive distribution at x, seeded
    /// by `seed` (capability `.sampledLabels`): Sophia-G's Gauss–Newton–Bartlett
    /// estimator B·ĝ⊙ĝ needs it. Returns B, the number of labels the loss
    /// averages over (tokens for a language model).
    func sampledLabelGradient(at x: [Double], seed: UInt64, into gradient: inout [Double]) throws -> Int
    /// A dense curvature matrix that approximates the Hessian (capability
    /// `.curvature` for ``CurvatureKind/ggn``, `.fisher` for ``CurvatureKind/fisher``).
    func curvatureMatrix(_ kind: CurvatureKind, at x: [Double]) throws -> Matrix

    /// The full (all training rows, noise-free) objective, as logged in traces.
    func fullValue(at x: [Double]) throws -> Double
    /// Called by the harness before step `step` (0-based): minibatch problems select its batch.
    func beginStep(_ step: Int)
    /// A held-out metric (test accuracy for learning problems), or nil.
    func testMetric(at x: [Double]) -> Double?
}

extension Objective {
    public var knownMinimum: KnownMinimum? { nil }

    public func hessian(at x: [Double]) throws -> Matrix {
        throw ObjectiveError.unsupported("a dense Hessian", problem: name)
    }
    public func hessianVectorProduct(at x: [Double], _ v: [Double], into result: inout [Double]) throws {
        throw ObjectiveError.unsupported("Hessian-vector products", problem: name)
    }
    public func layerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws -> LayerStatistics {
        throw ObjectiveError.unsupported("layer statistics", problem: name)
    }
    public func curvatureMatrix(_ kind: CurvatureKind, at x: [Double]) throws -> Matrix {
        throw ObjectiveError.unsupported(kind.label, problem: name)
    }
    public func sampledLabelGradient(at x: [Double], seed: UInt64, into gradient: inout [Double]) throws -> Int {
        throw ObjectiveError.unsupported("gradients on labels sampled from the model", problem: name)
    }
    public func gradientAndLayerStatistics(at x: [Double], into gradient: inout [Double], targets: TargetMode,
                                           seed: UInt64) throws -> (value: Double, statistics: LayerStatistics) {
        let statistics = try layerStatistics(at: x, targets: targets, seed: seed)
        return (try self.gradient(at: x, into: &gradient), statistics)
    }
    public func fullValue(at x: [Double]) throws -> Double { try value(at: x) }
    public func beginStep(_ step: Int) {}
    public func testMetric(at x: [Double]) -> Double? { nil }

    /// ∇f(x) as a new array (convenience for tests and one-off calls).
    public func gradient(at x: [Double]) throws -> [Double] {
        var g = [Double](repeating: 0, count: dimension)
        _ = try gradient(at: x, into: &g)
        return g
    }
}

/// Dense approximations of the Hessian that a problem may provide.
public enum CurvatureKind: String, Sendable, CaseIterable {
    /// The generalised Gauss–Newton matrix JᵀΛJ (least squares: 2JᵀJ).
    case ggn
    /// The empirical Fisher (1/N) Σᵢ ∇ℓᵢ∇ℓᵢᵀ (plus the regulariser's Hessian).
    case fisher

    /// The capability a problem declares when it provides this matrix.
    public var capability: Capabilities { self == .ggn ? .curvature : .fisher }

    /// A phrase for error messages.
    public var label: String { self == .ggn ? "a dense Gauss–Newton matrix" : "a dense empirical Fisher matrix" }
}

/// Objectives whose optimizer-visible values are noisy (`noise=σ`): the
/// ``Oracle`` multiplies f by (1 + σu), u ~ U(−1, 1), fresh per call.
/// Traces log the noise-free value.
public protocol NoisyObjective: Objective {
    /// σ ≥ 0 (0: no noise).
    var relativeNoise: Double { get }
}
