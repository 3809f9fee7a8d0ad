import Foundation
import Testing
import OptimizationCore

/// `--max-evals-per-dim`, `--dims`, `optlab export --format coco` through the real binary.
@Suite struct BBOBCommandTests {
    static func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("optlab-bbob-\(UUID().uuidString)").path
    }

    @Test func evaluationBudgetFollowsTheDimension() throws {
        let out = Self.temporary()
        let r = try OptLabBinary.run(["run", "--problem", "bbob(f=2,d=2)", "--problem", "bbob(f=2,d=5)",
                                      "--optimizer", "nelder_mead", "--max-evals-per-dim", "20", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try CSV.read(path: out + "/summary.csv")
        let (cDim, cEvals) = (try summary.column("dim"), try summary.column("f_evals"))
        for row in summary.rows {
            let d = Int(row[cDim])!, evals = Int(row[cEvals])!
            // The budget is checked before each step: at most one step (≤ d + 2 queries) past K·d.
            #expect(evals >= 20 * d && evals <= 20 * d + d + 2, "d = \(d): \(evals) evaluations")
        }
        let export = try OptLabBinary.run(["export", "--format", "coco", out, out + "/coco"])
        #expect(export.status == 0 && export.stdout.hasPrefix("wrote 2 runs for 1 optimizer(s)"), "\(export.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/coco/nelder_mead/data_f2/bbobexp_f2_DIM5.dat"))
        try? FileManager.default.removeItem(atPath: out)
    }

    @Test(arguments: [
        (["run", "--suite", "bbob-small", "--dims", "1,2"], "--dims '1,2' is not a comma-separated list of dimensions in 2…40"),
        (["run", "--suite", "smoke", "--dims", "2"], "--dims applies to the bbob suites only"),
        (["run", "--problem", "bbob", "--optimizer", "cmaes", "--max-evals-per-dim", "0"], "--max-evals-per-dim must be ≥ 1"),
        (["export", "--format", "csv", "a", "b"], "unknown export format 'csv'"),
    ])
    func badFlags(_ arguments: [String], _ message: String) throws {
        let r = try OptLabBinary.run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}

@Suite struct BBOBDescribeTests {
    @Test func describeAValueOnlyProblem() throws {
        let r = try OptLabBinary.run(["describe", "bbob(f=3,instance=2,d=5)"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("coco: bbob_f003_i02_d05 (group separ)"))
        #expect(r.stdout.contains("capabilities: value known_minimum"))
        #expect(!r.stdout.contains("∇f"))
    }
}
