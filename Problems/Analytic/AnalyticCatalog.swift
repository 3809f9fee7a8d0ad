import OptimizationCore

extension ProblemCatalog {
    /// The analytic problems, in display order.
    static let analyticEntries: [Registry.Entry] = []
}
