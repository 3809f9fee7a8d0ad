import OptimizationCore

/// The report's runtime sections: the runtime-ECDF and fixed-budget figures,
/// ERT and median-runtime tables, and the significance of the differences.
struct RuntimeSections {
    let analysis: RuntimeAnalysis
    /// The target of the median-runtime table and the headline tests.
    static let headlineTarget = 1e-5
    let seedCounts: [Int]

    init(_ dir: RunDirectory, measure: RuntimeMeasure) {
        let a = RuntimeAnalysis(dir, measure: measure)
        analysis = a
        seedCounts = Array(Set(a.problems.compactMap { a.seedsPerProblem[$0] })).sorted()
    }

    var isEmpty: Bool { analysis.problems.isEmpty }

    /// The runtime ECDF over all (problem, seed, target) triples.
    func ecdfFigure(palette: Palette) -> ReportFigure {
        let a = analysis
        let solvers = a.optimizers
        let curves = solvers.map { a.ecdf($0) }
        let finite = curves.flatMap { $0.map(\.0) }.filter { $0 > 0 }
        let xMin = Swift.max(1e-9, (finite.min() ?? 1) / 2), xMax = Swift.max(xMin * 10, (finite.max() ?? 10) * 2)
        let caption = "Runtime ECDF (COCO-style) over \(a.tripleCount) (problem, seed, target) triples: \(a.problems.count) problem\(a.problems.count == 1 ? "" : "s") with known f* × seeds × \(a.targets.count) gap targets 1e2 … 1e-8 (5 per decade). A triple is solved at the first logged point whose best loss so far is ≤ f* + target; runtime = \(a.measure.label) there. Unsolved triples (and problems an optimizer did not run on) never count, so the right end is the fraction solved; runtimes of 0 (solved at the start) sit at the left edge."
        let fig = ProfileFigure(title: "Runtime ECDF: fraction of (problem, seed, target) triples solved",
                                xLabel: "runtime: \(a.measure.label) (log scale)", yLabel: "fraction of triples solved",
                                caption: caption, scale: .log10, idPrefix: "ecdf")
        return ReportFigure(file: "runtime-ecdf.svg", heading: "Runtime ECDF",
                            svg: { fig.svg(solvers: solvers, curves: curves, xMin: xMin, xMax: xMax, palette: palette, standalone: $0) },
                            secondary: false)
    }

    /// Fixed-budget curves: the best gap reached within a budget, per problem.
    func fixedBudgetFigure(_ dir: RunDirectory, palette: Palette) -> ReportFigure {
        var series: [TraceSeries] = []
        var y: [String: String] = [:]
        for p in analysis.problems {
            let rows = dir.summaries.filter { $0.problem == p }
            guard let fStar = rows.compactMap(\.fStar).first else { continue }
            y[p] = "best_gap"
            for r in rows {
                guard let t = dir.traces[r.runID] else { continue }
                let xs = t.bestLoss.indices.map { analysis.measure.value(t, at: $0, dim: r.dim) }
                var best = Double.infinity
                let ys = t.bestLoss.map { v -> Double in
                    if v.isFinite { best = Swift.min(best, v) }
                    return best.isFinite ? best - fStar : .nan
                }
                series.append(TraceSeries(problem: p, optimizer: r.optimizer, seed: r.seed, xs: xs, ys: ys))
            }
        }
        let traces = TraceSet(x: analysis.measure == .fEvalsPerDim ? "f_evals_per_dim" : (analysis.measure == .time ? "time_s" : "cost"),
                              y: y, problems: analysis.problems, allOptimizers: dir.optimizers, series: series, sources: [])
        var fig = ConvergenceFigure(title: "Fixed budget: median best gap reached within a budget",
                                    logX: true, logY: true, idPrefix: "fixed-budget")
        fig.notes = ["Fixed-budget view: at each budget, the lowest gap f − f* any logged point reached so far (the running best), median over seeds."]
        return ReportFigure(file: "fixed-budget.svg", heading: "Fixed-budget curves",
                            svg: { fig.svg(traces, palette: palette, standalone: $0) }, secondary: false)
    }

    /// ERT per problem and target (all 51 targets) as CSV.
    func ertCSV() -> String {
        var out = CSV.line(["problem", "optimizer", "target", "runs", "successes", "ert", "median_runtime", "runtime_measure"])
        for p in analysis.problems {
            for o in analysis.optimizers {
                guard let cell = analysis.cells[p]?[o] else { continue }
                for (t, target) in analysis.targets.enumerated() {
                    out += CSV.line([p, o, CSV.format(target), "\(cell.seeds.count)", "\(cell.successes(t))",
                                     CSV.format(cell.ert(t)), CSV.format(sampleMedian(cell.runtimes[t])), analysis.measure.rawValue])
                }
            }
        }
        return out
    }

    /// Every pairwise test at the table targets as CSV.
    func significanceCSV() -> String {
        var out = CSV.line(["problem", "target", "optimizer_a", "optimizer_b", "n_a", "n_b", "median_a", "median_b",
                            "u_a", "p", "p_holm", "significant"])
        for p in analysis.problems {
            for target in RuntimeToTarget.tableTargets {
                guard let f = analysis.family(problem: p, target: target) else { continue }
                for c in f.comparisons {
                    let na = analysis.cells[p]![c.a]!.seeds.count, nb = analysis.cells[p]![c.b]!.seeds.count
                    out += CSV.line([p, CSV.format(target), c.a, c.b, "\(na)", "\(nb)", CSV.format(c.medianA), CSV.format(c.medianB),
                                     CSV.format(c.test.u1), CSV.format(c.test.p), CSV.format(c.holm), c.significant ? "true" : "false"])
                }
            }
        }
        return out
    }

    /// The ERT table of a problem: one column per table target, "ERT (k/n)".
    func ertTable(_ p: String) -> Table {
        var t = Table(header: ["optimizer"] + RuntimeToTarget.tableTargets.map { "ERT to " + shortNumber($0) },
                      rows: [], numeric: Set(1...RuntimeToTarget.tableTargets.count))
        for o in analysis.optimizers {
            guard let cell = analysis.cells[p]?[o] else { continue }
            t.rows.append([o] + RuntimeToTarget.tableTargets.map { target in
                guard let i = analysis.targetIndex(target) else { return "—" }
                let e = cell.ert(i)
                return (e.isFinite ? shortNumber(e) : "∞") + " (\(cell.successes(i))/\(cell.seeds.count))"
            })
        }
        return t
    }

    /// Median runtime to the headline target with its bootstrap interval, and
    /// the Holm-corrected test against the optimizer with the lowest median.
    func medianTable(_ p: String) -> (Table, RuntimeAnalysis.Family?) {
        let target = RuntimeSections.headlineTarget
        var t = Table(header: ["optimizer", "reached", "median runtime", "95 % bootstrap CI", "vs fastest: p (Holm)"],
                      rows: [], numeric: [1, 2, 3, 4])
        guard let i = analysis.targetIndex(target), let row = analysis.cells[p] else { return (t, nil) }
        let family = analysis.family(problem: p, target: target)
        let names = analysis.optimizers.filter { row[$0] != nil }
        let fastest = names.min { (sampleMedian(row[$0]!.runtimes[i]), $0) < (sampleMedian(row[$1]!.runtimes[i]), $1) }
        for o in names.sorted(by: { (sampleMedian(row[$0]!.runtimes[i]), $0) < (sampleMedian(row[$1]!.runtimes[i]), $1) }) {
            let cell = row[o]!
            let ci = BootstrapInterval(cell.runtimes[i])
            var versus = "—"
            if o != fastest, let c = family?.comparisons.first(where: { ($0.a == o && $0.b == fastest) || ($0.b == o && $0.a == fastest) }) {
                versus = shortNumber(c.holm) + (c.significant ? " *" : "")
            }
            func r(_ v: Double) -> String { v.isFinite ? shortNumber(v) : "not reached" }
            t.rows.append([o, "\(cell.successes(i))/\(cell.seeds.count)", r(ci.median), "[\(r(ci.lower)), \(r(ci.upper))]", versus])
        }
        return (t, family)
    }

    /// What the seeds allow: the sentence saying when they are too few.
    func seedsSentence() -> String {
        guard let n = seedCounts.first else { return "" }
        let pUntied = MannWhitneyU.smallestUntiedP(n, n), pTied = MannWhitneyU.smallestP(n, n)
        let pExact = MannWhitneyU.smallestExactP(n, n)
        let pairs = analysis.optimizers.count * (analysis.optimizers.count - 1) / 2
        let needed = RuntimeAnalysis.seedsNeeded(pairs: pairs), neededOne = RuntimeAnalysis.seedsNeeded(pairs: 1)
        var s = "With \(n) seed\(n == 1 ? "" : "s") per optimizer the smallest two-sided p-value of the exact Mann–Whitney test is \(formatC(pExact, "%.3g")); the normal approximation reported here (scipy's asymptotic p) gives \(formatC(pUntied, "%.3g")) at complete separation and \(formatC(pTied, "%.3g")) when each optimizer's runtimes are all equal (deterministic runs), where it is too optimistic"
        if pExact > RuntimeAnalysis.alpha {
            s += ". So \(n) seeds are too few to tell any two optimizers apart: no pair is marked significant, whatever its p."
        } else if pUntied * Double(pairs) > RuntimeAnalysis.alpha {
            s += "; after Holm's correction over up to \(pairs) pairs only few differences can be significant."
        } else {
            s += "."
        }
        s += " Telling one pair apart needs ≥ \(neededOne) seeds each; \(pairs) pairs need ≥ \(needed)."
        return s
    }

    /// Significant pairs at the table targets, as lines "problem, target: A faster than B (p_holm)".
    func significantPairs() -> [String] {
        var out: [String] = []
        for p in analysis.problems {
            for target in RuntimeToTarget.tableTargets {
                guard let f = analysis.family(problem: p, target: target) else { continue }
                for c in f.comparisons where c.significant {
                    let slower = c.faster == c.a ? c.b : c.a
                    out.append("\(p), gap \(shortNumber(target)): \(c.faster) faster than \(slower) (p = \(shortNumber(c.test.p)), Holm \(shortNumber(c.holm)))")
                }
            }
        }
        return out
    }

    static let explanation = "Runtime to a gap target = the measure at the first logged point whose best loss so far is ≤ f* + target (the definition the profiles use too). ERT = (runtime of the runs that reached the target + everything the others spent) / number that reached it (∞: none did). Medians: unsolved runs count as +∞; 95 % percentile-bootstrap intervals (2000 resamples, fixed seed). Tests: two-sided Mann–Whitney U on the runtimes (unsolved ranked last, ties averaged; normal approximation with tie and continuity correction, as scipy.stats.mannwhitneyu), Holm–Bonferroni across the pairs of a (problem, target); * = significant at α = 0.05."

    func markdown() -> String {
        guard !isEmpty else { return "## Runtimes to targets\n\nNo problem with known f*: no runtime ECDF, ERT or significance tests.\n\n" }
        var md = "## Runtimes to targets (problems with known f*)\n\n" + RuntimeSections.explanation + " Runtime unit: \(analysis.measure.label).\n\n"
        md += "**Significance.** " + seedsSentence() + "\n\n"
        let pairs = significantPairs()
        md += pairs.isEmpty ? "No pair differs significantly at α = 0.05 (Holm) at the targets " + RuntimeToTarget.tableTargets.map(shortNumber).joined(separator: ", ") + ".\n\n"
            : "Significant at α = 0.05 after Holm (\(pairs.count)):\n\n" + pairs.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        for p in analysis.problems {
            md += "### \(p)\n\n" + ertTable(p).markdown() + "\n"
            md += "Median runtime to gap \(shortNumber(RuntimeSections.headlineTarget)):\n\n" + medianTable(p).0.markdown() + "\n"
        }
        md += "All 51 targets: `ert.csv`; every test: `significance.csv`.\n\n"
        return md
    }

    func html() -> String {
        guard !isEmpty else { return "<h2>Runtimes to targets</h2>\n<p class=\"note\">No problem with known f*: no runtime ECDF, ERT or significance tests.</p>\n" }
        var h = "<p class=\"note\">\(xmlEscape(RuntimeSections.explanation)) Runtime unit: \(xmlEscape(analysis.measure.label)).</p>\n"
        h += "<p class=\"significance\"><b>Significance.</b> \(xmlEscape(seedsSentence()))</p>\n"
        let pairs = significantPairs()
        if pairs.isEmpty {
            h += "<p class=\"significance\">No pair differs significantly at α = 0.05 (Holm) at the targets \(RuntimeToTarget.tableTargets.map(shortNumber).joined(separator: ", ")).</p>\n"
        } else {
            h += "<p class=\"significance\">Significant at α = 0.05 after Holm (\(pairs.count)):</p>\n<ul class=\"significant\">\n"
            h += pairs.map { "<li>\(xmlEscape($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        for p in analysis.problems {
            h += "<h3>\(xmlEscape(p))</h3>\n" + ertTable(p).html()
            h += "<p class=\"note\">Median runtime to gap \(shortNumber(RuntimeSections.headlineTarget)):</p>\n" + medianTable(p).0.html()
        }
        return h
    }
}
