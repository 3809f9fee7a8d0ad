import OptimizationCore
@testable import Optimizers
import Testing

/// One row per first-order optimizer of the catalog, in catalog order (in the
/// spirit of torch's `optim_db`): whether it runs on the element-wise
/// scaffolding (then its settings table is checked) and the least bytes per
/// parameter one update moves, for a few specs. Adding a method adds a row;
/// `tableIsTheCatalog` fails until it does.
enum FirstOrderTable {
    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        /// Checks the settings table.
        let settings: (@Sendable () throws -> Void)?
        /// Runs on the ``ElementwiseOptimizer`` scaffolding.
        let elementwise: Bool
        /// Spec → least bytes per parameter of one update (8 per array read or written).
        let traffic: [String: Int]
        var testDescription: String { name }
    }

    /// An element-wise optimizer on ``ElementwiseOptimizer``.
    static func row<O: ElementwiseOptimizer & SendableMetatype>(_ type: O.Type, _ traffic: [String: Int]) -> Row {
        Row(name: O.descriptor.name, settings: { try SettingsTableTests.verify(O.self) }, elementwise: true,
            traffic: traffic)
    }

    /// A method with a settings table and its own prologue (an averaged
    /// iterate with its own rate: Schedule-Free;
    /// a count of calls and global sums: Prodigy; factored state: Adafactor; the
    /// previous gradient and 1-D/2-D paths: MARS).
    static func keyed<O: Optimizer & SettingsBacked & SendableMetatype>(_ type: O.Type, _ traffic: [String: Int]) -> Row {
        Row(name: O.descriptor.name, settings: { try SettingsTableTests.verify(O.self) }, elementwise: false,
            traffic: traffic)
    }

    static let rows: [Row] = [
        row(Adam.self, ["adam": 56, "adam(amsgrad=true)": 72]),
        row(AdamW.self, ["adamw": 56, "adamw(amsgrad=true)": 72]),
        row(Adan.self, ["adan": 88]),
        row(Lion.self, ["lion": 40]),
        row(Grams.self, ["grams": 56]),
        row(EXAdam.self, ["exadam": 56]),
        row(AdamP.self, ["adamp": 56]),
        row(SGD.self, ["sgd(lr=0.1)": 24, "sgd(lr=0.1,momentum=0.9)": 40]),
        row(SGDP.self, ["sgdp(lr=0.1)": 40]),
        row(CautiousAdamW.self, ["cadamw": 56]),
        row(CautiousLion.self, ["clion": 40]),
        row(Adagrad.self, ["adagrad": 40]),
        row(RMSprop.self, ["rmsprop": 40, "rmsprop(momentum=0.5)": 56, "rmsprop(momentum=0.5,centered=true)": 72]),
        row(Adadelta.self, ["adadelta": 56]),
        row(Adamax.self, ["adamax": 56]),
        row(NAdam.self, ["nadam": 56]),
        row(RAdam.self, ["radam": 56]),
        keyed(Adafactor.self, ["adafactor": 24]),
        row(Rprop.self, ["rprop": 56]),
        row(ASGD.self, ["asgd": 32]),
        row(ADOPT.self, ["adopt": 56]),
        row(AdEMAMix.self, ["ademamix": 72]),
        keyed(MARS.self, ["mars": 72, "mars(variant=lion)": 56]),
        keyed(ScheduleFreeAdamW.self, ["schedulefree_adamw": 56]),
        keyed(ScheduleFreeSGD.self, ["schedulefree_sgd": 40]),
        keyed(Prodigy.self, ["prodigy": 80, "prodigy(beta1=0)": 64]),
    ]

    static var withSettings: [Row] { rows.filter { $0.settings != nil } }
}

@Suite("the first-order test table")
struct FirstOrderTableTests {
    @Test func tableIsTheCatalog() {
        #expect(FirstOrderTable.rows.map(\.name) == OptimizerCatalog.firstOrderNames)
    }

    /// Issue 15 §2: the bytes `optlab bench update` counts per step come from
    /// the descriptors (they were a switch over names in the bench).
    @Test("bytes per parameter come from the descriptor", arguments: FirstOrderTable.rows)
    func traffic(_ row: FirstOrderTable.Row) throws {
        #expect(!row.traffic.isEmpty)
        for (spec, bytes) in row.traffic {
            let p = try OptimizerCatalog.shared.resolve(spec)
            #expect(p.descriptorName == row.name)
            let d = try OptimizerCatalog.shared.entry(named: row.name).descriptor
            #expect(d.traffic?.bytesPerParameter(p) == bytes, "\(spec)")
        }
    }
}
