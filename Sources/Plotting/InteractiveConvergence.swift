import OptimizationCore

/// The interactive part of report.html: the run data as inline JSON, the
/// controls (legend, family checkboxes, x-axis and y-scale switches) and
/// the container the page's own script (`ReportScript`) draws the
/// convergence panels into. No network: everything is in the page.
///
/// Every seed is a line (so hovering names the seed); the y value is the
/// gap where the problem has one and the loss where f* is unknown, as in
/// the static figures. With more than `Palette.familyThreshold` optimizers
/// the panels become small multiples: one row per optimizer family, each in
/// its family's palette.
struct InteractiveConvergence {
    let json: String
    let optimizers: [String]
    let families: [String]
    let familyOf: [String: String]
    let palette: Palette

    init(_ dir: RunDirectory, palette: Palette) throws {
        self.palette = palette
        let t = dir.traceTable
        let cr = try t.column("run_id"), cp = try t.column("problem"), co = try t.column("optimizer"), cs = try t.column("seed")
        let cst = try t.column("step"), cc = try t.column("cost"), ct = try t.column("time_s"), cl = try t.column("loss")
        let cg = t.header.firstIndex(of: "gap")
        let problems = dir.problems
        var problemHasGap: [String: Bool] = [:]
        if let cg { for r in t.rows where !r[cg].isEmpty { problemHasGap[r[cp]] = true } }
        let optimizers = dir.optimizers.sorted()
        let familyOf = dir.optimizerFamilies
        self.optimizers = optimizers
        self.familyOf = familyOf
        self.families = Array(Set(optimizers.map { familyOf[$0] ?? "" })).sorted()

        struct Run { var p: Int; var o: Int; var seed: String; var step: [String] = []; var cost: [String] = []; var time: [String] = []; var y: [String] = [] }
        var runs: [Run] = []
        var byID: [String: Int] = [:]
        let pIndex = Dictionary(uniqueKeysWithValues: problems.enumerated().map { ($1, $0) })
        let oIndex = Dictionary(uniqueKeysWithValues: optimizers.enumerated().map { ($1, $0) })
        func num(_ v: Double?) -> String {
            guard let v, v.isFinite else { return "null" }
            return formatC(v, "%.6g")
        }
        for r in t.rows.indices {
            let row = t.rows[r]
            guard let p = pIndex[row[cp]], let o = oIndex[row[co]] else { continue }
            let key = row[cr] + "\u{1}" + row[cp] + "\u{1}" + row[co] + "\u{1}" + row[cs]
            let k: Int
            if let i = byID[key] { k = i } else { k = runs.count; byID[key] = k; runs.append(Run(p: p, o: o, seed: row[cs])) }
            let useGap = cg != nil && problemHasGap[row[cp]] == true
            runs[k].step.append(num(try t.double(row: r, column: cst)))
            runs[k].cost.append(num(try t.double(row: r, column: cc)))
            runs[k].time.append(num(try t.double(row: r, column: ct)))
            runs[k].y.append(num(try t.double(row: r, column: useGap ? cg! : cl)))
        }
        func str(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "<": out += "\\u003c"   // never "</script>" inside the JSON
                case ">": out += "\\u003e"
                case "&": out += "\\u0026"
                default: if u.value < 0x20 { out += "\\u" + String(format4(u.value)) } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }
        var j = "{\"familyThreshold\":\(Palette.familyThreshold),\"smallMultiples\":\(optimizers.count > Palette.familyThreshold),"
        j += "\"problems\":[" + problems.map { p in
            "{\"name\":\(str(p)),\"y\":\(str(problemHasGap[p] == true ? "gap" : "loss"))}"
        }.joined(separator: ",") + "],"
        j += "\"families\":[" + families.map(str).joined(separator: ",") + "],"
        j += "\"optimizers\":[" + optimizers.map { o in
            "{\"name\":\(str(o)),\"family\":\(str(familyOf[o] ?? "")),\"colour\":\(str(palette.colour(o))),\"dash\":\(palette.dash(o).map(str) ?? "null")}"
        }.joined(separator: ",") + "],"
        j += "\"runs\":[\n" + runs.map { r in
            "{\"p\":\(r.p),\"o\":\(r.o),\"seed\":\(str(r.seed)),\"step\":[\(r.step.joined(separator: ","))],\"cost\":[\(r.cost.joined(separator: ","))],\"time\":[\(r.time.joined(separator: ","))],\"y\":[\(r.y.joined(separator: ","))]}"
        }.joined(separator: ",\n") + "]}"
        json = j
    }

    /// The controls, the figure container, the tooltip, the data and the script.
    func html() -> String {
        var h = "<div id=\"controls\" class=\"controls\">\n"
        h += "<div class=\"control-row\"><span class=\"control-label\">Families:</span>"
        for f in families {
            let n = optimizers.filter { (familyOf[$0] ?? "") == f }.count
            h += "<label class=\"family-filter\"><input type=\"checkbox\" class=\"family-toggle\" value=\"\(xmlEscape(f))\" checked> \(xmlEscape(f.isEmpty ? "(none)" : f)) (\(n))</label>"
        }
        h += "<span class=\"control-label\">x-axis:</span><select id=\"x-axis\"><option value=\"step\">steps</option><option value=\"cost\" selected>cost</option><option value=\"time\">time</option></select>"
        h += "<label><input type=\"checkbox\" id=\"log-x\" checked> log x</label>"
        h += "<label><input type=\"checkbox\" id=\"log-y\" checked> log y</label>"
        h += "<button type=\"button\" id=\"show-all\">show all</button></div>\n"
        h += "<div id=\"legend\" class=\"legend-bar\">"
        for f in families {
            h += "<div class=\"legend-family\"><span class=\"legend-family-name\">\(xmlEscape(f.isEmpty ? "(none)" : f))</span>"
            for o in optimizers where (familyOf[o] ?? "") == f {
                let dash = palette.dash(o).map { " stroke-dasharray=\"\($0)\"" } ?? ""
                h += "<button type=\"button\" class=\"legend-item\" data-optimizer=\"\(xmlEscape(o))\" data-family=\"\(xmlEscape(f))\" title=\"click: hide or show \(xmlEscape(o)) in every figure\"><svg width=\"26\" height=\"10\"><line x1=\"1\" y1=\"5\" x2=\"25\" y2=\"5\" stroke=\"\(palette.colour(o))\" stroke-width=\"3\"\(dash)/></svg>\(xmlEscape(o))</button>"
            }
            h += "</div>"
        }
        h += "</div>\n</div>\n"
        h += "<div id=\"convergence\" class=\"convergence\"></div>\n"
        h += "<p class=\"note\" id=\"convergence-caption\">Every line is one seed; hover a line for its optimizer, seed, step, cost, time and value. y: gap f − f* where f* is known, else the loss; on a log axis values ≤ 0 are drawn at the panel's floor, and x = 0 is not drawn on a log x-axis. Clicking a legend entry hides or shows that optimizer in every figure of the page; the checkboxes hide whole families. The static figures (median over seeds with min–max band) are in plots/.</p>\n"
        h += "<div id=\"tooltip\" class=\"tooltip\" hidden></div>\n"
        h += "<script type=\"application/json\" id=\"report-data\">\n" + json + "\n</script>\n"
        h += "<script>\n" + ReportScript.source + "\n</script>\n"
        return h
    }

    static let css = """
    .controls { position: sticky; top: 0; background: #fff; z-index: 5; border-bottom: 1px solid #ddd; padding: 6px 0; font-size: 12px; }
    .control-row { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 4px; }
    .control-label { font-weight: bold; }
    .legend-bar { display: flex; flex-wrap: wrap; gap: 4px 14px; }
    .legend-family { display: flex; flex-wrap: wrap; gap: 2px; align-items: center; }
    .legend-family-name { font-weight: bold; margin-right: 4px; }
    .legend-item { font: inherit; font-size: 12px; border: 1px solid #ccc; background: #fafafa; border-radius: 3px; padding: 1px 5px; cursor: pointer; display: inline-flex; align-items: center; gap: 3px; }
    .legend-item.off { opacity: 0.35; text-decoration: line-through; }
    svg .off { display: none; }
    svg g.legend-entry.off { display: inline; opacity: 0.3; }
    svg g.legend-entry { cursor: pointer; }
    .convergence svg { border: 1px solid #eee; max-width: 100%; height: auto; }
    .convergence .run { fill: none; stroke-width: 1.3; stroke-linejoin: round; }
    .convergence .run.hover { stroke-width: 3.2; }
    .tooltip { position: absolute; background: rgba(255,255,255,0.96); border: 1px solid #888; padding: 4px 7px; font-size: 12px; pointer-events: none; white-space: pre; z-index: 10; box-shadow: 1px 1px 4px rgba(0,0,0,0.2); }
    #selftest-result { background: #eef; }
    """
}

func format4(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}
