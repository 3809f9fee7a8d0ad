import OptimizationCore
import Optimizers
import RealModule
import Testing

/// The lab's optimizers against trajectories of the official implementations
/// (float64, 200 steps; regenerate with Tests/Reference/make_reference.py).
struct OfficialTrajectoryTests {
    struct Case: CustomStringConvertible, Sendable {
        let spec: String
        let problem: String
        let losses: [Double]
        let finalPoint: [Double]
        var description: String { "\(spec) on \(problem)" }
    }

    static let cases: [Case] = referenceTrajectoryText.split(separator: "\n").map { line in
        let f = line.split(separator: "|", omittingEmptySubsequences: false)
        return Case(spec: String(f[0]), problem: String(f[1]),
                    losses: f[2].split(separator: " ").map { Double($0)! },
                    finalPoint: f[3].split(separator: " ").map { Double($0)! })
    }

    @Test func everyOptimizerHasReferenceCases() {
        let names = Set(Self.cases.map { String($0.spec.prefix { $0 != "(" }) })
        #expect(names == Set(OptimizerCatalog.firstOrderNames))
        #expect(Self.cases.count == 66)
    }

    @Test(arguments: cases)
    func agreesWithOfficialImplementation(_ c: Case) throws {
        let problem = try #require(TestProblem.all.first { $0.name == c.problem })
        let (made, _) = try OptimizerCatalog.shared.make(c.spec)
        var opt = try #require(made as? any GradientOptimizer)
        var x = problem.initialPoint
        var losses = [problem.evaluate(x).0]
        for _ in 0..<200 {
            let g = problem.evaluate(x).1
            opt.update(&x, gradient: g, layout: problem.layout)
            losses.append(problem.evaluate(x).0)
        }
        let lossError = maxRelativeDifference(losses, c.losses)
        let pointError = maxRelativeDifference(x, c.finalPoint)
        #expect(lossError <= 1e-9, "loss trajectory differs by \(lossError)")
        #expect(pointError <= 1e-9, "final point differs by \(pointError)")
    }
}
