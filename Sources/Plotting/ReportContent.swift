import Foundation
import OptimizationCore

/// A figure of the report: its file name under `plots/`, its heading and SVG.
struct ReportFigure {
    let file: String
    let heading: String
    let svg: (_ standalone: Bool) -> String
    /// Shown collapsed in the HTML (secondary views).
    let secondary: Bool

    func svg(standalone: Bool) -> String { svg(standalone) }
}

/// Everything the report shows, computed once from a run directory.
struct ReportContent {
    let dir: RunDirectory
    let rankings: Rankings
    let profiles: ProfileData
    let figures: [ReportFigure]
    let palette: Palette
    let runtime: RuntimeSections

    init(_ dir: RunDirectory, measure: RuntimeMeasure = .cost) throws {
        self.dir = dir
        profiles = ProfileData(dir)
        rankings = Rankings(dir, profiles: profiles)
        palette = Palette(optimizers: dir.optimizers, families: dir.optimizerFamilies)
        var figures: [ReportFigure] = []
        // Up to nine problems share one figure (a 3×3 grid of panels); more
        // are split into one figure per problem family.
        let families = unique(dir.summaries.map(\.problemFamily))
        let groups: [(String, [String])] = dir.problems.count <= 9 || families.count == 1
            ? [("", dir.problems)]
            : families.map { f in (f, unique(dir.summaries.filter { $0.problemFamily == f }.map(\.problem))) }
        let seedCount = dir.seeds.count
        let problemColumn = try dir.traceTable.column("problem")
        let tracedProblems = Set(dir.traceTable.rows.map { $0[problemColumn] })
        // A trace from another tool may have no times: then no time figures.
        let timeColumn = try dir.traceTable.column("time_s")
        let hasTimes = dir.traceTable.rows.contains { !$0[timeColumn].isEmpty }
        for (which, x) in [("cost", "cost"), ("time", "time_s")] where x == "cost" || hasTimes {
            for (family, allProblems) in groups {
                // A problem whose every run ended in error has no trace rows: no panel.
                let problems = allProblems.filter(tracedProblems.contains)
                if problems.isEmpty { continue }
                let traces = try TraceSet.build(tables: [dir.traceTable],
                                                selection: TraceSelection(x: x, problems: problems))
                let label = family.isEmpty ? "all problems" : family
                var fig = ConvergenceFigure(title: "Convergence on \(label): \(x == "cost" ? "median gap (or loss) against cost" : "median gap (or loss) against time")",
                                            logX: true, logY: true, idPrefix: "conv-\(which)-\(slug(family))")
                fig.notes = ["\(seedCount) seed\(seedCount == 1 ? "" : "s") per optimizer and problem." +
                             (x == "time_s" ? " Times are comparable only within one machine and thread count." : "")]
                let palette = self.palette
                figures.append(ReportFigure(file: "convergence-\(which)-\(slug(family)).svg",
                                            heading: "\(label) — against \(x == "cost" ? "cost" : "time")",
                                            svg: { fig.svg(traces, palette: palette, standalone: $0) },
                                            secondary: x == "time_s"))
            }
        }
        let palette = self.palette
        let solvers = profiles.solvers
        let tau = Rankings.areaTau
        let (pc, pt) = profiles.performance(tau: tau)
        let fLText = profiles.fLDescription
        let n = profiles.instances.count
        for (kind, prof) in [("cost", pc), ("time", pt)] {
            let curves = solvers.indices.map { s in prof.steps(s).map { ($0.tau, $0.rho) } }
            let fig = ProfileFigure(
                title: "Performance profile: \(kind) to reach τ = 1e-5",
                xLabel: "performance ratio τ = t / best t (log₂ scale)",
                yLabel: "fraction of instances ρ(τ)",
                caption: "Dolan–Moré profile over \(n) (problem, seed) instances: t = \(kind == "cost" ? "cost (f-eval equivalents)" : "optimizer seconds") until f ≤ f_L + τ(f0 − f_L) with τ = 1e-5; \(fLText). ρ(1) = fraction of instances where the optimizer was fastest; the right end = fraction solved. Failures are never counted; curves are relative to this set of optimizers.",
                scale: .log2, idPrefix: "perf-\(kind)")
            figures.append(ReportFigure(file: "performance-profile-\(kind).svg", heading: "Performance profile (\(kind))",
                                        svg: { fig.svg(solvers: solvers, curves: curves, xMin: 1, xMax: prof.failureRatio,
                                                       palette: palette, standalone: $0) },
                                        secondary: false))
        }
        for (label, t) in [("1e-3", 1e-3), ("1e-5", 1e-5)] {
            let dp = profiles.data(tau: t)
            let curves = solvers.indices.map { s in dp.steps(s).map { ($0.alpha, $0.d) } }
            let finite = dp.alphas.flatMap { $0 }.filter { $0.isFinite && $0 > 0 }
            let xMin = (finite.min() ?? 1) / 2, xMax = (finite.max() ?? 10) * 2
            let fig = ProfileFigure(
                title: "Data profile: τ = \(label)",
                xLabel: "budget α = cost / (n + 1)  (simplex gradients, log scale)",
                yLabel: "fraction of instances d(α)",
                caption: "Moré–Wild data profile over \(n) (problem, seed) instances: the fraction whose first point with f ≤ f_L + τ(f0 − f_L), τ = \(label), costs at most α·(n + 1); \(fLText).",
                scale: .log10, idPrefix: "data-\(label)")
            figures.append(ReportFigure(file: "data-profile-\(label).svg", heading: "Data profile (τ = \(label))",
                                        svg: { fig.svg(solvers: solvers, curves: curves, xMin: xMin, xMax: xMax,
                                                       palette: palette, standalone: $0) },
                                        secondary: false))
        }
        runtime = RuntimeSections(dir, measure: measure)
        if !runtime.isEmpty {
            figures.append(runtime.ecdfFigure(palette: palette))
            figures.append(runtime.fixedBudgetFigure(dir, palette: palette))
        }
        self.figures = figures
    }

    /// The one-paragraph description of what was run.
    var description: String {
        let s = dir.summaries
        var counts: [String] = []
        for st in unique(s.map(\.status)) { counts.append("\(s.filter { $0.status == st }.count) \(st)") }
        var text = "\(s.count) runs: \(dir.problems.count) problem\(dir.problems.count == 1 ? "" : "s") × \(dir.optimizers.count) optimizer\(dir.optimizers.count == 1 ? "" : "s") × \(dir.seeds.count) seed\(dir.seeds.count == 1 ? "" : "s") (\(counts.joined(separator: ", ")))."
        if let m = dir.manifest {
            let facts: [(String, [String])] = [
                ("command", ["command_line", "command", "commandLine", "argv"]),
                ("suite", ["suite"]), ("budgets", ["budgets", "budget"]),
                ("started", ["start_time", "started_utc", "start_time_utc", "started"]),
                ("lab version", ["lab_version", "version"]), ("commit", ["git_commit", "commit", "git"]),
                ("CPU", ["cpu_model", "cpu"]), ("OpenBLAS", ["openblas", "openblas_core"]),
            ]
            var parts: [String] = []
            for (label, keys) in facts {
                if let k = keys.first(where: { m[$0] != nil }), let v = m[k] { parts.append("\(label): \(jsonText(v))") }
            }
            if !parts.isEmpty { text += " " + parts.joined(separator: "; ") + "." }
        } else {
            text += " (No manifest.json in the directory.)"
        }
        if dir.summaryDerived {
            text += " No summary.csv: the summary was derived from traces.csv (status budget, or diverged when the last loss is not finite; f* only where the trace has gaps; cost from the counts, else the step; the dimension is unknown, so data profiles take α = cost)."
        }
        return text
    }

    func html() throws -> String {
        let title = "OptimizerLab report — " + (dir.path as NSString).lastPathComponent
        var h = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(xmlEscape(title))</title>
        <style>
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 24px auto; max-width: 1240px; padding: 0 16px; line-height: 1.4; }
        h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 20px 0 6px; font-family: "DejaVu Sans Mono", monospace; }
        p.lead { font-size: 14px; color: #333; } p.note { font-size: 12px; color: #555; }
        table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
        th, td { border: 1px solid #d4d4d4; padding: 3px 8px; text-align: left; }
        th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tbody tr:nth-child(odd) { background: #fafafa; }
        figure { margin: 12px 0 24px; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
        .profiles { display: flex; flex-wrap: wrap; gap: 12px; } .profiles figure { margin: 0; flex: 1 1 calc(50% - 6px); min-width: 360px; }
        pre { background: #f6f6f6; padding: 10px; font-size: 12px; overflow-x: auto; }
        details summary { cursor: pointer; font-weight: bold; margin: 8px 0; }
        \(InteractiveConvergence.css)
        </style>
        </head>
        <body>
        <h1>\(xmlEscape(title))</h1>
        <p class="lead">\(xmlEscape(description))</p>

        """
        h += "<h2>Overall</h2>\n" + rankings.overallTable().html()
        h += "<p class=\"note\">\(xmlEscape(Rankings.legend))</p>\n"
        h += "<h2>Convergence</h2>\n"
        h += try InteractiveConvergence(dir, palette: palette).html()
        h += "<h2>Performance and data profiles</h2>\n<div class=\"profiles\">\n"
        for f in figures where f.file.contains("profile") {
            h += "<figure id=\"\(f.file)\">\n" + f.svg(standalone: false) + "</figure>\n"
        }
        h += "</div>\n<h2>Runtimes to targets: ECDF, ERT, significance</h2>\n<div class=\"profiles\">\n"
        for f in figures where f.file == "runtime-ecdf.svg" {
            h += "<figure id=\"\(f.file)\">\n" + f.svg(standalone: false) + "</figure>\n"
        }
        h += "</div>\n"
        // Fixed-budget curves have one panel per problem: full width.
        for f in figures where f.file == "fixed-budget.svg" {
            h += "<figure id=\"\(f.file)\">\n" + f.svg(standalone: false) + "</figure>\n"
        }
        h += runtime.html()
        h += "<h2>Per-problem results</h2>\n"
        for p in rankings.problems {
            h += "<h3>\(xmlEscape(rankings.heading(p)))</h3>\n" + rankings.table(p).html()
        }
        h += "<h2>Manifest</h2>\n"
        if let text = dir.manifestText {
            h += "<pre>\(xmlEscape(text))</pre>\n"
        } else {
            h += "<p class=\"note\">No manifest.json in the run directory.</p>\n"
        }
        h += "<p class=\"note\">Figures are also in plots/ as SVG files (the convergence figures as medians with min–max bands). Generated by optlab report; self-contained: inline SVG and one inline script, no network.</p>\n"
        return h + "</body>\n</html>\n"
    }

    func markdown() -> String {
        var md = "# OptimizerLab summary — \((dir.path as NSString).lastPathComponent)\n\n\(description)\n\n## Overall\n\n"
        md += rankings.overallTable().markdown() + "\n" + Rankings.legend + "\n\n## Per problem\n\n"
        for p in rankings.problems {
            md += "### \(rankings.heading(p))\n\n" + rankings.table(p).markdown() + "\n"
        }
        md += runtime.markdown()
        md += "## Figures\n\n"
        for f in figures { md += "- \(f.heading): `plots/\(f.file)`\n" }
        return md
    }
}

/// A file-name-safe form of a label.
func slug(_ s: String) -> String {
    let mapped = s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
    let text = String(mapped).split(separator: "-").joined(separator: "-")
    return text.isEmpty ? "all" : text
}

/// Compact text for a JSON value from the manifest.
func jsonText(_ v: Any) -> String {
    if let s = v as? String { return s }
    if let a = v as? [Any] { return a.map(jsonText).joined(separator: " ") }
    if JSONSerialization.isValidJSONObject(v),
       let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) {
        return String(decoding: d, as: UTF8.self)
    }
    return "\(v)"
}
