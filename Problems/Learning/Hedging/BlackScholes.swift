import Foundation

/// Black–Scholes prices (zero rates, no dividends): the reference a hedging
/// policy trained without transaction costs should approach.
public enum BlackScholes {
    /// Standard normal CDF, Φ(x) = ½·erfc(−x/√2).
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// C = S·Φ(d₁) − K·Φ(d₂), d₁,₂ = (log(S/K) ± σ²T/2)/(σ√T).
    public static func callPrice(spot s: Double, strike k: Double, maturity t: Double, volatility sigma: Double) -> Double {
        guard t > 0, sigma > 0 else { return max(s - k, 0) }
        let v = sigma * t.squareRoot()
        let d1 = (log(s / k) + 0.5 * v * v) / v
        return s * normalCDF(d1) - k * normalCDF(d1 - v)
    }

    /// Δ = Φ(d₁): the classical hedge ratio.
    public static func callDelta(spot s: Double, strike k: Double, maturity t: Double, volatility sigma: Double) -> Double {
        guard t > 0, sigma > 0 else { return s > k ? 1 : 0 }
        let v = sigma * t.squareRoot()
        return normalCDF((log(s / k) + 0.5 * v * v) / v)
    }
}
