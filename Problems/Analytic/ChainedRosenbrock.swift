import LinearAlgebra
import OptimizationCore

/// The chained Rosenbrock function (CUTEst GENROSE, scipy `rosen`):
/// f = Σ_{i<d} 100(x_{i+1} − xᵢ²)² + (1 − xᵢ)². For d = 2 it is MGH 1.
///
/// Derivatives are hand-written (O(d) gradient and Hessian-vector product,
/// tridiagonal Hessian) because large-d Rosenbrock is a speed benchmark; the
/// generic ``evaluate(_:)`` is the reference the tests compare against.
public struct ChainedRosenbrock: GenericFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }

    /// (−1.2, 1, −1.2, 1, …).
    public var standardStart: [Double] { (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1 } }

    /// The value of the non-global local minimum near x₁ ≈ −1 (d ≥ 4), where
    /// computed (Newton from (−1, 1, …, 1) to ‖∇f‖ < 1e−12, see the tests).
    public static func localMinimumValue(dimension d: Int) -> Double? {
        localMinima[d]
    }
    static let localMinima: [Int: Double] = [:]

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
