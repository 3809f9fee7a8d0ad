import OptimizationCore
import Optimizers
import RealModule
import Testing

/// The lab's optimizers against trajectories of the official implementations
/// (float64, 200 steps; regenerate with Tests/Reference/make_reference.py and
/// make_reference_torchoptim.py).
struct OfficialTrajectoryTests {
    struct Case: CustomStringConvertible, Sendable {
        let spec: String
        let problem: String
        let losses: [Double]
        let finalPoint: [Double]
        var description: String { "\(spec) on \(problem)" }
    }

    /// Every generated file's lines (one case per line).
    static let referenceText = [referenceTrajectoryText, referenceTrajectoryTorchOptimText].joined(separator: "\n")

    /// The problems every optimizer must be checked on, and, for optimizers
    /// that treat blocks with ≥ 2 dimensions differently, a problem with a
    /// weight matrix.
    static let standardProblems: Set = ["rosenbrock(d=6)", "quadratic(d=20,cond=1000)", "rayleigh(d=16)"]
    static let matrixProblem = "softmax(data=digits)"
    static let factorsMatrices: Set = ["adafactor"]

    static let cases: [Case] = referenceText.split(separator: "\n").map { line in
        let f = line.split(separator: "|", omittingEmptySubsequences: false)
        return Case(spec: String(f[0]), problem: String(f[1]),
                    losses: f[2].split(separator: " ").map { Double($0)! },
                    finalPoint: f[3].split(separator: " ").map { Double($0)! })
    }

    @Test func everyOptimizerHasReferenceCases() {
        let name = { (c: Case) in String(c.spec.prefix { $0 != "(" }) }
        #expect(Set(Self.cases.map(name)) == Set(OptimizerCatalog.firstOrderNames))
        // Each optimizer on every standard problem (and the matrix problem if it
        // factors matrices), with at least two specs; no case twice.
        for optimizer in OptimizerCatalog.firstOrderNames {
            let mine = Self.cases.filter { name($0) == optimizer }
            let required = Self.factorsMatrices.contains(optimizer)
                ? Self.standardProblems.union([Self.matrixProblem]) : Self.standardProblems
            #expect(Set(mine.map(\.problem)).isSuperset(of: required), "\(optimizer)")
            #expect(Set(mine.map(\.spec)).count >= 2, "\(optimizer)")
        }
        #expect(Set(Self.cases.map(\.description)).count == Self.cases.count)
        // The first file runs each of its specs on exactly the three standard problems.
        let first = Self.cases.prefix(referenceTrajectoryText.split(separator: "\n").count)
        #expect(first.count == Self.standardProblems.count * Set(first.map(\.spec)).count)
    }

    @Test(arguments: cases)
    func agreesWithOfficialImplementation(_ c: Case) throws {
        let problem = try TestProblem.all.first { $0.name == c.problem } ?? TestProblem.learning(c.problem)
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
