/// A convergence figure: one panel per problem, one line per optimizer (the
/// median over seeds) with a min–max band, shared legend, title and a
/// caption that states the aggregation, what y is, and any clipping.
///
/// SVG structure (tests rely on it): each panel is `<g class="panel"
/// data-problem=…>`; in it each optimizer has exactly one
/// `<path class="median" data-optimizer=…>` (NaN/inf break it into
/// sub-paths with `M`) and its band as `<polygon class="band">` pieces;
/// axes, ticks and grid are `<line>`; the legend is `<g class="legend">`
/// with one `<g class="legend-entry" data-optimizer=…>` per optimizer.
public struct ConvergenceFigure {
    public var title: String
    public var logX: Bool
    public var logY: Bool
    /// Prefix for element ids, unique per figure within one HTML page.
    public var idPrefix: String
    /// Extra caption sentences (e.g. the run set's budget).
    public var notes: [String] = []

    static let panelWidth = 360.0, panelHeight = 270.0
    static let margin = (left: 66.0, right: 14.0, top: 30.0, bottom: 46.0)

    public init(title: String, logX: Bool, logY: Bool, idPrefix: String = "fig") {
        self.title = title; self.logX = logX; self.logY = logY; self.idPrefix = idPrefix
    }

    /// Renders `traces`; colours come from `palette` (default: the files' optimizers).
    public func svg(_ traces: TraceSet, palette: Palette? = nil, standalone: Bool = true) -> String {
        let palette = palette ?? Palette(optimizers: traces.allOptimizers)
        let optimizers = Array(Set(traces.series.map(\.optimizer))).sorted()
        let nPanels = max(1, traces.problems.count)
        let columns = min(3, nPanels)
        let rows = (nPanels + columns - 1) / columns
        let legendFont = 12.0
        let legendWidth = min(340, 44 + (optimizers.map { textWidth($0, size: legendFont) }.max() ?? 40))
        let m = ConvergenceFigure.margin
        let pw = ConvergenceFigure.panelWidth, ph = ConvergenceFigure.panelHeight
        let top = 44.0
        // Wide enough for the title and a readable caption even with one panel.
        let width = max(Double(columns) * pw + legendWidth + 10, textWidth(title, size: 15) + 40, 640)
        var seedCounts: Set<Int> = []
        // Floor notes: (what was clipped) → panels where it was.
        var clipNotes: [(String, [String])] = []
        func note(_ what: String, _ problem: String) {
            if let i = clipNotes.firstIndex(where: { $0.0 == what }) { clipNotes[i].1.append(problem) }
            else { clipNotes.append((what, [problem])) }
        }

        var b = SVGBuilder()
        for (k, problem) in traces.problems.enumerated() {
            let ox = Double(k % columns) * pw, oy = top + Double(k / columns) * ph
            let runs = traces.series.filter { $0.problem == problem && !$0.xs.isEmpty }
            let byOpt = Dictionary(grouping: runs, by: \.optimizer)
            let aggs = optimizers.compactMap { o in byOpt[o].map { SeedAggregate(optimizer: o, series: $0, logX: logX) } }
            for a in aggs { seedCounts.insert(a.seeds) }
            let yCol = traces.y[problem] ?? "loss"
            let xAxis = Axis(values: aggs.flatMap(\.xs), scale: logX ? .log10 : .linear)
            let medians = aggs.flatMap(\.median).filter(\.isFinite)
            let medMin = medians.min() ?? 0
            // The top follows the starting values, not the largest value seen:
            // a diverging run (1e300 before it overflows) leaves through the
            // top instead of squashing every other curve onto the floor.
            let starts = aggs.compactMap { $0.median.first(where: \.isFinite) }
            let topRef = starts.max() ?? medians.max() ?? 1
            // A held-out metric (accuracy) rises from its start: no cap there.
            let cap: Double? = yCol == "test_metric" ? nil
                : logY ? (topRef > 0 ? topRef * 1e3 : 1) : topRef + max(1e-300, topRef - medMin) * 0.5
            let yAxis = Axis(values: aggs.flatMap { $0.median + $0.lower + $0.upper }, scale: logY ? .log10 : .linear, cap: cap)
            if let f = yAxis.clipFloor { note("y at \(shortNumber(f))", problem) }
            if let f = xAxis.clipFloor { note("x at \(shortNumber(f))", problem) }
            let frame = Frame(x: ox + m.left, y: oy + m.top, width: pw - m.left - m.right, height: ph - m.top - m.bottom)
            b.open("g", [("class", "panel"), ("data-problem", problem)])
            b.text(truncate(problem, toWidth: frame.width, size: 12), x: frame.x + frame.width / 2, y: oy + 18,
                   size: 12, anchor: "middle", weight: "bold", cls: "panel-title")
            let clipID = "\(idPrefix)-clip\(k)"
            drawAxes(&b, frame: frame, xAxis: xAxis, yAxis: yAxis,
                     xLabel: ColumnLabels.axis(traces.x), yLabel: ColumnLabels.axis(yCol), clipID: clipID)
            if aggs.isEmpty {
                b.text("no \(yCol) values in the files", x: frame.x + frame.width / 2, y: frame.y + frame.height / 2, size: 12, anchor: "middle", fill: "#888")
            }
            b.open("g", [("clip-path", "url(#\(clipID))")])
            for a in aggs {
                let colour = palette.colour(a.optimizer)
                for piece in bandPolygons(a, frame: frame, xAxis: xAxis, yAxis: yAxis) {
                    b.element("polygon", [("class", "band"), ("data-optimizer", a.optimizer), ("points", piece),
                                          ("fill", colour), ("fill-opacity", "0.15"), ("stroke", "none")])
                }
            }
            for a in aggs {
                var attrs: [(String, String)] = [("class", "median"), ("data-optimizer", a.optimizer),
                                                 ("d", linePath(xs: a.xs, ys: a.median, frame: frame, xAxis: xAxis, yAxis: yAxis)),
                                                 ("fill", "none"), ("stroke", palette.colour(a.optimizer)),
                                                 ("stroke-width", "1.8"), ("stroke-linejoin", "round")]
                if let d = palette.dash(a.optimizer) { attrs.append(("stroke-dasharray", d)) }
                b.element("path", attrs)
            }
            b.close("g")
            // Say which optimizers had seeds that ended non-finite (diverged).
            var notes: [String] = []
            for o in optimizers {
                let runsO = byOpt[o] ?? []
                let bad = runsO.filter { $0.ys.contains { !$0.isFinite } }.count
                guard bad > 0 else { continue }
                // The name gives way to the count, so the note never leaves the panel.
                let suffix = ": \(bad) of \(runsO.count) seeds non-finite"
                notes.append(truncate(o, toWidth: frame.width - 12 - textWidth(suffix, size: 9), size: 9) + suffix)
            }
            // Top right: the floor label sits bottom right, and curves that
            // leave through the top are the ones these notes explain.
            for (i, note) in notes.enumerated() {
                b.text(note, x: frame.x + frame.width - 4, y: frame.y + 11 + Double(i) * 11,
                       size: 9, anchor: "end", fill: "#555", cls: "panel-note", halo: true)
            }
            b.close("g")
        }

        // Legend, to the right of the panels.
        let lx = Double(columns) * pw + 8
        b.open("g", [("class", "legend")])
        b.text("optimizer", x: lx, y: top + m.top + 4, size: 11, weight: "bold", fill: "#444")
        for (i, o) in optimizers.enumerated() {
            let y = top + m.top + 22 + Double(i) * 18
            b.open("g", [("class", "legend-entry"), ("data-optimizer", o)])
            b.element("title", [], text: o)
            b.line(lx, y - 4, lx + 26, y - 4, stroke: palette.colour(o), width: 2.5, dash: palette.dash(o))
            b.text(truncate(o, toWidth: legendWidth - 44, size: legendFont), x: lx + 32, y: y, size: legendFont)
            b.close("g")
        }
        b.close("g")

        // Caption.
        let k = seedCounts.sorted()
        let seedText = k.count <= 1 ? "\(k.first ?? 0) seed\(k.first == 1 ? "" : "s")" : "\(k.first!)–\(k.last!) seeds"
        let yCols = Array(Set(traces.y.values)).sorted()
        var caption = "Line: median over \(seedText); band: min–max over seeds (seeds aligned on x by holding each run's last logged value; runs that stop early keep their last value; NaN counts as worst). "
        caption += yCols.map(ColumnLabels.meaning).joined(separator: "; ") + ". " + ColumnLabels.xMeaning(traces.x) + ". "
        if yCols.count > 1 { caption += "Problems with unknown f* show loss instead of gap. " }
        if logY || logX { caption += "Log axes: values ≤ 0 (or below 1e-32 × the panel maximum) are drawn at a per-panel floor one decade under the smallest value" }
        if !clipNotes.isEmpty {
            let parts = clipNotes.map { what, where_ in
                what + (where_.count == traces.problems.count && where_.count > 1 ? " in all panels"
                        : " in " + where_.map { truncate($0, toWidth: 200, size: 10) }.joined(separator: ", "))
            }
            caption += " (floors: " + parts.joined(separator: "; ") + ")"
        }
        if logY || logX { caption += ". " }
        caption += notes.joined(separator: " ")
        let captionLines = wrap(caption, maxChars: Int((width - 20) / (11 * 0.56)))
        // The legend may be taller than the panels (many optimizers).
        let body = max(top + Double(rows) * ph, top + m.top + 22 + Double(optimizers.count) * 18)
        let height = body + 10 + Double(captionLines.count) * 15 + 6
        for (i, line) in captionLines.enumerated() {
            b.text(line, x: 10, y: body + 14 + Double(i) * 15, size: 11, fill: "#333", cls: "caption")
        }

        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" fill=\"#ffffff\"/>\n"
        var t = SVGBuilder()
        t.text(title, x: width / 2, y: 24, size: 15, anchor: "middle", weight: "bold", cls: "title")
        out += t.body + b.body + "</svg>\n"
        return out
    }
}

/// The plotting rectangle of a panel, in SVG pixels.
struct Frame {
    let x: Double, y: Double, width: Double, height: Double
    func px(_ u: Double) -> Double { x + u * width }
    func py(_ u: Double) -> Double { y + height - u * height }
}

/// Frame, grid, ticks, tick labels (superscript exponents) and axis labels;
/// also defines the clip path of the panel's data.
func drawAxes(_ b: inout SVGBuilder, frame: Frame, xAxis: Axis, yAxis: Axis,
              xLabel: String, yLabel: String, clipID: String) {
    b.open("defs")
    b.open("clipPath", [("id", clipID)])
    b.element("rect", [("x", fmt(frame.x)), ("y", fmt(frame.y)), ("width", fmt(frame.width)), ("height", fmt(frame.height))])
    b.close("clipPath")
    b.close("defs")
    b.element("rect", [("x", fmt(frame.x)), ("y", fmt(frame.y)), ("width", fmt(frame.width)), ("height", fmt(frame.height)),
                       ("fill", "#fcfcfc"), ("stroke", "#666"), ("stroke-width", "1")])
    for t in xAxis.ticks {
        guard let u = xAxis.unit(t), u >= -1e-9, u <= 1 + 1e-9 else { continue }
        let x = frame.px(u)
        b.line(x, frame.y, x, frame.y + frame.height, stroke: "#e4e4e4", width: 1, cls: "grid")
        b.line(x, frame.y + frame.height, x, frame.y + frame.height + 4, stroke: "#666", width: 1, cls: "tick")
        tickLabel(&b, xAxis.label(t), x: x, y: frame.y + frame.height + 16, anchor: "middle")
    }
    for t in yAxis.ticks {
        guard let u = yAxis.unit(t), u >= -1e-9, u <= 1 + 1e-9 else { continue }
        let y = frame.py(u)
        b.line(frame.x, y, frame.x + frame.width, y, stroke: "#e4e4e4", width: 1, cls: "grid")
        b.line(frame.x - 4, y, frame.x, y, stroke: "#666", width: 1, cls: "tick")
        tickLabel(&b, yAxis.label(t), x: frame.x - 6, y: y + 4, anchor: "end")
    }
    if let f = yAxis.clipFloor, let u = yAxis.unit(f) {
        let y = frame.py(u)
        b.line(frame.x, y, frame.x + frame.width, y, stroke: "#999", width: 1, dash: "3 3", cls: "floor")
        b.text("floor (≤ \(shortNumber(f)) clipped)", x: frame.x + frame.width - 4, y: y - 3, size: 9, anchor: "end", fill: "#777", halo: true)
    }
    b.text(xLabel, x: frame.x + frame.width / 2, y: frame.y + frame.height + 34, size: 11, anchor: "middle", cls: "axis-label")
    b.text(yLabel, x: frame.x - 50, y: frame.y + frame.height / 2, size: 11, anchor: "middle", rotate: true, cls: "axis-label")
}

/// A tick label; a power renders as base with a raised, smaller exponent.
func tickLabel(_ b: inout SVGBuilder, _ label: (String, String?), x: Double, y: Double, anchor: String) {
    guard let exponent = label.1 else {
        b.text(label.0, x: x, y: y, size: 10, anchor: anchor, fill: "#333", cls: "tick-label")
        return
    }
    // Shift left/centre by the exponent's width so the whole label is anchored.
    let expWidth = textWidth(exponent, size: 8)
    let dx = anchor == "end" ? -expWidth : (anchor == "middle" ? -expWidth / 2 : 0)
    b.raw("<text x=\"\(fmt(x + dx))\" y=\"\(fmt(y))\" font-size=\"10\" text-anchor=\"\(anchor)\" fill=\"#333\" class=\"tick-label\">\(xmlEscape(label.0))<tspan dy=\"-5\" font-size=\"8\">\(xmlEscape(exponent))</tspan></text>\n")
}

/// SVG path data for a line through the finite points; NaN or infinite
/// values end the current sub-path (the line breaks there).
func linePath(xs: [Double], ys: [Double], frame: Frame, xAxis: Axis, yAxis: Axis) -> String {
    var d = ""
    var penDown = false
    for i in xs.indices {
        guard ys[i].isFinite, xs[i].isFinite, let ux = xAxis.unit(xs[i]), let uy = yAxis.unit(ys[i]) else {
            penDown = false; continue
        }
        d += (penDown ? "L" : "M") + fmt(frame.px(ux)) + " " + fmt(frame.py(uy))
        penDown = true
    }
    return d.isEmpty ? "M0 0" : d
}

/// The min–max band as polygons, one per run of grid points where the lower
/// bound is finite (an infinite upper bound is drawn above the frame top).
func bandPolygons(_ a: SeedAggregate, frame: Frame, xAxis: Axis, yAxis: Axis) -> [String] {
    guard a.seeds > 1 else { return [] }
    var pieces: [String] = []
    var top: [(Double, Double)] = [], bottom: [(Double, Double)] = []
    func flush() {
        if top.count >= 2 {
            let pts = top + bottom.reversed()
            pieces.append(pts.map { fmt($0.0) + "," + fmt($0.1) }.joined(separator: " "))
        }
        top.removeAll(); bottom.removeAll()
    }
    for i in a.xs.indices {
        guard a.lower[i].isFinite, let ux = xAxis.unit(a.xs[i]), let ul = yAxis.unit(a.lower[i]),
              let uh = yAxis.unit(a.upper[i]) else { flush(); continue }
        let x = frame.px(ux)
        top.append((x, frame.py(min(uh, 1.05)))); bottom.append((x, frame.py(max(ul, -0.05))))
    }
    flush()
    return pieces
}
