import Foundation

/// The standard normal distribution's tail, as the significance tests need it.
enum NormalDistribution {
    /// Φ(x), the standard normal CDF, branch for branch as Cephes' `ndtr`
    /// (which `scipy.special.ndtr` uses): `erf` near 0, `erfc` in the tails,
    /// so that tail probabilities keep their relative precision.
    static func cdf(_ a: Double) -> Double {
        if a.isNaN { return .nan }
        let x = a * 0.70710678118654752440  // a / √2
        let z = Swift.abs(x)
        if z < 0.70710678118654752440 { return 0.5 + 0.5 * Foundation.erf(x) }
        let y = 0.5 * Foundation.erfc(z)
        return x > 0 ? 1 - y : y
    }

    /// The survival function 1 − Φ(z), computed as Φ(−z) (as `scipy.stats.norm.sf` does).
    static func survival(_ z: Double) -> Double { cdf(-z) }
}
