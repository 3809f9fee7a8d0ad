#if canImport(Glibc)
import Glibc
#endif

/// A staircase figure for performance or data profiles: one panel, one
/// `<path class="profile">` per solver, y = fraction of instances in [0, 1].
struct ProfileFigure {
    var title: String
    var xLabel: String
    var yLabel: String
    var caption: String
    var scale: Axis.Scale
    var idPrefix: String

    /// `curves[s]` are the step points (x, y after the step) of solver s;
    /// each curve starts at y = 0 and is drawn to `xMax`.
    func svg(solvers: [String], curves: [[(Double, Double)]], xMin: Double, xMax: Double,
             palette: Palette, standalone: Bool = true) -> String {
        let legendWidth = min(340, 44 + (solvers.map { textWidth($0, size: 12) }.max() ?? 40))
        let pw = 440.0, ph = 320.0
        let width = pw + legendWidth + 10
        let frame = Frame(x: 66, y: 44, width: pw - 66 - 14, height: ph - 44 - 46)
        let base = scale == .log2 ? 2.0 : 10.0
        func pw2(_ v: Double, _ up: Bool) -> Double {
            let e = (scale == .log2 ? log2(v) : log10(v))
            return pow(base, up ? e.rounded(.up) : e.rounded(.down))
        }
        let lo = scale == .linear ? xMin : pw2(xMin, false)
        var hi = scale == .linear ? xMax : pw2(xMax, true)
        if hi <= lo { hi = lo * base }
        let xAxis = Axis(values: [], scale: scale, fixed: (lo, hi))
        let yAxis = Axis(values: [], scale: .linear, fixed: (-0.03, 1.03))
        var b = SVGBuilder()
        b.text(title, x: width / 2, y: 24, size: 15, anchor: "middle", weight: "bold", cls: "title")
        drawAxes(&b, frame: frame, xAxis: xAxis, yAxis: yAxis, xLabel: xLabel, yLabel: yLabel, clipID: "\(idPrefix)-clip")
        b.open("g", [("clip-path", "url(#\(idPrefix)-clip)")])
        for (s, name) in solvers.enumerated() {
            func py(_ v: Double) -> Double { frame.py(yAxis.unit(v) ?? 0) }
            var d = "M\(fmt(frame.px(0))) \(fmt(py(0)))"
            var y = 0.0
            for (x, v) in curves[s] {
                guard let u = xAxis.unit(x) else { continue }
                let px = frame.px(max(0, u))
                d += "L\(fmt(px)) \(fmt(py(y)))L\(fmt(px)) \(fmt(py(v)))"
                y = v
            }
            d += "L\(fmt(frame.px(1))) \(fmt(py(y)))"
            var attrs: [(String, String)] = [("class", "profile"), ("data-optimizer", name), ("d", d), ("fill", "none"),
                                             ("stroke", palette.colour(name)), ("stroke-width", "2"),
                                             ("stroke-linejoin", "round")]
            if let dash = palette.dash(name) { attrs.append(("stroke-dasharray", dash)) }
            b.element("path", attrs)
        }
        b.close("g")
        let lx = pw + 8
        b.open("g", [("class", "legend")])
        b.text("optimizer", x: lx, y: frame.y + 4, size: 11, weight: "bold", fill: "#444")
        // Alphabetical, like the convergence figures, whatever the run order.
        for (i, o) in solvers.sorted().enumerated() {
            let y = frame.y + 22 + Double(i) * 18
            b.open("g", [("class", "legend-entry"), ("data-optimizer", o)])
            b.element("title", [], text: o)
            b.line(lx, y - 4, lx + 26, y - 4, stroke: palette.colour(o), width: 2.5, dash: palette.dash(o))
            b.text(truncate(o, toWidth: legendWidth - 44, size: 12), x: lx + 32, y: y, size: 12)
            b.close("g")
        }
        b.close("g")
        // A long legend (many solvers) extends the figure instead of running
        // into the caption.
        let body = max(ph, frame.y + 22 + Double(solvers.count) * 18)
        let lines = wrap(caption, maxChars: Int((width - 20) / (11 * 0.56)))
        for (i, line) in lines.enumerated() {
            b.text(line, x: 10, y: body + 12 + Double(i) * 15, size: 11, fill: "#333", cls: "caption")
        }
        let height = body + 16 + Double(lines.count) * 15
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" fill=\"#ffffff\"/>\n"
        return out + b.body + "</svg>\n"
    }
}
