import LinearAlgebra
import OptimizationCore

/// The cubic subproblem min gᵀs + ½sᵀHs + (σ/3)‖s‖³ restricted to the Krylov
/// space K_j(H, g), for HVP-only objectives and large d (spec second-order §6.3).
///
/// Lanczos with full reorthogonalisation from q₁ = g/‖g‖ builds QⱼᵀHQⱼ = Tⱼ
/// (one Hessian-vector product per iteration); the reduced problem
/// min ‖g‖e₁ᵀy + ½yᵀTⱼy + (σ/3)‖y‖³ is solved exactly by ``CubicSubproblem``
/// (on the small dense Tⱼ) and s = Qⱼy. Lanczos stops when the model
/// gradient, whose norm is βⱼ₊₁|yⱼ|, is at most κ_θ·min(1, ‖s‖)·‖g‖
/// (CGT's TC.s rule, κ_θ = 0.1), on an invariant subspace, or after `maxIterations`.
struct CubicLanczos {
    /// Orthonormal Lanczos vectors q₁…qⱼ.
    private(set) var basis: [[Double]] = []
    private var alphas: [Double] = []
    private var betas: [Double] = []
    private(set) var gradientNorm = 0.0

    /// Builds the Krylov basis at x for gradient g, solving the reduced problem for σ
    /// after each iteration to test the stopping rule.
    mutating func build(at x: [Double], gradient g: [Double], sigma: Double, maxIterations: Int,
                        kappa: Double = 0.1, oracle: inout Oracle) throws {
        basis = []; alphas = []; betas = []
        gradientNorm = BLAS.nrm2(g)
        guard gradientNorm > 0 else { return }
        var q = g
        BLAS.scal(1 / gradientNorm, &q)
        var hq = [Double](repeating: 0, count: g.count)
        for _ in 0..<min(maxIterations, g.count) {
            basis.append(q)
            try oracle.hessianVectorProduct(at: x, q, into: &hq)
            let a = BLAS.dot(q, hq)
            alphas.append(a)
            var r = hq
            for _ in 0..<2 {   // full reorthogonalisation, twice is enough
                for v in basis { BLAS.axpy(-BLAS.dot(v, r), v, &r) }
            }
            let b = BLAS.nrm2(r)
            let (y, _) = try solveReduced(sigma: sigma)
            let sNorm = BLAS.nrm2(y)
            if b <= 1e-12 * max(1, abs(a)) || b * abs(y.last!) <= kappa * min(1, sNorm) * gradientNorm { break }
            betas.append(b)
            BLAS.scal(1 / b, &r)
            q = r
        }
    }

    /// The reduced solution y (coordinates in the basis) and its model value.
    func solveReduced(sigma: Double) throws -> (y: [Double], model: Double) {
        let j = alphas.count
        var t = Matrix(rows: j, columns: j)
        for i in 0..<j {
            t[i, i] = alphas[i]
            if i + 1 < j { t[i, i + 1] = betas[i]; t[i + 1, i] = betas[i] }
        }
        let solver = CubicSubproblem(eigen: try SymmetricEigen(t))
        var e1 = [Double](repeating: 0, count: j)
        e1[0] = gradientNorm
        let gamma = solver.rotate(e1)
        let sol = solver.solve(gamma: gamma, sigma: sigma)
        return (solver.backTransform(sol.coordinates), solver.modelDecrease(gamma: gamma, sol.coordinates, sigma: sigma))
    }

    /// s = Σ yᵢqᵢ.
    func step(_ y: [Double]) -> [Double] {
        var s = [Double](repeating: 0, count: basis.first?.count ?? 0)
        for (i, v) in basis.enumerated() where i < y.count { BLAS.axpy(y[i], v, &s) }
        return s
    }
}
