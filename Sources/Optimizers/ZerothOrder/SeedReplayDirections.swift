import LinearAlgebra
import OptimizationCore

/// Random directions that are never stored: element i of the direction of
/// step t is a pure function of (seed, t, tag, i), computed by Philox4x32-10
/// (spec §6.7). Any block of a direction can be regenerated on any thread,
/// in any order and under any block partition, with bit-identical results —
/// which is what lets MeZO perturb and update from one seed, and ZO2-style
/// streaming apply step t's update during step t + 1.
///
/// Counter layout: key = (seed low 32 bits, seed high 32 bits), counter =
/// (j low, j high, step, tag) with j = ⌊i/4⌋; each counter yields four values.
/// Gaussians use Box–Muller on the word pairs (u₁ = (x+1)/2³², u₂ = y/2³²);
/// Rademacher signs are the top bit of each word (set: −1); `ones` is the
/// z = 1 debug direction of ZO2 (for tests with exact arithmetic).
public struct SeedReplayDirections: Sendable {
    /// The distribution of each element.
    public enum Distribution: String, Sendable, CaseIterable {
        case gaussian, rademacher, ones
    }

    /// Counter tags separating the uses of one seed.
    public enum Tag {
        /// The perturbation direction z.
        public static let direction: UInt32 = 0
        /// DeepZero's sparse mask.
        public static let mask: UInt32 = 1
        /// Stochastic rounding into a low-precision store.
        public static let rounding: UInt32 = 2
    }

    public let generator: Philox4x32
    public let distribution: Distribution

    public init(seed: UInt64, distribution: Distribution = .gaussian) {
        generator = Philox4x32(seed: seed)
        self.distribution = distribution
    }

    /// z_i of step `step` (one element; loops use ``fill(_:first:step:)``).
    public func element(_ i: Int, step: Int) -> Double {
        var z = 0.0
        withUnsafeMutablePointer(to: &z) { fill(UnsafeMutableBufferPointer(start: $0, count: 1), first: i, step: step) }
        return z
    }

    /// Writes z_first … z_{first + out.count − 1} of step `step` into `out`.
    public func fill(_ out: UnsafeMutableBufferPointer<Double>, first: Int, step: Int) {
        precondition(first >= 0 && step >= 0 && step <= Int(UInt32.max), "direction index or step out of range")
        guard let base = out.baseAddress else { return }
        let t = UInt32(step)
        switch distribution {
        case .ones:
            base.update(repeating: 1, count: out.count)
        case .gaussian:
            Self.fillQuads(base, count: out.count, first: first) { j in
                generator.gaussians(block: j, step: t, tag: Tag.direction)
            }
        case .rademacher:
            Self.fillQuads(base, count: out.count, first: first) { j in
                let w = generator.block((UInt32(truncatingIfNeeded: j), UInt32(truncatingIfNeeded: j >> 32), t, Tag.direction))
                return (Self.sign(w.0), Self.sign(w.1), Self.sign(w.2), Self.sign(w.3))
            }
        }
    }

    /// Uniforms on [0, 1) (32-bit resolution) for stochastic rounding of
    /// elements first … of the update made by step `step`.
    public func fillRoundingUniforms(_ out: UnsafeMutableBufferPointer<Double>, first: Int, step: Int) {
        precondition(first >= 0 && step >= 0 && step <= Int(UInt32.max), "rounding index or step out of range")
        guard let base = out.baseAddress else { return }
        Self.fillQuads(base, count: out.count, first: first) { j in
            generator.uniforms(block: j, step: UInt32(step), tag: Tag.rounding)
        }
    }

    @inline(__always)
    static func sign(_ w: UInt32) -> Double { w & 0x8000_0000 == 0 ? 1 : -1 }

    /// Fills elements first ..< first + count from quads `quad(j)` = elements 4j … 4j+3:
    /// a ragged head, whole quads, a ragged tail.
    @inline(__always)
    static func fillQuads(_ out: UnsafeMutablePointer<Double>, count: Int, first: Int,
                          _ quad: (UInt64) -> (Double, Double, Double, Double)) {
        var i = 0
        func lane(_ q: (Double, Double, Double, Double), _ k: Int) -> Double {
            k == 0 ? q.0 : k == 1 ? q.1 : k == 2 ? q.2 : q.3
        }
        // Head: up to the next multiple of 4.
        if first % 4 != 0 {
            let q = quad(UInt64(first / 4))
            var k = first % 4
            while k < 4 && i < count { out[i] = lane(q, k); k += 1; i += 1 }
        }
        // Whole quads.
        while i + 4 <= count {
            let q = quad(UInt64((first + i) / 4))
            out[i] = q.0; out[i + 1] = q.1; out[i + 2] = q.2; out[i + 3] = q.3
            i += 4
        }
        // Tail.
        if i < count {
            let q = quad(UInt64((first + i) / 4))
            var k = 0
            while i < count { out[i] = lane(q, k); k += 1; i += 1 }
        }
    }
}
