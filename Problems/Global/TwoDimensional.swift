import OptimizationCore
import RealModule

// Two-variable global test functions (benchmarking.md §8.3). Functions with
// several global minimisers declare f* without a point.

/// Booth: (x + 2y − 7)² + (2x + y − 5)² on [−10, 10]².
public struct Booth: GlobalFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var domain: [ClosedRange<Double>] { box(2, -10, 10) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0, point: [1, 3]) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        (x[0] + 2 * x[1] - 7).squared + (2 * x[0] + x[1] - 5).squared
    }
}

/// Matyas: 0.26(x² + y²) − 0.48xy on [−10, 10]².
public struct Matyas: GlobalFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var domain: [ClosedRange<Double>] { box(2, -10, 10) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0, point: [0, 0]) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        0.26 * (x[0] * x[0] + x[1] * x[1]) - 0.48 * x[0] * x[1]
    }
}

/// Himmelblau: (x² + y − 11)² + (x + y² − 7)² on [−5, 5]²; four global minimisers.
public struct Himmelblau: GlobalFunction {
    /// The four minimisers (3, 2) and three irrational ones.
    public static let minimizers: [[Double]] = [
        [3, 2], [-2.805118086952745, 3.131312518250573],
        [-3.779310253377747, -3.283185991286170], [3.584428340330492, -1.848126526964404],
    ]
    public init() {}
    public var dimension: Int { 2 }
    public var domain: [ClosedRange<Double>] { box(2, -5, 5) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        (x[0] * x[0] + x[1] - 11).squared + (x[0] + x[1] * x[1] - 7).squared
    }
}

/// Three-hump camel: 2x² − 1.05x⁴ + x⁶/6 + xy + y² on [−5, 5]².
public struct ThreeHumpCamel: GlobalFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var domain: [ClosedRange<Double>] { box(2, -5, 5) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0, point: [0, 0]) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        let x2 = x[0] * x[0]
        return 2 * x2 - 1.05 * x2 * x2 + x2 * x2 * x2 / 6 + x[0] * x[1] + x[1] * x[1]
    }
}

/// Six-hump camel: (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y² on [−3, 3]×[−2, 2];
/// minimisers ±(0.0898420131, −0.7126564030).
public struct SixHumpCamel: GlobalFunction {
    public static let minimizers: [[Double]] = [[0.08984201310031806, -0.7126564030207396],
                                                [-0.08984201310031806, 0.7126564030207396]]
    public init() {}
    public var dimension: Int { 2 }
    public var domain: [ClosedRange<Double>] { [-3...3, -2...2] }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: -1.031628453489877) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        let x2 = x[0] * x[0], y2 = x[1] * x[1]
        return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x[0] * x[1] + (-4 + 4 * y2) * y2
    }
}

/// Branin (Branin–Hoo) on [−5, 10]×[0, 15]; f* = 5/(4π) at three points.
public struct Branin: GlobalFunction {
    public static let minimizers: [[Double]] = [[-Double.pi, 12.275], [Double.pi, 2.275], [3 * Double.pi, 2.475]]
    public init() {}
    public var dimension: Int { 2 }
    public var domain: [ClosedRange<Double>] { [-5...10, 0...15] }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 5 / (4 * Double.pi)) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        let pi = Double.pi
        let b = 5.1 / (4 * pi * pi), c = 5 / pi, t = 1 / (8 * pi)
        return (x[1] - b * x[0] * x[0] + c * x[0] - 6).squared + 10 * (1 - t) * T.cos(x[0]) + 10
    }
}

/// Goldstein–Price on [−2, 2]²; f* = 3 at (0, −1).
public struct GoldsteinPrice: GlobalFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var domain: [ClosedRange<Double>] { box(2, -2, 2) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 3, point: [0, -1]) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        let a = x[0], b = x[1]
        let p = 1 + (a + b + 1).squared * (19 - 14 * a + 3 * a * a - 14 * b + 6 * a * b + 3 * b * b)
        let q = 30 + (2 * a - 3 * b).squared * (18 - 32 * a + 12 * a * a + 48 * b - 36 * a * b + 27 * b * b)
        return p * q
    }
}

/// Easom: −cos x cos y exp(−(x − π)² − (y − π)²) on [−100, 100]²; f* = −1 at (π, π).
public struct Easom: GlobalFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var domain: [ClosedRange<Double>] { box(2, -100, 100) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: -1, point: [Double.pi, Double.pi]) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        -T.cos(x[0]) * T.cos(x[1]) * T.exp(-(x[0] - Double.pi).squared - (x[1] - Double.pi).squared)
    }
}
