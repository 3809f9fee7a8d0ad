import OptimizationCore
import Problems

/// A learning problem of the lab's catalog (e.g. `softmax(data=digits)`) as
/// a ``TestProblem``, for the trajectory tests that need matrix-shaped
/// blocks. Each call builds its own instance (an objective owns workspaces
/// and must not be shared between concurrently running tests).
extension TestProblem {
    static func learning(_ spec: String) throws -> TestProblem {
        let (objective, _) = try ProblemCatalog.shared.make(spec)
        let box = ObjectiveBox(objective: objective)
        return TestProblem(name: spec, initialPoint: objective.initialPoint, layout: objective.layout) { x in
            var g = [Double](repeating: 0, count: x.count)
            let f = try! box.objective.gradient(at: x, into: &g)
            return (f, g)
        }
    }
}

/// The objective is used by one test at a time (see ``TestProblem/learning(_:)``).
private final class ObjectiveBox: @unchecked Sendable {
    let objective: any Objective
    init(objective: any Objective) { self.objective = objective }
}
