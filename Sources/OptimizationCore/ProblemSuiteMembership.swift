/// The built-in suites a problem takes part in, and the specs it runs as in each.
///
/// Declared on the problem's catalog line (``ProblemDescriptor/inSuites(_:)``);
/// `Harness.Suites` builds its problem lists from these, so adding a problem
/// to a suite is one edit on that line:
///
///     mgh("wood", 14, "Wood", dimension: "4", suites: .init(standard: ["wood", .stage(1, "wood(instance=10x0)")])) { _ in Wood() }
///
/// A suite lists its specs by stage, then in catalog order, then in the order
/// given on the line. Stages exist because the suites, when they were hand
/// lists, grouped their problems in passes (every MGH problem at x0, then a few
/// far starts, then larger instances, …) that cut across the catalog's order;
/// stage 0 is the default and most specs need nothing else.
/// Whether `full` runs a problem at its default keys (and at `10x0`) is
/// ``ProblemDescriptor/inFullSuite``; ``full`` lists only its further specs.
public struct ProblemSuiteMembership: Sendable, Equatable {
    /// One spec of a suite and the stage it is listed in.
    public struct Placement: Sendable, Equatable, ExpressibleByStringLiteral {
        public var spec: String
        public var stage: Int

        public init(_ spec: String, stage: Int = 0) {
            self.spec = spec
            self.stage = stage
        }

        public init(stringLiteral spec: String) { self.init(spec) }

        /// `spec` listed in `stage`.
        public static func stage(_ stage: Int, _ spec: String) -> Placement { Placement(spec, stage: stage) }
    }

    /// Specs in `smoke` (what the tests run).
    public var smoke: [Placement]
    /// Specs in `demo`.
    public var demo: [Placement]
    /// Specs in `default` (run by every method with a `standard` spec).
    public var standard: [Placement]
    /// Specs among `default`'s large workloads (run by the methods marked `workloads`, with their own budget).
    public var workloads: [Placement]
    /// Specs `full` runs besides the default keys and `10x0` start that ``ProblemDescriptor/inFullSuite`` gives.
    public var full: [Placement]

    public init(smoke: [Placement] = [], demo: [Placement] = [], standard: [Placement] = [],
                workloads: [Placement] = [], full: [Placement] = []) {
        self.smoke = smoke
        self.demo = demo
        self.standard = standard
        self.workloads = workloads
        self.full = full
    }

    /// In `default` only, with these specs.
    public static func standard(_ specs: Placement...) -> ProblemSuiteMembership { .init(standard: specs) }

    /// In no built-in suite (beyond what ``ProblemDescriptor/inFullSuite`` says).
    public static let none = ProblemSuiteMembership()

    /// Every spec it declares, in every suite (for checks that each names this problem).
    public var allSpecs: [String] { (smoke + demo + standard + workloads + full).map(\.spec) }

    /// The specs of one suite across `memberships` (given in catalog order):
    /// by stage, then catalog order, then the order on each line.
    public static func list(_ memberships: [ProblemSuiteMembership],
                            _ suite: (ProblemSuiteMembership) -> [Placement]) -> [String] {
        var keyed: [(stage: Int, entry: Int, position: Int, spec: String)] = []
        for (entry, m) in memberships.enumerated() {
            for (position, p) in suite(m).enumerated() { keyed.append((p.stage, entry, position, p.spec)) }
        }
        // The key is unique per spec, so the order does not depend on sort stability.
        return keyed.sorted { ($0.stage, $0.entry, $0.position) < ($1.stage, $1.entry, $1.position) }.map(\.spec)
    }
}
