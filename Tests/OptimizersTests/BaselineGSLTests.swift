import OptimizationCore
import Optimizers
import Problems
import Testing

/// (method, problem, steps, gap): GSL's minimisers on MGH problems they solve
/// from the standard start (f* = 0 for all of these). bfgs2 needs 239 iterations on Wood.
private let gslCases: [(String, String, Int, Double)] = [
    ("gsl_bfgs2", "rosenbrock", 100, 1e-12), ("gsl_bfgs2", "beale", 100, 1e-12),
    ("gsl_bfgs2", "wood", 300, 1e-12), ("gsl_bfgs2", "helical_valley", 100, 1e-12),
    ("gsl_cg_pr", "rosenbrock", 500, 1e-10), ("gsl_cg_fr", "beale", 500, 1e-10),
    ("gsl_cg_pr", "helical_valley", 500, 1e-10),
    ("gsl_steepest_descent", "quadratic(d=5,cond=10)", 500, 1e-10),
]

@Test(arguments: gslCases)
func gslBaselineReachesKnownMinimum(_ method: String, _ problem: String, _ steps: Int, _ tolerance: Double) throws {
    let r = try runOptimizer(method, on: problem, steps: steps, stopBelow: tolerance)
    #expect(r.gaps.last! <= tolerance, "\(method) on \(problem): gap \(r.gaps.last!) after \(r.gaps.count - 1) steps")
    #expect(r.counts.hessian == 0)
}

@Test func gslCallsAreCountedByTheOracle() throws {
    // Count the objective's calls independently and compare with the oracle's counts.
    let (problem, _) = try ProblemCatalog.shared.make("rosenbrock", seed: 0)
    let counting = CountingObjective(try #require(problem as? any DifferentiableObjective))
    let r = try run(GSLMultiminOptimizer(method: .bfgs2), on: counting, steps: 10, stopBelow: -1)
    #expect(r.counts.function + r.counts.gradient == counting.calls - 11)   // minus the 11 logged values
    #expect(r.counts.gradient >= 10)
}

/// Forwards to an objective and counts every value/gradient call.
final class CountingObjective: DifferentiableObjective {
    let inner: any DifferentiableObjective
    var calls = 0
    init(_ inner: any DifferentiableObjective) { self.inner = inner }
    var name: String { inner.name }
    var dimension: Int { inner.dimension }
    var layout: ParameterLayout { inner.layout }
    var initialPoint: [Double] { inner.initialPoint }
    var knownMinimum: KnownMinimum? { inner.knownMinimum }
    func value(at x: [Double]) throws -> Double { calls += 1; return try inner.value(at: x) }
    func gradient(at x: [Double], into g: inout [Double]) throws -> Double { calls += 1; return try inner.gradient(at: x, into: &g) }
}
