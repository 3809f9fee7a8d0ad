import OptimizationCore
import OptimizerTestTable
@testable import Optimizers
import Testing

// The tables live in the shared `OptimizerTestTable` target (also read by
// `AllocationTests`); these are their tests and their names in test output.
extension OptimizerTable.Row: CustomTestStringConvertible {
    public var testDescription: String { name }
}

extension FirstOrderTable.Row: CustomTestStringConvertible {
    public var testDescription: String { name }
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

    /// Each allocation case of a row builds that row's optimizer (a row
    /// cannot step another method), and every first-order row has one.
    @Test("each row's allocation specs build that optimizer", arguments: OptimizerTable.rows)
    func allocationSpecsBuild(_ row: OptimizerTable.Row) throws {
        let all = row.allocation.update + row.allocation.flat + row.allocation.oracle
        for spec in all {
            let (_, resolved) = try OptimizerCatalog.shared.make(spec)
            #expect(resolved.descriptorName == row.name, "\(spec)")
        }
        if row.checks.contains(.kernelAgreement) { #expect(!row.allocation.update.isEmpty) }
    }
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
