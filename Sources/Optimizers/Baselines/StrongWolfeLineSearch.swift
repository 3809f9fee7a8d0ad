import LinearAlgebra
import OptimizationCore

/// A line search for the strong Wolfe conditions
///
///     f(x + tp) ≤ f(x) + c₁·t·gᵀp,   |∇f(x + tp)ᵀp| ≤ c₂·|gᵀp|
///
/// by bracketing and zooming with safeguarded cubic interpolation
/// (Nocedal & Wright, Alg. 3.5 and 3.6). Every trial is one counted
/// gradient evaluation through the oracle. Defaults c₁ = 1e-4, c₂ = 0.9
/// (quasi-Newton).
struct StrongWolfeLineSearch {
    var c1 = 1e-4
    var c2 = 0.9
    var maxEvaluations = 30

    /// The accepted point: step t, f, ∇f there; `satisfied` false when the
    /// budget ran out (the best point with sufficient decrease, or t = 0, is returned).
    struct Result {
        var t: Double
        var value: Double
        var gradient: [Double]
        var satisfied: Bool
    }

    func search(from x: [Double], value f0: Double, gradient g0: [Double], direction p: [Double],
                initialStep: Double, oracle: inout Oracle) throws -> Result {
        let slope0 = BLAS.dot(g0, p)
        // Callers restart from −g when p loses descent; an ascent or NaN
        // direction here is reported as "no step", never a trap.
        guard slope0 < 0 else { return Result(t: 0, value: f0, gradient: g0, satisfied: false) }
        var evaluations = 0
        func evaluate(_ t: Double, _ oracle: inout Oracle) throws -> (Double, [Double], Double) {
            evaluations += 1
            let (f, g) = try oracle.gradient(at: Vec.moved(x, t, p))
            return (f, g, BLAS.dot(g, p))
        }
        var best = Result(t: 0, value: f0, gradient: g0, satisfied: false)
        var tPrev = 0.0, fPrev = f0, slopePrev = slope0
        var t = initialStep
        while evaluations < maxEvaluations {
            let (f, g, slope) = try evaluate(t, &oracle)
            if !f.isFinite || f > f0 + c1 * t * slope0 || (evaluations > 1 && f >= fPrev) {
                return try zoom(lo: (tPrev, fPrev, slopePrev), hi: (t, f, slope), f0: f0, slope0: slope0,
                                best: best, exhausted: { evaluations >= maxEvaluations }, evaluate: { try evaluate($0, &oracle) })
            }
            if f < best.value { best = Result(t: t, value: f, gradient: g, satisfied: false) }
            if abs(slope) <= -c2 * slope0 { return Result(t: t, value: f, gradient: g, satisfied: true) }
            if slope >= 0 {
                return try zoom(lo: (t, f, slope), hi: (tPrev, fPrev, slopePrev), f0: f0, slope0: slope0,
                                best: best, exhausted: { evaluations >= maxEvaluations }, evaluate: { try evaluate($0, &oracle) })
            }
            tPrev = t; fPrev = f; slopePrev = slope
            t *= 2
        }
        return best
    }

    private func zoom(lo loIn: (Double, Double, Double), hi hiIn: (Double, Double, Double), f0: Double, slope0: Double,
                      best bestIn: Result, exhausted: () -> Bool,
                      evaluate: (Double) throws -> (Double, [Double], Double)) throws -> Result {
        var lo = loIn, hi = hiIn, best = bestIn
        while !exhausted() {
            let t = interpolate(lo, hi)
            let (f, g, slope) = try evaluate(t)
            if !f.isFinite || f > f0 + c1 * t * slope0 || f >= lo.1 {
                hi = (t, f, slope)
            } else {
                if f < best.value { best = Result(t: t, value: f, gradient: g, satisfied: false) }
                if abs(slope) <= -c2 * slope0 { return Result(t: t, value: f, gradient: g, satisfied: true) }
                if slope * (hi.0 - lo.0) >= 0 { hi = lo }
                lo = (t, f, slope)
            }
            if abs(hi.0 - lo.0) <= 1e-16 * max(1, abs(lo.0)) { break }
        }
        return best
    }

    /// The minimiser of the cubic through (t, f, f') at both ends, kept inside
    /// the middle 80% of the interval (bisection when the cubic is unusable).
    private func interpolate(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
        let (t1, f1, d1) = a, (t2, f2, d2) = b
        let lower = min(t1, t2), upper = max(t1, t2), width = upper - lower
        let theta = d1 + d2 - 3 * (f1 - f2) / (t1 - t2)
        let disc = theta * theta - d1 * d2
        var t = 0.5 * (t1 + t2)
        if disc >= 0 && f2.isFinite {
            let gamma = disc.squareRoot() * (t2 > t1 ? 1 : -1)
            let candidate = t2 - (t2 - t1) * (d2 + gamma - theta) / (d2 - d1 + 2 * gamma)
            if candidate.isFinite { t = candidate }
        }
        return min(max(t, lower + 0.1 * width), upper - 0.1 * width)
    }
}
