import LinearAlgebra

/// A twice-differentiable function of a flat vector: the mathematical core
/// of an analytic problem, without name, start point or noise (those live in
/// ``AnalyticProblem``).
public protocol SmoothFunction: Sendable {
    var dimension: Int { get }
    func value(_ x: [Double]) -> Double
    /// Writes ∇f(x) into `g` (already of length `dimension`) and returns f(x).
    func gradient(_ x: [Double], into g: inout [Double]) -> Double
    /// The dense Hessian ∇²f(x).
    func hessian(_ x: [Double]) -> Matrix
    /// ∇²f(x)·v into `result` (already of length `dimension`).
    func hessianVectorProduct(_ x: [Double], _ v: [Double], into result: inout [Double])
}

/// A function written once, generic over ``ADScalar``; value, gradient,
/// Hessian and Hessian-vector products follow by forward-mode hyper-dual
/// evaluation (exact to rounding). Types that need speed override the
/// ``SmoothFunction`` requirements and keep the generic path as the reference
/// their tests compare against (`genericGradient`, …).
public protocol GenericFunction: SmoothFunction {
    func evaluate<T: ADScalar>(_ x: [T]) -> T
}

extension GenericFunction {
    public func value(_ x: [Double]) -> Double { evaluate(x) }
    public func gradient(_ x: [Double], into g: inout [Double]) -> Double { genericGradient(x, into: &g) }
    public func hessian(_ x: [Double]) -> Matrix { genericHessian(x) }
    public func hessianVectorProduct(_ x: [Double], _ v: [Double], into result: inout [Double]) {
        genericHessianVectorProduct(x, v, into: &result)
    }

    /// ∇f by n hyper-dual passes (direction eᵢ in ε₁).
    public func genericGradient(_ x: [Double], into g: inout [Double]) -> Double {
        var h = x.map { HyperDual($0) }
        var f = 0.0
        for i in 0..<x.count {
            h[i].b = 1
            let r = evaluate(h)
            h[i].b = 0
            g[i] = r.b
            f = r.a
        }
        return x.isEmpty ? evaluate(x) : f
    }

    /// ∇²f by n(n+1)/2 hyper-dual passes (eᵢ in ε₁, eⱼ in ε₂).
    public func genericHessian(_ x: [Double]) -> Matrix {
        let n = x.count
        var h = x.map { HyperDual($0) }
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n {
            h[i].b = 1
            for j in i..<n {
                h[j].c = 1
                let hij = evaluate(h).d
                h[j].c = 0
                m[i, j] = hij
                m[j, i] = hij
            }
            h[i].b = 0
        }
        return m
    }

    /// ∇²f·v by n hyper-dual passes (eᵢ in ε₁, v in ε₂).
    public func genericHessianVectorProduct(_ x: [Double], _ v: [Double], into result: inout [Double]) {
        var h = (0..<x.count).map { HyperDual(x[$0], 0, v[$0], 0) }
        for i in 0..<x.count {
            h[i].b = 1
            result[i] = evaluate(h).d
            h[i].b = 0
        }
    }
}

/// A sum of squares f = Σᵢ rᵢ(x)² (no ½), the Moré–Garbow–Hillstrom form.
/// The residuals are written once, generically; f and its derivatives follow.
public protocol LeastSquaresFunction: GenericFunction {
    /// m, the number of residuals.
    var residualCount: Int { get }
    /// Writes r(x) into `r` (length `residualCount`, filled with zeros on entry).
    func residuals<T: ADScalar>(_ x: [T], into r: inout [T])
}

extension LeastSquaresFunction {
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var r = [T](repeating: T(0), count: residualCount)
        residuals(x, into: &r)
        var s = T(0)
        for ri in r { s += ri * ri }
        return s
    }

    /// r(x) as plain numbers.
    public func residualVector(_ x: [Double]) -> [Double] {
        var r = [Double](repeating: 0, count: residualCount)
        residuals(x, into: &r)
        return r
    }

    /// The m×n Jacobian ∂rᵢ/∂xⱼ by n dual passes (for Gauss–Newton and Levenberg–Marquardt).
    public func jacobian(_ x: [Double]) -> Matrix {
        let n = x.count, m = residualCount
        var h = x.map { HyperDual($0) }
        var j = Matrix(rows: m, columns: n)
        var r = [HyperDual](repeating: 0, count: m)
        for col in 0..<n {
            h[col].b = 1
            for i in 0..<m { r[i] = 0 }
            residuals(h, into: &r)
            h[col].b = 0
            for i in 0..<m { j[i, col] = r[i].b }
        }
        return j
    }
}
