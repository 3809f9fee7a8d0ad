/// A minimal SVG/XML text builder. Every attribute value and text node goes
/// through `xmlEscape`, so the output is always well-formed XML whatever the
/// problem or optimizer names contain.
struct SVGBuilder {
    private(set) var body = ""

    mutating func raw(_ text: String) { body += text }

    /// Appends `<name a="v" …/>` (or with text content when `text` is given).
    mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        body += "<" + name
        for (k, v) in attributes { body += " \(k)=\"\(xmlEscape(v))\"" }
        if let text { body += ">" + xmlEscape(text) + "</\(name)>\n" } else { body += "/>\n" }
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        body += "<" + name
        for (k, v) in attributes { body += " \(k)=\"\(xmlEscape(v))\"" }
        body += ">\n"
    }

    mutating func close(_ name: String) { body += "</\(name)>\n" }

    /// A text element anchored at (x, y).
    mutating func text(_ s: String, x: Double, y: Double, size: Double, anchor: String = "start",
                       weight: String? = nil, rotate: Bool = false, fill: String = "#222", cls: String? = nil,
                       halo: Bool = false) {
        var a: [(String, String)] = [("x", fmt(x)), ("y", fmt(y)), ("font-size", fmt(size)), ("text-anchor", anchor), ("fill", fill)]
        if let weight { a.append(("font-weight", weight)) }
        // A white outline drawn under the glyphs keeps text readable over curves.
        if halo { a += [("stroke", "#ffffff"), ("stroke-width", "3"), ("stroke-linejoin", "round"), ("paint-order", "stroke")] }
        if rotate { a.append(("transform", "rotate(-90 \(fmt(x)) \(fmt(y)))")) }
        if let cls { a.append(("class", cls)) }
        element("text", a, text: s)
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil, cls: String? = nil) {
        var a: [(String, String)] = [("x1", fmt(x1)), ("y1", fmt(y1)), ("x2", fmt(x2)), ("y2", fmt(y2)),
                                     ("stroke", stroke), ("stroke-width", fmt(width))]
        if let dash { a.append(("stroke-dasharray", dash)) }
        if let cls { a.append(("class", cls)) }
        element("line", a)
    }
}

/// Escapes the five XML special characters.
func xmlEscape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(c)
        }
    }
    return out
}

/// A coordinate with at most two decimals: short SVG, no exponent notation.
func fmt(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let r = (v * 100).rounded() / 100
    if r == r.rounded() && abs(r) < 1e15 { return String(Int(r)) }
    return String(r)
}

/// Rough width in pixels of `s` in a sans-serif font of `size` px, used
/// for layout (legend width, truncation) without a font engine.
func textWidth(_ s: String, size: Double) -> Double {
    Double(s.count) * size * 0.6
}

/// Shortens `s` with an ellipsis so that it fits `width` pixels.
func truncate(_ s: String, toWidth width: Double, size: Double) -> String {
    let maxChars = max(4, Int(width / (size * 0.6)))
    if s.count <= maxChars { return s }
    return String(s.prefix(maxChars - 1)) + "…"
}

/// Splits text into lines of at most `maxChars` characters at spaces.
func wrap(_ text: String, maxChars: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ") {
        if !current.isEmpty && current.count + 1 + word.count > maxChars {
            lines.append(current)
            current = String(word)
        } else {
            current += current.isEmpty ? String(word) : " " + word
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}
