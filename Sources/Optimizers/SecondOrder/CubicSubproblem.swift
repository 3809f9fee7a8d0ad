import LinearAlgebra

/// The exact global minimiser of the cubic model
///
///     m(s) = gᵀs + ½ sᵀHs + (σ/3)‖s‖³        (Cartis–Gould–Toint convention; NP's M/6 is σ/3 with σ = M/2)
///
/// for symmetric H (any inertia) and σ > 0. The global minimiser is
/// characterised by (H + λI)s = −g, λ = σ‖s‖, H + λI ⪰ 0 (CGT 2011 Thm 3.1).
///
/// Method (spec second-order §6.2): with H = QΛQᵀ (`dsyevd`, done once by
/// the caller and reusable for any σ and g) and γ = Qᵀg, solve the secular
/// equation ψ(λ) = 1/‖s(λ)‖ − σ/λ = 0 on (λ_L, λ_L + √(σ‖g‖)], λ_L = max(0, −λ₁),
/// by Newton's method safeguarded with bisection; each evaluation is O(d).
/// The hard case (γ vanishes on the λ₁-eigenspace and the pseudo-inverse
/// step is too short) returns s = s(λ_L) + τu₁ with ‖s‖ = λ_L/σ.
public struct CubicSubproblem {
    /// The eigendecomposition of H.
    public let eigen: SymmetricEigen

    public init(eigen: SymmetricEigen) { self.eigen = eigen }

    /// The solution in the eigenbasis (y = Qᵀs), the multiplier λ and whether the hard case applied.
    public struct Solution {
        public var coordinates: [Double]
        public var lambda: Double
        public var hardCase: Bool
    }

    /// γ = Qᵀg (`dgemv`), the rotated gradient the solver works with.
    public func rotate(_ g: [Double]) -> [Double] {
        var gamma = [Double](repeating: 0, count: g.count)
        BLAS.gemv(eigen.vectors, g, into: &gamma, transpose: true)
        return gamma
    }

    /// s = Qy (`dgemv`).
    public func backTransform(_ y: [Double]) -> [Double] {
        var s = [Double](repeating: 0, count: y.count)
        BLAS.gemv(eigen.vectors, y, into: &s)
        return s
    }

    /// Model value m(s) − f = γᵀy + ½Σλᵢyᵢ² + (σ/3)‖y‖³, computed in the eigenbasis.
    public func modelDecrease(gamma: [Double], _ y: [Double], sigma: Double) -> Double {
        var linear = 0.0, quadratic = 0.0, norm2 = 0.0
        for i in 0..<y.count {
            linear += gamma[i] * y[i]
            quadratic += eigen.values[i] * y[i] * y[i]
            norm2 += y[i] * y[i]
        }
        let norm = norm2.squareRoot()
        return linear + 0.5 * quadratic + sigma / 3 * norm * norm2
    }

    /// Solves the subproblem for the rotated gradient γ and σ > 0.
    public func solve(gamma: [Double], sigma: Double) -> Solution {
        let lam = eigen.values
        let n = lam.count
        precondition(gamma.count == n && sigma > 0, "CubicSubproblem.solve: bad input")
        guard n > 0 else { return Solution(coordinates: [], lambda: 0, hardCase: false) }
        let lambda1 = lam[0]
        let lambdaL = max(0, -lambda1)
        let gNorm = BLAS.nrm2(gamma)
        let scale = max(abs(lam[0]), abs(lam[n - 1]), 1e-300)
        // The λ₁-eigenspace (multiplicity within a relative tolerance).
        var lowCount = 1
        while lowCount < n && lam[lowCount] - lambda1 <= 1e-10 * scale { lowCount += 1 }

        // Hard-case test: γ vanishes on the λ₁-eigenspace and λ₁ < 0.
        var lowMass = 0.0
        for i in 0..<lowCount { lowMass += gamma[i] * gamma[i] }
        if lambda1 < 0 && lowMass.squareRoot() <= 1e-12 * gNorm {
            var y = [Double](repeating: 0, count: n)
            var norm2 = 0.0
            for i in lowCount..<n {
                y[i] = -gamma[i] / (lam[i] + lambdaL)
                norm2 += y[i] * y[i]
            }
            let target = lambdaL / sigma
            if norm2 <= target * target {
                y[0] = (target * target - norm2).squareRoot()
                return Solution(coordinates: y, lambda: lambdaL, hardCase: true)
            }
        }
        if gNorm == 0 {  // g = 0 with H ⪰ 0: s = 0 is optimal
            return Solution(coordinates: [Double](repeating: 0, count: n), lambda: 0, hardCase: false)
        }

        // Secular equation ψ(λ) = 1/‖s(λ)‖ − σ/λ, increasing on (λ_L, ∞).
        func evaluate(_ l: Double) -> (psi: Double, dpsi: Double, norm: Double) {
            var s2 = 0.0, s3 = 0.0
            for i in 0..<n {
                let inv = 1 / (lam[i] + l)
                let t = gamma[i] * gamma[i] * inv * inv
                s2 += t
                s3 += t * inv
            }
            let norm = s2.squareRoot()
            return (1 / norm - sigma / l, s3 / (norm * s2) + sigma / (l * l), norm)
        }
        var lo = lambdaL
        var hi = lambdaL + (sigma * gNorm).squareRoot() * (1 + 1e-12) + 1e-300
        var l = hi
        var best = l
        for _ in 0..<300 {
            let (psi, dpsi, norm) = evaluate(l)
            best = l
            if abs(norm - l / sigma) <= 1e-13 * max(1, norm) || !psi.isFinite { break }
            if psi > 0 { hi = l } else { lo = l }
            var next = l - psi / dpsi
            if !(next > lo && next < hi) || !next.isFinite {
                next = lo > 0 && hi / lo > 1e3 ? (lo * hi).squareRoot() : 0.5 * (lo + hi)
            }
            if next == l || hi - lo <= 4 * Double.ulpOfOne * hi { break }
            l = next
        }
        l = best
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n { y[i] = -gamma[i] / (lam[i] + l) }
        return Solution(coordinates: y, lambda: l, hardCase: false)
    }
}
