import OptimizationCore

/// The problem registry: every test problem, by spec name.
///
///     let (problem, spec) = try ProblemCatalog.shared.make("rosenbrock(d=6)", seed: 0)
///
/// Each family lists its own entries in its folder (`Analytic/`, `Global/`,
/// `Learning/`); this file only joins them.
public enum ProblemCatalog {
    public typealias Registry = Catalog<ProblemDescriptor, any Objective>

    public static let shared = Registry(analyticEntries + globalEntries + learningEntries + bbobEntries)
}
