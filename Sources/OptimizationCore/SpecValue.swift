/// A typed hyperparameter value.
public enum SpecValue: Sendable, Hashable, CustomStringConvertible {
    case real(Double)
    case integer(Int)
    case boolean(Bool)
    case text(String)

    /// The canonical spelling used in spec strings and CSV columns.
    public var description: String {
        switch self {
        case .real(let x): return formatNumber(x)
        case .integer(let n): return String(n)
        case .boolean(let b): return b ? "true" : "false"
        case .text(let s): return SpecString.quoteIfNeeded(s)
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .real(let x): return x
        case .integer(let n): return Double(n)
        default: return nil
        }
    }
}

/// Shortest round-trip spelling of a Double with a tidy exponent:
/// `0.001`, `1e-08` → `1e-8`, `100.0` → `100`, `1e+20` → `1e20`.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    var s = "\(x)"
    if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        var mantissa = String(s[..<e])
        var exponent = String(s[s.index(after: e)...])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var sign = ""
        if exponent.hasPrefix("-") { sign = "-"; exponent.removeFirst() } else if exponent.hasPrefix("+") { exponent.removeFirst() }
        while exponent.count > 1 && exponent.hasPrefix("0") { exponent.removeFirst() }
        s = mantissa + "e" + sign + exponent
    }
    return s
}
