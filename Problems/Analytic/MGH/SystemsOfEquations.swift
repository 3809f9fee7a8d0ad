import RealModule
import OptimizationCore

// MGH problems 28–34: nonlinear and linear systems whose solution makes every
// residual zero (or, for the linear ones, the least-squares value).

/// MGH 28, discrete boundary value: rᵢ = 2xᵢ − xᵢ₋₁ − xᵢ₊₁ + h²(xᵢ + tᵢ + 1)³/2.
public struct DiscreteBoundaryValue: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n }
    var h: Double { 1 / Double(n + 1) }
    public var standardStart: [Double] { (1...n).map { Double($0) * h * (Double($0) * h - 1) } }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        let h = self.h
        for i in 0..<n {
            let t = Double(i + 1) * h
            let left = i > 0 ? x[i - 1] : T(0)
            let right = i < n - 1 ? x[i + 1] : T(0)
            r[i] = 2 * x[i] - left - right + (h * h / 2) * (x[i] + t + 1).power(3)
        }
    }
}

/// MGH 29, discrete integral equation.
public struct DiscreteIntegralEquation: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n }
    var h: Double { 1 / Double(n + 1) }
    public var standardStart: [Double] { (1...n).map { Double($0) * h * (Double($0) * h - 1) } }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        let h = self.h
        let cubes = (0..<n).map { (x[$0] + Double($0 + 1) * h + 1).power(3) }
        for i in 0..<n {
            let ti = Double(i + 1) * h
            var lower = T(0), upper = T(0)
            for j in 0...i { lower += (Double(j + 1) * h) * cubes[j] }
            if i + 1 < n { for j in (i + 1)..<n { upper += (1 - Double(j + 1) * h) * cubes[j] } }
            r[i] = x[i] + (h / 2) * ((1 - ti) * lower + ti * upper)
        }
    }
}

/// MGH 30, Broyden tridiagonal: rᵢ = (3 − 2xᵢ)xᵢ − xᵢ₋₁ − 2xᵢ₊₁ + 1.
public struct BroydenTridiagonal: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n }
    public var standardStart: [Double] { [Double](repeating: -1, count: n) }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 0..<n {
            let left = i > 0 ? x[i - 1] : T(0)
            let right = i < n - 1 ? x[i + 1] : T(0)
            r[i] = (3 - 2 * x[i]) * x[i] - left - 2 * right + 1
        }
    }
}

/// MGH 31, Broyden banded: rᵢ = xᵢ(2 + 5xᵢ²) + 1 − Σ_{j∈Jᵢ} xⱼ(1 + xⱼ), Jᵢ = {max(1, i−5) ≤ j ≤ min(n, i+1), j ≠ i}.
public struct BroydenBanded: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n }
    public var standardStart: [Double] { [Double](repeating: -1, count: n) }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 0..<n {
            var s = T(0)
            for j in max(0, i - 5)...min(n - 1, i + 1) where j != i { s += x[j] * (1 + x[j]) }
            r[i] = x[i] * (2 + 5 * x[i] * x[i]) + 1 - s
        }
    }
}

/// MGH 32, linear function of full rank: minimum m − n at x = −1.
public struct LinearFullRank: MGHFunction {
    public let n: Int
    public let m: Int
    public init(n: Int = 10, m: Int = 20) { self.n = n; self.m = m }
    public var dimension: Int { n }
    public var residualCount: Int { m }
    public var standardStart: [Double] { [Double](repeating: 1, count: n) }
    public var knownMinimum: KnownMinimum? {
        KnownMinimum(value: Double(m - n), point: [Double](repeating: -1, count: n))
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        var s = T(0)
        for j in 0..<n { s += x[j] }
        let common = (2 / Double(m)) * s + 1
        for i in 0..<m { r[i] = i < n ? x[i] - common : -common }
    }
}

/// MGH 33, linear function of rank 1: rᵢ = i·Σⱼ j·xⱼ − 1; minimum m(m−1)/(2(2m+1)).
public struct LinearRank1: MGHFunction {
    public let n: Int
    public let m: Int
    public init(n: Int = 10, m: Int = 20) { self.n = n; self.m = m }
    public var dimension: Int { n }
    public var residualCount: Int { m }
    public var standardStart: [Double] { [Double](repeating: 1, count: n) }
    public var knownMinimum: KnownMinimum? {
        KnownMinimum(value: Double(m * (m - 1)) / Double(2 * (2 * m + 1)))
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        var s = T(0)
        for j in 0..<n { s += Double(j + 1) * x[j] }
        for i in 0..<m { r[i] = Double(i + 1) * s - 1 }
    }
}

/// MGH 34, linear rank 1 with zero columns and rows: minimum (m² + 3m − 6)/(2(2m − 3)).
public struct LinearRank1ZeroColumnsRows: MGHFunction {
    public let n: Int
    public let m: Int
    public init(n: Int = 10, m: Int = 20) { self.n = n; self.m = m }
    public var dimension: Int { n }
    public var residualCount: Int { m }
    public var standardStart: [Double] { [Double](repeating: 1, count: n) }
    public var knownMinimum: KnownMinimum? {
        KnownMinimum(value: Double(m * m + 3 * m - 6) / Double(2 * (2 * m - 3)))
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        var s = T(0)
        if n > 2 { for j in 1..<(n - 1) { s += Double(j + 1) * x[j] } }
        r[0] = -1
        for i in 1..<(m - 1) { r[i] = Double(i) * s - 1 }
        r[m - 1] = -1
    }
}
