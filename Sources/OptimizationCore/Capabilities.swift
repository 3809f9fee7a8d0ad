/// What an objective can compute, beyond its value. Optimizers declare the
/// capabilities they require; the catalog refuses a pairing that lacks one,
/// naming both sides. An objective's set is derived from the protocols it
/// conforms to (``Objective/capabilities``); only `minibatches` and
/// `known_minimum`, which depend on the instance's keys, come from properties.
public struct Capabilities: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// f(x).
    public static let value = Capabilities(rawValue: 1 << 0)
    /// ∇f(x) (with f(x) from the same pass).
    public static let gradient = Capabilities(rawValue: 1 << 1)
    /// The dense Hessian ∇²f(x).
    public static let hessian = Capabilities(rawValue: 1 << 2)
    /// Exact Hessian-vector products ∇²f(x)·v.
    public static let hessianVectorProduct = Capabilities(rawValue: 1 << 3)
    /// Per linear layer: inputs `a` and pre-activation gradients `g` (K-FAC, MKOR).
    public static let layerStatistics = Capabilities(rawValue: 1 << 4)
    /// Stochastic minibatches chosen per step by the harness.
    public static let minibatches = Capabilities(rawValue: 1 << 5)
    /// A known optimal value f* (and x* when unique).
    public static let knownMinimum = Capabilities(rawValue: 1 << 6)
    /// A layered forward pass that can restart from a cached layer: the
    /// objective conforms to ``BlockSequentialObjective`` (ZO2-style
    /// streaming, exact block-wise MeZO, DeepZero feature reuse).
    public static let layered = Capabilities(rawValue: 1 << 7)
    /// A dense generalised Gauss–Newton matrix (`curvatureMatrix(.ggn, at:)`).
    public static let curvature = Capabilities(rawValue: 1 << 8)
    /// A dense empirical Fisher matrix (`curvatureMatrix(.fisher, at:)`).
    public static let fisher = Capabilities(rawValue: 1 << 9)
    /// Gradients on labels sampled from the model (`sampledLabelGradient(at:seed:into:)`, Sophia-G).
    public static let sampledLabels = Capabilities(rawValue: 1 << 10)

    /// Every named capability, in display order.
    public static let all: [(Capabilities, String)] = [
        (.value, "value"), (.gradient, "gradient"), (.hessian, "hessian"),
        (.hessianVectorProduct, "hvp"), (.layerStatistics, "layer_statistics"),
        (.minibatches, "minibatches"), (.knownMinimum, "known_minimum"),
        (.layered, "layered"), (.curvature, "ggn"), (.fisher, "fisher"), (.sampledLabels, "sampled_labels"),
    ]

    /// The names of the capabilities in this set, e.g. `["value", "gradient", "hessian"]`.
    public var names: [String] { Capabilities.all.filter { contains($0.0) }.map(\.1) }

    /// Space-separated names (`value gradient hessian`), as `optlab list` prints them.
    public var description: String { names.joined(separator: " ") }
}

extension Objective {
    /// What this objective provides, derived from its conformances (and, for
    /// `minibatches`, `known_minimum`, a partial dense Hessian and the
    /// curvature kinds, from the instance's own answers): a problem cannot
    /// declare a capability it does not implement.
    public var capabilities: Capabilities {
        var c: Capabilities = .value
        if self is any DifferentiableObjective { c.insert(.gradient) }
        if let h = self as? any HessianObjective, h.providesHessian { c.insert(.hessian) }
        if self is any HessianVectorObjective { c.insert(.hessianVectorProduct) }
        if self is any LayerStatisticsObjective { c.insert(.layerStatistics) }
        if let t = self as? any TrainingObjective, t.usesMinibatches { c.insert(.minibatches) }
        if knownMinimum != nil { c.insert(.knownMinimum) }
        if self is any BlockSequentialObjective { c.insert(.layered) }
        if let m = self as? any CurvatureMatrixObjective {
            for kind in CurvatureKind.allCases where m.provides(kind) { c.insert(kind.capability) }
        }
        if self is any SampledLabelObjective { c.insert(.sampledLabels) }
        return c
    }
}
