import OptimizationCore

/// One run's curve: the (x, y) points of one (problem, optimizer, seed),
/// sorted by x. y may be NaN or ±inf (a diverged run); those break the line.
public struct TraceSeries: Sendable {
    public let problem: String
    public let optimizer: String
    public let seed: String
    public var xs: [Double]
    public var ys: [Double]
}

/// What to read from trace files: the x and y columns (nil = the default
/// rule) and which problems and optimizers to keep (empty = all).
public struct TraceSelection: Sendable {
    public var x: String?
    public var y: String?
    public var problems: [String]
    public var optimizers: [String]

    public init(x: String? = nil, y: String? = nil, problems: [String] = [], optimizers: [String] = []) {
        self.x = x; self.y = y; self.problems = problems; self.optimizers = optimizers
    }
}

/// Trace files loaded for plotting: the series per panel, with the columns
/// that were actually used.
public struct TraceSet: Sendable {
    /// The x column (after applying the default rule).
    public let x: String
    /// The y column per problem. With a defaulted y this is `gap` where the
    /// problem has gap values and `loss` where it has none (f* unknown).
    public let y: [String: String]
    /// Problems in order of first appearance.
    public let problems: [String]
    /// All optimizer names in the files, before filtering (for colours).
    public let allOptimizers: [String]
    public let series: [TraceSeries]
    public let sources: [String]

    /// Reads and checks CSV files. Errors name the file, line and column; a
    /// missing column lists the columns present.
    public static func load(paths: [String], selection: TraceSelection) throws -> TraceSet {
        let tables = try paths.map { path throws(CSVError) in try CSV.read(path: path) }
        return try build(tables: tables, selection: selection)
    }

    /// The same from tables already parsed (e.g. in tests).
    public static func build(tables: [CSVTable], selection: TraceSelection) throws -> TraceSet {
        guard !tables.isEmpty else { throw PlotError("no trace files given") }
        for t in tables { for name in ["problem", "optimizer", "seed"] { _ = try t.column(name) } }
        let x = try selection.x ?? defaultX(tables)
        let yDefaulted = selection.y == nil
        let yWanted = try selection.y ?? defaultY(tables)
        if let wanted = selection.x, !xColumns.contains(wanted) {
            throw PlotError("unknown x column '\(wanted)'; accepted: \(xColumns.joined(separator: ", "))")
        }
        if let wanted = selection.y, !yColumns.contains(wanted) {
            throw PlotError("unknown y column '\(wanted)'; accepted: \(yColumns.joined(separator: ", "))")
        }

        var groups: [String: Int] = [:]
        var series: [TraceSeries] = []
        var problems: [String] = []
        var allOptimizers: Set<String> = []
        var yByProblem: [String: String] = [:]
        let keepProblems = Set(selection.problems), keepOptimizers = Set(selection.optimizers)
        var seenProblems: Set<String> = [], seenOptimizers: Set<String> = []

        for t in tables {
            let cp = try t.column("problem"), co = try t.column("optimizer"), cs = try t.column("seed")
            let cx = try t.column(x)
            let cy = try t.column(yWanted)
            // With a defaulted y of gap, problems whose gap is empty fall back to loss.
            let cl = yDefaulted && yWanted == "gap" ? try t.column("loss") : nil
            let cr = t.header.firstIndex(of: "run_id")
            var problemHasY: [String: Bool] = [:]
            if cl != nil {
                for r in t.rows.indices where !t.rows[r][cy].isEmpty { problemHasY[t.rows[r][cp]] = true }
            }
            for r in t.rows.indices {
                let row = t.rows[r]
                let problem = row[cp], optimizer = row[co]
                allOptimizers.insert(optimizer)
                seenProblems.insert(problem); seenOptimizers.insert(optimizer)
                if !keepProblems.isEmpty && !keepProblems.contains(problem) { continue }
                if !keepOptimizers.isEmpty && !keepOptimizers.contains(optimizer) { continue }
                let useLoss = cl != nil && problemHasY[problem] != true
                let ycol = useLoss ? cl! : cy
                yByProblem[problem] = useLoss ? "loss" : yWanted
                let xv = try t.requiredDouble(row: r, column: cx)
                let yv = try t.double(row: r, column: ycol)
                let key = (cr.map { row[$0] } ?? "") + "\u{1}" + problem + "\u{1}" + optimizer + "\u{1}" + row[cs]
                if groups[key] == nil {
                    groups[key] = series.count
                    series.append(TraceSeries(problem: problem, optimizer: optimizer, seed: row[cs], xs: [], ys: []))
                    if !problems.contains(problem) { problems.append(problem) }
                }
                guard let yv else { continue }  // missing value: no point
                series[groups[key]!].xs.append(xv)
                series[groups[key]!].ys.append(yv)
            }
        }
        for name in keepProblems where !seenProblems.contains(name) {
            throw PlotError("problem '\(name)' is not in the files; problems present: \(seenProblems.sorted().joined(separator: ", "))")
        }
        for name in keepOptimizers where !seenOptimizers.contains(name) {
            throw PlotError("optimizer '\(name)' is not in the files; optimizers present: \(seenOptimizers.sorted().joined(separator: ", "))")
        }
        let names = tables.map(\.source).joined(separator: ", ")
        if tables.allSatisfy({ $0.rows.isEmpty }) {
            throw PlotError("nothing to plot: \(names) \(tables.count == 1 ? "has" : "have") a header but no rows")
        }
        if !series.isEmpty && series.allSatisfy({ $0.xs.isEmpty }) {
            let y = Set(yByProblem.values).sorted().joined(separator: "/")
            throw PlotError("nothing to plot: column '\(y)' has no values in \(names)"
                            + (y == "test_metric" ? " (these problems have no test metric)" : "")
                            + "; choose another --y (\(yColumns.joined(separator: ", ")))")
        }
        for i in series.indices {
            let order = series[i].xs.indices.sorted { (series[i].xs[$0], $0) < (series[i].xs[$1], $1) }
            series[i].xs = order.map { series[i].xs[$0] }
            series[i].ys = order.map { series[i].ys[$0] }
        }
        return TraceSet(x: x, y: yByProblem, problems: problems, allOptimizers: allOptimizers.sorted(),
                        series: series, sources: tables.map(\.source))
    }

    /// x columns `optlab plot` accepts.
    public static let xColumns = ["step", "f_evals", "grad_evals", "hvp_evals", "hess_evals", "cost", "time_s"]
    /// y columns `optlab plot` accepts.
    public static let yColumns = ["loss", "gap", "best_loss", "grad_norm", "test_metric"]

    /// `f_evals` when every gradient, Hessian-vector and Hessian count present
    /// is zero (a zeroth-order run set: its true cost is function values),
    /// else `step`.
    static func defaultX(_ tables: [CSVTable]) throws -> String {
        var allZero = true
        var hasFEvals = true
        for t in tables {
            // f_evals counts only where it has values (another tool's trace may leave it empty).
            if let c = t.header.firstIndex(of: "f_evals") {
                if !t.rows.isEmpty && t.rows.allSatisfy({ $0[c].isEmpty }) { hasFEvals = false }
            } else {
                hasFEvals = false
            }
            for name in ["grad_evals", "hvp_evals", "hess_evals"] {
                guard let c = t.header.firstIndex(of: name) else { continue }
                for r in t.rows.indices where allZero {
                    if let v = try t.double(row: r, column: c), v != 0 { allZero = false }
                }
            }
        }
        if allZero && hasFEvals { return "f_evals" }
        if tables.allSatisfy({ $0.header.contains("step") }) { return "step" }
        return hasFEvals ? "f_evals" : "step"
    }

    /// `gap` when every file has the column and some value in it, else `loss`.
    static func defaultY(_ tables: [CSVTable]) throws -> String {
        let hasGap = tables.allSatisfy { t in
            guard let c = t.header.firstIndex(of: "gap") else { return false }
            return t.rows.contains { !$0[c].isEmpty }
        }
        return hasGap ? "gap" : "loss"
    }
}

/// A plotting error with a one-line message.
public struct PlotError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ message: String) { description = singleLine(message) }
}
