import Testing
import LinearAlgebra
@testable import OptimizationCore

/// f(x) = Σ xᵢ², two blocks of one coordinate each, with a dense Gauss–Newton
/// matrix only when asked to (as a least-squares function would).
final class TwoBlockSphere: BlockSequentialObjective, CurvatureMatrixObjective, TrainingObjective {
    let name = "two_block_sphere"
    let dimension = 2
    var layout: ParameterLayout { .flat(2) }
    var initialPoint: [Double] { [1, 2] }
    let hasGaussNewton: Bool
    var selectedStep = -1
    init(hasGaussNewton: Bool) { self.hasGaussNewton = hasGaussNewton }

    func value(at x: [Double]) throws -> Double { x[0] * x[0] + x[1] * x[1] }
    func provides(_ kind: CurvatureKind) -> Bool { kind == .ggn && hasGaussNewton }
    func curvatureMatrix(_ kind: CurvatureKind, at x: [Double]) throws -> Matrix { .diagonal([2, 2]) }
    func beginStep(_ step: Int) { selectedStep = step }
    func fullValue(at x: [Double]) throws -> Double { -1 }

    var sequentialBlocks: [Range<Int>] { [0..<1, 1..<2] }
    func makeActivation() -> BlockActivation { BlockActivation(capacity: 1) }
    func begin(into h: BlockActivation) { h.reshape(rows: 1, columns: 1); h.accumulator = 0 }
    func apply(block b: Int, parameters: UnsafeBufferPointer<Double>, input: BlockActivation, output: BlockActivation) {
        output.reshape(rows: 1, columns: 1)
        output.accumulator = input.accumulator + parameters[0] * parameters[0]
    }
    func loss(_ h: BlockActivation) -> Double { h.accumulator }
}

@Suite("Capabilities derived from conformance")
struct CapabilityDerivationTests {
    @Test("each protocol adds its capability; instance answers narrow curvature kinds")
    func derived() {
        #expect(CountingSphere().capabilities == [.value, .gradient, .hessian, .hessianVectorProduct])
        #expect(NoisySphere().capabilities == [.value])
        #expect(TwoBlockSphere(hasGaussNewton: false).capabilities == [.value, .layered])
        #expect(TwoBlockSphere(hasGaussNewton: true).capabilities == [.value, .layered, .curvature])
    }

    @Test("harness hooks reach a TrainingObjective through any Objective, and default elsewhere")
    func hooks() throws {
        let sphere = TwoBlockSphere(hasGaussNewton: false)
        let any: any Objective = sphere
        any.beginStep(7)
        #expect(sphere.selectedStep == 7)
        #expect(try any.fullValue(at: [1, 1]) == -1)
        #expect(any.testMetric(at: [1, 1]) == nil)
        let plain: any Objective = CountingSphere()
        plain.beginStep(3)
        #expect(try plain.fullValue(at: [1, 1, 1]) == 3)
    }

    @Test("the oracle's layered view counts each completed pass as a function evaluation")
    func layeredViewCounts() throws {
        var oracle = Oracle(TwoBlockSphere(hasGaussNewton: true))
        let view = try #require(oracle.layered)
        let (a, b) = (view.makeActivation(), view.makeActivation())
        let theta: [Double] = [3, 4]
        let f = theta.withUnsafeBufferPointer { view.blockwiseValue(at: $0, using: a, b) }
        #expect(f == 25)
        #expect(oracle.counts == EvaluationCounts(function: 1))
        _ = try oracle.value(at: theta)
        _ = try view.value(at: theta)
        #expect(oracle.counts == EvaluationCounts(function: 3))
        #expect(try oracle.curvatureMatrix(.ggn, at: theta)[0, 0] == 2)
        #expect(oracle.counts == EvaluationCounts(function: 3, hessian: 1))
        // The view exposes no harness hooks: selecting a batch through it does nothing.
        view.beginStep(5)
        #expect(view.capabilities == [.value, .layered])
    }
}
