import Foundation
import LinearAlgebra
import OptimizationCore

/// f(x) = ½xᵀAx + bᵀx + c of spec §11.1: A = [[4,1,0],[1,3,−1],[0,−1,2]],
/// b = (1, −2, 0.5), c = 0.25. At x = (0.5, −0.25, 1): f = 3.46875, ∇f = (2.75, −3.25, 2.75).
final class SpecQuadratic: DifferentiableObjective {
    let name = "spec_quadratic"
    let dimension = 3
    let layout: ParameterLayout
    let initialPoint = [0.5, -0.25, 1.0]
    static let a: [[Double]] = [[4, 1, 0], [1, 3, -1], [0, -1, 2]]
    static let b: [Double] = [1, -2, 0.5]

    init(layout: ParameterLayout = .flat(3)) { self.layout = layout }

    func value(at x: [Double]) throws -> Double {
        var f = 0.25
        for i in 0..<3 {
            var ax = 0.0
            for j in 0..<3 { ax += Self.a[i][j] * x[j] }
            f += 0.5 * x[i] * ax + Self.b[i] * x[i]
        }
        return f
    }

    func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
        g = (0..<3).map { i in (0..<3).reduce(Self.b[i]) { $0 + Self.a[i][$1] * x[$1] } }
        return try value(at: x)
    }
}

/// Σ cos(xᵢ) on n coordinates, or NaN when `poisoned` (NaN handling tests).
final class CosineSum: Objective {
    let name = "cosine_sum"
    let dimension: Int
    var layout: ParameterLayout { .flat(dimension) }
    let initialPoint: [Double]
    var poisoned = false

    init(_ x0: [Double]) { dimension = x0.count; initialPoint = x0 }

    func value(at x: [Double]) throws -> Double {
        poisoned ? .nan : x.reduce(0) { $0 + cos($1) }
    }
}

/// Hides every capability but `value` of another objective, so an optimizer
/// takes its opaque-objective path on the same function.
final class OpaqueView: TrainingObjective {
    let base: any Objective
    init(_ base: any Objective) { self.base = base }
    var name: String { base.name }
    var dimension: Int { base.dimension }
    var layout: ParameterLayout { base.layout }
    var initialPoint: [Double] { base.initialPoint }
    func value(at x: [Double]) throws -> Double { try base.value(at: x) }
    func beginStep(_ step: Int) { base.beginStep(step) }
}

/// A three-block chain in the spirit of spec §11.5: h₀ = a fixed 5×3 batch,
/// block k: h ← tanh(h Wₖᵀ + bₖ) (widths 3 → 4 → 4 → 2), loss = mean of h²
/// plus 0.1·Σ h. Optionally returns NaN once, at call `nanAtCall` of `loss`.
final class ToyChain: BlockSequentialObjective {
    let name = "toy_chain"
    static let widths = [3, 4, 4, 2]
    static let rows = 5
    let layout: ParameterLayout
    let initialPoint: [Double]
    var dimension: Int { layout.dimension }
    let input: [Double]
    var lossCalls = 0
    var nanAtCalls: Set<Int> = []

    init(seed: UInt64 = 7) {
        var named: [(String, [Int])] = []
        for k in 0..<3 {
            named.append(("layer\(k + 1).weight", [Self.widths[k + 1], Self.widths[k]]))
            named.append(("layer\(k + 1).bias", [Self.widths[k + 1]]))
        }
        layout = ParameterLayout(named)
        var rng = SplitMix64(seed: seed)
        initialPoint = (0..<layout.dimension).map { _ in 0.5 * rng.gaussian() }
        input = (0..<(Self.rows * Self.widths[0])).map { _ in rng.uniform(in: -1, 1) }
    }

    var sequentialBlocks: [Range<Int>] {
        (0..<3).map { k in layout.blocks[2 * k].offset..<(layout.blocks[2 * k + 1].range.upperBound) }
    }

    func makeActivation() -> BlockActivation { BlockActivation(capacity: Self.rows * 4) }

    func begin(into h: BlockActivation) {
        h.reshape(rows: Self.rows, columns: Self.widths[0])
        for i in input.indices { h.storage[i] = input[i] }
        h.accumulator = 0
    }

    func apply(block k: Int, parameters: UnsafeBufferPointer<Double>, input h: BlockActivation, output: BlockActivation) {
        let (n, m) = (Self.widths[k], Self.widths[k + 1])
        precondition(parameters.count == (n + 1) * m && h.columns == n)
        output.reshape(rows: h.rows, columns: m)
        for r in 0..<h.rows {
            for o in 0..<m {
                var s = parameters[n * m + o]
                for i in 0..<n { s += parameters[o * n + i] * h.storage[r * n + i] }
                output.storage[r * m + o] = tanh(s)
            }
        }
        output.accumulator = h.accumulator
    }

    func loss(_ h: BlockActivation) -> Double {
        defer { lossCalls += 1 }
        if nanAtCalls.contains(lossCalls) { return .nan }
        var sum = 0.0
        for v in h.values { sum += v * v + 0.1 * v }
        return sum / Double(h.rows * h.columns)
    }

    func value(at x: [Double]) throws -> Double {
        let a = makeActivation(), b = makeActivation()
        return x.withUnsafeBufferPointer { blockwiseValue(at: $0, using: a, b) }
    }
}

/// ulp(x) for Double.
func ulp(_ x: Double) -> Double { x.ulp }

/// Σ cos(xᵢ) seen through the oracle's multiplicative value noise.
final class NoisyCosineSum: NoisyObjective {
    let name = "noisy_cosine_sum"
    let dimension: Int
    var layout: ParameterLayout { .flat(dimension) }
    let initialPoint: [Double]
    let relativeNoise: Double

    init(_ x0: [Double], noise: Double) { dimension = x0.count; initialPoint = x0; relativeNoise = noise }

    func value(at x: [Double]) throws -> Double { x.reduce(0) { $0 + cos($1) } }
}
