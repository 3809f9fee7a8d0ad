/// A table of text cells rendered three ways: fixed-width for terminals,
/// Markdown for pull requests, HTML for the report.
struct Table {
    var header: [String]
    var rows: [[String]]
    /// Columns aligned right (numbers).
    var numeric: Set<Int> = []

    func fixedWidth(indent: String = "  ") -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, c) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                parts.append(numeric.contains(i) ? pad + c : c + pad)
            }
            var s = indent + parts.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s + "\n"
        }
        var out = line(header)
        out += indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for r in rows { out += line(r) }
        return out
    }

    func markdown() -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "| " + header.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + header.indices.map { numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
        for r in rows { out += "| " + r.map(esc).joined(separator: " | ") + " |\n" }
        return out
    }

    func html() -> String {
        var out = "<table>\n<thead><tr>" + header.map { "<th>\(xmlEscape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in rows {
            out += "<tr>" + r.enumerated().map { i, c in
                numeric.contains(i) ? "<td class=\"num\">\(xmlEscape(c))</td>" : "<td>\(xmlEscape(c))</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }
}

extension Rankings {
    /// The per-problem table: rank, optimizer, status, final and best value,
    /// seeds that reached the target, median cost and seconds to target.
    func table(_ p: Problem) -> Table {
        let value = p.usesGap ? "gap" : "loss"
        var t = Table(header: ["#", "optimizer", "status", "final \(value)", "best \(value)", "reached",
                               "cost→target", "s→target"], rows: [], numeric: [0, 3, 4, 5, 6, 7])
        for (i, e) in p.entries.enumerated() {
            t.rows.append(["\(i + 1)", e.optimizer, e.statusText, cell(e.finalValue), cell(e.bestValue),
                           "\(e.reached)/\(e.runs)", cell(e.costToTarget), cell(e.timeToTarget)])
        }
        return t
    }

    /// The overall table: wins, runs reaching the target, instances solved
    /// at τ, diverged runs and area scores.
    func overallTable() -> Table {
        var t = Table(header: ["optimizer", "wins", "reached target", "solved τ=1e-5", "diverged",
                               "area (cost)", "area (time)"], rows: [], numeric: [1, 2, 3, 4, 5, 6])
        for o in overall {
            t.rows.append([o.optimizer, "\(o.wins)/\(problems.count)", "\(o.reached)/\(o.runs)",
                           "\(o.solvedInstances)/\(instances)", "\(o.diverged)",
                           formatC(o.areaCost, "%.3f"), formatC(o.areaTime, "%.3f")])
        }
        return t
    }

    /// One line describing a problem's table.
    func heading(_ p: Problem) -> String {
        // dim 0: unknown (a summary derived from another tool's trace).
        var s = "\(p.name)  [\(p.family.isEmpty ? "—" : p.family), \(p.dim > 0 ? "n = \(p.dim)" : "n unknown")"
        if let f = p.fStar { s += ", f* = \(shortNumber(f))" } else { s += ", f* unknown: values are losses" }
        if let g = p.targetGap { s += ", target gap \(shortNumber(g))" }
        return s + "]"
    }

    static let legend = "Per problem: medians over seeds; ranked by seeds reaching the target, then median cost to target, then median best value. Overall: wins = rank-1 places; solved τ=1e-5 = (problem, seed) instances passing the Moré–Wild test f ≤ f_L + 1e-5·(f0 − f_L); area = AlgoPerf-style score, the performance profile of cost (or time) to that test integrated over τ ∈ [1, 4] and divided by 3 (1 = fastest everywhere)."
}

func cell(_ v: Double?) -> String { v.map(shortNumber) ?? "—" }
