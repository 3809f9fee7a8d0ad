import OptimizationCore
import RealModule

// Global test functions defined for every dimension d (benchmarking.md §8.3).

/// Σxᵢ², on [−5.12, 5.12]^d.
public struct Sphere: GlobalFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] { box(dimension, -5.12, 5.12) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0, point: [Double](repeating: 0, count: dimension)) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var s = T(0)
        for xi in x { s += xi * xi }
        return s
    }
}

/// 10d + Σ(xᵢ² − 10cos 2πxᵢ), on [−5.12, 5.12]^d.
public struct Rastrigin: GlobalFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] { box(dimension, -5.12, 5.12) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0, point: [Double](repeating: 0, count: dimension)) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var s = T(Double(10 * dimension))
        for xi in x { s += xi * xi - 10 * T.cos(2 * Double.pi * xi) }
        return s
    }
}

/// Ackley: −20exp(−0.2√(Σxᵢ²/d)) − exp(Σcos(2πxᵢ)/d) + 20 + e, on [−32.768, 32.768]^d.
/// Not differentiable at x* = 0.
public struct Ackley: GlobalFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] { box(dimension, -32.768, 32.768) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0, point: [Double](repeating: 0, count: dimension)) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var sq = T(0), cs = T(0)
        for xi in x {
            sq += xi * xi
            cs += T.cos(2 * Double.pi * xi)
        }
        let d = Double(dimension)
        return -20 * T.exp(-0.2 * T.sqrt(sq / d)) - T.exp(cs / d) + (20 + Double.exp(1))
    }
}

/// Griewank: 1 + Σxᵢ²/4000 − Πcos(xᵢ/√i), on [−600, 600]^d.
public struct Griewank: GlobalFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] { box(dimension, -600, 600) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0, point: [Double](repeating: 0, count: dimension)) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var s = T(0), p = T(1)
        for i in 0..<dimension {
            s += x[i] * x[i]
            p *= T.cos(x[i] / Double(i + 1).squareRoot())
        }
        return 1 + s / 4000 - p
    }
}

/// Schwefel 2.26: c·d − Σxᵢ sin√|xᵢ| on [−500, 500]^d, with the exact
/// constant c = 418.98288727243… (so f* = 0 up to rounding, rather than the
/// +1.27e−5·d that the customary 418.9829 leaves).
public struct Schwefel: GlobalFunction {
    /// max over x of x·sin√x, reached at x = 420.968746…
    public static let constant = 418.982887272433799807913601398
    public static let minimizerCoordinate = 420.968746359982025
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] { box(dimension, -500, 500) }
    public var globalMinimum: KnownMinimum {
        KnownMinimum(value: 0, point: [Double](repeating: Schwefel.minimizerCoordinate, count: dimension))
    }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var s = T(Schwefel.constant * Double(dimension))
        for xi in x { s -= xi * T.sin(T.sqrt(xi.magnitude)) }
        return s
    }
}

/// Styblinski–Tang: ½Σ(xᵢ⁴ − 16xᵢ² + 5xᵢ) on [−5, 5]^d; f* = −39.16616570…·d.
public struct StyblinskiTang: GlobalFunction {
    public static let minimizerCoordinate = -2.903534027771177
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] { box(dimension, -5, 5) }
    public var globalMinimum: KnownMinimum {
        let c = StyblinskiTang.minimizerCoordinate
        let perCoordinate = 0.5 * (c * c * c * c - 16 * c * c + 5 * c)
        return KnownMinimum(value: perCoordinate * Double(dimension),
                            point: [Double](repeating: c, count: dimension))
    }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var s = T(0)
        for xi in x {
            let x2 = xi * xi
            s += x2 * x2 - 16 * x2 + 5 * xi
        }
        return 0.5 * s
    }
}

/// Levy, with wᵢ = 1 + (xᵢ − 1)/4, on [−10, 10]^d.
public struct Levy: GlobalFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] { box(dimension, -10, 10) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0, point: [Double](repeating: 1, count: dimension)) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        let w = x.map { 1 + ($0 - 1) / 4 }
        let pi = Double.pi
        var s = T.sin(pi * w[0]).squared
        for i in 0..<(dimension - 1) {
            s += (w[i] - 1).squared * (1 + 10 * T.sin(pi * w[i] + 1).squared)
        }
        let last = w[dimension - 1]
        s += (last - 1).squared * (1 + T.sin(2 * pi * last).squared)
        return s
    }
}

/// Zakharov: Σxᵢ² + (Σ½ixᵢ)² + (Σ½ixᵢ)⁴ on [−5, 10]^d.
public struct Zakharov: GlobalFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] { box(dimension, -5, 10) }
    public var globalMinimum: KnownMinimum { KnownMinimum(value: 0, point: [Double](repeating: 0, count: dimension)) }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var s = T(0), lin = T(0)
        for i in 0..<dimension {
            s += x[i] * x[i]
            lin += (0.5 * Double(i + 1)) * x[i]
        }
        let l2 = lin * lin
        return s + l2 + l2 * l2
    }
}

/// Dixon–Price: (x₁ − 1)² + Σ_{i≥2} i(2xᵢ² − x_{i−1})² on [−10, 10]^d;
/// x*ᵢ = 2^{−(2^i − 2)/2^i}.
public struct DixonPrice: GlobalFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] { box(dimension, -10, 10) }
    public var globalMinimum: KnownMinimum {
        let point = (1...dimension).map { i -> Double in
            let p = Double.pow(2, Double(i))
            return Double.pow(2, -(p - 2) / p)
        }
        return KnownMinimum(value: 0, point: point)
    }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var s = (x[0] - 1).squared
        if dimension > 1 {
            for i in 1..<dimension { s += Double(i + 1) * (2 * x[i] * x[i] - x[i - 1]).squared }
        }
        return s
    }
}

/// Trid: Σ(xᵢ − 1)² − Σ_{i≥2}xᵢx_{i−1} on [−d², d²]^d, customary x0 = 0;
/// x*ᵢ = i(d + 1 − i), f* = −d(d + 4)(d − 1)/6.
public struct Trid: GlobalFunction {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var domain: [ClosedRange<Double>] {
        let d2 = Double(dimension * dimension)
        return box(dimension, -d2, d2)
    }
    public var customaryStart: [Double]? { [Double](repeating: 0, count: dimension) }
    public var globalMinimum: KnownMinimum {
        let d = dimension
        return KnownMinimum(value: -Double(d * (d + 4) * (d - 1)) / 6,
                            point: (1...d).map { Double($0 * (d + 1 - $0)) })
    }
    public func evaluate<T: ADScalar>(_ x: [T]) -> T {
        var s = T(0)
        for i in 0..<dimension {
            s += (x[i] - 1).squared
            if i > 0 { s -= x[i] * x[i - 1] }
        }
        return s
    }
}
