import OptimizationCore

/// Caps on one run; the first one reached stops it.
public struct Budget: Sendable, Hashable {
    /// Optimizer steps.
    public var steps: Int
    /// Objective evaluations of any kind (f + ∇f + HVP + Hessian), counted by the Oracle.
    public var evaluations: Int?
    /// Optimizer seconds (logging excluded). Checked after every step, so a
    /// run overshoots by at most one step.
    public var seconds: Double?
    /// Stop as `converged` when best_loss − f* ≤ this (needs a known f*).
    public var targetGap: Double?

    public init(steps: Int = 1000, evaluations: Int? = nil, seconds: Double? = nil, targetGap: Double? = nil) {
        self.steps = steps
        self.evaluations = evaluations
        self.seconds = seconds
        self.targetGap = targetGap
    }

    /// The part of the run identity that the budget contributes (stable text).
    var identityKey: String {
        "\(steps)|\(evaluations ?? -1)|\(targetGap.map(formatNumber) ?? "")|\(seconds.map(formatNumber) ?? "")"
    }

    /// The budget as JSON-ready values for the manifest.
    var manifestValue: [String: Any] {
        var m: [String: Any] = ["steps": steps]
        if let evaluations { m["evaluations"] = evaluations }
        if let seconds { m["seconds"] = seconds }
        if let targetGap { m["target_gap"] = targetGap }
        return m
    }
}

/// Cost weights: cost = f_evals + 2·grad_evals + 4·hvp_evals + 2·dim·hess_evals.
public enum CostModel {
    public static func cost(_ c: EvaluationCounts, dimension: Int) -> Double {
        Double(c.function) + 2 * Double(c.gradient) + 4 * Double(c.hessianVector) + 2 * Double(dimension) * Double(c.hessian)
    }
    public static let description = "cost = f_evals + 2*grad_evals + 4*hvp_evals + 2*dim*hess_evals"
    /// The weights, as written to manifest.json.
    public static var weights: [String: Any] { ["f_evals": 1, "grad_evals": 2, "hvp_evals": 4, "hess_evals": "2*dim"] }
}
