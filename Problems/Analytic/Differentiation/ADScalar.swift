import RealModule

/// The scalar operations an analytic problem is written against, so that one
/// definition serves both plain evaluation (`Double`) and exact forward-mode
/// derivatives (``HyperDual``).
///
/// A deliberately small protocol rather than swift-numerics' `Real`: `Real`
/// refines `FloatingPoint`, whose ~40 requirements (ulp, significand, …) have
/// no sensible meaning for a dual number. Branches read ``primal``.
public protocol ADScalar: Sendable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    init(_ constant: Double)
    /// The value part (what branches and comparisons look at).
    var primal: Double { get }

    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func / (lhs: Self, rhs: Self) -> Self
    static prefix func - (x: Self) -> Self

    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func atan(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
}

extension ADScalar {
    @inlinable public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
    @inlinable public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }
    @inlinable public static func *= (lhs: inout Self, rhs: Self) { lhs = lhs * rhs }

    @inlinable public static func * (lhs: Double, rhs: Self) -> Self { Self(lhs) * rhs }
    @inlinable public static func * (lhs: Self, rhs: Double) -> Self { lhs * Self(rhs) }
    @inlinable public static func + (lhs: Double, rhs: Self) -> Self { Self(lhs) + rhs }
    @inlinable public static func + (lhs: Self, rhs: Double) -> Self { lhs + Self(rhs) }
    @inlinable public static func - (lhs: Double, rhs: Self) -> Self { Self(lhs) - rhs }
    @inlinable public static func - (lhs: Self, rhs: Double) -> Self { lhs - Self(rhs) }
    @inlinable public static func / (lhs: Self, rhs: Double) -> Self { lhs * Self(1 / rhs) }
    @inlinable public static func / (lhs: Double, rhs: Self) -> Self { Self(lhs) / rhs }

    /// x².
    @inlinable public var squared: Self { self * self }
    /// xⁿ for a small non-negative integer n (repeated multiplication keeps the derivatives exact).
    @inlinable public func power(_ n: Int) -> Self {
        var r = Self(1)
        for _ in 0..<n { r = r * self }
        return r
    }
    /// |x|, differentiated as ±1 away from 0.
    @inlinable public var magnitude: Self { primal < 0 ? -self : self }
}

extension Double: ADScalar {
    @inlinable public var primal: Double { self }
}
