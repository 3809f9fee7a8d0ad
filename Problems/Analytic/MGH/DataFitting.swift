import RealModule
import OptimizationCore

// MGH problems that fit a model to a published data table: 8 Bard,
// 9 Gaussian, 10 Meyer, 11 Gulf, 15 Kowalik–Osborne, 17 Osborne 1, 19 Osborne 2.
// The tables are the data printed in the MGH paper.

/// MGH 8, Bard: rᵢ = yᵢ − (x₁ + uᵢ/(vᵢx₂ + wᵢx₃)), uᵢ = i, vᵢ = 16 − i, wᵢ = min(uᵢ, vᵢ).
/// A second minimum 17.4286 lies at infinity.
public struct Bard: MGHFunction {
    static let y = [0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39]
    public init() {}
    public var dimension: Int { 3 }
    public var residualCount: Int { 15 }
    public var standardStart: [Double] { [1, 1, 1] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 8.21487730657e-3, otherLocalValues: [17.4286]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 1...15 {
            let u = Double(i), v = Double(16 - i), w = min(u, v)
            r[i - 1] = Bard.y[i - 1] - (x[0] + u / (v * x[1] + w * x[2]))
        }
    }
}

/// MGH 9, Gaussian: rᵢ = x₁ exp(−x₂(tᵢ − x₃)²/2) − yᵢ, tᵢ = (8 − i)/2.
public struct GaussianFit: MGHFunction {
    static let y = [0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
                    0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009]
    public init() {}
    public var dimension: Int { 3 }
    public var residualCount: Int { 15 }
    public var standardStart: [Double] { [0.4, 1, 0] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 1.12793276961e-8) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 1...15 {
            let t = Double(8 - i) / 2
            r[i - 1] = x[0] * T.exp(-0.5 * x[1] * (t - x[2]).squared) - GaussianFit.y[i - 1]
        }
    }
}

/// MGH 10, Meyer: rᵢ = x₁ exp(x₂/(tᵢ + x₃)) − yᵢ, tᵢ = 45 + 5i. Badly scaled.
public struct Meyer: MGHFunction {
    static let y: [Double] = [34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744,
                              8261, 7030, 6005, 5147, 4427, 3820, 3307, 2872]
    public init() {}
    public var dimension: Int { 3 }
    public var residualCount: Int { 16 }
    public var standardStart: [Double] { [0.02, 4000, 250] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 87.9458551718) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 1...16 {
            let t = 45 + 5 * Double(i)
            r[i - 1] = x[0] * T.exp(x[1] / (t + x[2])) - Meyer.y[i - 1]
        }
    }
}

/// MGH 11, Gulf research and development, with the corrected formula
/// rᵢ = exp(−|yᵢ − x₂|^{x₃}/x₁) − tᵢ, tᵢ = i/100, yᵢ = 25 + (−50 ln tᵢ)^{2/3}.
public struct Gulf: MGHFunction {
    public let m: Int
    public init(m: Int = 10) { self.m = m }
    public var dimension: Int { 3 }
    public var residualCount: Int { m }
    public var standardStart: [Double] { [5, 2.5, 0.15] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [50, 25, 1.5]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 1...m {
            let t = Double(i) / 100
            let y = 25 + Double.pow(-50 * Double.log(t), 2.0 / 3.0)
            // |y − x₂|^{x₃} = exp(x₃ ln|y − x₂|)
            let power = T.exp(x[2] * T.log((y - x[1]).magnitude))
            r[i - 1] = T.exp(-power / x[0]) - t
        }
    }
}

/// MGH 15, Kowalik & Osborne: rᵢ = yᵢ − x₁(uᵢ² + uᵢx₂)/(uᵢ² + uᵢx₃ + x₄).
/// A second minimum 1.02734e−3 lies at infinity.
public struct KowalikOsborne: MGHFunction {
    static let y = [0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246]
    static let u = [4, 2, 1, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625]
    public init() {}
    public var dimension: Int { 4 }
    public var residualCount: Int { 11 }
    public var standardStart: [Double] { [0.25, 0.39, 0.415, 0.39] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 3.07505603849e-4, otherLocalValues: [1.02734e-3]) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 0..<11 {
            let u = KowalikOsborne.u[i]
            r[i] = KowalikOsborne.y[i] - x[0] * (u * u + u * x[1]) / (u * u + u * x[2] + x[3])
        }
    }
}

/// MGH 17, Osborne 1: rᵢ = yᵢ − (x₁ + x₂e^{−tᵢx₄} + x₃e^{−tᵢx₅}), tᵢ = 10(i − 1).
public struct Osborne1: MGHFunction {
    static let y = [0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
                    0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
                    0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406]
    public init() {}
    public var dimension: Int { 5 }
    public var residualCount: Int { 33 }
    public var standardStart: [Double] { [0.5, 1.5, -1, 0.01, 0.02] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 5.46489469718e-5) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 0..<33 {
            let t = 10 * Double(i)
            r[i] = Osborne1.y[i] - (x[0] + x[1] * T.exp(-t * x[3]) + x[2] * T.exp(-t * x[4]))
        }
    }
}

/// MGH 19, Osborne 2: an exponential plus three Gaussians fitted to 65 points, tᵢ = (i − 1)/10.
public struct Osborne2: MGHFunction {
    static let y = [1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725,
                    0.746, 0.679, 0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724,
                    0.649, 0.649, 0.694, 0.644, 0.624, 0.661, 0.612, 0.558, 0.533, 0.495,
                    0.500, 0.423, 0.395, 0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429,
                    0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645, 0.632,
                    0.591, 0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581,
                    0.428, 0.292, 0.162, 0.098, 0.054]
    public init() {}
    public var dimension: Int { 11 }
    public var residualCount: Int { 65 }
    public var standardStart: [Double] { [1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5] }
    public var knownMinimum: KnownMinimum? { KnownMinimum(value: 4.01377362935e-2) }
    public func residuals<T: ADScalar>(_ x: [T], into r: inout [T]) {
        for i in 0..<65 {
            let t = Double(i) / 10
            var model = x[0] * T.exp(-t * x[4])
            model += x[1] * T.exp(-(t - x[8]).squared * x[5])
            model += x[2] * T.exp(-(t - x[9]).squared * x[6])
            model += x[3] * T.exp(-(t - x[10]).squared * x[7])
            r[i] = Osborne2.y[i] - model
        }
    }
}
