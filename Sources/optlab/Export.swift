import ArgumentParser
import Benchmarks
import Harness

extension OptLab {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a run set's bbob runs in COCO's data format (cocopp reads it).",
            discussion: """
            Writes OUTDIR/<optimizer>/bbobexp_f<F>.info and data_f<F>/*.dat|.tdat
            (COCO's bbob-new2 format, one folder per optimizer spec) and
            OUTDIR/ert.csv (the lab's own ERT per function, dimension and
            target). Runs on other problems are skipped. Then:
              python -m cocopp OUTDIR/*
            """)

        @Option(help: "Output format (only coco).")
        var format: String = "coco"

        @Argument(help: "A run set directory (with traces.csv).")
        var runSet: String

        @Argument(help: "Output directory.")
        var outDir: String

        func run() throws {
            do {
                guard format == "coco" else { throw HarnessError("unknown export format '\(format)'; formats: coco") }
                let r = try COCOExport.export(runSet: runSet, to: outDir)
                if !r.skippedProblems.isEmpty {
                    printError("optlab: note: skipped \(r.skippedProblems.count) non-bbob problem(s), e.g. \(r.skippedProblems.sorted()[0])")
                }
                guard r.runs > 0 else { throw HarnessError("no bbob runs in \(runSet)/traces.csv") }
                print("wrote \(r.runs) runs for \(r.folders.count) optimizer(s) to \(outDir)/ ("
                      + r.folders.values.sorted().joined(separator: ", ") + "; ert.csv)")
            } catch {
                throw fail(error)
            }
        }
    }
}
