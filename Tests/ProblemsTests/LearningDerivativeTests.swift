import Foundation
import LinearAlgebra
import OptimizationCore
import Problems
import Testing

/// Gradients, Hessians and Hessian-vector products of the learning problems
/// against finite differences, on small configurations (debug build).
@Suite struct LearningDerivativeTests {
    static let smallSpecs = [
        "logreg(data=breast_cancer)",
        "softmax(data=wine)",
        "mlp(data=wine,hidden=5x4)",
        "mlp(data=wine,hidden=6,activation=relu,l2=0.01)",
    ]

    @Test(arguments: smallSpecs)
    func gradientMatchesCentralDifferencesAtX0AndRandomPoint(spec: String) throws {
        let p = try LearningTest.make(spec, seed: 3)
        let h = spec.contains("relu") ? 1e-7 : 1e-5
        for x in [p.initialPoint, LearningTest.randomPoint(p.dimension, seed: 11)] {
            let g = try p.gradient(at: x)
            let fd = try LearningTest.finiteDifferenceGradient(p, at: x, indices: Array(0..<p.dimension), h: h)
            #expect(LearningTest.relativeError(g, fd) <= 1e-6, "\(spec)")
            var buffer: [Double] = []
            let f = try p.gradient(at: x, into: &buffer)
            #expect(f == (try p.value(at: x)))
        }
    }

    @Test(arguments: ["softmax(data=digits)", "mlp(data=digits,hidden=8)"])
    func gradientMatchesCentralDifferencesOnDigitsSubset(spec: String) throws {
        let p = try LearningTest.make(spec, seed: 5)
        let indices = Array(stride(from: 0, to: p.dimension, by: 17)) + [p.dimension - 1]
        for x in [p.initialPoint, LearningTest.randomPoint(p.dimension, seed: 12, scale: 0.1)] {
            let g = try p.gradient(at: x)
            let fd = try LearningTest.finiteDifferenceGradient(p, at: x, indices: indices)
            #expect(LearningTest.relativeError(indices.map { g[$0] }, fd) <= 1e-6, "\(spec)")
        }
    }

    @Test(arguments: ["logreg(data=breast_cancer)", "softmax(data=wine)"])
    func hessianMatchesDifferencesOfTheGradient(spec: String) throws {
        let p = try LearningTest.make(spec)
        let x = LearningTest.randomPoint(p.dimension, seed: 21)
        let h = try p.hessian(at: x)
        let step = 1e-5
        var maxError = 0.0, maxEntry = 0.0
        for j in 0..<p.dimension {
            var xp = x, xm = x
            xp[j] += step
            xm[j] -= step
            let gp = try p.gradient(at: xp), gm = try p.gradient(at: xm)
            for i in 0..<p.dimension {
                maxError = max(maxError, abs((gp[i] - gm[i]) / (2 * step) - h[i, j]))
                maxEntry = max(maxEntry, abs(h[i, j]))
            }
        }
        #expect(maxError <= 1e-6 * maxEntry, "\(spec): max error \(maxError), max entry \(maxEntry)")
        for i in 0..<p.dimension { for j in 0..<i { #expect(h[i, j] == h[j, i]) } }
    }

    @Test(arguments: ["logreg(data=breast_cancer)", "softmax(data=wine)", "softmax(data=digits)"])
    func hessianVectorProductMatchesHessianTimesVector(spec: String) throws {
        let p = try LearningTest.make(spec)
        for seed: UInt64 in [1, 2] {
            let x = seed == 1 ? p.initialPoint : LearningTest.randomPoint(p.dimension, seed: 31, scale: 0.1)
            let v = LearningTest.randomPoint(p.dimension, seed: 41 + seed, scale: 1)
            var hv: [Double] = []
            try p.hessianVectorProduct(at: x, v, into: &hv)
            let reference = try p.hessian(at: x) * v
            #expect(LearningTest.relativeError(hv, reference) <= 1e-10, "\(spec)")
        }
    }

    @Test(arguments: [
        ("mlp(data=wine,hidden=5x4)", 1e-9),
        ("mlp(data=wine,hidden=7,l2=0)", 1e-9),
        ("mlp(data=wine,hidden=6,activation=relu,l2=0.01)", 1e-7),
    ])
    func mlpHessianVectorProductMatchesDifferencesOfTheGradient(spec: String, tolerance: Double) throws {
        let p = try LearningTest.make(spec, seed: 9)
        let x = LearningTest.randomPoint(p.dimension, seed: 51, scale: 0.5)
        let v = LearningTest.randomPoint(p.dimension, seed: 52, scale: 1)
        var hv: [Double] = []
        try p.hessianVectorProduct(at: x, v, into: &hv)
        let fd = try LearningTest.finiteDifferenceHVP(p, at: x, v, h: spec.contains("relu") ? 1e-5 : 1e-3)
        #expect(LearningTest.relativeError(hv, fd) <= tolerance, "\(spec): \(LearningTest.relativeError(hv, fd))")
    }

    @Test func mlpHasNoDenseHessian() throws {
        let p = try LearningTest.make("mlp(data=wine,hidden=3)")
        #expect(!p.capabilities.contains(.hessian))
        #expect(p.capabilities.contains(.hessianVectorProduct))
        #expect(throws: ObjectiveError.self) { try p.hessian(at: p.initialPoint) }
    }
}
