import LinearAlgebra

/// An objective with a gradient (capability `gradient`).
public protocol DifferentiableObjective: Objective {
    /// Writes ∇f(x) into `gradient` (resized if needed) and returns f(x).
    func gradient(at x: [Double], into gradient: inout [Double]) throws -> Double
}

extension DifferentiableObjective {
    /// ∇f(x) as a new array (convenience for tests and one-off calls).
    public func gradient(at x: [Double]) throws -> [Double] {
        var g = [Double](repeating: 0, count: dimension)
        _ = try gradient(at: x, into: &g)
        return g
    }
}

/// An objective with a dense Hessian (capability `hessian`).
public protocol HessianObjective: DifferentiableObjective {
    /// Whether this instance forms the dense Hessian. True unless the type
    /// serves several models of which only some have one (a classification
    /// problem: linear models only); then ``hessian(at:)`` throws
    /// ``ObjectiveError/unsupported(_:problem:)`` when it is false.
    var providesHessian: Bool { get }
    /// ∇²f(x).
    func hessian(at x: [Double]) throws -> Matrix
}

extension HessianObjective {
    public var providesHessian: Bool { true }
}

/// An objective with exact Hessian-vector products (capability `hvp`).
public protocol HessianVectorObjective: DifferentiableObjective {
    /// ∇²f(x)·v into `result`.
    func hessianVectorProduct(at x: [Double], _ v: [Double], into result: inout [Double]) throws
}

/// An objective that differentiates the loss on labels drawn from the
/// model's own predictive distribution (capability `sampled_labels`).
public protocol SampledLabelObjective: DifferentiableObjective {
    /// ∇ of the mean loss (without the regulariser) on the current batch with
    /// labels drawn from the model's own predictive distribution at x, seeded
    /// by `seed`: Sophia-G's Gauss–Newton–Bartlett estimator B·ĝ⊙ĝ needs it.
    /// Returns B, the number of labels the loss averages over (tokens for a
    /// language model).
    func sampledLabelGradient(at x: [Double], seed: UInt64, into gradient: inout [Double]) throws -> Int
}

/// An objective with dense curvature matrices that approximate the Hessian
/// (capabilities `ggn` and `fisher`).
public protocol CurvatureMatrixObjective: Objective {
    /// Whether this instance forms `kind` (a least-squares function has a
    /// Gauss–Newton matrix, a linear classifier both; other instances of the
    /// same type may have none). ``curvatureMatrix(_:at:)`` throws
    /// ``ObjectiveError/unsupported(_:problem:)`` for a kind it does not provide.
    func provides(_ kind: CurvatureKind) -> Bool
    /// The dense matrix of `kind` at x.
    func curvatureMatrix(_ kind: CurvatureKind, at x: [Double]) throws -> Matrix
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

