import RealModule
import OptimizationCore

/// One problem of Moré, Garbow & Hillstrom (1981), "Testing unconstrained
/// optimization software", ACM TOMS 7(1):17–41, as f = Σ rᵢ² (no ½), with
/// its standard start and the minima of benchmarking.md §8.1.
public protocol MGHFunction: LeastSquaresFunction {
    /// The standard x0 of the paper.
    var standardStart: [Double] { get }
    /// f* (and x* when unique), plus declared local values, where known for this n and m.
    var knownMinimum: KnownMinimum? { get }
}
