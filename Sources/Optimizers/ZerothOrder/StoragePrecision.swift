/// The number format of a parameter store (spec §7.3, "low-bit storage"):
/// Float64, Float32, or bfloat16 kept as the upper 16 bits of a Float32.
///
/// Why rounding lives here and not in the store: with a low-precision store
/// the stored copy *is* the master copy, so every update must be rounded
/// into the format the same way whether θ lives in RAM (`mezo`) or in a
/// file (`zo2`). Updates use seeded stochastic rounding (E[round(x)] = x, so
/// updates below half an ulp are not lost); the initial point uses
/// round-to-nearest (bf16: Double → Float32 → bf16, each to nearest-even).
public enum StoragePrecision: String, Sendable, CaseIterable {
    case float64, float32, bf16

    /// Bytes per stored element.
    public var byteCount: Int {
        switch self {
        case .float64: return 8
        case .float32: return 4
        case .bf16: return 2
        }
    }

    /// The nearest representable value (ties to even).
    @inline(__always)
    public func nearest(_ x: Double) -> Double {
        switch self {
        case .float64: return x
        case .float32: return Double(Float(x))
        case .bf16: return Double(Self.bf16Float(Self.bf16BitsNearest(Float(x))))
        }
    }

    /// Stochastic rounding: x lies between representable neighbours lo < hi;
    /// the result is hi when u < (x − lo)/(hi − lo), else lo (u uniform on
    /// [0, 1)). Representable values, NaN and ±∞ are returned unchanged.
    @inline(__always)
    public func stochastic(_ x: Double, uniform u: Double) -> Double {
        switch self {
        case .float64:
            return x
        case .float32:
            let f = Float(x)
            guard f.isFinite, Double(f) != x else { return Double(f) }
            let (lo, hi) = Double(f) < x ? (f, f.nextUp) : (f.nextDown, f)
            return Self.pick(x, Double(lo), Double(hi), u)
        case .bf16:
            guard x.isFinite else { return x }
            let magnitude = abs(x)
            // The bf16 value at or below |x|: truncate the nearest Float32, step down if it overshot.
            var loBits = Float(magnitude).bitPattern & 0xFFFF_0000
            if Double(Float(bitPattern: loBits)) > magnitude { loBits -= 0x1_0000 }
            let lo = Double(Float(bitPattern: loBits))
            guard lo != magnitude else { return x }
            let hi = Double(Float(bitPattern: loBits + 0x1_0000))
            let r = Self.pick(magnitude, lo, hi, u)
            return x < 0 ? -r : r
        }
    }

    @inline(__always)
    static func pick(_ x: Double, _ lo: Double, _ hi: Double, _ u: Double) -> Double {
        guard hi.isFinite else { return lo }
        return u < (x - lo) / (hi - lo) ? hi : lo
    }

    /// bf16 bits of the Float32 nearest to `f` (ties to even; NaN stays NaN).
    @inline(__always)
    static func bf16BitsNearest(_ f: Float) -> UInt16 {
        let bits = f.bitPattern
        if f.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    @inline(__always)
    static func bf16Float(_ h: UInt16) -> Float { Float(bitPattern: UInt32(h) << 16) }

    /// Encodes `count` representable values into raw storage bytes (exact).
    public func encode(_ values: UnsafePointer<Double>, count: Int, into bytes: UnsafeMutableRawPointer) {
        switch self {
        case .float64:
            bytes.copyMemory(from: values, byteCount: count * 8)
        case .float32:
            let out = bytes.assumingMemoryBound(to: Float.self)
            for i in 0..<count { out[i] = Float(values[i]) }
        case .bf16:
            let out = bytes.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { out[i] = UInt16(truncatingIfNeeded: Float(values[i]).bitPattern >> 16) }
        }
    }

    /// Decodes `count` stored elements into Doubles (exact).
    public func decode(_ bytes: UnsafeRawPointer, count: Int, into values: UnsafeMutablePointer<Double>) {
        switch self {
        case .float64:
            UnsafeMutableRawPointer(values).copyMemory(from: bytes, byteCount: count * 8)
        case .float32:
            let input = bytes.assumingMemoryBound(to: Float.self)
            for i in 0..<count { values[i] = Double(input[i]) }
        case .bf16:
            let input = bytes.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { values[i] = Double(Self.bf16Float(input[i])) }
        }
    }
}
