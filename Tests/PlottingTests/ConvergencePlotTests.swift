import Foundation
import Testing
import OptimizationCore
@testable import Plotting

@Suite("optlab plot: convergence figures")
struct ConvergencePlotTests {
    static let dir: String = {
        let d = Fixtures.temporaryDirectory("plot")
        try! Fixtures.writeRunDirectory(d)
        return d
    }()

    @Test func svgIsWellFormedWithOneLinePerOptimizerPerPanel() throws {
        let svg = try RunReport.convergencePlot(files: [Self.dir + "/traces.csv"], selection: TraceSelection(),
                                                logX: false, logY: true)
        let doc = SVGInspector(svg)
        #expect(doc.wellFormed, "\(doc.error ?? "")")
        let panels = doc.all("g", cls: "panel")
        #expect(panels.map { $0.attributes["data-problem"]! } == Fixtures.problems.map(\.name))
        // Every <path> is a median line: exactly one per optimizer per panel.
        let paths = doc.all("path")
        #expect(paths.count == Fixtures.problems.count * Fixtures.optimizers.count)
        for p in Fixtures.problems {
            let inPanel = paths.filter { $0.ancestors.contains { $0["data-problem"] == p.name } }
            #expect(inPanel.map { $0.attributes["data-optimizer"]! }.sorted() == Fixtures.optimizers.map(\.name).sorted())
            #expect(inPanel.allSatisfy { $0.attributes["class"] == "median" })
        }
        let legend = doc.all("g", cls: "legend-entry").map { $0.attributes["data-optimizer"]! }
        #expect(legend.sorted() == Fixtures.optimizers.map(\.name).sorted())
        let labels = doc.all("text", cls: "axis-label").map(\.text)
        #expect(labels.contains("step (iterations)"))
        #expect(labels.contains("gap f(x) − f*"))
        #expect(labels.contains("loss f(x)"), "logreg has no f*: its panel falls back to loss")
        let caption = doc.all("text", cls: "caption").map(\.text).joined(separator: " ")
        #expect(caption.contains("median over 3 seeds"))
        #expect(caption.contains("min–max"))
        #expect(caption.contains("gap = loss − f*"))
        #expect(doc.all("text", cls: "title").count == 1)
    }

    @Test func filtersAndExplicitColumns() throws {
        let svg = try RunReport.convergencePlot(
            files: [Self.dir + "/traces.csv"],
            selection: TraceSelection(x: "cost", y: "loss", problems: ["rosenbrock(d=2)"], optimizers: ["lbfgs", "gd(lr=0.1)"]),
            logX: true, logY: true)
        let doc = SVGInspector(svg)
        #expect(doc.wellFormed)
        #expect(doc.all("g", cls: "panel").count == 1)
        #expect(doc.all("path").map { $0.attributes["data-optimizer"]! }.sorted() == ["gd(lr=0.1)", "lbfgs"])
        // Colours come from the whole file's optimizer set, so filtering keeps them.
        let palette = Palette(optimizers: Fixtures.optimizers.map(\.name))
        let lbfgs = doc.all("path").first { $0.attributes["data-optimizer"] == "lbfgs" }!
        #expect(lbfgs.attributes["stroke"] == palette.colour("lbfgs"))
        #expect(palette.colour("lbfgs") == Palette.colours[2])  // sorted: adam, gd, lbfgs
        #expect(doc.all("text", cls: "axis-label").map(\.text).contains("cost (f-eval equivalents)"))
        // The diverged seed (NaN from step 8) makes the maximum infinite; the
        // median of gd stays finite (two good seeds out of three).
        let gd = doc.all("path").first { $0.attributes["data-optimizer"] == "gd(lr=0.1)" }!
        #expect(gd.attributes["d"]!.hasPrefix("M"))
        #expect(!gd.attributes["d"]!.contains("nan"))
    }

    @Test func explicitGapLeavesProblemsWithoutFStarEmpty() throws {
        let svg = try RunReport.convergencePlot(files: [Self.dir + "/traces.csv"], selection: TraceSelection(y: "gap"),
                                                logX: false, logY: true)
        let doc = SVGInspector(svg)
        #expect(doc.wellFormed)
        let logreg = doc.all("path").filter { $0.ancestors.contains { $0["data-problem"] == "logreg(data=breast_cancer)" } }
        #expect(logreg.isEmpty)
        #expect(doc.all("path").count == 6)
        #expect(doc.all("text").contains { $0.text == "no gap values in the files" })
    }

    @Test("a diverged optimizer with a long name gets a note that keeps its count and stays inside the panel")
    func divergenceNoteFitsThePanel() throws {
        let long = "gd(lr=0.1,momentum=0.9,nesterov=true,weight_decay=0.01,schedule=cosine,warmup=100,total=5000)"
        let dir = Fixtures.temporaryDirectory("plot-long-name")
        let text = try String(contentsOfFile: Self.dir + "/traces.csv", encoding: .utf8)
            .replacingOccurrences(of: "gd(lr=0.1)", with: "\"\(long)\"")
        try text.write(toFile: dir + "/traces.csv", atomically: true, encoding: .utf8)
        let svg = try RunReport.convergencePlot(files: [dir + "/traces.csv"], selection: TraceSelection(), logX: false, logY: true)
        let doc = SVGInspector(svg)
        #expect(doc.wellFormed)
        let notes = doc.all("text", cls: "panel-note")
        let note = try #require(notes.first)
        #expect(notes.count == 1 && note.ancestors.contains { $0["data-problem"] == "rosenbrock(d=2)" })
        #expect(note.text.hasPrefix("gd(lr=0.1,") && note.text.hasSuffix("…: 1 of 3 seeds non-finite"), "\(note.text)")
        // Right-anchored at the frame's right edge − 4: its left end must not pass the frame's left edge.
        let frame = try #require(doc.all("rect").first { $0.ancestors.contains { $0["data-problem"] == "rosenbrock(d=2)" } && $0.attributes["fill"] == "#fcfcfc" })
        let left = Double(note.attributes["x"]!)! - textWidth(note.text, size: 9)
        #expect(left >= Double(frame.attributes["x"]!)!, "note starts at \(left)")
    }

    @Test func missingColumnNamesItAndListsColumns() throws {
        let t = try CSV.parse("problem,optimizer,seed,step\np,o,0,1\n", source: "user.csv")
        do {
            _ = try TraceSet.build(tables: [t], selection: TraceSelection(x: "step"))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "user.csv:1:1: missing column 'loss'; columns present: problem, optimizer, seed, step")
        }
        let noSeed = try CSV.parse("problem,optimizer,step,loss\np,o,1,2\n", source: "b.csv")
        #expect(throws: CSVError.self) { try TraceSet.build(tables: [noSeed], selection: TraceSelection()) }
        do { _ = try TraceSet.build(tables: [noSeed], selection: TraceSelection()) } catch {
            #expect("\(error)".contains("missing column 'seed'") && "\(error)".contains("columns present: problem, optimizer, step, loss"))
        }
    }

    @Test func malformedRowsNameFileLineAndColumn() throws {
        let d = Fixtures.temporaryDirectory("bad")
        let path = d + "/bad.csv"
        try "problem,optimizer,seed,step,loss\np,o,0,0,1.5\np,o,0,1,abc\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try RunReport.convergencePlot(files: [path], selection: TraceSelection(), logX: false, logY: true)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "\(path):3:5: field 'loss' is not a number: 'abc'")
        }
        try "problem,optimizer,seed,step,loss\np,o,0,0,1.5\np,o,0,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try RunReport.convergencePlot(files: [path], selection: TraceSelection(), logX: false, logY: true)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasPrefix("\(path):3:"))
            #expect("\(error)".contains("row has 4 fields, the header has 5"))
        }
        #expect(throws: CSVError.self) {
            try RunReport.convergencePlot(files: [d + "/absent.csv"], selection: TraceSelection(), logX: false, logY: true)
        }
        #expect(throws: PlotError("problem 'nope' is not in the files; problems present: p")) {
            try "problem,optimizer,seed,step,loss\np,o,0,0,1.5\n".write(toFile: path, atomically: true, encoding: .utf8)
            return try RunReport.convergencePlot(files: [path], selection: TraceSelection(problems: ["nope"]), logX: false, logY: true)
        }
    }

    @Test func defaultXIsFunctionEvaluationsForZerothOrderTraces() throws {
        let zo = try CSV.parse("""
            problem,optimizer,seed,step,f_evals,grad_evals,hvp_evals,hess_evals,loss,gap
            p,mezo,0,0,0,0,0,0,2,
            p,mezo,0,1,2,0,0,0,1,
            """, source: "zo.csv")
        let set = try TraceSet.build(tables: [zo], selection: TraceSelection())
        #expect(set.x == "f_evals")
        #expect(set.y["p"] == "loss", "gap column present but empty: loss")
        #expect(set.series[0].xs == [0, 2] && set.series[0].ys == [2, 1])
        let fo = try CSV.parse("""
            problem,optimizer,seed,step,f_evals,grad_evals,hvp_evals,hess_evals,loss,gap
            p,adam,0,0,0,0,0,0,2,2
            p,adam,0,1,0,1,0,0,1,1
            """, source: "fo.csv")
        #expect(try TraceSet.build(tables: [fo], selection: TraceSelection()).x == "step")
        #expect(try TraceSet.build(tables: [fo], selection: TraceSelection()).y["p"] == "gap")
        #expect(try TraceSet.build(tables: [zo, fo], selection: TraceSelection()).x == "step")
    }

    @Test func seedsAlignOnAStepFunctionGrid() {
        let a = TraceSeries(problem: "p", optimizer: "o", seed: "0", xs: [0, 2, 4], ys: [10, 5, 1])
        let b = TraceSeries(problem: "p", optimizer: "o", seed: "1", xs: [0, 1, 3], ys: [8, 6, 2])
        let c = TraceSeries(problem: "p", optimizer: "o", seed: "2", xs: [0, 1], ys: [9, .nan])
        let agg = SeedAggregate(optimizer: "o", series: [a, b, c], logX: false)
        #expect(agg.xs == [0, 1, 2, 3, 4])
        // x=1: a holds 10, b 6, c NaN→inf → median 10; x=2: 5, 6, inf → 6;
        // x=3: 5, 2, inf → 5; x=4: 1, 2 (held), inf → 2.
        #expect(agg.median == [9, 10, 6, 5, 2])
        #expect(agg.lower == [8, 6, 5, 2, 1])
        #expect(agg.upper == [10, .infinity, .infinity, .infinity, .infinity])
    }

    @Test func logAxisUsesPowersOfTenAndADataDependentFloor() {
        let axis = Axis(values: [0, 3e-7, 2.5, 40], scale: .log10)
        #expect(axis.clipFloor == 1e-8)   // smallest positive 3e-7 → 1e-7, one decade under
        #expect(axis.lo == 1e-8 && axis.hi == 100)
        #expect(axis.ticks == [1e-8, 1e-6, 1e-4, 1e-2, 1, 100])  // 10 decades: every 2nd
        #expect(axis.unit(0) == 0 && axis.unit(-5) == 0)
        // Round-off noise below 1e-32 × max is clipped too; 1e20 → 1e-10 is kept.
        let noisy = Axis(values: [1e-40, 1], scale: .log10)
        #expect(noisy.clipFloor == 1e-33)
        let wide = Axis(values: [1e-11, 1e20], scale: .log10)
        #expect(wide.clipFloor == nil && wide.lo == 1e-11)
        let clean = Axis(values: [0.02, 5], scale: .log10)
        #expect(clean.clipFloor == nil && clean.lo == 0.01 && clean.hi == 10 && clean.ticks == [0.01, 0.1, 1, 10])
        #expect(clean.label(0.01) == ("10", "−2"))
        let lin = Axis(values: [0, 3.7], scale: .linear)
        #expect(lin.ticks == [0, 1, 2, 3, 4])
    }
}
