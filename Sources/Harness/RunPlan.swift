import OptimizationCore

/// One run set: problems × optimizers × seeds under one budget.
public struct RunPlan: Sendable {
    public var problems: [String]
    public var optimizers: [String]
    public var seeds: [UInt64]
    public var budget: Budget
    /// Log every K-th step instead of the default grid.
    public var logEvery: Int?

    public init(problems: [String], optimizers: [String], seeds: [UInt64] = [0],
                budget: Budget = Budget(), logEvery: Int? = nil) {
        self.problems = problems
        self.optimizers = optimizers
        self.seeds = seeds
        self.budget = budget
        self.logEvery = logEvery
    }

    /// Every (problem, optimizer, seed) in a fixed order.
    public var runs: [(problem: String, optimizer: String, seed: UInt64)] {
        problems.flatMap { p in optimizers.flatMap { o in seeds.map { (p, o, $0) } } }
    }
}

/// Caps on one run; the first one reached stops it.
public struct Budget: Sendable, Equatable {
    /// Optimizer steps.
    public var steps: Int
    /// Objective evaluations of any kind (f + ∇f + HVP + Hessian), counted by the Oracle.
    public var evaluations: Int?
    /// Wall-clock seconds of optimizer time.
    public var seconds: Double?
    /// Stop as `converged` when loss − f* ≤ this (needs a known f*).
    public var targetGap: Double?

    public init(steps: Int = 1000, evaluations: Int? = nil, seconds: Double? = nil, targetGap: Double? = nil) {
        self.steps = steps
        self.evaluations = evaluations
        self.seconds = seconds
        self.targetGap = targetGap
    }
}

/// Cost weights: cost = f_evals + 2·grad_evals + 4·hvp_evals + 2·dim·hess_evals.
public enum CostModel {
    public static func cost(_ c: EvaluationCounts, dimension: Int) -> Double {
        Double(c.function) + 2 * Double(c.gradient) + 4 * Double(c.hessianVector) + 2 * Double(dimension) * Double(c.hessian)
    }
    public static let description = "cost = f_evals + 2*grad_evals + 4*hvp_evals + 2*dim*hess_evals"
}
