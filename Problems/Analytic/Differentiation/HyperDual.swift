import RealModule

/// A hyper-dual number a + b·ε₁ + c·ε₂ + d·ε₁ε₂ with ε₁² = ε₂² = 0.
///
/// Evaluating f at x + u·ε₁ + v·ε₂ gives f(x), ∇f·u, ∇f·v and uᵀ∇²f·v
/// exactly (no truncation error), which is how generic analytic problems get
/// their gradients, Hessians and Hessian-vector products.
public struct HyperDual: ADScalar, Hashable {
    public var a: Double
    public var b: Double
    public var c: Double
    public var d: Double

    @inlinable public init(_ a: Double, _ b: Double, _ c: Double, _ d: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d
    }
    @inlinable public init(_ constant: Double) { self.init(constant, 0, 0, 0) }
    @inlinable public init(floatLiteral value: Double) { self.init(value) }
    @inlinable public init(integerLiteral value: Int) { self.init(Double(value)) }

    @inlinable public var primal: Double { a }

    /// g(self) given g(a), g′(a), g″(a): the chain rule to second order.
    @inlinable func lift(_ g0: Double, _ g1: Double, _ g2: Double) -> HyperDual {
        HyperDual(g0, g1 * b, g1 * c, g1 * d + g2 * b * c)
    }

    @inlinable public static func + (l: HyperDual, r: HyperDual) -> HyperDual {
        HyperDual(l.a + r.a, l.b + r.b, l.c + r.c, l.d + r.d)
    }
    @inlinable public static func - (l: HyperDual, r: HyperDual) -> HyperDual {
        HyperDual(l.a - r.a, l.b - r.b, l.c - r.c, l.d - r.d)
    }
    @inlinable public static prefix func - (x: HyperDual) -> HyperDual { HyperDual(-x.a, -x.b, -x.c, -x.d) }
    @inlinable public static func * (l: HyperDual, r: HyperDual) -> HyperDual {
        HyperDual(l.a * r.a, l.a * r.b + l.b * r.a, l.a * r.c + l.c * r.a,
                  l.a * r.d + l.b * r.c + l.c * r.b + l.d * r.a)
    }
    @inlinable public static func / (l: HyperDual, r: HyperDual) -> HyperDual {
        let inv = 1 / r.a
        return l * r.lift(inv, -inv * inv, 2 * inv * inv * inv)
    }

    @inlinable public static func exp(_ x: HyperDual) -> HyperDual {
        let e = Double.exp(x.a)
        return x.lift(e, e, e)
    }
    @inlinable public static func log(_ x: HyperDual) -> HyperDual {
        x.lift(Double.log(x.a), 1 / x.a, -1 / (x.a * x.a))
    }
    @inlinable public static func sin(_ x: HyperDual) -> HyperDual {
        let s = Double.sin(x.a)
        return x.lift(s, Double.cos(x.a), -s)
    }
    @inlinable public static func cos(_ x: HyperDual) -> HyperDual {
        let c = Double.cos(x.a)
        return x.lift(c, -Double.sin(x.a), -c)
    }
    @inlinable public static func atan(_ x: HyperDual) -> HyperDual {
        let q = 1 / (1 + x.a * x.a)
        return x.lift(Double.atan(x.a), q, -2 * x.a * q * q)
    }
    @inlinable public static func sqrt(_ x: HyperDual) -> HyperDual {
        let s = Double.sqrt(x.a)
        return x.lift(s, 0.5 / s, -0.25 / (s * x.a))
    }
}
