import LinearAlgebra
import Optimizers
import Testing

/// m(s) − f = gᵀs + ½sᵀHs + (σ/3)‖s‖³, computed densely (independent of the solver's eigenbasis).
private func model(_ h: Matrix, _ g: [Double], _ sigma: Double, _ s: [Double]) -> Double {
    let hs = h * s
    var lin = 0.0, quad = 0.0, n2 = 0.0
    for i in 0..<s.count { lin += g[i] * s[i]; quad += s[i] * hs[i]; n2 += s[i] * s[i] }
    return lin + 0.5 * quad + sigma / 3 * n2 * n2.squareRoot()
}

/// Checks the global-optimality conditions and beats a brute-force search.
private func checkSolution(_ h: Matrix, _ g: [Double], _ sigma: Double, seed: UInt64,
                           expectHard: Bool? = nil) throws {
    let eig = try SymmetricEigen(h)
    let solver = CubicSubproblem(eigen: eig)
    let sol = solver.solve(gamma: solver.rotate(g), sigma: sigma)
    let s = solver.backTransform(sol.coordinates)
    let d = g.count
    let sNorm = BLAS.nrm2(s)
    // (H + λI)s = −g
    var residual = h * s
    for i in 0..<d { residual[i] += sol.lambda * s[i] + g[i] }
    #expect(BLAS.nrm2(residual) <= 1e-10 * max(1, BLAS.nrm2(g)), "residual \(BLAS.nrm2(residual))")
    // λ = σ‖s‖
    #expect(abs(sol.lambda - sigma * sNorm) <= 1e-10 * max(1, sol.lambda), "λ \(sol.lambda) vs σ‖s‖ \(sigma * sNorm)")
    // H + λI ⪰ 0
    #expect(eig.values[0] + sol.lambda >= -1e-10, "λ₁ + λ = \(eig.values[0] + sol.lambda)")
    if let expectHard { #expect(sol.hardCase == expectHard) }
    // Brute force: random points at many scales, perturbations of s, and the Cauchy point.
    let mStar = model(h, g, sigma, s)
    let mEigen = solver.modelDecrease(gamma: solver.rotate(g), sol.coordinates, sigma: sigma)
    let mScale: Double = max(1, abs(mStar))
    #expect(abs(mStar - mEigen) <= 1e-10 * mScale)
    var rng = SplitMix64(seed: seed)
    var best = Double.infinity
    for k in 0..<2000 {
        var t = [Double](repeating: 0, count: d)
        let scale = k < 1000 ? Double.pow(10, rng.uniform(in: -3, 1)) * max(sNorm, 1e-3) : 1e-3 * max(sNorm, 1e-3)
        for i in 0..<d { t[i] = (k < 1000 ? 0 : s[i]) + scale * rng.gaussian() }
        best = min(best, model(h, g, sigma, t))
    }
    let gn = BLAS.nrm2(g)
    if gn > 0 {  // Cauchy point: minimise along −g (1-D cubic, by a fine grid)
        for k in 1...4000 {
            let t = Double(k) / 4000 * 4 * (gn / sigma).squareRoot()
            best = min(best, model(h, g, sigma, g.map { -t * $0 / gn }))
        }
    }
    let bestScale: Double = max(1, abs(best))
    #expect(mStar <= best + 1e-12 * bestScale, "model \(mStar) vs brute force \(best)")
}

@Test(arguments: [UInt64(1), 2, 3])
func cubicSubproblemRandomPositiveDefinite(_ seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let d = 20
    let q = try randomOrthogonal(d, seed: seed)
    let h = symmetric(q, (0..<d).map { _ in Double.pow(10, rng.uniform(in: -2, 2)) })
    let g = (0..<d).map { _ in rng.gaussian() }
    for sigma in [1e-3, 1.0, 1e3] { try checkSolution(h, g, sigma, seed: seed, expectHard: false) }
}

@Test(arguments: [UInt64(4), 5, 6])
func cubicSubproblemRandomIndefinite(_ seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let d = 20
    let q = try randomOrthogonal(d, seed: seed)
    let h = symmetric(q, (0..<d).map { _ in rng.uniform(in: -5, 5) })
    let g = (0..<d).map { _ in rng.gaussian() }
    for sigma in [1e-2, 1.0, 100] { try checkSolution(h, g, sigma, seed: seed, expectHard: false) }
}

@Test(arguments: [UInt64(7), 8, 9])
func cubicSubproblemConstructedHardCase(_ seed: UInt64) throws {
    // g ⟂ the λ₁-eigenvector (λ₁ = −2, multiplicity 1 or 2) and small enough that ‖s(λ_L)‖ < λ_L/σ.
    var rng = SplitMix64(seed: seed)
    let d = 12
    let q = try randomOrthogonal(d, seed: seed)
    let multiplicity = seed == 8 ? 2 : 1
    var lambda = (0..<d).map { _ in rng.uniform(in: 1, 5) }
    for i in 0..<multiplicity { lambda[i] = -2 }
    let h = symmetric(q, lambda)
    var gamma = (0..<d).map { _ in 0.1 * rng.gaussian() }
    for i in 0..<multiplicity { gamma[i] = 0 }
    let g = q * gamma
    try checkSolution(h, g, 1.0, seed: seed, expectHard: true)
    // A saddle: g = 0 with negative curvature gives s = (−λ₁/σ)u₁.
    try checkSolution(h, [Double](repeating: 0, count: d), 2.0, seed: seed, expectHard: true)
}

@Test func cubicSubproblemSpecHardCase() throws {
    // B = diag(−1, 1, 2), g = (0, 1, 1), σ = 1: λ* = 1, s = (±0.7993, −1/2, −1/3), m = −7/12.
    let h = Matrix.diagonal([-1, 1, 2])
    let solver = CubicSubproblem(eigen: try SymmetricEigen(h))
    let gamma = solver.rotate([0, 1, 1])
    let sol = solver.solve(gamma: gamma, sigma: 1)
    let s = solver.backTransform(sol.coordinates)
    #expect(sol.hardCase)
    #expect(abs(sol.lambda - 1) <= 1e-14)
    let expectedFirst: Double = (1 - 0.25 - 1.0 / 9).squareRoot()
    #expect(abs(abs(s[0]) - expectedFirst) <= 1e-12)
    #expect(abs(s[1] + 0.5) <= 1e-14)
    #expect(abs(s[2] + 1.0 / 3) <= 1e-14)
    #expect(abs(solver.modelDecrease(gamma: gamma, sol.coordinates, sigma: 1) + 7.0 / 12) <= 1e-12)
}

@Test func cubicSubproblemOneDimensionalClosedForm() throws {
    // b = 0, g = −1, σ = 1: s solves σ|s|s = 1, so s = 1 and λ = 1.
    let solver = CubicSubproblem(eigen: try SymmetricEigen(Matrix.diagonal([0])))
    let sol = solver.solve(gamma: solver.rotate([-1]), sigma: 1)
    #expect(abs(solver.backTransform(sol.coordinates)[0] - 1) <= 1e-13)
    #expect(abs(sol.lambda - 1) <= 1e-13)
}
