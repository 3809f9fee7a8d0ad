import Foundation
import OptimizationCore

/// Analysis of a run directory (`traces.csv`, `summary.csv`, `manifest.json`):
/// the figures, the HTML report, `summary.md` and the ranked table that
/// `optlab compare` prints. Everything here reads files; nothing runs optimizers.
public enum RunReport {
    /// Reads `directory`'s files and writes `directory/plots/*.svg`,
    /// `report.html` (or `htmlPath`) and `summary.md`. Returns the paths written.
    /// `measure` is the runtime of the ECDF, ERT and significance sections
    /// (the trace's cost by default, or f_evals / d); `ert.csv` and
    /// `significance.csv` are written next to the report when a problem has a known f*.
    public static func write(directory: String, htmlPath: String? = nil, measure: RuntimeMeasure = .cost) throws -> [String] {
        let dir = try RunDirectory(path: directory)
        let report = try ReportContent(dir, measure: measure)
        let plots = directory + "/plots"
        do {
            try FileAccess.createDirectory(plots)
        } catch {
            throw PlotError(error.description)
        }
        var written: [String] = []
        for figure in report.figures {
            let path = plots + "/" + figure.file
            try writeText(figure.svg(standalone: true), to: path)
            written.append(path)
        }
        let html = htmlPath ?? directory + "/report.html"
        try writeText(try report.html(), to: html)
        written.append(html)
        if !report.runtime.isEmpty {
            try writeText(report.runtime.ertCSV(), to: directory + "/ert.csv")
            try writeText(report.runtime.significanceCSV(), to: directory + "/significance.csv")
            written += [directory + "/ert.csv", directory + "/significance.csv"]
        }
        let md = directory + "/summary.md"
        try writeText(report.markdown(), to: md)
        written.append(md)
        return written
    }

    /// The ranked table `optlab compare` prints: per problem the final gap or
    /// loss, evaluations and seconds to target, status; overall wins, solved
    /// counts and the area under the performance profile.
    public static func rankedTable(directory: String) throws -> String {
        let dir = try RunDirectory(path: directory)
        let rankings = Rankings(dir, profiles: ProfileData(dir))
        var out = ""
        for p in rankings.problems {
            out += rankings.heading(p) + "\n" + rankings.table(p).fixedWidth() + "\n"
        }
        out += "Overall (\(rankings.problems.count) problems, \(rankings.instances) problem×seed instances)\n"
        out += rankings.overallTable().fixedWidth()
        out += wrap(Rankings.legend, maxChars: 100).joined(separator: "\n") + "\n"
        return out
    }

    /// The convergence figure `optlab plot` draws, as SVG text.
    public static func convergencePlot(files: [String], selection: TraceSelection, logX: Bool, logY: Bool,
                                       title: String? = nil) throws -> String {
        let traces = try TraceSet.load(paths: files, selection: selection)
        let yCols = Array(Set(traces.y.values)).sorted()
        let yName = yCols.map(ColumnLabels.axis).joined(separator: " or ")
        let names = files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
        let figure = ConvergenceFigure(title: title ?? "\(yName) against \(ColumnLabels.axis(traces.x)) — \(names)",
                                       logX: logX, logY: logY)
        return figure.svg(traces)
    }
}

/// Writes UTF-8 text atomically (temporary name, then rename; the temporary
/// file is removed on failure). Errors are one line naming the path and why.
public func writeText(_ text: String, to path: String) throws {
    do {
        try FileAccess.writeAtomically(text, to: path, temporarySuffix: "\(getpid())-\(temporaryCounter.next())")
    } catch {
        throw PlotError(error.description)
    }
}

/// Keeps temporary names unique across threads.
private let temporaryCounter = TemporaryCounter()

private final class TemporaryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
