import LinearAlgebra
import OptimizationCore

/// The chained Rosenbrock function (CUTEst GENROSE, scipy `rosen`):
/// f = Σ_{i<d} 100(x_{i+1} − xᵢ²)² + (1 − xᵢ)². For d = 2 it is MGH 1.
///
/// Derivatives are hand-written (O(d) gradient and Hessian-vector product,
/// tridiagonal Hessian) because large-d Rosenbrock is a speed benchmark; the
/// generic ``evaluate(_:)`` is the reference the tests compare against.
public struct ChainedRosenbrock: LeastSquaresFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }

    /// (−1.2, 1, −1.2, 1, …).
    public var standardStart: [Double] { (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1 } }

    /// The value of the non-global local minimum near x₁ ≈ −1, which exists
    /// for d ≥ 4 (3.7014 at d = 4, 3.9866 at d = 10).
    ///
    /// Computed, not tabulated: Newton's method from (−1, 1, …, 1) with the
    /// tridiagonal Hessian (O(d) per step) converges to it. From d ≈ 30 on
    /// the value no longer changes in double precision, so larger d use the
    /// d = 40 value.
    public static func localMinimumValue(dimension d: Int) -> Double? {
        guard d >= 4 else { return nil }
        let f = ChainedRosenbrock(dimension: min(d, 40))
        var x = [Double](repeating: 1, count: f.dimension)
        x[0] = -1
        var g = x, diag = x, off = x, step = x
        for _ in 0..<60 {
            _ = f.gradient(x, into: &g)
            for i in 0..<f.dimension { diag[i] = 0; off[i] = 0 }
            for i in 0..<(f.dimension - 1) {
                diag[i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
                diag[i + 1] += 200
                off[i] = -400 * x[i]
            }
            solveTridiagonal(diag: diag, off: off, rhs: g, into: &step)
            for i in 0..<f.dimension { x[i] -= step[i] }
        }
        return f.value(x)
    }

    /// Solves T·s = r for the symmetric tridiagonal T (diagonal `diag`,
    /// super/sub-diagonal `off`) by the Thomas algorithm.
    static func solveTridiagonal(diag: [Double], off: [Double], rhs: [Double], into s: inout [Double]) {
        let n = diag.count
        var c = [Double](repeating: 0, count: n), d = [Double](repeating: 0, count: n)
        c[0] = off[0] / diag[0]
        d[0] = rhs[0] / diag[0]
        for i in 1..<n {
            let m = diag[i] - off[i - 1] * c[i - 1]
            c[i] = off[i] / m
            d[i] = (rhs[i] - off[i - 1] * d[i - 1]) / m
        }
        s[n - 1] = d[n - 1]
        for i in stride(from: n - 2, through: 0, by: -1) { s[i] = d[i] - c[i] * s[i + 1] }
    }

    /// f* = 0 at x* = 1, with the local value declared for d ≥ 4.
    public var knownMinimum: KnownMinimum {
        KnownMinimum(value: 0, point: [Double](repeating: 1, count: dimension),
                     otherLocalValues: ChainedRosenbrock.localMinimumValue(dimension: dimension).map { [$0] } ?? [])
    }

    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var s = T(0)
        for i in 0..<(dimension - 1) {
            s += 100 * (x[i + 1] - x[i] * x[i]).squared + (1 - x[i]).squared
        }
        return s
    }

    /// r₂ᵢ = 10(xᵢ₊₁ − xᵢ²), r₂ᵢ₊₁ = 1 − xᵢ, so f = Σ r² (Gauss–Newton matrices).
    public var residualCount: Int { 2 * (dimension - 1) }

    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 0..<(dimension - 1) {
            r[2 * i] = 10 * (x[i + 1] - x[i] * x[i])
            r[2 * i + 1] = 1 - x[i]
        }
    }

    public func value(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { p in
            var s = 0.0
            for i in 0..<(dimension - 1) {
                let a = p[i + 1] - p[i] * p[i], b = 1 - p[i]
                s += 100 * a * a + b * b
            }
            return s
        }
    }

    public func gradient(_ x: [Double], into g: inout [Double]) -> Double {
        x.withUnsafeBufferPointer { p in
            g.withUnsafeMutableBufferPointer { gp in
                for i in 0..<dimension { gp[i] = 0 }
                var s = 0.0
                for i in 0..<(dimension - 1) {
                    let a = p[i + 1] - p[i] * p[i], b = 1 - p[i]
                    s += 100 * a * a + b * b
                    gp[i] += -400 * p[i] * a - 2 * b
                    gp[i + 1] += 200 * a
                }
                return s
            }
        }
    }

    public func hessian(_ x: [Double]) -> Matrix {
        let d = dimension
        var h = Matrix(rows: d, columns: d)
        h.storage.withUnsafeMutableBufferPointer { hp in
            for i in 0..<(d - 1) {
                hp[i * d + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
                hp[(i + 1) * d + i + 1] += 200
                hp[i * d + i + 1] = -400 * x[i]
                hp[(i + 1) * d + i] = -400 * x[i]
            }
        }
        return h
    }

    public func hessianVectorProduct(_ x: [Double], _ v: [Double], into result: inout [Double]) {
        x.withUnsafeBufferPointer { p in
            v.withUnsafeBufferPointer { vp in
                result.withUnsafeMutableBufferPointer { rp in
                    for i in 0..<dimension { rp[i] = 0 }
                    for i in 0..<(dimension - 1) {
                        let diag = 1200 * p[i] * p[i] - 400 * p[i + 1] + 2, off = -400 * p[i]
                        rp[i] += diag * vp[i] + off * vp[i + 1]
                        rp[i + 1] += 200 * vp[i + 1] + off * vp[i]
                    }
                }
            }
        }
    }
}
