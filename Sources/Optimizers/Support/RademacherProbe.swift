import LinearAlgebra

/// Rademacher probe vectors z ∈ {−1, +1}ᵈ for Hutchinson estimates of a
/// Hessian's diagonal (AdaHessian, Sophia-H), regenerated from (seed, step,
/// sample) by Philox4x32-10: zᵢ is −1 when the top bit of word i mod 4 of
/// block ⌊i/4⌋ is set. Counter-based, so a probe never needs storing and a
/// test can swap in the vectors a reference drew (``injected``).
struct RademacherProbe: Sendable {
    /// A replacement source: zᵢ for (step, sample, i), e.g. the probes a
    /// reference implementation used. Must return ±1.
    typealias Source = @Sendable (_ step: Int, _ sample: Int, _ index: Int) -> Double

    var philox = Philox4x32(seed: 0)
    var injected: Source?

    mutating func reseed(_ seed: UInt64) { philox = Philox4x32(seed: seed) }

    /// Writes the probe of (step, sample) into `z`.
    func fill(_ z: UnsafeMutableBufferPointer<Double>, step: Int, sample: Int) {
        if let injected {
            for i in 0..<z.count { z[i] = injected(step, sample, i) }
            return
        }
        let (s, tag) = (UInt32(truncatingIfNeeded: step), UInt32(truncatingIfNeeded: sample))
        var j = 0
        while j * 4 < z.count {
            let w = philox.block((UInt32(truncatingIfNeeded: j), UInt32(truncatingIfNeeded: j >> 32), s, tag))
            for k in 0..<Swift.min(4, z.count - j * 4) {
                let word = k == 0 ? w.0 : k == 1 ? w.1 : k == 2 ? w.2 : w.3
                z[j * 4 + k] = word & 0x8000_0000 != 0 ? -1 : 1
            }
            j += 1
        }
    }
}
