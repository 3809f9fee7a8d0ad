import Foundation
import OptimizationCore
@testable import Optimizers
import Testing

@Suite("Nelder–Mead and CMA-ES (spec §11.6)")
struct ZerothOrderComparatorTests {
    /// Queries per iteration and the final state of GSL nmsimplex2 called
    /// directly from C (Tests/Reference/gsl_nmsimplex2_paraboloid.c).
    static let gslQueries = [2, 2, 1, 2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2]

    @Test("NM on the paraboloid: n+1 set-up queries, GSL's per-iteration pattern, size < 1e-2 at iteration 24")
    func nelderMeadParaboloid() throws {
        let objective = ValueObjective("paraboloid", x0: [5, 7]) { x in
            10 * (x[0] - 1) * (x[0] - 1) + 20 * (x[1] - 2) * (x[1] - 2) + 30
        }
        var opt = NelderMead(step: 1, tol: 1e-2)
        var oracle = Oracle(objective)
        var x = objective.initialPoint
        var perIteration: [Int] = []
        var previous = 3   // the initial simplex
        for iteration in 1...100 {
            try opt.step(&x, oracle: &oracle)
            perIteration.append(oracle.counts.function - previous)
            previous = oracle.counts.function
            if opt.lastEvent == "converged" {
                #expect(iteration == 24)
                break
            }
        }
        #expect(perIteration == Self.gslQueries)
        #expect(perIteration.allSatisfy { [1, 2, 4].contains($0) })
        // The vertices go through BLAS daxpy/dscal; OpenBLAS picks its kernel (FMA or not) by CPU,
        // so the last bits differ between machines (measured 6e-15 apart): compare to 1e-12.
        for (a, b) in zip(x, [0.99204308493062299, 1.9969168063252665]) { #expect(abs(a - b) <= 1e-12 * abs(b), "\(x)") }
        // The size is an incrementally updated sum of squares through BLAS (OpenBLAS here,
        // gslcblas in the C reference) with cancellation: measured 2e-12 relative apart.
        #expect(abs(opt.simplexSize! - 0.0079586570377348474) < 1e-10 * 0.008)
        #expect(oracle.counts.function == 3 + Self.gslQueries.reduce(0, +))
        #expect(objective.calls == oracle.counts.function, "every query goes through the oracle")
    }

    @Test("NM refuses a start where f is not finite, with a one-line reason")
    func nelderMeadBadStart() {
        let objective = ValueObjective("nan", x0: [0, 0]) { _ in .nan }
        var opt = NelderMead()
        var oracle = Oracle(objective)
        var x = objective.initialPoint
        #expect(throws: (any Error).self) { try opt.step(&x, oracle: &oracle) }
        do { try opt.step(&x, oracle: &oracle) } catch {
            #expect("\(error)" == "nelder_mead: f is not finite at a vertex of the initial simplex")
        }
    }

    @Test("CMA-ES default constants match spec §9.2 to 1e-6")
    func cmaesConstants() {
        let two = CMAESConstants(dimension: 2)
        #expect(two.lambda == 6 && two.mu == 3)
        for (a, b) in zip(two.weights, [0.637043, 0.284570, 0.078387]) { #expect(abs(a - b) < 1e-6) }
        for (a, b) in zip([two.muEff, two.cSigma, two.dSigma, two.cC, two.c1, two.cMu, two.chiN],
                          [2.028611, 0.446205, 1.446205, 0.624555, 0.154815, 0.057859, 1.254273]) {
            #expect(abs(a - b) < 1e-6, "\(a) vs \(b)")
        }
        let ten = CMAESConstants(dimension: 10)
        #expect(ten.lambda == 10 && ten.mu == 5)
        for (a, b) in zip(ten.weights, [0.456273, 0.270753, 0.162231, 0.085234, 0.025510]) { #expect(abs(a - b) < 1e-6) }
        for (a, b) in zip([ten.muEff, ten.cSigma, ten.dSigma, ten.cC, ten.c1, ten.cMu, ten.chiN],
                          [3.167299, 0.284429, 1.284429, 0.294990, 0.015284, 0.020154, 3.084727]) {
            #expect(abs(a - b) < 1e-6, "\(a) vs \(b)")
        }
        #expect(abs(ten.weights.reduce(0, +) - 1) < 1e-15)
    }

    @Test("CMA-ES: λ queries per generation, solves a rotated ellipsoid, reproducible by seed")
    func cmaesRuns() throws {
        let objective = ValueObjective("ellipsoid", x0: [3, -2, 1, 4]) { x in
            let u = [x[0] + x[1], x[1] - x[2], x[2] + 0.5 * x[3], x[3]]
            return (0..<4).reduce(0) { $0 + pow(10, Double($1)) * (u[$1] - 1) * (u[$1] - 1) }
        }
        func run(_ seed: UInt64) throws -> ([Double], Double, Int) {
            var opt = CMAES(sigma: 1, seed: seed)
            var oracle = Oracle(objective)
            var x = objective.initialPoint
            for g in 1...400 where !opt.isStagnant {
                try opt.step(&x, oracle: &oracle)
                #expect(oracle.counts.function == 8 * g)
            }
            return (x, try objective.value(at: x), oracle.counts.function)
        }
        let (x, f, _) = try run(11)
        #expect(f < 1e-12, "f = \(f) at \(x)")
        #expect(try run(11).0 == x)
        #expect(try run(12).0 != x)
    }

    @Test("CMA-ES past machine precision: the iterate stays finite at the best point, no more queries")
    func cmaesStagnation() throws {
        let objective = ValueObjective("sphere", x0: [1, -1]) { x in (x[0] - 0.5) * (x[0] - 0.5) + x[1] * x[1] }
        var opt = CMAES(sigma: 0.5, seed: 3)
        var oracle = Oracle(objective)
        var x = objective.initialPoint
        var generations = 0
        while !opt.isStagnant && generations < 5000 {
            try opt.step(&x, oracle: &oracle)
            generations += 1
        }
        #expect(opt.isStagnant && opt.lastEvent == "stagnated")
        #expect(x.allSatisfy(\.isFinite) && abs(x[0] - 0.5) < 1e-8 && abs(x[1]) < 1e-8, "\(x)")
        let used = oracle.counts.function
        try opt.step(&x, oracle: &oracle)
        #expect(oracle.counts.function == used)
    }
}
