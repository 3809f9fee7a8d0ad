import Foundation
import OptimizationCore
import Problems

/// Writes the bbob runs of a run set in COCO's data format (`bbob-new2`, as
/// coco-experiment 2.8's bbob logger writes it), one folder per optimizer
/// spec, so that `cocopp` post-processes them like any COCO experiment:
///
///     OUT/<optimizer>/bbobexp_f<F>.info                 one 3-line block per dimension:
///                                                       header, "% ", "data_f<F>/bbobexp_f<F>_DIM<d>.dat, <instance>:<evals>|<final f − f*>, …"
///     OUT/<optimizer>/data_f<F>/bbobexp_f<F>_DIM<d>.dat  per run: "% f evaluations | … Fopt (<f*>) …" and one line per
///                                                       query that crossed a target: evals, 0, f − f*, f, best f, x (zeros)
///     OUT/<optimizer>/data_f<F>/bbobexp_f<F>_DIM<d>.tdat the same lines (the lab keeps no evaluation-triggered record)
///     OUT/ert.csv                                        the lab's own ERT per (optimizer, f, d, target)
///
/// The evaluations and gaps come from the trace events `query_gap:<evals>:<gap>`
/// (the first value query crossing each of COCO's 51 targets) and
/// `query_best:<evals>:<gap>` (the best query of the run), which the
/// ``Runner`` writes for every problem with a known f*. Gaps are written with
/// 17 significant digits (COCO's logger writes 10), so cocopp sees exactly the
/// crossings the lab saw. Runs on problems other than `bbob(...)` are skipped.
public enum COCOExport {
    /// What an export wrote: the folder of each optimizer spec, the runs exported, the problems skipped.
    public struct Result: Sendable {
        /// Folder per optimizer spec.
        public var folders: [String: String] = [:]
        public var runs = 0
        public var skippedProblems: Set<String> = []
    }

    /// One run, as the export sees it.
    struct Run {
        var function = 0, instance = 0, dimension = 0
        var optimum = 0.0
        var hits: [(evaluations: Int, gap: Double)] = []
        var totalEvaluations = 0
        var finalGap = Double.infinity
        var seed = ""
    }

    /// `cmaes(restarts=bipop,sigma=2)` → `cmaes_restarts-bipop_sigma-2`: a folder name cocopp can show.
    public static func folderName(_ spec: String) -> String {
        var out = ""
        for c in spec {
            switch c {
            case "(", ",": out += "_"
            case ")": break
            case "=": out += "-"
            case _ where c.isLetter || c.isNumber || c == "." || c == "-" || c == "_": out.append(c)
            default: out += "_"
            }
        }
        return out
    }

    public static func export(runSet directory: String, to output: String) throws -> Result {
        let table = try CSV.read(path: directory + "/traces.csv")
        let cProblem = try table.column("problem"), cOptimizer = try table.column("optimizer")
        let cSeed = try table.column("seed"), cEvals = try table.column("f_evals"), cEvent = try table.column("event")
        let cRun = try table.column("run_id")
        var runs: [String: (optimizer: String, run: Run)] = [:]
        var order: [String] = []
        var result = Result()
        var functions: [String: BBOBFunction] = [:]
        for r in 0..<table.rows.count {
            let row = table.rows[r]
            let id = row[cRun]
            if runs[id] == nil {
                let spec = row[cProblem]
                guard let resolved = try? ProblemCatalog.shared.resolve(spec), resolved.descriptorName == "bbob" else {
                    result.skippedProblems.insert(spec)
                    continue
                }
                var run = Run()
                run.function = resolved.int("f")
                run.instance = resolved.int("instance")
                run.dimension = resolved.int("d")
                run.seed = row[cSeed]
                let key = "\(run.function)|\(run.instance)|\(run.dimension)"
                let f = functions[key] ?? BBOBFunction(function: run.function, instance: run.instance, dimension: run.dimension)
                functions[key] = f
                run.optimum = f.bestValue
                runs[id] = (row[cOptimizer], run)
                order.append(id)
            }
            runs[id]!.run.totalEvaluations = Int(row[cEvals]) ?? runs[id]!.run.totalEvaluations
            for event in row[cEvent].split(separator: ";") {
                let parts = event.split(separator: ":")
                guard parts.count == 3, let evals = Int(parts[1]), let gap = CSV.parseDouble(String(parts[2])) else { continue }
                if parts[0] == "query_gap" { runs[id]!.run.hits.append((evals, gap)) }
                if parts[0] == "query_best" { runs[id]!.run.finalGap = gap }
            }
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var byOptimizer: [String: [Run]] = [:]
        var optimizers: [String] = []
        for id in order {
            let (optimizer, run) = runs[id]!
            if byOptimizer[optimizer] == nil { optimizers.append(optimizer) }
            byOptimizer[optimizer, default: []].append(run)
        }
        var ert = "optimizer,folder,function,dimension,target,ert,successes,runs\n"
        for optimizer in optimizers {
            let folder = folderName(optimizer)
            result.folders[optimizer] = folder
            let root = output + "/" + folder
            let list = byOptimizer[optimizer]!
            result.runs += list.count
            for f in Set(list.map(\.function)).sorted() {
                try FileManager.default.createDirectory(atPath: root + "/data_f\(f)", withIntermediateDirectories: true)
                var info = ""
                for d in Set(list.filter { $0.function == f }.map(\.dimension)).sorted() {
                    let group = list.filter { $0.function == f && $0.dimension == d }
                        .sorted { ($0.instance, $0.seed) < ($1.instance, $1.seed) }
                    let dat = "data_f\(f)/bbobexp_f\(f)_DIM\(d).dat"
                    if !info.isEmpty { info += "\n" }
                    info += "suite = 'bbob', funcId = \(f), DIM = \(d), Precision = 1.000e-08, algId = '\(optimizer)', "
                        + "coco_version = '2.8.2', logger = 'bbob', data_format = 'bbob-new2', settings = 'optimizerlab'\n% \n"
                    info += dat + ", " + group.map { "\($0.instance):\($0.totalEvaluations)|" + String(format: "%.1e", $0.finalGap) }
                        .joined(separator: ", ")
                    var text = ""
                    for run in group { text += datLines(run) }
                    try text.write(toFile: root + "/" + dat, atomically: true, encoding: .utf8)
                    try text.write(toFile: root + "/data_f\(f)/bbobexp_f\(f)_DIM\(d).tdat", atomically: true, encoding: .utf8)
                    for (t, value) in zip(Runner.gapTargets, expectedRuntimes(group)) {
                        let successes = group.filter { r in r.hits.contains { $0.gap <= t } }.count
                        ert += CSV.line([optimizer, folder, "\(f)", "\(d)", formatNumber(t), formatNumber(value),
                                         "\(successes)", "\(group.count)"])
                    }
                }
                try (info + "\n").write(toFile: root + "/bbobexp_f\(f).info", atomically: true, encoding: .utf8)
            }
        }
        try ert.write(toFile: output + "/ert.csv", atomically: true, encoding: .utf8)
        return result
    }

    /// One run's block of a .dat file.
    static func datLines(_ run: Run) -> String {
        func e(_ x: Double) -> String { String(format: "%+.16e", x) }
        let zeros = [String](repeating: "+0.0000e+00", count: run.dimension).joined(separator: " ")
        var text = "% f evaluations | g evaluations | best noise-free fitness - Fopt (" + String(format: "%.12e", run.optimum)
            + ") + sum g_i+ | measured fitness | best measured fitness or single-digit g-values | x1 | x2...\n"
        for h in run.hits {
            text += "\(h.evaluations) 0 \(e(h.gap)) \(e(h.gap + run.optimum)) \(e(h.gap + run.optimum)) \(zeros)\n"
        }
        if run.totalEvaluations > 0 && run.finalGap.isFinite && run.hits.last?.evaluations != run.totalEvaluations {
            let g = run.finalGap
            text += "\(run.totalEvaluations) 0 \(e(g)) \(e(g + run.optimum)) \(e(g + run.optimum)) \(zeros)\n"
        }
        return text
    }

    /// The lab's ERT for each of COCO's targets: Σ over runs of the evaluations
    /// to the first query with f − f* ≤ target (all evaluations when never) over
    /// the number of runs that reached it (+inf when none did).
    static func expectedRuntimes(_ runs: [Run]) -> [Double] {
        Runner.gapTargets.map { t in
            var total = 0.0, successes = 0
            for r in runs {
                if let hit = r.hits.first(where: { $0.gap <= t }) {
                    total += Double(hit.evaluations)
                    successes += 1
                } else {
                    total += Double(r.totalEvaluations)
                }
            }
            return successes == 0 ? .infinity : total / Double(successes)
        }
    }
}
