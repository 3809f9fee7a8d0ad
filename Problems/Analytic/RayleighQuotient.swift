import LinearAlgebra
import OptimizationCore

/// The Rayleigh quotient f(w) = wᵀAw / wᵀw of A = tridiag(−1, 2, −1):
/// its minimum is the smallest eigenvalue 2 − 2cos(π/(d+1)), reached on a
/// whole ray (so x* is not unique). Laid out as one block `weight [1, d]`
/// so per-tensor optimizers treat it as a one-row weight matrix.
///
/// With N = wᵀAw, D = wᵀw, f = N/D: ∇f = 2(Aw − f·w)/D and
/// ∇²f = 2(A − f·I − w∇fᵀ − ∇f·wᵀ)/D (hand-written, O(d) per product).
public struct RayleighQuotient: GenericFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }

    public var minimumValue: Double { 2 - 2 * Double.cos(Double.pi / Double(dimension + 1)) }

    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var num = T(0), den = T(0)
        for i in 0..<dimension {
            den += x[i] * x[i]
            num += 2 * x[i] * x[i]
            if i + 1 < dimension { num -= 2 * x[i] * x[i + 1] }
        }
        return num / den
    }

    /// A·w for the tridiagonal A.
    func applyA(_ w: [Double], into out: inout [Double]) {
        let d = dimension
        for i in 0..<d {
            var s = 2 * w[i]
            if i > 0 { s -= w[i - 1] }
            if i + 1 < d { s -= w[i + 1] }
            out[i] = s
        }
    }

    public func value(_ x: [Double]) -> Double {
        var g = [Double](repeating: 0, count: dimension)
        return gradient(x, into: &g)
    }

    public func gradient(_ x: [Double], into g: inout [Double]) -> Double {
        applyA(x, into: &g)
        let den = BLAS.dot(x, x), f = BLAS.dot(x, g) / den
        for i in 0..<dimension { g[i] = 2 * (g[i] - f * x[i]) / den }
        return f
    }

    public func hessian(_ x: [Double]) -> Matrix {
        let d = dimension
        var g = [Double](repeating: 0, count: d)
        let f = gradient(x, into: &g)
        let den = BLAS.dot(x, x)
        var h = Matrix(rows: d, columns: d)
        let c = 2 / den
        h.storage.withUnsafeMutableBufferPointer { hp in
            for i in 0..<d {
                for j in 0..<d {
                    // Written so that (i, j) and (j, i) round identically: exact symmetry.
                    var a = i == j ? 2 - f : (abs(i - j) == 1 ? -1 : 0)
                    a -= x[i] * g[j] + x[j] * g[i]
                    hp[i * d + j] = c * a
                }
            }
        }
        return h
    }

    public func hessianVectorProduct(_ x: [Double], _ v: [Double], into result: inout [Double]) {
        let d = dimension
        var g = [Double](repeating: 0, count: d)
        let f = gradient(x, into: &g)
        let den = BLAS.dot(x, x), gv = BLAS.dot(g, v), wv = BLAS.dot(x, v)
        applyA(v, into: &result)
        for i in 0..<d { result[i] = 2 * (result[i] - f * v[i] - x[i] * gv - g[i] * wv) / den }
    }
}
