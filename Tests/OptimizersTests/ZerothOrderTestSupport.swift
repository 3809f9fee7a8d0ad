import OptimizationCore

/// A value-only objective from a closure, optionally with the oracle's
/// relative value noise (for the common-random-numbers tests).
final class ValueObjective: NoisyObjective {
    let name: String
    let dimension: Int
    let initialPoint: [Double]
    let relativeNoise: Double
    private let f: @Sendable ([Double]) -> Double
    private(set) var calls = 0

    init(_ name: String, x0: [Double], noise: Double = 0, _ f: @escaping @Sendable ([Double]) -> Double) {
        self.name = name
        dimension = x0.count
        initialPoint = x0
        relativeNoise = noise
        self.f = f
    }

    var layout: ParameterLayout { .flat(dimension) }
    func value(at x: [Double]) throws -> Double {
        calls += 1
        return f(x)
    }
}

/// The dyadic quadratic of spec §11.1: f = ½xᵀAx + bᵀx + c.
enum DyadicQuadratic {
    static let a: [[Double]] = [[4, 1, 0], [1, 3, -1], [0, -1, 2]]
    static let b: [Double] = [1, -2, 0.5]
    static let x: [Double] = [0.5, -0.25, 1.0]
    static let gradient: [Double] = [2.75, -3.25, 2.75]

    static func value(_ x: [Double]) -> Double {
        var s = 0.25
        for i in 0..<3 {
            var ax = 0.0
            for j in 0..<3 { ax += a[i][j] * x[j] }
            s += 0.5 * x[i] * ax + b[i] * x[i]
        }
        return s
    }

    static func objective(noise: Double = 0) -> ValueObjective {
        ValueObjective("dyadic_quadratic", x0: x, noise: noise) { value($0) }
    }
}
