import Testing
import LinearAlgebra
@testable import OptimizationCore

/// f(x) = Σ xᵢ² with every capability, for counting.
final class CountingSphere: HessianObjective, HessianVectorObjective {
    var name: String { "sphere" }
    let dimension = 3
    var layout: ParameterLayout { .flat(3) }
    var initialPoint: [Double] { [1, 2, 3] }
    func value(at x: [Double]) throws -> Double { x.reduce(0) { $0 + $1 * $1 } }
    func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
        g = x.map { 2 * $0 }
        return try value(at: x)
    }
    func hessian(at x: [Double]) throws -> Matrix { Matrix.diagonal([2, 2, 2]) }
    func hessianVectorProduct(at x: [Double], _ v: [Double], into r: inout [Double]) throws { r = v.map { 2 * $0 } }
}

final class NoisySphere: NoisyObjective {
    var name: String { "noisy" }
    let dimension = 1
    var layout: ParameterLayout { .flat(1) }
    var initialPoint: [Double] { [1] }
    let relativeNoise = 0.5
    func value(at x: [Double]) throws -> Double { 4 }
}

@Suite("Oracle")
struct OracleTests {
    @Test("counts each kind of call exactly")
    func counts() throws {
        var oracle = Oracle(CountingSphere())
        let x = [1.0, 2, 3]
        for _ in 0..<5 { _ = try oracle.value(at: x) }
        for _ in 0..<3 { _ = try oracle.gradient(at: x) }
        var g = [Double](repeating: 0, count: 3)
        _ = try oracle.gradient(at: x, into: &g)
        for _ in 0..<2 { _ = try oracle.hessian(at: x) }
        var hv = [Double](repeating: 0, count: 3)
        for _ in 0..<7 { try oracle.hessianVectorProduct(at: x, [1, 0, 0], into: &hv) }
        #expect(oracle.counts == EvaluationCounts(function: 5, gradient: 4, hessianVector: 7, hessian: 2))
        oracle.record(EvaluationCounts(function: 1, hessian: 1))
        #expect(oracle.counts == EvaluationCounts(function: 6, gradient: 4, hessianVector: 7, hessian: 3))
        #expect(g == [2, 4, 6] && hv == [2, 0, 0])
    }

    @Test("unsupported capabilities throw and are still counted as attempts")
    func unsupported() {
        var oracle = Oracle(NoisySphere())
        #expect(throws: ObjectiveError.self) { try oracle.hessian(at: [0]) }
        #expect(throws: ObjectiveError.self) { try oracle.layerStatistics(at: [0], targets: .empirical, seed: 0) }
        #expect(throws: ObjectiveError.unsupported("gradients", problem: "noisy")) { try oracle.gradient(at: [0]) }
        #expect(oracle.counts == EvaluationCounts(gradient: 2, hessian: 1))
        #expect(oracle.layered == nil)
    }

    @Test("relative value noise is seeded, bounded, and can be held for common random numbers")
    func noise() throws {
        let sphere = NoisySphere()
        var a = Oracle(sphere, seed: 9), b = Oracle(NoisySphere(), seed: 9)
        var values: [Double] = []
        for _ in 0..<200 {
            let v = try a.value(at: [0])
            #expect(v == (try b.value(at: [0])))
            #expect(v >= 4 * 0.5 && v <= 4 * 1.5)
            values.append(v)
        }
        #expect(Set(values).count > 150)
        a.holdsNoise = true
        let held = try a.value(at: [0])
        #expect(try a.value(at: [0]) == held)
        a.holdsNoise = false
        #expect(try a.value(at: [0]) != held)
        // The objective itself stays noise-free (what traces log).
        #expect(try sphere.value(at: [0]) == 4)
    }
}
