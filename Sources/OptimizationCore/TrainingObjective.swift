/// The harness-side hooks of a learning problem: minibatch selection, the
/// full objective logged in traces and a held-out metric. Optimizers never
/// call them (the ``Oracle`` does not expose them); the harness calls them
/// through the ``Objective`` extension below on any problem, and a problem
/// that does not conform gets the plain behaviour (one batch, `value` is the
/// logged value, no metric).
public protocol TrainingObjective: Objective {
    /// Whether ``beginStep(_:)`` draws a fresh minibatch (capability
    /// `minibatches`): a property of the instance (its `batch` key), not of
    /// the type.
    var usesMinibatches: Bool { get }
    /// Called by the harness before step `step` (0-based): minibatch problems select its batch.
    func beginStep(_ step: Int)
    /// The full (all training rows, noise-free) objective, as logged in traces.
    func fullValue(at x: [Double]) throws -> Double
    /// A held-out metric (test accuracy for learning problems), or nil.
    func testMetric(at x: [Double]) -> Double?
}

extension TrainingObjective {
    public var usesMinibatches: Bool { false }
    public func beginStep(_ step: Int) {}
    public func fullValue(at x: [Double]) throws -> Double { try value(at: x) }
    public func testMetric(at x: [Double]) -> Double? { nil }
}

/// The hooks on any objective: forwarded to a ``TrainingObjective``,
/// otherwise the plain behaviour.
extension Objective {
    /// Selects step `step`'s batch (nothing for a full-batch problem).
    public func beginStep(_ step: Int) {
        (self as? any TrainingObjective)?.beginStep(step)
    }
    /// The full noise-free objective, as logged in traces (`value` unless the problem says otherwise).
    public func fullValue(at x: [Double]) throws -> Double {
        if let training = self as? any TrainingObjective { return try training.fullValue(at: x) }
        return try value(at: x)
    }
    /// A held-out metric, or nil.
    public func testMetric(at x: [Double]) -> Double? {
        (self as? any TrainingObjective)?.testMetric(at: x)
    }
}
