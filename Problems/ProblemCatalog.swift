import OptimizationCore

/// The problem registry: every test problem, by spec name.
///
///     let (problem, spec) = try ProblemCatalog.shared.make("rosenbrock(d=6)", seed: 0)
public enum ProblemCatalog {
    public typealias Registry = Catalog<ProblemDescriptor, any Objective>

    public static let shared = Registry(analytic)

    static let analytic: [Registry.Entry] = []
}
