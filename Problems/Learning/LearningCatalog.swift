import OptimizationCore

extension ProblemCatalog {
    /// The learning problems, in display order.
    static let learningEntries: [Registry.Entry] = []
}
