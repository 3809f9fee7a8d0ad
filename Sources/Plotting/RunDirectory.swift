import Foundation
import OptimizationCore

/// The logged trace of one run, as the profiles need it.
public struct RunTrace: Sendable {
    public var cost: [Double] = []
    public var time: [Double] = []
    public var loss: [Double] = []
    public var bestLoss: [Double] = []
    /// Function evaluations at each logged point (runtime in f_evals / d).
    public var fEvals: [Double] = []
    public var step: [Double] = []
}

/// A run directory read into memory: summary rows, traces per run id, the
/// manifest (as parsed JSON) and the tables behind the convergence figures.
public struct RunDirectory {
    public let path: String
    public let summaries: [RunSummary]
    public let traces: [String: RunTrace]
    public let traceTable: CSVTable
    public let manifest: [String: Any]?
    public let manifestText: String?

    /// True when `summary.csv` was missing and the summary was derived from
    /// the traces (a trace file written by another tool, see ``TraceImport``).
    public let summaryDerived: Bool

    public init(path: String) throws {
        self.path = path
        var traces = try CSV.read(path: path + "/traces.csv")
        if traces.header != RunSchema.traceColumns { traces = try TraceImport.normalize(traces).traces }
        if FileAccess.kind(path + "/summary.csv") == .missing {
            self.summaries = try RunSummary.read(try TraceImport.summaries(traces))
            summaryDerived = true
        } else {
            self.summaries = try RunSummary.read(try CSV.read(path: path + "/summary.csv"))
            summaryDerived = false
        }
        self.traceTable = traces
        self.traces = try RunDirectory.readTraces(traces)
        if let text = readTextFile(path + "/manifest.json") {
            manifestText = text
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw PlotError("\(path)/manifest.json: not a JSON object")
            }
            manifest = object
        } else {
            manifestText = nil; manifest = nil
        }
        if summaries.isEmpty { throw PlotError("\(path)/summary.csv: no runs") }
        if traces.rows.isEmpty {
            let failed = summaries.filter { $0.status == "error" }
            if let first = failed.first, failed.count == summaries.count {
                throw PlotError("\(path): nothing to report, every run ended in error (\(failed.count) of \(summaries.count); "
                                + "e.g. \(first.problem) × \(first.optimizer) seed \(first.seed): \(first.reason))")
            }
            throw PlotError("\(path)/traces.csv: no rows")
        }
    }

    /// Problems, optimizers and seeds in order of first appearance.
    public var problems: [String] { unique(summaries.map(\.problem)) }
    public var optimizers: [String] { unique(summaries.map(\.optimizer)) }
    public var seeds: [String] { unique(summaries.map(\.seed)) }
    /// Each optimizer's family (summary.csv's `optimizer_family`, from the
    /// optimizer's descriptor in the catalog when the runs were made).
    public var optimizerFamilies: [String: String] {
        var out: [String: String] = [:]
        for s in summaries where out[s.optimizer] == nil { out[s.optimizer] = s.optimizerFamily }
        return out
    }

    static func readTraces(_ t: CSVTable) throws -> [String: RunTrace] {
        let cr = try t.column("run_id"), cc = try t.column("cost"), ct = try t.column("time_s")
        let cl = try t.column("loss"), cb = try t.column("best_loss")
        let cf = t.header.firstIndex(of: "f_evals"), cs = t.header.firstIndex(of: "step")
        var out: [String: RunTrace] = [:]
        for r in t.rows.indices {
            let id = t.rows[r][cr]
            let loss = try t.double(row: r, column: cl) ?? .nan
            let best = try t.double(row: r, column: cb) ?? loss
            out[id, default: RunTrace()].cost.append(try t.requiredDouble(row: r, column: cc))
            out[id, default: RunTrace()].time.append(try t.double(row: r, column: ct) ?? .nan)   // empty: another tool's trace
            out[id, default: RunTrace()].loss.append(loss)
            out[id, default: RunTrace()].bestLoss.append(best)
            out[id, default: RunTrace()].fEvals.append(try cf.flatMap { try t.double(row: r, column: $0) } ?? .nan)
            out[id, default: RunTrace()].step.append(try cs.flatMap { try t.double(row: r, column: $0) } ?? .nan)
        }
        return out
    }
}

func unique(_ xs: [String]) -> [String] {
    var seen: Set<String> = []
    return xs.filter { seen.insert($0).inserted }
}
