import OptimizationCore

/// f(x) = ½ Σ hᵢxᵢ² on three coordinates, for hand-checked steps of the
/// curvature-diagonal methods: H z ⊙ z = h exactly for every Rademacher
/// probe z, and the "sampled-label gradient" is the fixed vector `s` with
/// B = 4 labels.
final class SeparableQuadratic: HessianVectorObjective, SampledLabelObjective {
    let h = [4.0, 0.5, 2.0]
    let s = [0.5, -1.0, 0.25]
    var name: String { "separable" }
    var dimension: Int { 3 }
    var layout: ParameterLayout { .flat(3) }
    var initialPoint: [Double] { [1, -2, 0.5] }
    func value(at x: [Double]) throws -> Double { zip(h, x).map { 0.5 * $0 * $1 * $1 }.reduce(0, +) }
    func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
        g = zip(h, x).map { $0 * $1 }
        return try value(at: x)
    }
    func hessianVectorProduct(at x: [Double], _ v: [Double], into r: inout [Double]) throws {
        r = zip(h, v).map { $0 * $1 }
    }
    func sampledLabelGradient(at x: [Double], seed: UInt64, into g: inout [Double]) throws -> Int {
        g = s
        return 4
    }
}
