import OptimizationCore

extension ProblemCatalog {
    /// The global problems, in display order.
    static let globalEntries: [Registry.Entry] = []
}
