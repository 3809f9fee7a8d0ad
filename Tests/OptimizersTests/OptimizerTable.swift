import OptimizationCore
@testable import Optimizers
import Testing

/// One row per catalog optimizer, in catalog order (in the spirit of torch's
/// `optim_db`): the spec that builds it with nothing else given and which
/// table-driven checks cover it. The coverage tests (official trajectories,
/// kernel agreement, schedules, typed initialisers) compare their cases with
/// the rows tagged for them instead of keeping lists of names, and
/// `tableIsTheCatalog` fails until a new method has its row. A first-order
/// method's row is its ``FirstOrderTable`` row (settings table, traffic).
enum OptimizerTable {
    /// A table-driven check that must cover exactly the rows tagged with it.
    enum Check: Sendable, Hashable {
        /// `OfficialTrajectoryTests`: trajectories of the official implementation on the analytic problems.
        case officialTrajectories
        /// `MatrixMethodTrajectoryTests`: official trajectories on the matrix (learning) problems.
        case matrixTrajectories
        /// `KernelAgreementTests`: the fast kernel against the plain reference loop.
        case kernelAgreement
        /// `BehaviourTests.scheduleHorizonComesFromTheRun`: takes the schedule's horizon from the run.
        case scheduleHorizon
    }

    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        /// A spec that builds it with no other key (`sgd` needs a rate).
        let spec: String
        let checks: Set<Check>
        var testDescription: String { name }
    }

    /// The first-order family's rows come from ``FirstOrderTable`` (one row
    /// there per method): official trajectories, kernel agreement and
    /// run-given schedule horizons; the spec is its shortest traffic spec.
    static var firstOrder: [Row] {
        FirstOrderTable.rows.map { r in
            Row(name: r.name, spec: r.traffic.keys.min { ($0.count, $0) < ($1.count, $1) } ?? r.name,
                checks: [.officialTrajectories, .kernelAgreement, .scheduleHorizon])
        }
    }
    static func matrix(_ name: String) -> Row { Row(name: name, spec: name, checks: [.matrixTrajectories]) }
    static func other(_ name: String, _ checks: Set<Check> = []) -> Row { Row(name: name, spec: name, checks: checks) }

    static let rows: [Row] = firstOrder + [
        matrix("muon"), matrix("soap"), matrix("adahessian"), matrix("sophia"), matrix("shampoo"),
        other("newton"), other("damped_newton"), other("regularized_newton"), other("cubic"), other("lazy_newton"),
        other("lazy_cubic"), other("newton_cg"), other("gns"), other("kfac"), other("mkor"), other("mfac"),
        other("bfgs"), other("lbfgs"), other("gsl_bfgs2"), other("gsl_cg_fr"), other("gsl_cg_pr"),
        other("gsl_steepest_descent"),
        other("zo_sgd"), other("zo_adam"), other("zo_signsgd"), other("deepzero", [.scheduleHorizon]),
        other("mezo"), other("zo2"), other("nelder_mead"), other("cmaes"),
    ]

    /// The names of the rows a check must cover.
    static func names(_ check: Check) -> Set<String> { Set(rows.filter { $0.checks.contains(check) }.map(\.name)) }
    static var names: [String] { rows.map(\.name) }
}

@Suite("the optimizer test table")
struct OptimizerTableTests {
    @Test func tableIsTheCatalog() {
        #expect(OptimizerTable.names == OptimizerCatalog.shared.names)
    }

    /// The first-order rows build with their shortest spec (`sgd` needs a rate).
    @Test func firstOrderRowsTakeTheirShortestSpec() {
        #expect(OptimizerTable.rows.first { $0.name == "sgd" }?.spec == "sgd(lr=0.1)")
        #expect(OptimizerTable.rows.first { $0.name == "adam" }?.spec == "adam")
        #expect(OptimizerTable.names(.officialTrajectories).count == FirstOrderTable.rows.count)
    }

    @Test("each row's spec builds that optimizer", arguments: OptimizerTable.rows)
    func specBuilds(_ row: OptimizerTable.Row) throws {
        let (_, resolved) = try OptimizerCatalog.shared.make(row.spec)
        #expect(resolved.descriptorName == row.name)
    }
}
