import LinearAlgebra

/// A percentile-bootstrap confidence interval for the median of a sample.
///
/// B resamples of size n are drawn with replacement (indices from a
/// SplitMix64 stream with a fixed seed, so a report is reproducible); the
/// interval is the (α/2, 1 − α/2) quantiles of the B resampled medians, with
/// quantile q taken as the order statistic ⌈q·B⌉ (1-based; no interpolation,
/// so an interval end is always a median that some resample has). +∞ is an
/// ordinary value: when unsolved runs are +∞ the median — and an end of the
/// interval — can be +∞ ("not reached").
public struct BootstrapInterval: Sendable, Equatable {
    public let median: Double
    public let lower: Double
    public let upper: Double

    /// The fixed seed the reports use.
    public static let defaultSeed: UInt64 = 20_240_521
    public static let defaultResamples = 2000

    public init(_ sample: [Double], level: Double = 0.95, resamples: Int = BootstrapInterval.defaultResamples,
                seed: UInt64 = BootstrapInterval.defaultSeed) {
        precondition(!sample.isEmpty && resamples > 0 && level > 0 && level < 1)
        median = sampleMedian(sample)
        var rng = SplitMix64(seed: seed)
        var medians = [Double](repeating: 0, count: resamples)
        var draw = [Double](repeating: 0, count: sample.count)
        for b in 0..<resamples {
            for i in draw.indices { draw[i] = sample[rng.integer(below: sample.count)] }
            medians[b] = sampleMedian(draw)
        }
        medians.sort()
        func quantile(_ q: Double) -> Double {
            let k = Swift.min(resamples, Swift.max(1, Int((q * Double(resamples)).rounded(.up))))
            return medians[k - 1]
        }
        let tail = (1 - level) / 2
        lower = quantile(tail)
        upper = quantile(1 - tail)
    }
}

/// The median (mean of the two middle values for an even count; ∞ + ∞ stays ∞).
func sampleMedian(_ values: [Double]) -> Double {
    let v = values.sorted()
    let n = v.count
    if n % 2 == 1 { return v[n / 2] }
    let a = v[n / 2 - 1], b = v[n / 2]
    return a == b ? a : (a + b) / 2
}
