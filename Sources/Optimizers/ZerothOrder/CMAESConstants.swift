import Foundation

/// The default strategy parameters of CMA-ES for dimension n, as in Hansen's
/// tutorial (arXiv:1604.00772, Table 1) with positive recombination weights
/// only (spec §9.2):
///
///     λ = 4 + ⌊3 ln n⌋,  μ = ⌊λ/2⌋,  wᵢ ∝ ln((λ+1)/2) − ln i (sum 1),  μ_eff = 1/Σwᵢ²
///     c_σ = (μ_eff + 2)/(n + μ_eff + 5),  d_σ = 1 + 2·max(0, √((μ_eff−1)/(n+1)) − 1) + c_σ
///     c_c = (4 + μ_eff/n)/(n + 4 + 2μ_eff/n),  c₁ = 2/((n + 1.3)² + μ_eff)
///     c_μ = min(1 − c₁, 2(μ_eff − 2 + 1/μ_eff)/((n + 2)² + μ_eff))
///     E‖N(0, I)‖ ≈ √n·(1 − 1/(4n) + 1/(21n²))
public struct CMAESConstants: Sendable, Equatable {
    public let dimension: Int
    /// Population size λ.
    public let lambda: Int
    /// Parents μ.
    public let mu: Int
    /// Recombination weights w₁ ≥ … ≥ w_μ > 0, summing to 1.
    public let weights: [Double]
    public let muEff: Double
    public let cSigma: Double
    public let dSigma: Double
    public let cC: Double
    public let c1: Double
    public let cMu: Double
    /// E‖N(0, I)‖.
    public let chiN: Double
    /// The active update's negative weights w_{μ+1} … w_λ (Hansen's tutorial,
    /// arXiv:1604.00772 eq. 53: w'ᵢ = ln((λ+1)/2) − ln i scaled to sum to
    /// −min(1 + c₁/c_μ, 1 + 2μ_eff⁻/(μ_eff + 2), (1 − c₁ − c_μ)/(n c_μ))).
    public var negativeWeights: [Double] {
        let lam = Double(lambda)
        let raw = ((mu + 1)...max(mu + 1, lambda)).map { log((lam + 1) / 2) - log(Double($0)) }.filter { $0 < 0 }
        guard !raw.isEmpty else { return [] }
        let total = raw.reduce(0) { $0 + abs($1) }
        let muEffMinus = raw.reduce(0, +) * raw.reduce(0, +) / raw.reduce(0) { $0 + $1 * $1 }
        let nd = Double(dimension)
        let alpha = min(1 + c1 / cMu, 1 + 2 * muEffMinus / (muEff + 2), (1 - c1 - cMu) / (nd * cMu))
        return raw.map { alpha * $0 / total }
    }

    /// `lambda` nil means the default 4 + ⌊3 ln n⌋.
    public init(dimension n: Int, lambda: Int? = nil) {
        precondition(n >= 1, "CMA-ES needs dimension ≥ 1")
        let nd = Double(n)
        dimension = n
        let lam = lambda ?? 4 + Int((3 * log(nd)).rounded(.down))
        let parents = lam / 2
        self.lambda = lam
        mu = parents
        let raw = (1...parents).map { log((Double(lam) + 1) / 2) - log(Double($0)) }
        let total = raw.reduce(0, +)
        let w = raw.map { $0 / total }
        let me = 1 / w.reduce(0) { $0 + $1 * $1 }
        weights = w
        muEff = me
        cSigma = (me + 2) / (nd + me + 5)
        dSigma = 1 + 2 * max(0, ((me - 1) / (nd + 1)).squareRoot() - 1) + (me + 2) / (nd + me + 5)
        cC = (4 + me / nd) / (nd + 4 + 2 * me / nd)
        let one = 2 / ((nd + 1.3) * (nd + 1.3) + me)
        c1 = one
        cMu = min(1 - one, 2 * (me - 2 + 1 / me) / ((nd + 2) * (nd + 2) + me))
        chiN = nd.squareRoot() * (1 - 1 / (4 * nd) + 1 / (21 * nd * nd))
    }
}
