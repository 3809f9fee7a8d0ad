import RealModule
import OptimizationCore

// MGH problems 20–27 and 35: dimension n chosen by the user.

/// MGH 20, Watson (2 ≤ n ≤ 31, m = 31): a polynomial fit on tᵢ = i/29.
public struct Watson: MGHFunction {
    public let n: Int
    public init(n: Int = 6) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { 31 }
    public var standardStart: [Double] { [Double](repeating: 0, count: n) }
    public var knownMinimum: KnownMinimum? {
        switch n {
        case 6: return KnownMinimum(value: 2.28767005355e-3)
        case 9: return KnownMinimum(value: 1.3997601380969e-6)
        case 12: return KnownMinimum(value: 4.72238110182e-10)
        default: return nil
        }
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 1...29 {
            let t = Double(i) / 29
            var s1 = T(0), s2 = T(0)
            var tp = 1.0 // t^{j−2} for s1, then t^{j−1} for s2
            for j in 2...n {
                s1 += (Double(j - 1) * tp) * x[j - 1]
                tp *= t
            }
            tp = 1
            for j in 1...n {
                s2 += tp * x[j - 1]
                tp *= t
            }
            r[i - 1] = s1 - s2 * s2 - 1
        }
        r[29] = x[0]
        r[30] = x[1] - x[0] * x[0] - 1
    }
}

/// MGH 21, extended Rosenbrock: independent Rosenbrock pairs (n even).
public struct ExtendedRosenbrock: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n }
    public var standardStart: [Double] { (0..<n).map { $0 % 2 == 0 ? -1.2 : 1 } }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [Double](repeating: 1, count: n)) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for k in stride(from: 0, to: n, by: 2) {
            r[k] = 10 * (x[k + 1] - x[k] * x[k])
            r[k + 1] = 1 - x[k]
        }
    }
}

/// MGH 22, extended Powell singular: independent Powell blocks (n a multiple of 4).
public struct ExtendedPowell: MGHFunction {
    public let n: Int
    public init(n: Int = 12) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n }
    public var standardStart: [Double] { (0..<n).map { [3.0, -1, 0, 1][$0 % 4] } }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [Double](repeating: 0, count: n)) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for k in stride(from: 0, to: n, by: 4) {
            r[k] = x[k] + 10 * x[k + 1]
            r[k + 1] = 5.0.squareRoot() * (x[k + 2] - x[k + 3])
            r[k + 2] = (x[k + 1] - 2 * x[k + 2]).squared
            r[k + 3] = 10.0.squareRoot() * (x[k] - x[k + 3]).squared
        }
    }
}

/// MGH 23, penalty function I: rᵢ = √a(xᵢ − 1), r_{n+1} = Σxⱼ² − ¼, a = 1e−5.
public struct Penalty1: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n + 1 }
    public var standardStart: [Double] { (1...n).map(Double.init) }
    public var knownMinimum: KnownMinimum? {
        switch n {
        case 4: return KnownMinimum(value: 2.2499775008999e-5)
        case 10: return KnownMinimum(value: 7.0876514670904e-5)
        default: return nil
        }
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        let sqrtA = 1e-5.squareRoot()
        var s = T(0)
        for j in 0..<n {
            r[j] = sqrtA * (x[j] - 1)
            s += x[j] * x[j]
        }
        r[n] = s - 0.25
    }
}

/// MGH 24, penalty function II (m = 2n), a = 1e−5.
public struct Penalty2: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { 2 * n }
    public var standardStart: [Double] { [Double](repeating: 0.5, count: n) }
    public var knownMinimum: KnownMinimum? {
        switch n {
        case 4: return KnownMinimum(value: 9.3762930073555e-6)
        case 10: return KnownMinimum(value: 2.9366053745675e-4)
        default: return nil
        }
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        let sqrtA = 1e-5.squareRoot()
        r[0] = x[0] - 0.2
        if n > 1 {
            for i in 2...n {
                let y = Double.exp(Double(i) / 10) + Double.exp(Double(i - 1) / 10)
                r[i - 1] = sqrtA * (T.exp(x[i - 1] / 10) + T.exp(x[i - 2] / 10) - y)
            }
            for i in (n + 1)..<(2 * n) {
                r[i - 1] = sqrtA * (T.exp(x[i - n] / 10) - Double.exp(-0.1))
            }
        }
        var s = T(0)
        for j in 1...n { s += Double(n - j + 1) * x[j - 1] * x[j - 1] }
        r[2 * n - 1] = s - 1
    }
}

/// MGH 25, variably dimensioned (m = n + 2).
public struct VariablyDimensioned: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n + 2 }
    public var standardStart: [Double] { (1...n).map { 1 - Double($0) / Double(n) } }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [Double](repeating: 1, count: n)) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        var s = T(0)
        for j in 0..<n {
            r[j] = x[j] - 1
            s += Double(j + 1) * (x[j] - 1)
        }
        r[n] = s
        r[n + 1] = s * s
    }
}

/// MGH 26, trigonometric: rᵢ = n − Σcos xⱼ + i(1 − cos xᵢ) − sin xᵢ.
/// From x0 with n = 10, Levenberg–Marquardt stops at the local value 2.79506e−5.
public struct Trigonometric: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n }
    public var standardStart: [Double] { [Double](repeating: 1 / Double(n), count: n) }
    public var knownMinimum: KnownMinimum? {
        KnownMinimum(value: 0, otherLocalValues: n == 10 ? [2.79506e-5] : [])
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        var s = T(0)
        for j in 0..<n { s += T.cos(x[j]) }
        for i in 0..<n {
            r[i] = Double(n) - s + Double(i + 1) * (1 - T.cos(x[i])) - T.sin(x[i])
        }
    }
}

/// MGH 27, Brown almost-linear: 0 at (α, …, α, α^{1−n}); a second minimum f = 1.
public struct BrownAlmostLinear: MGHFunction {
    public let n: Int
    public init(n: Int = 10) { self.n = n }
    public var dimension: Int { n }
    public var residualCount: Int { n }
    public var standardStart: [Double] { [Double](repeating: 0.5, count: n) }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, otherLocalValues: [1]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        var s = T(0), p = T(1)
        for j in 0..<n {
            s += x[j]
            p *= x[j]
        }
        for i in 0..<(n - 1) { r[i] = x[i] + s - Double(n + 1) }
        r[n - 1] = p - 1
    }
}

/// MGH 35, Chebyquad: (1/n)Σⱼ Tᵢ(xⱼ) − ∫₀¹Tᵢ with Tᵢ the shifted Chebyshev polynomials.
public struct Chebyquad: MGHFunction {
    public let n: Int
    public let m: Int
    public init(n: Int = 8, m: Int? = nil) {
        self.n = n
        self.m = m ?? n
    }
    public var dimension: Int { n }
    public var residualCount: Int { m }
    public var standardStart: [Double] { (1...n).map { Double($0) / Double(n + 1) } }
    public var knownMinimum: KnownMinimum? {
        guard m == n else { return nil }
        if n <= 7 || n == 9 { return KnownMinimum(value: 0) }
        if n == 8 { return KnownMinimum(value: 3.5168737256779e-3) }
        if n == 10 { return KnownMinimum(value: 6.50395e-3) }
        return nil
    }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for j in 0..<n {
            // T₀ = 1, T₁ = y, T_{k+1} = 2y·T_k − T_{k−1} with y = 2x − 1.
            let y = 2 * x[j] - 1
            var previous = T(1), current = y
            for i in 0..<m {
                r[i] += current
                let next = 2 * y * current - previous
                previous = current
                current = next
            }
        }
        for i in 0..<m {
            let k = i + 1
            let integral = k % 2 == 0 ? -1 / Double(k * k - 1) : 0
            r[i] = r[i] / Double(n) - integral
        }
    }
}
