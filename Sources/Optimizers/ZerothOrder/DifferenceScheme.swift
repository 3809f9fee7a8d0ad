/// Which difference quotient a zeroth-order estimate uses (spec §2.3).
///
/// Forward differences share one base value f(x) among all queries of an
/// estimate (q + 1 or |S| + 1 queries) and carry an O(μ) bias; central
/// differences cost two queries per direction or coordinate and carry an
/// O(μ²) bias (exact on quadratics up to rounding).
public enum DifferenceScheme: String, Sendable, CaseIterable {
    /// (f(x + μw) − f(x)) / μ.
    case forward
    /// (f(x + μw) − f(x − μw)) / (2μ).
    case central
}

/// The outcome of one gradient estimate.
public struct EstimateOutcome: Sendable, Equatable {
    /// Oracle value queries the estimate made.
    public var queries: Int
    /// f(x) when the estimate evaluated it (forward differences), else nil.
    public var baseValue: Double?
    /// False when any query returned a non-finite value: the estimate must not be used.
    public var isFinite: Bool

    public init(queries: Int, baseValue: Double?, isFinite: Bool) {
        self.queries = queries
        self.baseValue = baseValue
        self.isFinite = isFinite
    }
}
