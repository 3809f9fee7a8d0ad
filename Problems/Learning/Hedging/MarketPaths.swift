import LinearAlgebra
import RealModule

/// Seeded price paths of the hedging instrument on a uniform grid t_k = k·T/n,
/// k = 0…n, with zero interest rate (so S is a martingale and prices are
/// expectations of payoffs).
///
/// * `black_scholes`: exact log-normal steps S_{k+1} = S_k·exp(−σ²Δt/2 + σ√Δt·Z).
/// * `heston`: variance v with full-truncation Euler, v⁺ = max(v, 0),
///   v_{k+1} = v_k + κ(θ − v⁺)Δt + ξ√(v⁺Δt)·W, and log-Euler prices
///   S_{k+1} = S_k·exp(−v⁺Δt/2 + √(v⁺Δt)·Z), corr(Z, W) = ρ. Parameters
///   κ = 1.5, θ = v₀ = σ², ξ = 0.5, ρ = −0.7 (a common deep-hedging setting).
public struct MarketPaths: Sendable {
    /// The price model the paths follow.
    public enum Model: String, Sendable, CaseIterable { case black_scholes, heston }

    public let count: Int
    public let steps: Int
    /// Row-major count × (steps + 1).
    public let prices: [Double]

    public init(model: Model, count: Int, steps: Int, spot: Double, maturity: Double, volatility: Double, seed: UInt64) {
        self.count = count
        self.steps = steps
        let dt = maturity / Double(steps)
        var s = [Double](repeating: 0, count: count * (steps + 1))
        var rng = SplitMix64(seed: seed)
        let (kappa, theta, xi, rho) = (1.5, volatility * volatility, 0.5, -0.7)
        for i in 0..<count {
            var price = spot, v = theta
            s[i * (steps + 1)] = price
            for k in 1...steps {
                let z = rng.gaussian()
                switch model {
                case .black_scholes:
                    price *= Double.exp(-0.5 * theta * dt + volatility * dt.squareRoot() * z)
                case .heston:
                    let w = rho * z + (1 - rho * rho).squareRoot() * rng.gaussian()
                    let vp = max(v, 0)
                    price *= Double.exp(-0.5 * vp * dt + (vp * dt).squareRoot() * z)
                    v += kappa * (theta - vp) * dt + xi * (vp * dt).squareRoot() * w
                }
                s[i * (steps + 1) + k] = price
            }
        }
        prices = s
    }

    public func price(path i: Int, step k: Int) -> Double { prices[i * (steps + 1) + k] }
}
