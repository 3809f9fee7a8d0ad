/// The unscrambled Halton sequence: point i (i = 1, 2, …) has coordinate j
/// equal to the radical inverse of i in the j-th prime base. Point 0 (the
/// origin) is skipped, so the points are those of
/// `scipy.stats.qmc.Halton(d, scramble=False)` after `fast_forward(1)`.
public enum Halton {
    /// The first primes: at most this many dimensions.
    public static let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71]

    /// Point `index` (≥ 1) in `dimensions` dimensions, each coordinate in [0, 1).
    public static func point(_ index: Int, dimensions: Int) -> [Double] {
        precondition(index >= 0 && dimensions <= primes.count)
        return (0..<dimensions).map { radicalInverse(index, base: primes[$0]) }
    }

    /// The van der Corput radical inverse of n in `base`: the digits of n
    /// mirrored behind the radix point. Digit by digit, adding d·b⁻ᵏ with
    /// b⁻ᵏ built by repeated division — the order of scipy's own loop, so the
    /// doubles agree bit for bit.
    public static func radicalInverse(_ n: Int, base: Int) -> Double {
        var quotient = n
        var scale = 1.0 / Double(base)
        var sum = 0.0
        while quotient > 0 {
            sum += Double(quotient % base) * scale
            scale /= Double(base)
            quotient /= base
        }
        return sum
    }
}
