import OptimizationCore
import Optimizers
import Problems
import Foundation
import Testing

/// CMA-ES's pycma termination criteria and IPOP/BIPOP restarts; Nelder–Mead restarts.
@Suite struct RestartTests {
    /// Runs `spec` on `problem` for at most `evaluations` queries; returns the restart events and the oracle.
    static func run(_ spec: String, on problem: String, evaluations: Int, seed: UInt64 = 1)
        throws -> (events: [String], oracle: Oracle, best: Double, fStar: Double) {
        let (objective, _) = try ProblemCatalog.shared.make(problem)
        var (optimizer, _) = try OptimizerCatalog.shared.make(spec, seed: seed)
        var oracle = Oracle(objective, seed: seed)
        var x = objective.initialPoint
        var events: [String] = []
        var steps = 0
        while oracle.counts.function < evaluations && steps < 100_000 {
            let before = oracle.counts.function
            try optimizer.step(&x, oracle: &oracle)
            if let e = optimizer.lastEvent { events.append(e) }
            steps += 1
            if oracle.counts.function == before && (optimizer.lastEvent ?? "").hasPrefix("stagnated") { break }
        }
        oracle.trackQueries(optimum: 0, gaps: [])   // (only to read counts below)
        return (events, oracle, 0, objective.knownMinimum!.value)
    }

    @Test func hansenStopsEndASphereRunNearTheOptimum() throws {
        let (objective, _) = try ProblemCatalog.shared.make("bbob(f=1,d=5)")
        var opt = CMAES(sigma: 2, stop: .hansen, seed: 3)
        var oracle = Oracle(objective)
        var x = objective.initialPoint
        var generations = 0
        while !opt.isStagnant && generations < 5000 { try opt.step(&x, oracle: &oracle); generations += 1 }
        let event = try #require(opt.lastEvent)
        #expect(event.hasPrefix("stagnated:tol"), "\(event)")
        let gap = try objective.value(at: x) - objective.knownMinimum!.value
        #expect(gap >= 0 && gap < 1e-8, "gap \(gap) after \(generations) generations")
        // pycma stops the 5-D sphere after about 1,000–1,500 evaluations at tolfun 1e-11.
        #expect((500...3000).contains(oracle.counts.function), "\(oracle.counts.function) evaluations")
    }

    @Test func ipopDoublesThePopulationAtEachRestart() throws {
        let r = try Self.run("cmaes(restarts=ipop,sigma=2)", on: "bbob(f=15,d=3)", evaluations: 30_000)
        let restarts = r.events.filter { $0.hasPrefix("restart:") }
        #expect(restarts.count >= 3, "\(restarts)")
        // λ₀ = 4 + ⌊3 ln 3⌋ = 7: then 14, 28, 56, …
        for (k, e) in restarts.enumerated() {
            #expect(e.hasPrefix("restart:\(k + 1):ipop:popsize=\(7 << (k + 1)):"), "\(e)")
        }
        let again = try Self.run("cmaes(restarts=ipop,sigma=2)", on: "bbob(f=15,d=3)", evaluations: 30_000)
        #expect(again.events == r.events)
    }

    @Test func ipopStopsAfterMaxRestarts() throws {
        let r = try Self.run("cmaes(restarts=ipop,max_restarts=2,sigma=2)", on: "bbob(f=3,d=2)", evaluations: 1_000_000)
        #expect(r.events.filter { $0.hasPrefix("restart:") }.count == 2)
        #expect(r.events.last?.hasPrefix("stagnated") == true)
    }

    @Test func bipopAlternatesSmallAndLargeRegimes() throws {
        let r = try Self.run("cmaes(restarts=bipop,sigma=2)", on: "bbob(f=15,d=3)", evaluations: 60_000)
        let restarts = r.events.filter { $0.hasPrefix("restart:") }
        let large = restarts.filter { $0.contains(":large:") }, small = restarts.filter { $0.contains(":small:") }
        #expect(!large.isEmpty && !small.isEmpty, "\(restarts)")
        // The first restart is large (the first run counts as small); large runs double λ.
        #expect(restarts.first?.hasPrefix("restart:1:large:popsize=14:") == true, "\(restarts)")
        for (k, e) in large.enumerated() { #expect(e.contains(":popsize=\(7 << (k + 1)):"), "\(e)") }
        // Small runs use λ between λ₀ and λ₀·2^k.
        for e in small {
            let lambda = Int(e.split(separator: ":")[3].dropFirst("popsize=".count))!
            #expect(lambda >= 7 && lambda <= 7 << large.count, "\(e)")
        }
    }

    @Test func nelderMeadRestartsFromItsBestVertex() throws {
        let r = try Self.run("nelder_mead(restarts=3)", on: "bbob(f=1,d=2)", evaluations: 5_000)
        #expect(r.events.filter { $0.hasPrefix("restart:") } == ["restart:1", "restart:2", "restart:3"])
        let none = try Self.run("nelder_mead", on: "bbob(f=1,d=2)", evaluations: 5_000)
        #expect(!none.events.contains { $0.hasPrefix("restart:") })
    }
}

/// The active covariance update (negative weights).
@Suite struct ActiveCMATests {
    @Test func negativeWeightsFollowTheTutorial() {
        let k = CMAESConstants(dimension: 2)   // λ = 6, μ = 3
        let w = k.negativeWeights
        #expect(w.count == 3 && w.allSatisfy { $0 < 0 } && w[0] > w[1] && w[1] > w[2])
        let raw = (4...6).map { log(3.5) - log(Double($0)) }
        let sumAbs = raw.reduce(0) { $0 + abs($1) }
        let muEffMinus = sumAbs * sumAbs / raw.reduce(0) { $0 + $1 * $1 }
        let alpha = min(1 + k.c1 / k.cMu, 1 + 2 * muEffMinus / (k.muEff + 2), (1 - k.c1 - k.cMu) / (2 * k.cMu))
        #expect(abs(w.reduce(0, +) + alpha) < 1e-14)
        #expect(abs(alpha - 2.2073) < 1e-3)   // 1 + 2μ_eff⁻/(μ_eff + 2) is the smallest of the three here
    }

    @Test func activeUpdateLearnsAnEllipsoidFaster() throws {
        func evaluations(_ active: Bool) throws -> Int {
            let (objective, _) = try ProblemCatalog.shared.make("bbob(f=10,d=5)")
            var opt = CMAES(sigma: 2, stop: .hansen, seed: 5)
            if active { opt = try #require(OptimizerCatalog.shared.make("cmaes(active=true,sigma=2,stop=hansen)", seed: 5).0 as? CMAES) }
            var oracle = Oracle(objective)
            oracle.trackQueries(optimum: objective.knownMinimum!.value, gaps: [1e-8])
            var x = objective.initialPoint
            while oracle.queries.hits.isEmpty && !opt.isStagnant && oracle.counts.function < 50_000 {
                try opt.step(&x, oracle: &oracle)
            }
            return try #require(oracle.queries.hits.first).evaluation
        }
        let (plain, active) = (try evaluations(false), try evaluations(true))
        #expect(Double(active) < 0.9 * Double(plain), "active \(active), positive weights only \(plain)")
    }
}
