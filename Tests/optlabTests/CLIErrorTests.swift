import Testing
@testable import optlab

/// The error cases of the foundation issue, through the real binary: one
/// line on stderr naming the bad token, exit status 2, never a crash.
@Suite("optlab errors through the real binary")
struct CLIErrorTests {
    @Test("bad specs give one line and exit status 2", arguments: [
        ("adamm", "optlab: error: unknown optimizer 'adamm' — did you mean 'adam'?"),
        ("adam(lr=-1)", "optlab: error: adam: lr=-1 is out of range; lr must be a number in (0, inf)"),
        ("adam(beta1=1.5)", "optlab: error: adam: beta1=1.5 is out of range; beta1 must be a number in [0, 1)"),
        ("adam(eps=nan)", "optlab: error: adam: eps=nan is not a finite number; eps must be a number in (0, inf)"),
        ("adam(betaa1=0.9)", "optlab: error: unknown key 'betaa1' for 'adam' — did you mean 'beta1'?"),
        ("adam(lr=1e-3", "optlab: error: malformed spec 'adam(lr=1e-3', column 13: unbalanced parenthesis"),
        ("adam(lr=1e-3,lr=2e-3)", "optlab: error: malformed spec 'adam(lr=1e-3,lr=2e-3)', column 14: duplicate key 'lr'"),
        ("adam(lr=)", "optlab: error: malformed spec 'adam(lr=)', column 9: missing value for key 'lr'"),
    ])
    func badSpec(spec: String, expectedPrefix: String) throws {
        let r = try OptLabBinary.run(["spec", spec])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix(expectedPrefix), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func goodSpecPrintsCanonicalForm() throws {
        let r = try OptLabBinary.run(["spec", "adam(lr=1e-2, beta1=0.95)"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("optimizer: adam(beta1=0.95,lr=0.01)\n"))
    }

    @Test func versionAndHelp() throws {
        let v = try OptLabBinary.run(["--version"])
        #expect(v.status == 0 && v.stdout == "0.1.0\n")
        let h = try OptLabBinary.run(["--help"])
        #expect(h.status == 0)
        for sub in ["list", "spec", "run", "compare", "plot", "report", "tune", "merge", "bench", "describe"] {
            #expect(h.stdout.contains("  \(sub) "), "help lists \(sub)")
        }
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let r = try OptLabBinary.run(["lst"])
        #expect(r.status != 0 && r.status != 1)
        #expect(!r.stderr.isEmpty)
    }
}

@Suite("optlab list (in process)")
struct ListTests {
    @Test func parsesListCommand() throws {
        let command = try OptLab.parseAsRoot(["list", "optimizers", "--format", "csv"])
        let list = try #require(command as? OptLab.List)
        #expect(list.what == .optimizers && list.format == .csv)
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["list", "gizmos"]) }
    }

    @Test func optimizerListingNamesEveryOptimizerWithKeys() {
        let table = Listing.optimizerTable()
        #expect(table.contains("adam  [first-order]"))
        #expect(table.contains("keys: lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8"))
        let csv = Listing.optimizerCSV()
        #expect(csv.hasPrefix("name,family,hyperparameters,requires,reference\n"))
        #expect(csv.contains("\nadam,first,"))
    }
}
