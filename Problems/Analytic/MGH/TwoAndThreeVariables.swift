import RealModule
import OptimizationCore

// MGH problems 1–7 and 12–14: small fixed-dimension problems without data tables.

/// MGH 1, Rosenbrock: r = (10(x₂ − x₁²), 1 − x₁).
public struct MGHRosenbrock: MGHFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var residualCount: Int { 2 }
    public var standardStart: [Double] { [-1.2, 1] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [1, 1]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        r[0] = 10 * (x[1] - x[0] * x[0])
        r[1] = 1 - x[0]
    }
}

/// MGH 2, Freudenstein & Roth; a local minimum 48.9842… lies on the way from x0.
public struct FreudensteinRoth: MGHFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var residualCount: Int { 2 }
    public var standardStart: [Double] { [0.5, -2] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [5, 4], otherLocalValues: [48.98425367924]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        r[0] = -13 + x[0] + ((5 - x[1]) * x[1] - 2) * x[1]
        r[1] = -29 + x[0] + ((x[1] + 1) * x[1] - 14) * x[1]
    }
}

/// MGH 3, Powell badly scaled.
public struct PowellBadlyScaled: MGHFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var residualCount: Int { 2 }
    public var standardStart: [Double] { [0, 1] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        r[0] = 1e4 * x[0] * x[1] - 1
        r[1] = T.exp(-x[0]) + T.exp(-x[1]) - 1.0001
    }
}

/// MGH 4, Brown badly scaled.
public struct BrownBadlyScaled: MGHFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var residualCount: Int { 3 }
    public var standardStart: [Double] { [1, 1] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [1e6, 2e-6]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        r[0] = x[0] - 1e6
        r[1] = x[1] - 2e-6
        r[2] = x[0] * x[1] - 2
    }
}

/// MGH 5, Beale: rᵢ = yᵢ − x₁(1 − x₂ⁱ).
public struct Beale: MGHFunction {
    public init() {}
    public var dimension: Int { 2 }
    public var residualCount: Int { 3 }
    public var standardStart: [Double] { [1, 1] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [3, 0.5]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        let y = [1.5, 2.25, 2.625]
        for i in 0..<3 { r[i] = y[i] - x[0] * (1 - x[1].power(i + 1)) }
    }
}

/// MGH 6, Jennrich & Sampson: rᵢ = 2 + 2i − (e^{i x₁} + e^{i x₂}), i = 1…m.
public struct JennrichSampson: MGHFunction {
    public let m: Int
    public init(m: Int = 10) { self.m = m }
    public var dimension: Int { 2 }
    public var residualCount: Int { m }
    public var standardStart: [Double] { [0.3, 0.4] }
    public var knownMinimum: KnownMinimum? {
        m == 10 ? KnownMinimum(value: 124.36218235561, point: nil) : nil
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 1...m {
            let t = Double(i)
            r[i - 1] = (2 + 2 * t) - (T.exp(t * x[0]) + T.exp(t * x[1]))
        }
    }
}

/// MGH 7, helical valley; θ is the angle of (x₁, x₂) in turns, written with
/// a smooth formula on each side of the branch cut.
public struct HelicalValley: MGHFunction {
    public init() {}
    public var dimension: Int { 3 }
    public var residualCount: Int { 3 }
    public var standardStart: [Double] { [-1, 0, 0] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [1, 0, 0]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        let twoPi = 2 * Double.pi
        let theta: T
        if x[0].primal > 0 {
            theta = T.atan(x[1] / x[0]) / twoPi
        } else if x[0].primal < 0 {
            theta = T.atan(x[1] / x[0]) / twoPi + 0.5
        } else {
            let side = x[1].primal >= 0 ? 0.25 : -0.25
            theta = side - T.atan(x[0] / x[1]) / twoPi
        }
        r[0] = 10 * (x[2] - 10 * theta)
        r[1] = 10 * (T.sqrt(x[0] * x[0] + x[1] * x[1]) - 1)
        r[2] = x[2]
    }
}

/// MGH 12, Box three-dimensional: zero at (1, 10, 1) and on x₁ = x₂, x₃ = 0.
public struct Box3D: MGHFunction {
    public let m: Int
    public init(m: Int = 10) { self.m = m }
    public var dimension: Int { 3 }
    public var residualCount: Int { m }
    public var standardStart: [Double] { [0, 10, 20] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 1...m {
            let t = 0.1 * Double(i)
            r[i - 1] = T.exp(-t * x[0]) - T.exp(-t * x[1]) - x[2] * (Double.exp(-t) - Double.exp(-10 * t))
        }
    }
}

/// MGH 13, Powell singular: the Hessian is singular at x* = 0.
public struct PowellSingular: MGHFunction {
    public init() {}
    public var dimension: Int { 4 }
    public var residualCount: Int { 4 }
    public var standardStart: [Double] { [3, -1, 0, 1] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [0, 0, 0, 0]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        r[0] = x[0] + 10 * x[1]
        r[1] = 5.0.squareRoot() * (x[2] - x[3])
        r[2] = (x[1] - 2 * x[2]).squared
        r[3] = 10.0.squareRoot() * (x[0] - x[3]).squared
    }
}

/// MGH 14, Wood.
public struct Wood: MGHFunction {
    public init() {}
    public var dimension: Int { 4 }
    public var residualCount: Int { 6 }
    public var standardStart: [Double] { [-3, -1, -3, -1] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [1, 1, 1, 1]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        r[0] = 10 * (x[1] - x[0] * x[0])
        r[1] = 1 - x[0]
        r[2] = 90.0.squareRoot() * (x[3] - x[2] * x[2])
        r[3] = 1 - x[2]
        r[4] = 10.0.squareRoot() * (x[1] + x[3] - 2)
        r[5] = (x[1] - x[3]) / 10.0.squareRoot()
    }
}

/// MGH 16, Brown & Dennis: rᵢ = (x₁ + tx₂ − eᵗ)² + (x₃ + x₄ sin t − cos t)², t = i/5.
/// x0 = (25, 5, −5, −1) as in the paper.
public struct BrownDennis: MGHFunction {
    public let m: Int
    public init(m: Int = 20) { self.m = m }
    public var dimension: Int { 4 }
    public var residualCount: Int { m }
    public var standardStart: [Double] { [25, 5, -5, -1] }
    public var knownMinimum: KnownMinimum? { m == 20 ? KnownMinimum(value: 85822.2016263563) : nil }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 1...m {
            let t = Double(i) / 5
            r[i - 1] = (x[0] + t * x[1] - Double.exp(t)).squared + (x[2] + Double.sin(t) * x[3] - Double.cos(t)).squared
        }
    }
}

/// MGH 18, Biggs EXP6: 0 at (1, 10, 1, 5, 4, 3); the MGH value 5.65565e−3 (m = 13) is local.
public struct BiggsEXP6: MGHFunction {
    public let m: Int
    public init(m: Int = 13) { self.m = m }
    public var dimension: Int { 6 }
    public var residualCount: Int { m }
    public var standardStart: [Double] { [1, 2, 1, 1, 1, 1] }
    public var knownMinimum: KnownMinimum? {
        KnownMinimum(value: 0, otherLocalValues: m == 13 ? [5.65565e-3] : [])
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 1...m {
            let t = 0.1 * Double(i)
            let y = Double.exp(-t) - 5 * Double.exp(-10 * t) + 3 * Double.exp(-4 * t)
            r[i - 1] = x[2] * T.exp(-t * x[0]) - x[3] * T.exp(-t * x[1]) + x[5] * T.exp(-t * x[4]) - y
        }
    }
}
