import OptimizationCore
import Optimizers
import Problems
import RealModule
import OptimizerTestTable
import Testing

/// The lab's optimizers against trajectories of the official implementations
/// (float64, 200 steps; regenerate with Tests/Reference/make_reference.py and
/// make_reference_torchoptim.py and make_reference_adaptive.py). The loss column is
/// taken at the optimizer's evaluation point (Schedule-Free: x, not the iterate
/// y), the final point is the iterate.
struct OfficialTrajectoryTests {
    struct Case: CustomStringConvertible, Sendable {
        let spec: String
        let problem: String
        let losses: [Double]
        let finalPoint: [Double]
        var description: String { "\(spec) on \(problem)" }
    }

    /// Every generated constant, one case per line.
    static let allReferenceText = [referenceTrajectoryText, referenceTrajectoryTorchOptimText, referenceTrajectoryTextAdaptive].joined(separator: "\n")

    static let cases = parse(allReferenceText)

    /// The generated files' lines: `spec|problem|losses after 0…200 steps|final point`.
    static func parse(_ text: String) -> [Case] {
        text.split(separator: "\n").map { line in
            let f = line.split(separator: "|", omittingEmptySubsequences: false)
            return Case(spec: String(f[0]), problem: String(f[1]),
                        losses: f[2].split(separator: " ").map { Double($0)! },
                        finalPoint: f[3].split(separator: " ").map { Double($0)! })
        }
    }

    /// Problems with matrix-shaped blocks (from the Problems catalog, made
    /// fresh per case: an objective keeps workspaces), for the methods that
    /// treat blocks with two or more dimensions differently.
    static let matrixProblemNames: Set<String> = ["softmax(data=digits)"]
    static let matrixAwareMethods = Set(FirstOrderTable.rows.filter(\.matrixAware).map(\.name))

    static func problem(named name: String) -> TestProblem? {
        matrixProblemNames.contains(name) ? TestProblem.learning(name) : TestProblem.all.first { $0.name == name }
    }

    @Test func everyOptimizerHasReferenceCases() {
        let name = { (c: Case) in String(c.spec.prefix { $0 != "(" }) }
        #expect(Set(Self.cases.map(name)) == OptimizerTable.names(.officialTrajectories))
        // Every method runs on all three analytic problems; the matrix-aware ones also on a matrix problem.
        let analytic = Set(TestProblem.all.map(\.name))
        for (method, cases) in Dictionary(grouping: Self.cases, by: name) {
            let problems = Set(cases.map(\.problem))
            #expect(problems.isSubset(of: analytic.union(Self.matrixProblemNames)), "\(method): unknown problem")
            #expect(problems.isSuperset(of: analytic), "\(method): \(problems)")
            if Self.matrixAwareMethods.contains(method) {
                #expect(!problems.isDisjoint(with: Self.matrixProblemNames), "\(method) needs a matrix problem")
            }
        }
        // One case per line of the generated constants, no duplicates.
        let lines = Self.allReferenceText.split(separator: "\n").count
        #expect(Self.cases.count == lines && Set(Self.cases.map { "\($0.spec)|\($0.problem)" }).count == lines)
    }

    @Test(arguments: cases)
    func agreesWithOfficialImplementation(_ c: Case) throws {
        let problem = try #require(Self.problem(named: c.problem))
        let (made, _) = try OptimizerCatalog.shared.make(c.spec)
        var opt = try #require(made as? any GradientOptimizer)
        var x = problem.initialPoint
        var losses = [problem.evaluate(x).0]
        #expect(relativelyClose(losses[0], c.losses[0], 1e-12), "f(x0) = \(losses[0]) vs \(c.losses[0])")
        for _ in 0..<200 {
            let g = problem.evaluate(x).1
            opt.update(&x, gradient: g, layout: problem.layout)
            losses.append(problem.evaluate(opt.evaluationPoint(x)).0)
        }
        let lossError = maxRelativeDifference(losses, c.losses)
        let pointError = maxRelativeDifference(x, c.finalPoint)
        #expect(lossError <= 1e-9, "loss trajectory differs by \(lossError)")
        #expect(pointError <= 1e-9, "final point differs by \(pointError)")
    }
}
