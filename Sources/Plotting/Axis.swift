#if canImport(Glibc)
import Glibc
#endif

/// One axis of a panel: its data range, scale, ticks and the floor below
/// which values are clipped on a log axis.
struct Axis {
    enum Scale { case linear, log10, log2 }

    let scale: Scale
    /// Range in data units (for log scales, powers of the base).
    let lo: Double
    let hi: Double
    /// On a log axis: values at or below this (including 0 and negatives)
    /// are drawn at `floor`. Nil when nothing was clipped.
    let clipFloor: Double?
    let ticks: [Double]

    /// An axis covering `values` (non-finite ones ignored). On a log axis the
    /// floor depends on the data: the larger of the smallest positive value
    /// and 1e-32 × the largest value, lowered to a power of ten; anything
    /// below (0, negatives, round-off noise) is drawn one decade under it.
    /// The window is wide (32 decades) because a gap that starts at 1e20
    /// (Zakharov, d = 500) must still be seen converging to 1e-10.
    /// `cap` limits the top (so one exploding run does not squash the rest).
    init(values: [Double], scale: Scale, cap: Double? = nil, fixed: (Double, Double)? = nil) {
        self.scale = scale
        let finite = values.filter { $0.isFinite }
        switch scale {
        case .linear:
            var a = finite.min() ?? 0, b = finite.max() ?? 1
            if let cap, b > cap { b = cap }
            if let fixed { (a, b) = fixed }
            if a == b { let d = a == 0 ? 1 : abs(a) * 0.1; a -= d; b += d }
            // A fixed range is kept as given (e.g. a little padding around
            // [0, 1] so curves on 0 or 1 do not hide under the frame).
            let step = niceStep((b - a) / (fixed == nil ? 5 : 6))
            let lo = fixed == nil ? (a / step).rounded(.down) * step : a
            let hi = fixed == nil ? (b / step).rounded(.up) * step : b
            self.lo = lo; self.hi = hi; self.clipFloor = nil
            var t: [Double] = []
            var k = (lo / step).rounded(.up)
            while k * step <= hi + step * 1e-9 { t.append(k * step == 0 ? 0 : k * step); k += 1 }
            self.ticks = t
        case .log10, .log2:
            let base = scale == .log10 ? 10.0 : 2.0
            func logb(_ v: Double) -> Double { scale == .log10 ? log10(v) : log2(v) }
            if let fixed {
                self.lo = fixed.0; self.hi = fixed.1; self.clipFloor = nil
            } else {
                let positive = finite.filter { $0 > 0 }
                var maxV = positive.max() ?? 1
                if let cap, maxV > cap { maxV = cap }
                let minPos = positive.min() ?? maxV / 10
                let noise = maxV * 1e-32
                let floorExp = logb(max(minPos, noise)).rounded(.down)
                let needsClip = finite.contains { $0 <= 0 } || minPos < noise
                let floor = pow(base, floorExp - (needsClip ? 1 : 0))
                var topExp = logb(maxV).rounded(.up)
                let bottomExp = logb(floor)
                if topExp <= bottomExp { topExp = bottomExp + 1 }
                self.lo = floor; self.hi = pow(base, topExp)
                self.clipFloor = needsClip ? floor : nil
            }
            let e0 = logb(lo).rounded(.down), e1 = logb(hi).rounded(.up)
            let decades = e1 - e0
            let every = [1.0, 2, 3, 5, 10, 20, 50, 100].first { decades / $0 <= 7 } ?? 100
            var t: [Double] = []
            var e = (e0 / every).rounded(.up) * every
            while e <= e1 { t.append(pow(base, e)); e += every }
            self.ticks = t
        }
    }

    /// Position in [0, 1] of a value (clipped values map to the floor; +inf
    /// maps above the top, −inf or NaN give nil).
    func unit(_ v: Double) -> Double? {
        if v.isNaN { return nil }
        switch scale {
        case .linear:
            if !v.isFinite { return v > 0 ? 1.5 : -0.5 }
            return (v - lo) / (hi - lo)
        case .log10, .log2:
            if v == .infinity { return 1.5 }
            let w = max(v, lo)
            let f: (Double) -> Double = scale == .log10 ? { log10($0) } : { log2($0) }
            return (f(w) - f(lo)) / (f(hi) - f(lo))
        }
    }

    /// The tick label: powers of the base as `10^k` (returned as base and
    /// exponent for superscript rendering), linear ticks in short form.
    func label(_ v: Double) -> (String, String?) {
        switch scale {
        case .log10:
            let e = Int(log10(v).rounded())
            if e == 0 { return ("1", nil) }
            if e == 1 { return ("10", nil) }
            return ("10", e < 0 ? "−\(-e)" : "\(e)")
        case .log2:
            let e = Int(log2(v).rounded())
            if e >= 0 && e <= 10 { return (String(1 << e), nil) }
            return ("2", e < 0 ? "−\(-e)" : "\(e)")
        case .linear:
            return (shortNumber(v), nil)
        }
    }
}

/// 1, 2 or 5 × a power of ten, at least `raw`.
func niceStep(_ raw: Double) -> Double {
    guard raw > 0 && raw.isFinite else { return 1 }
    let p = pow(10, log10(raw).rounded(.down))
    for m in [1.0, 2, 5, 10] where m * p >= raw * (1 - 1e-12) { return m * p }
    return 10 * p
}

/// A compact number for tick labels and tables: up to 3 significant digits,
/// scientific notation outside [1e-3, 1e5).
public func shortNumber(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    if v == 0 { return "0" }
    let a = abs(v)
    if a >= 1e-3 && a < 1e5 {
        var s = formatC(v, "%.3g")
        if s.contains("e") { s = formatC(v, "%.0f") }
        return s
    }
    let s = formatC(v, "%.2e")  // e.g. 1.23e-05
    guard let eIdx = s.firstIndex(of: "e") else { return s }
    var mant = String(s[..<eIdx])
    while mant.contains(".") && (mant.hasSuffix("0") || mant.hasSuffix(".")) { mant.removeLast() }
    let exp = Int(s[s.index(after: eIdx)...]) ?? 0
    return "\(mant)e\(exp)"
}

func formatC(_ v: Double, _ format: String) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([v]) { vsnprintf(&buffer, 64, format, $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
