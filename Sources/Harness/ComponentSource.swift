import OptimizationCore
import Optimizers
import Problems

/// Where the runner gets problems and optimizers. The lab's catalogs are the
/// default; tests inject their own objectives and optimizers.
public struct ComponentSource: Sendable {
    public typealias ProblemFactory = @Sendable (_ spec: String, _ seed: UInt64) throws -> (any Objective, canonical: String, family: String)
    public typealias OptimizerFactory = @Sendable (_ spec: String, _ problem: any Objective, _ seed: UInt64) throws -> (any Optimizer, canonical: String, family: String)
    /// The canonical spelling of a spec without building it (nil when invalid).
    public typealias Canonicalizer = @Sendable (_ spec: String) -> String?

    public var makeProblem: ProblemFactory
    public var makeOptimizer: OptimizerFactory
    public var canonicalProblem: Canonicalizer
    public var canonicalOptimizer: Canonicalizer

    /// `canonicalProblem`/`canonicalOptimizer` default to the spec as given.
    public init(makeProblem: @escaping ProblemFactory, makeOptimizer: @escaping OptimizerFactory,
                canonicalProblem: @escaping Canonicalizer = { $0 },
                canonicalOptimizer: @escaping Canonicalizer = { $0 }) {
        self.makeProblem = makeProblem
        self.makeOptimizer = makeOptimizer
        self.canonicalProblem = canonicalProblem
        self.canonicalOptimizer = canonicalOptimizer
    }

    /// The lab's catalogs.
    public static let catalogs = ComponentSource(
        makeProblem: { spec, seed in
            let (p, r) = try ProblemCatalog.shared.make(spec, seed: seed)
            let family = try ProblemCatalog.shared.entry(named: r.descriptorName).descriptor.family
            return (p, r.canonical, family)
        },
        makeOptimizer: { spec, problem, seed in
            let (o, r) = try OptimizerCatalog.make(spec, for: problem.capabilities, problemName: problem.name, seed: seed)
            let family = try OptimizerCatalog.shared.entry(named: r.descriptorName).descriptor.family.rawValue
            return (o, r.canonical, family)
        },
        canonicalProblem: { try? ProblemCatalog.shared.canonical($0) },
        canonicalOptimizer: { try? OptimizerCatalog.shared.canonical($0) })
}
