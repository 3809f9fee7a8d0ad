import OptimizationCore

extension OptimizerDescriptor {
    /// Validates the values of a typed initialiser against this descriptor.
    /// A typed initialiser is Swift code, so a bad value is a programming
    /// error: it stops with the same one-line message the CLI prints
    /// (key, value, valid range). Use the catalog to get a thrown error instead.
    ///
    /// A cosine or linear schedule needs its horizon here: code that calls
    /// `update` itself never runs `prepare`, which is where the harness fills
    /// `total` in from the run's budget, so without it the rate would stay
    /// constant. Such a schedule without `total` stops at construction.
    func validated(_ values: [String: SpecValue]) -> ResolvedParameters {
        if let message = LearningRateSchedule.missingHorizon(values, owner: name) { preconditionFailure(message) }
        do {
            return try resolve(values)
        } catch {
            preconditionFailure(error.description)
        }
    }
}

extension ParameterLayout {
    /// The layout to use for a vector of `count` elements: the given one if it
    /// fits, else a single flat block.
    static func resolved(_ layout: ParameterLayout?, count: Int) -> ParameterLayout {
        if let layout, layout.dimension == count { return layout }
        return .flat(count)
    }
}
