import OptimizationCore

/// A classic multimodal or global test function (benchmarking.md §8.3):
/// a generic definition plus its search domain, global minimum and, where
/// the literature has one, a customary start (otherwise starts are drawn
/// uniformly in the domain from the run's seed).
public protocol GlobalFunction: GenericFunction {
    /// The search box, one interval per coordinate.
    var domain: [ClosedRange<Double>] { get }
    var globalMinimum: KnownMinimum { get }
    /// A customary x0, or nil (then the start is seeded uniform in the domain).
    var customaryStart: [Double]? { get }
}

extension GlobalFunction {
    public var customaryStart: [Double]? { nil }
}

/// The same interval for every coordinate.
func box(_ d: Int, _ lo: Double, _ hi: Double) -> [ClosedRange<Double>] {
    [ClosedRange<Double>](repeating: lo...hi, count: d)
}
