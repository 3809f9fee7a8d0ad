import OptimizationCore
import Optimizers

/// One row per catalog optimizer, in catalog order (in the spirit of torch's
/// `optim_db`): the spec that builds it with nothing else given, which
/// table-driven checks cover it, and the specs the allocation tests step.
/// The coverage tests (official trajectories, kernel agreement, schedules,
/// typed initialisers, no allocation per step) compare their cases with the
/// rows tagged for them instead of keeping lists of names, and
/// `tableIsTheCatalog` fails until a new method has its row. A first-order
/// method's row is its ``FirstOrderTable`` row (settings table, traffic).
///
/// This is a test-support target (no `Testing` import, nothing run at load)
/// shared by `OptimizersTests` and `AllocationTests`, so both read one table.
public enum OptimizerTable {
    /// A table-driven check that must cover exactly the rows tagged with it.
    public enum Check: Sendable, Hashable {
        /// `OfficialTrajectoryTests`: trajectories of the official implementation on the analytic problems.
        case officialTrajectories
        /// `MatrixMethodTrajectoryTests`: official trajectories on the matrix (learning) problems.
        case matrixTrajectories
        /// `KernelAgreementTests`: the fast kernel against the plain reference loop.
        case kernelAgreement
        /// `BehaviourTests.scheduleHorizonComesFromTheRun`: takes the schedule's horizon from the run.
        case scheduleHorizon
    }

    public struct Row: Sendable {
        public let name: String
        /// A spec that builds it with no other key (`sgd` needs a rate).
        public let spec: String
        public let checks: Set<Check>
        /// What `AllocationTests` steps (empty: not checked there).
        public let allocation: AllocationCases
    }

    /// The first-order family's rows come from ``FirstOrderTable`` (one row
    /// there per method): official trajectories, kernel agreement and
    /// run-given schedule horizons; the spec is its shortest traffic spec.
    static var firstOrder: [Row] {
        FirstOrderTable.rows.map { r in
            Row(name: r.name, spec: r.traffic.keys.min { ($0.count, $0) < ($1.count, $1) } ?? r.name,
                checks: [.officialTrajectories, .kernelAgreement, .scheduleHorizon], allocation: r.allocation)
        }
    }
    static func matrix(_ name: String, allocation: [String] = []) -> Row {
        Row(name: name, spec: name, checks: [.matrixTrajectories], allocation: AllocationCases(update: allocation))
    }
    static func other(_ name: String, _ checks: Set<Check> = []) -> Row {
        Row(name: name, spec: name, checks: checks, allocation: AllocationCases())
    }

    public static let rows: [Row] = firstOrder + [
        // SOAP's and Shampoo's basis refreshes call LAPACK (which allocates), so none falls in the
        // counted steps; SOAP's merge_dims is left out because its 1000 × 1000 factor makes OpenBLAS
        // split the products over threads, which allocates inside OpenBLAS (0 with
        // OPENBLAS_NUM_THREADS=1); Shampoo's blocks of ≤ 64 per side keep OpenBLAS on one thread.
        matrix("muon", allocation: ["muon", "muon(nesterov=false,adjust_lr=match_rms_adamw)"]),
        matrix("soap", allocation: [
            "soap(precondition_frequency=1000)", "soap(precondition_frequency=1000,normalize_grads=true)",
            "soap(precondition_frequency=1000,precondition_1d=true)",
        ]),
        matrix("adahessian"), matrix("sophia"),
        matrix("shampoo", allocation: [
            "shampoo(precondition_frequency=1000,max_preconditioner_dim=64)",
            "shampoo(precondition_frequency=1000,max_preconditioner_dim=64,grafting=adam,momentum=0.9,weight_decay=0.01)",
            "shampoo(precondition_frequency=1000,max_preconditioner_dim=30,grafting=rmsprop,beta1=0,beta2=0.99)",
        ]),
        other("newton"), other("damped_newton"), other("regularized_newton"), other("cubic"), other("lazy_newton"),
        other("lazy_cubic"), other("newton_cg"), other("gns"), other("kfac"), other("mkor"), other("mfac"),
        other("bfgs"), other("lbfgs"), other("gsl_bfgs2"), other("gsl_cg_fr"), other("gsl_cg_pr"),
        other("gsl_steepest_descent"),
        other("zo_sgd"), other("zo_adam"), other("zo_signsgd"), other("deepzero", [.scheduleHorizon]),
        other("mezo"), other("zo2"), other("nelder_mead"), other("cmaes"),
    ]

    /// The names of the rows a check must cover.
    public static func names(_ check: Check) -> Set<String> { Set(rows.filter { $0.checks.contains(check) }.map(\.name)) }
    public static var names: [String] { rows.map(\.name) }
}

/// The specs `AllocationTests` steps for one optimizer: after two warm-up
/// steps, ten more must make no heap allocation.
public struct AllocationCases: Sendable {
    /// `update(_:gradient:layout:)` on a matrix and a vector block, one thread:
    /// the bare method and the keys that switch on its other paths.
    public var update: [String]
    /// `update(_:gradient:)` without a layout (one flat block), as in a plain training loop.
    public var flat: [String]
    /// `step(_:oracle:)` and `evaluationPoint(_:into:)`, the harness's path.
    public var oracle: [String]

    public init(update: [String] = [], flat: [String] = [], oracle: [String] = []) {
        self.update = update
        self.flat = flat
        self.oracle = oracle
    }

    /// Every row's cases of one kind, in table order.
    public static func all(_ kind: KeyPath<AllocationCases, [String]>) -> [String] {
        OptimizerTable.rows.flatMap { $0.allocation[keyPath: kind] }
    }
}
