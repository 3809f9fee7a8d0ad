import RealModule

/// Counter-based random numbers for seed replay: every draw is a pure
/// function of (key, counter), so a block of a random direction can be
/// regenerated on any thread, in any order, without carrying RNG state.
///
/// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC'11 "Parallel random numbers:
/// as easy as 1, 2, 3"), the generator behind PyTorch's CUDA and JAX RNGs.
/// Known answers (Random123 KATs): counter 0 with key 0 gives
/// `6627e8d5 e169c58d bc57ac4c 9b00dbd8`.
public struct Philox4x32: Sendable, Hashable {
    public var key: (UInt32, UInt32)

    public init(key: (UInt32, UInt32)) { self.key = key }

    /// key = (seed low 32 bits, seed high 32 bits).
    public init(seed: UInt64) {
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }

    public static func == (a: Philox4x32, b: Philox4x32) -> Bool { a.key == b.key }
    public func hash(into h: inout Hasher) { h.combine(key.0); h.combine(key.1) }

    /// The 10-round Philox bijection of one 128-bit counter.
    @inlinable
    public func block(_ counter: (UInt32, UInt32, UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var c = counter
        var k0 = key.0, k1 = key.1
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(c.0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c.2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            c = (hi1 ^ c.1 ^ k0, lo1, hi0 ^ c.3 ^ k1, lo0)
            k0 &+= 0x9E37_79B9
            k1 &+= 0xBB67_AE85
        }
        return c
    }

    /// Four standard normals for block `j` of stream (step, tag), by
    /// Box–Muller on the pairs (x0, x1) and (x2, x3) with u1 = (x+1)/2³² ∈ (0, 1]
    /// and u2 = x/2³²; element i of a direction is `gaussians(i / 4, …)[i % 4]`.
    @inlinable
    public func gaussians(block j: UInt64, step: UInt32, tag: UInt32) -> (Double, Double, Double, Double) {
        let w = block((UInt32(truncatingIfNeeded: j), UInt32(truncatingIfNeeded: j >> 32), step, tag))
        let (a0, a1) = Philox4x32.boxMuller(w.0, w.1)
        let (b0, b1) = Philox4x32.boxMuller(w.2, w.3)
        return (a0, a1, b0, b1)
    }

    /// Four uniforms on [0, 1) with 32-bit resolution for block `j`.
    @inlinable
    public func uniforms(block j: UInt64, step: UInt32, tag: UInt32) -> (Double, Double, Double, Double) {
        let w = block((UInt32(truncatingIfNeeded: j), UInt32(truncatingIfNeeded: j >> 32), step, tag))
        let s = 1.0 / 4_294_967_296.0
        return (Double(w.0) * s, Double(w.1) * s, Double(w.2) * s, Double(w.3) * s)
    }

    @inlinable
    static func boxMuller(_ x: UInt32, _ y: UInt32) -> (Double, Double) {
        let u1 = (Double(x) + 1) / 4_294_967_296.0
        let u2 = Double(y) / 4_294_967_296.0
        let r = (-2 * Double.log(u1)).squareRoot()
        let t = 2 * Double.pi * u2
        return (r * Double.cos(t), r * Double.sin(t))
    }

    /// Fills `out` with the Gaussian direction elements `first ..< first + out.count`
    /// of stream (step, tag). Independent of how a vector is split into blocks.
    public func fillGaussians(_ out: UnsafeMutableBufferPointer<Double>, first: Int, step: UInt32, tag: UInt32) {
        var i = 0
        while i < out.count {
            let global = first + i
            let j = UInt64(global / 4)
            let g = gaussians(block: j, step: step, tag: tag)
            var lane = global % 4
            while lane < 4 && i < out.count {
                out[i] = lane == 0 ? g.0 : lane == 1 ? g.1 : lane == 2 ? g.2 : g.3
                lane += 1
                i += 1
            }
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood, OOPSLA 2014): a tiny, fast generator for
/// deriving seeds and for everyday draws (minibatch permutations, random
/// starts). Conforms to `RandomNumberGenerator`.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [0, 1) with 53-bit resolution.
    @inlinable
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on [a, b).
    @inlinable
    public mutating func uniform(in a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Standard normal by Box–Muller (one of the pair; simple and deterministic).
    public mutating func gaussian() -> Double {
        let u1 = (Double(next() >> 11) + 1) * 0x1.0p-53   // (0, 1]
        let u2 = uniform()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }

    /// A uniform integer in 0..<n (multiply-shift; bias below 2⁻⁶⁴·n).
    public mutating func integer(below n: Int) -> Int {
        precondition(n > 0, "integer(below:) needs n > 0")
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A Fisher–Yates permutation of 0..<n, written out so that it never
    /// depends on the standard library's shuffle algorithm.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            p.swapAt(i, j)
        }
        return p
    }

    /// A child seed for stream `index`, decorrelated from the parent (used to
    /// give every run, problem and noise source its own seed).
    public static func derive(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        var g = SplitMix64(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g.next()
    }
}
