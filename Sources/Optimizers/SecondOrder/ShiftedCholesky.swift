import LinearAlgebra
import OptimizationCore

/// A Cholesky factor of H + μI with the smallest μ of a geometric sequence
/// that makes the matrix positive definite (modified Newton, Nocedal &
/// Wright Alg. 3.3). μ = 0 when H itself is positive definite.
///
/// Why a shift and not an eigenvalue clamp: one `dpotrf` per attempt is far
/// cheaper than `dsyevd`, and for convex problems the first attempt succeeds.
struct ShiftedCholesky {
    let cholesky: Cholesky
    /// The μ that was added to the diagonal (0 when H was positive definite).
    let shift: Double

    /// Tries μ = 0, then μ₀ = max(0, −min Hᵢᵢ) + β·max(1, max|Hᵢᵢ|) with
    /// β = 1e-3, then μ ← growth·μ, at most `maxAttempts` factorizations.
    init(_ h: Matrix, minimumShift: Double = 0, growth: Double = 10, maxAttempts: Int = 60) throws {
        let n = h.rows
        if minimumShift == 0, let c = try? Cholesky(h) {
            cholesky = c
            shift = 0
            return
        }
        var minDiag = Double.infinity, maxDiag = 0.0
        for i in 0..<n {
            minDiag = min(minDiag, h[i, i])
            maxDiag = max(maxDiag, abs(h[i, i]))
        }
        var mu = max(minimumShift, max(0, -minDiag) + 1e-3 * max(1, maxDiag))
        for _ in 0..<maxAttempts {
            var shifted = h
            for i in 0..<n { shifted.storage[i * n + i] += mu }
            if let c = try? Cholesky(shifted) {
                cholesky = c
                shift = mu
                return
            }
            mu *= growth
        }
        throw SecondOrderError.notFactorizable(shift: mu)
    }
}

/// Failures of the dense second-order kernels that a run reports as an error.
enum SecondOrderError: Error, CustomStringConvertible {
    case notFactorizable(shift: Double)
    case nonFinite(String)

    var description: String {
        switch self {
        case .notFactorizable(let mu): return "Hessian + μI is not positive definite even for μ = \(mu) (non-finite Hessian?)"
        case .nonFinite(let what): return "non-finite \(what)"
        }
    }
}

/// Vector helpers on `[Double]` (BLAS underneath) used by the Newton family.
enum Vec {
    /// x + t·p as a new array.
    static func moved(_ x: [Double], _ t: Double, _ p: [Double]) -> [Double] {
        var y = x
        BLAS.axpy(t, p, &y)
        return y
    }

    static func negated(_ v: [Double]) -> [Double] {
        var w = v
        BLAS.scal(-1, &w)
        return w
    }

    static func allFinite(_ v: [Double]) -> Bool { v.allSatisfy { $0.isFinite } }
}

/// The value and gradient at the current iterate, kept from the previous
/// step's trial so that an accepted trial point is not evaluated twice.
struct GradientCache {
    private var point: [Double] = []
    private var value = 0.0
    private var gradient: [Double] = []

    /// f and ∇f at x: from the cache if x is the stored point, else one counted oracle call.
    mutating func valueAndGradient(at x: [Double], oracle: inout Oracle) throws -> (Double, [Double]) {
        if !point.isEmpty && point == x { return (value, gradient) }
        let (f, g) = try oracle.gradient(at: x)
        store(x, f, g)
        return (f, g)
    }

    /// Remembers an evaluation made elsewhere (a trial point that became the iterate).
    mutating func store(_ x: [Double], _ f: Double, _ g: [Double]) {
        point = x
        value = f
        gradient = g
    }
}
