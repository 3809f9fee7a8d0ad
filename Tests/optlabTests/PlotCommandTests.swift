import Foundation
import Testing
@testable import optlab

/// `optlab plot` and `optlab report`: argument parsing in process, and the
/// error paths through the real binary (one line on stderr, exit status 2).
@Suite("optlab plot and report")
struct PlotCommandTests {
    static func scratch(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "optlab-plotcmd-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Two optimizers × two seeds on one problem, zeroth-order (no gradients).
    static let zerothOrderCSV = """
        problem,optimizer,seed,step,f_evals,grad_evals,hvp_evals,hess_evals,loss,gap
        sphere(d=2),mezo,0,0,0,0,0,0,4,4
        sphere(d=2),mezo,0,1,2,0,0,0,2,2
        sphere(d=2),mezo,1,0,0,0,0,0,4,4
        sphere(d=2),mezo,1,1,2,0,0,0,1,1
        sphere(d=2),zo_sgd,0,0,0,0,0,0,4,4
        sphere(d=2),zo_sgd,0,1,3,0,0,0,3,3
        sphere(d=2),zo_sgd,1,0,0,0,0,0,4,4
        sphere(d=2),zo_sgd,1,1,3,0,0,0,0,0

        """

    @Test func parsesPlotArguments() throws {
        let command = try OptLab.parseAsRoot(["plot", "a.csv", "b.csv", "--x", "cost", "--y", "loss", "--log-x",
                                              "--problem", "p1", "p2", "--optimizer", "adam", "--out", "f.svg"])
        let plot = try #require(command as? OptLab.Plot)
        #expect(plot.files == ["a.csv", "b.csv"])
        #expect(plot.x == .cost && plot.y == .loss && plot.logX && !plot.linearY)
        #expect(plot.problem == ["p1", "p2"] && plot.optimizer == ["adam"] && plot.out == "f.svg")
        let defaults = try #require(try OptLab.parseAsRoot(["plot", "t.csv", "--out", "f.svg"]) as? OptLab.Plot)
        #expect(defaults.x == nil && defaults.y == nil && !defaults.logX)
    }

    @Test func rejectsBadPlotArguments() {
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["plot", "t.csv", "--x", "epochs", "--out", "f.svg"]) }
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["plot", "t.csv", "--y", "accuracy", "--out", "f.svg"]) }
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["plot", "t.csv"]) }  // --out is required
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["plot", "t.csv", "--out", "f.png"]) }
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["plot", "t.csv", "--log-y", "--linear-y", "--out", "f.svg"]) }
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["plot", "--out", "f.svg"]) }
    }

    @Test func parsesReportArguments() throws {
        let report = try #require(try OptLab.parseAsRoot(["report", "runs/demo", "--out", "r.html"]) as? OptLab.Report)
        #expect(report.directory == "runs/demo" && report.out == "r.html")
        let plain = try #require(try OptLab.parseAsRoot(["report", "runs/demo"]) as? OptLab.Report)
        #expect(plain.out == nil)
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["report"]) }
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["report", "d", "--out", "r.pdf"]) }
        #expect(plain.runtime == "cost")
        let perDim = try #require(try OptLab.parseAsRoot(["report", "d", "--x", "f_evals-per-dim"]) as? OptLab.Report)
        #expect(perDim.runtime == "f_evals-per-dim")
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["report", "d", "--x", "f_evals"]) }
    }

    @Test func plotRunsInProcessAndDefaultsToFunctionEvaluations() throws {
        let dir = Self.scratch("run")
        try Self.zerothOrderCSV.write(toFile: dir + "/zo.csv", atomically: true, encoding: .utf8)
        var command = try OptLab.parseAsRoot(["plot", dir + "/zo.csv", "--out", dir + "/zo.svg"])
        try command.run()
        let svg = try String(contentsOfFile: dir + "/zo.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.components(separatedBy: "<path class=\"median\"").count - 1 == 2)
        #expect(svg.contains(">function evaluations</text>"))
        #expect(svg.contains(">gap f(x) − f*</text>"))
        // gap 0 on a log axis is clipped at a floor one decade under the smallest positive value (1).
        #expect(svg.contains("floor (≤ 0.1 clipped)"))
    }

    /// Second-order runs are compared per Hessian evaluation.
    @Test func plotTakesHessianEvaluationsAsX() throws {
        let dir = Self.scratch("hess")
        let csv = """
            problem,optimizer,seed,step,f_evals,grad_evals,hvp_evals,hess_evals,loss,gap
            q,lazy_newton,0,0,0,0,0,0,4,4
            q,lazy_newton,0,1,1,1,0,1,2,2
            q,lazy_newton,0,2,2,2,0,1,1,1
            q,newton,0,0,0,0,0,0,4,4
            q,newton,0,1,1,1,0,1,1,1

            """
        try csv.write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        var command = try OptLab.parseAsRoot(["plot", dir + "/t.csv", "--x", "hess_evals", "--out", dir + "/t.svg"])
        try command.run()
        let svg = try String(contentsOfFile: dir + "/t.svg", encoding: .utf8)
        #expect(svg.contains(">Hessian evaluations</text>"))
        #expect(svg.components(separatedBy: "<path class=\"median\"").count - 1 == 2)
    }

    /// Accuracy rises: the linear axis must reach the final values, not stop near the start.
    @Test func testMetricAxisCoversTheRise() throws {
        let dir = Self.scratch("acc")
        let csv = """
            problem,optimizer,seed,step,f_evals,grad_evals,hvp_evals,hess_evals,loss,test_metric
            mlp,adam,0,0,0,0,0,0,2.3,0.1
            mlp,adam,0,1,0,1,0,0,1.0,0.6
            mlp,adam,0,2,0,2,0,0,0.5,0.9

            """
        try csv.write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        var command = try OptLab.parseAsRoot(["plot", dir + "/t.csv", "--y", "test_metric", "--linear-y", "--out", dir + "/t.svg"])
        try command.run()
        let svg = try String(contentsOfFile: dir + "/t.svg", encoding: .utf8)
        #expect(svg.contains(">0.8</text>") || svg.contains(">1</text>"), "the axis stops below the final accuracy 0.9")
    }

    @Test func plotErrorsAreOneLineThroughTheBinary() throws {
        let dir = Self.scratch("err")
        try "problem,optimizer,seed,step\np,o,0,1\n".write(toFile: dir + "/nocol.csv", atomically: true, encoding: .utf8)
        let r = try OptLabBinary.run(["plot", dir + "/nocol.csv", "--y", "loss", "--out", dir + "/x.svg"])
        #expect(r.status == 2)
        #expect(r.stderr == "optlab: error: \(dir)/nocol.csv:1:1: missing column 'loss'; columns present: problem, optimizer, seed, step\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.svg"))

        try "problem,optimizer,seed,step,loss\np,o,0,0,1\np,o,zero,1,2,3\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try OptLabBinary.run(["plot", dir + "/bad.csv", "--out", dir + "/x.svg"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("optlab: error: \(dir)/bad.csv:3:"))
        #expect(bad.stderr.contains("row has 6 fields, the header has 5"))

        let report = try OptLabBinary.run(["report", dir + "/nowhere"])
        #expect(report.status == 2)
        // traces.csv is read first: without summary.csv the summary is derived from it.
        #expect(report.stderr == "optlab: error: \(dir)/nowhere/traces.csv:0:0: cannot read file: no such file or directory\n")
    }
}
