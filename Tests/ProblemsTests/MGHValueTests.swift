import LinearAlgebra
import OptimizationCore
import RealModule
import Testing
@testable import Problems

/// MGH values: f(x0), f at exact minimisers, and the minimum values of
/// benchmarking.md §8.1 reproduced by Levenberg–Marquardt from x0.
@Suite struct MGHValueTests {
    typealias S = AnalyticTestSupport

    /// f(x0) at the default keys. Exactly derivable values (24.2, 400.5,
    /// 14.203125, 2500, 215, 19192, 30, 21, 50, …) check the definitions; the
    /// rest agree with the values MGH and funconstrain print to their digits.
    static let initialValues: [(String, Double)] = [
        ("rosenbrock", 24.2), ("freudenstein_roth", 400.5), ("powell_badly_scaled", 1.13526171734838),
        ("brown_badly_scaled", 999998000003.000004), ("beale", 14.203125), ("jennrich_sampson", 4171.30616196049),
        ("helical_valley", 2500), ("bard", 41.681695861678), ("gaussian", 3.88810699116689e-6),
        ("meyer", 1693607809.43615), ("gulf", 4.13038668610486), ("box3d", 1031.15381060940),
        ("powell_singular", 215), ("wood", 19192), ("kowalik_osborne", 5.31317227210854e-3),
        ("brown_dennis", 7926693.33699743), ("osborne1", 0.879026293544641), ("biggs_exp6", 0.77907007565597),
        ("osborne2", 2.09341951421207), ("watson", 30), ("extended_rosenbrock", 121), ("extended_powell", 645),
        ("penalty1", 148032.56535), ("penalty1(n=4)", 885.06264), ("penalty2(n=4)", 2.34000880546302),
        ("variably_dimensioned", 2198551.1625), ("trigonometric", 7.07575946622284e-3),
        ("brown_almost_linear", 273.248047828674), ("discrete_boundary_value", 7.88519101264823e-4),
        ("discrete_integral_equation", 6.34168415794527e-2), ("broyden_tridiagonal", 21), ("broyden_banded", 360),
        ("linear_full_rank", 50), ("linear_rank1", 8658670), ("linear_rank1_zero", 4067996),
        ("chebyquad", 3.86176982859303e-2),
    ]

    @Test func everyMGHProblemHasAnInitialValueCheck() {
        let mgh = ProblemCatalog.shared.descriptors.filter { $0.family == "mgh" }.map(\.name)
        #expect(mgh.count == 35)
        let checked = Set(Self.initialValues.map { $0.0.prefix { $0 != "(" } }.map(String.init))
        #expect(Set(mgh).subtracting(checked).isEmpty, "unchecked: \(Set(mgh).subtracting(checked))")
    }

    @Test(arguments: initialValues)
    func initialValue(_ spec: String, _ expected: Double) throws {
        let p = try S.make(spec)
        let f = try p.value(at: p.initialPoint)
        #expect(abs(f - expected) <= 1e-12 * abs(expected), "\(spec): f(x0) = \(f), expected \(expected)")
    }

    /// Exact minimisers: f(x*) = f*.
    static let exactMinimizers: [(String, [Double], Double)] = [
        ("rosenbrock", [1, 1], 0), ("rosenbrock(d=6)", [1, 1, 1, 1, 1, 1], 0),
        ("freudenstein_roth", [5, 4], 0), ("brown_badly_scaled", [1e6, 2e-6], 0), ("beale", [3, 0.5], 0),
        ("helical_valley", [1, 0, 0], 0), ("gulf", [50, 25, 1.5], 0), ("box3d", [1, 10, 1], 0),
        ("box3d", [10, 1, -1], 0), ("box3d", [2, 2, 0], 0), ("powell_singular", [0, 0, 0, 0], 0),
        ("wood", [1, 1, 1, 1], 0), ("biggs_exp6", [1, 10, 1, 5, 4, 3], 0), ("biggs_exp6", [4, 10, 3, 5, 1, 1], 0),
        ("variably_dimensioned", [Double](repeating: 1, count: 10), 0),
        ("extended_rosenbrock", [Double](repeating: 1, count: 10), 0),
        ("extended_powell", [Double](repeating: 0, count: 12), 0),
        ("linear_full_rank", [Double](repeating: -1, count: 10), 10),
        ("brown_almost_linear", [0, 0, 0, 0, 0, 0, 0, 0, 0, 11], 1),
    ]

    @Test(arguments: exactMinimizers)
    func valueAtExactMinimizer(_ spec: String, _ x: [Double], _ expected: Double) throws {
        let p = try S.make(spec)
        let f = try p.value(at: x)
        #expect(abs(f - expected) <= 1e-12 * max(1, abs(expected)), "\(spec) at \(x): \(f)")
        if let km = p.knownMinimum {
            #expect(km.value == expected || km.otherLocalValues.contains(expected), "\(spec): declared \(km)")
        }
    }

    /// Levenberg–Marquardt from x0 (as in benchmarking.md §8.1) reaches the
    /// declared value, to the digits given there.
    static let minimumValues: [(String, Double, Int)] = [
        ("freudenstein_roth", 48.9842, 6), ("powell_badly_scaled", 0, 0), ("jennrich_sampson", 124.362, 6),
        ("bard", 8.21487e-3, 6), ("gaussian", 1.12793e-8, 6), ("meyer", 87.9458, 6), ("box3d", 0, 0),
        ("kowalik_osborne", 3.07505e-4, 6), ("brown_dennis", 85822.2, 6), ("osborne1", 5.46489e-5, 6),
        ("osborne2", 4.01377e-2, 6), ("watson", 2.28767e-3, 6), ("watson(n=9)", 1.39976e-6, 6),
        ("watson(n=12)", 4.72238e-10, 6), ("penalty1(n=4)", 2.24997e-5, 6), ("penalty1", 7.08765e-5, 6),
        ("penalty2(n=4)", 9.37629e-6, 6), ("penalty2", 2.93660e-4, 6), ("variably_dimensioned", 0, 0),
        ("brown_almost_linear", 0, 0), ("discrete_boundary_value", 0, 0), ("discrete_integral_equation", 0, 0),
        ("broyden_tridiagonal", 0, 0), ("broyden_banded", 0, 0), ("linear_full_rank", 10, 10),
        ("linear_rank1", 4.634146, 7), ("linear_rank1_zero", 6.135135, 7), ("chebyquad", 3.51687e-3, 6),
        ("chebyquad(n=7)", 0, 0), ("chebyquad(n=10)", 6.50395e-3, 6), ("biggs_exp6", 0, 0),
    ]

    @Test(arguments: minimumValues)
    func levenbergMarquardtReachesTheDeclaredMinimum(_ spec: String, _ value: Double, _ digits: Int) throws {
        let p = try S.make(spec)
        let ls = try #require(p.function as? any LeastSquaresFunction)
        let (_, f) = S.levenbergMarquardt(ls, from: p.initialPoint)
        if value == 0 {
            #expect(f <= 1e-20, "\(spec): LM stopped at \(f)")
        } else {
            // Agreement to `digits` significant digits. The printed values are
            // truncated, not rounded (48.98425… is printed 48.9842), so one
            // unit in the last printed place.
            let tol = Double.pow(10, (Double.log10(abs(value))).rounded(.down) - Double(digits - 1))
            #expect(abs(f - value) <= tol, "\(spec): LM value \(f) vs \(value) (±\(tol))")
        }
        let km = try #require(p.knownMinimum)
        let declared = [km.value] + km.otherLocalValues
        #expect(declared.contains { abs($0 - f) <= 1e-5 * max(abs($0), 1e-20) || (f <= 1e-20 && $0 == 0) },
                "\(spec): LM value \(f) is not among the declared \(declared)")
    }

    @Test func chainedRosenbrockDeclaresItsLocalMinimum() throws {
        #expect(ChainedRosenbrock.localMinimumValue(dimension: 3) == nil)
        let v4 = try #require(ChainedRosenbrock.localMinimumValue(dimension: 4))
        let v10 = try #require(ChainedRosenbrock.localMinimumValue(dimension: 10))
        #expect(abs(v4 - 3.7014) <= 5e-5)
        #expect(abs(v10 - 3.9866) <= 5e-5)
        let p = try S.make("rosenbrock(d=10)")
        #expect(p.knownMinimum?.otherLocalValues == [v10])
        #expect(p.initialPoint == [-1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1])
    }

    @Test func instancesScaleOrPerturbTheStandardStart() throws {
        let x0 = try S.make("wood").initialPoint
        #expect(try S.make("wood(instance=10x0)").initialPoint == x0.map { 10 * $0 })
        let r1 = try S.make("wood(instance=random)", seed: 3).initialPoint
        let r2 = try S.make("wood(instance=random)", seed: 3).initialPoint
        let r3 = try S.make("wood(instance=random)", seed: 4).initialPoint
        #expect(r1 == r2)
        #expect(r1 != r3)
        // x0 + 0.1‖x0‖·N(0, I)/√n: the perturbation has the expected size on average.
        var total = 0.0
        for seed in 0..<200 {
            let r = try S.make("wood(instance=random)", seed: UInt64(seed)).initialPoint
            total += zip(r, x0).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        }
        let expected = 0.01 * x0.map { $0 * $0 }.reduce(0, +)
        #expect(abs(total / 200 - expected) <= 0.25 * expected)
    }

    /// The second-order report's starts: chained Rosenbrock takes `instance` too.
    @Test func chainedRosenbrockHasRandomInstances() throws {
        let x0 = try S.make("rosenbrock(d=40)").initialPoint
        let r = try S.make("rosenbrock(d=40,instance=random)", seed: 2).initialPoint
        #expect(r.count == 40 && r != x0)
        #expect(r == (try S.make("rosenbrock(d=40,instance=random)", seed: 2).initialPoint))
        let moved = zip(r, x0).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let scale = x0.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(moved > 0.02 * scale && moved < 0.3 * scale)   // 0.1‖x0‖·‖N(0, I)‖/√n ≈ 0.1‖x0‖
    }
}
