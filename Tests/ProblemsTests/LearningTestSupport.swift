import LinearAlgebra
import OptimizationCore
import Problems

/// Shared helpers of the learning-problem tests.
/// A network problem seen through the protocols the workloads conform to.
typealias NetworkObjective = any TrainingObjective & HessianVectorObjective & LayerStatisticsObjective
    & SampledLabelObjective

/// A catalog problem cast to the protocols a test needs (fails the test when it does not conform).
func makeProblem<T>(_ spec: String, seed: UInt64 = 0, as type: T.Type) throws -> T {
    let (problem, _) = try ProblemCatalog.shared.make(spec, seed: seed)
    guard let typed = problem as? T else { throw ObjectiveError.failed("\(spec) is not \(type)") }
    return typed
}

enum LearningTest {
    /// A learning problem from the catalog, as its concrete class.
    static func make(_ spec: String, seed: UInt64 = 0) throws -> ClassificationProblem {
        let (objective, _) = try ProblemCatalog.shared.make(spec, seed: seed)
        return objective as! ClassificationProblem
    }

    /// A seeded point with N(0, scale²) coordinates.
    static func randomPoint(_ n: Int, seed: UInt64, scale: Double = 0.3) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in scale * rng.gaussian() }
    }

    static func norm(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// ‖a − b‖ / ‖b‖ (b: the reference).
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        let diff = zip(a, b).map { $0 - $1 }
        return norm(diff) / max(norm(b), 1e-300)
    }

    static func axpy(_ x: [Double], _ t: Double, _ v: [Double]) -> [Double] { zip(x, v).map { $0 + t * $1 } }

    /// Central differences of f along each coordinate in `indices`.
    static func finiteDifferenceGradient(_ p: any Objective, at x: [Double], indices: [Int], h: Double = 1e-5) throws -> [Double] {
        try indices.map { i in
            var xp = x, xm = x
            xp[i] += h
            xm[i] -= h
            return (try p.value(at: xp) - p.value(at: xm)) / (2 * h)
        }
    }

    /// Central difference of ∇f along v, with one Richardson extrapolation (error O(h⁴)).
    static func finiteDifferenceHVP(_ p: any DifferentiableObjective, at x: [Double], _ v: [Double], h: Double) throws -> [Double] {
        func central(_ h: Double) throws -> [Double] {
            let gp = try p.gradient(at: axpy(x, h, v)), gm = try p.gradient(at: axpy(x, -h, v))
            return zip(gp, gm).map { ($0 - $1) / (2 * h) }
        }
        let coarse = try central(h), fine = try central(h / 2)
        return zip(fine, coarse).map { (4 * $0 - $1) / 3 }
    }
}
