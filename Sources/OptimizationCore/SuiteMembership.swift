/// How the built-in suites budget a method. Declared on the descriptor so the
/// suites decide from it rather than from the (display-only) family.
public enum BudgetClass: String, Sendable, CaseIterable {
    /// Cheap steps (one gradient or less): the suite's first-order step budget.
    case steps
    /// Expensive steps (a Hessian, products or factor refreshes): the smaller second-order step budget.
    case curvatureSteps
    /// Function values only: budgeted in evaluations, 200·(n+1) unless the suite says otherwise.
    case evaluations

    /// What a descriptor declared before budget classes existed maps to:
    /// no gradient needed (or the zeroth-order family) → evaluations,
    /// the second-order family → curvature steps, anything else → steps.
    public static func derived(family: OptimizerFamily, requires: Capabilities) -> BudgetClass {
        if family == .zerothOrder || !requires.contains(.gradient) { return .evaluations }
        return family == .secondOrder ? .curvatureSteps : .steps
    }
}

/// The built-in suites a method takes part in, and the spec it runs with in each.
///
/// Declared on the method's catalog line; `Harness.Suites` builds its lists
/// from these in catalog order, so adding a method to the suites is one edit:
///
///     .init(Adam.descriptor.inSuites(.init(demo: "adam(lr=0.01)", standard: "adam", workloads: true))) { p, _ in Adam(p) }
public struct SuiteMembership: Sendable, Equatable {
    /// Spec in `smoke` (what the tests run), or nil.
    public var smoke: String?
    /// Spec in `demo` (untuned rates that show something in 1,000 steps), or nil.
    public var demo: String?
    /// Spec in `default` and `full`, or nil.
    public var standard: String?
    /// Whether `default` also runs the `standard` spec on its large workloads (charlm, cnn).
    public var workloads: Bool
    /// Specs in `bbob`/`bbob-small`, and where they go in that suite's list.
    /// bbob lists its comparators (CMA-ES, Nelder–Mead) before the ZO methods,
    /// the reverse of the catalog's order, so it alone needs an explicit rank.
    public var bbob: [String]
    public var bbobRank: Int

    public init(smoke: String? = nil, demo: String? = nil, standard: String? = nil, workloads: Bool = false,
                bbob: [String] = [], bbobRank: Int = 0) {
        precondition(!workloads || standard != nil, "workloads run the standard spec, so it must be given")
        self.smoke = smoke
        self.demo = demo
        self.standard = standard
        self.workloads = workloads
        self.bbob = bbob
        self.bbobRank = bbobRank
    }

    /// In `demo`, `default` and `full` under its bare name (the usual case for methods without a tuned rate).
    public static func everywhere(_ name: String) -> SuiteMembership { .init(demo: name, standard: name) }

    /// In no built-in suite.
    public static let none = SuiteMembership()
}
