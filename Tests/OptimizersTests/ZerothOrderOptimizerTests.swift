import Foundation
import OptimizationCore
@testable import Optimizers
import Testing

@Suite("Zeroth-order optimizers (spec §11.4, NaN handling, catalog)")
struct ZerothOrderOptimizerTests {
    @Test("ZO-AdaMM on the injected sequence of spec §11.4.1")
    func adammInjected() {
        var opt = ZOAdam(variant: .adamm, lr: 0.1, beta1: 0.9, beta2: 0.9, eps: 1e-7)
        var x: [Double] = [1, 1]
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 4 * b.ulp.magnitude }
        opt.apply(&x, estimate: [1, -2])
        #expect(close(x[0], 0.9683772376285561) && close(x[1], 1.031622773044122), "\(x)")
        #expect(close(opt.vHat[0], 0.10000009) && close(opt.vHat[1], 0.40000009), "\(opt.vHat)")
        opt.apply(&x, estimate: [0.5, 0.5])
        #expect(close(x[0], 0.9391852299412274) && close(x[1], 1.0461572132627464), "\(x)")
        #expect(close(opt.vHat[0], 0.115000081) && close(opt.vHat[1], 0.40000009), "\(opt.vHat)")
        #expect(opt.currentLearningRate == 0.1 / 2.0.squareRoot())
    }

    @Test("box constraint: the diag(√v̂)-weighted projection is the per-coordinate clip")
    func boxProjection() throws {
        var free = ZOAdam(variant: .adamm, lr: 0.1)
        var boxed = ZOAdam(variant: .adamm, lr: 0.1, lower: 0.98, upper: 1.01)
        var x: [Double] = [1, 1, 1], y: [Double] = [1, 1, 1]
        free.apply(&x, estimate: [1, -2, 1e-9])
        boxed.apply(&y, estimate: [1, -2, 1e-9])
        #expect(x[0] < 0.98 && x[1] > 1.01)
        #expect(y == [0.98, 1.01, x[2]])
        let bad = ValueObjective("q", x0: [0]) { $0[0] * $0[0] }
        #expect(throws: SpecError.self) {
            _ = try OptimizerCatalog.make("zo_adam(lower=1,upper=0)", for: bad.capabilities, problemName: bad.name)
        }
    }

    @Test("torch-style ZO-Adam: the first step is ≈ −lr·sign(ĝ)")
    func adamFirstStep() {
        var opt = ZOAdam(variant: .adam, lr: 0.01)
        var x: [Double] = [1, 1, 1]
        opt.apply(&x, estimate: [3e-3, -250, 7])
        let expected: [Double] = [0.99, 1.01, 0.99]
        for i in 0..<3 { #expect(abs(x[i] - expected[i]) < 1e-7, "\(x)") }
        #expect(opt.beta2 == 0.999 && opt.eps == 1e-8)
    }

    @Test("catalog: zo_adam defaults, query counts per step", arguments: [
        ("zo_adam", 11), ("zo_adam(variant=adam)", 2), ("zo_sgd", 2), ("zo_sgd(q=4)", 5),
        ("zo_sgd(estimator=cge)", 4), ("zo_sgd(estimator=cge,difference=central)", 6), ("zo_signsgd", 11),
        ("zo_sgd(q=4,difference=central,direction=rademacher)", 8),
    ])
    func queryCounts(spec: String, perStep: Int) throws {
        let objective = DyadicQuadratic.objective()
        let (made, _) = try OptimizerCatalog.make(spec, for: objective.capabilities, problemName: objective.name, seed: 5)
        var opt = made
        var oracle = Oracle(objective)
        var x = objective.initialPoint
        for _ in 0..<3 { try opt.step(&x, oracle: &oracle) }
        #expect(oracle.counts.function == 3 * perStep)
        #expect(oracle.counts.gradient == 0)
        #expect(type(of: opt).descriptor.family == .zerothOrder)
    }

    @Test("a non-finite query skips the step: x and state stay, queries count", arguments: [
        "zo_sgd(momentum=0.9)", "zo_adam", "zo_adam(variant=adam)", "zo_signsgd", "zo_sgd(estimator=cge)",
    ])
    func nonFinite(spec: String) throws {
        let objective = ValueObjective("nan_beyond_one", x0: [0.5, 0.5]) { x in
            x[0] > 0.50001 || x[0] < 0.49999 ? .nan : x[0] * x[0] + x[1] * x[1]
        }
        let (made, _) = try OptimizerCatalog.make(spec, for: objective.capabilities, problemName: objective.name)
        var opt = made
        var oracle = Oracle(objective)
        var x = objective.initialPoint
        try opt.step(&x, oracle: &oracle)
        #expect(x == [0.5, 0.5])
        #expect(opt.lastEvent == "skipped_nonfinite")
        #expect(oracle.counts.function > 0)
        if let adam = opt as? ZOAdam { #expect(adam.m.isEmpty && adam.stepCount == 0) }
    }

    @Test("ZO-SGD with central CGE is exact gradient descent on the dyadic quadratic")
    func sgdIsGradientDescent() throws {
        var opt = ZOSGD(lr: 0.125, estimator: .cge, mu: 0x1p-4, difference: .central)
        var oracle = Oracle(DyadicQuadratic.objective())
        var x = DyadicQuadratic.x
        try opt.step(&x, oracle: &oracle)
        #expect(x == zip(DyadicQuadratic.x, DyadicQuadratic.gradient).map { $0 - 0.125 * $1 })
    }

    @Test("same seed, same trajectory; another seed, another one")
    func determinism() throws {
        func run(_ seed: UInt64) throws -> [Double] {
            var opt = ZOSGD(lr: 0.01, q: 3, mu: 1e-4, seed: seed)
            var oracle = Oracle(DyadicQuadratic.objective())
            var x = DyadicQuadratic.x
            for _ in 0..<20 { try opt.step(&x, oracle: &oracle) }
            return x
        }
        #expect(try run(1) == run(1))
        #expect(try run(1) != run(2))
    }
}
