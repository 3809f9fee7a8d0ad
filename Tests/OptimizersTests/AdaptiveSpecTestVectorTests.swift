import OptimizationCore
import Optimizers
import Testing

/// Hand-computed steps of the adaptive methods of issue 18 on the §10 input
/// (θ₀ = (1, −2, 0.5), g₁ = (0.5, −1, 0.2), g₂ = (0.3, 0.4, −0.1); matrix
/// W₀ = I₂ with G₁ = (0, 0.5; −0.3, 0)), each to 1e-10 relative. The
/// closed forms are in the comments; the 12-digit values were evaluated from
/// them in plain floating point, not by the lab's code.
struct AdaptiveSpecTestVectorTests {
    let base = SpecTestVectorTests()
    static let theta0 = SpecTestVectorTests.theta0
    static let g1 = SpecTestVectorTests.gradients[0]
    static let g2 = SpecTestVectorTests.gradients[1]

    /// The first `expected.count` steps of the §10 input (or of `gradients`).
    func check<O: GradientOptimizer>(_ optimizer: O, _ expected: [[Double]], x0: [Double] = theta0,
                                     gradients: [[Double]] = SpecTestVectorTests.gradients,
                                     layout: ParameterLayout? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        base.check(optimizer, expected, x0: x0, gradients: Array(gradients.prefix(expected.count)), layout: layout,
                   sourceLocation: sourceLocation)
    }

    func expectClose(_ x: [Double], _ expected: [Double], _ what: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let error = maxRelativeDifference(x, expected)
        #expect(error <= 1e-10, "\(what): \(x) vs \(expected)", sourceLocation: sourceLocation)
    }

    @Test func adopt() {
        // Call 1 only sets v = g₁²: θ stays. Call 2: n = g₂/√v = (0.6, 0.4, −0.5) (inside ±1^¼),
        // m = 0.1n, θ = θ₀ − 1e-3·m.
        check(ADOPT(), [Self.theta0, [0.99994, -2.00004, 0.50005]])
        // decouple, λ = 0.1, lr = 0.01: θ ← θ − 1e-3·θ − 0.01·m at call 2 only.
        check(ADOPT(lr: 0.01, weightDecay: 0.1, decouple: true), [Self.theta0, [0.9984, -1.9984, 0.5]])
        var opt = ADOPT()
        var x = Self.theta0
        opt.update(&x, gradient: Self.g1)
        #expect(opt.v == [0.25, 1, 0.04000000000000001] && opt.m == [0, 0, 0])
    }

    @Test func ademamix() {
        // Step 1: m₁/(1−β₁) = g, α·m₂ = 2·1e-4·g, √v/√(1−β₂) = |g|: u = 1.0002·g/(|g| + 1e-8).
        check(AdEMAMix(), [[0.99899980002, -1.99899980001, 0.49899980005]])
        // λ = 0.1: u + 0.1·θ₀.
        check(AdEMAMix(weightDecay: 0.1), [[0.99889980002, -1.99879980001, 0.49894980005]])
        // alpha_warmup = 4: α = 2·t/4 for t < 4, then 2.
        let warm = AdEMAMix(beta3Warmup: 10, alphaWarmup: 4)
        #expect(warm.alphaAndBeta3(step: 1).alpha == 0.5 && warm.alphaAndBeta3(step: 4).alpha == 2)
        // β₃ warm-up: half-life h(β) = ln½/ln(β + 1e-8) − 1 goes linearly from h(β₁) to h(β₃); at t = 5 of 10:
        let h = { (b: Double) in Double.log(0.5) / Double.log(b + 1e-8) - 1 }
        let mid = Double.pow(0.5, 1 / (0.5 * h(0.9) + 0.5 * h(0.9999) + 1))
        #expect(abs(warm.alphaAndBeta3(step: 5).beta3 - mid) <= 1e-15 && warm.alphaAndBeta3(step: 10).beta3 == 0.9999)
    }

    @Test func mars() {
        // Matrix block: c = (1 + γβ₁/(1−β₁))·g = 1.475·g, ‖c‖ = 0.86 < 1; m/denom = c/(|c| + 1e-8).
        check(MARS(), [[1, -0.00299999995932, 0.0029999999322, 1]],
                   x0: SpecTestVectorTests.w0, gradients: [SpecTestVectorTests.matrixGradients[0]],
                   layout: SpecTestVectorTests.matrixLayout)
        // ‖c‖ = 1.475·√5 > 1: c is normalised first.
        check(MARS(), [[0.997000000034, 0, 0, 0.997000000067]],
                   x0: SpecTestVectorTests.w0, gradients: [[2, 0, 0, 1]], layout: SpecTestVectorTests.matrixLayout)
        // Lion variant, λ = 0.1: θ ← θ − η(λθ + sign(m)).
        check(MARS(weightDecay: 0.1, variant: .lion), [[0.9997, -0.003, 0.003, 0.9997]],
                   x0: SpecTestVectorTests.w0, gradients: [SpecTestVectorTests.matrixGradients[0]],
                   layout: SpecTestVectorTests.matrixLayout)
        // A flat vector takes the AdamW path: θ − 0.003·(0.1·θ + g/(|g| + 1e-8)).
        check(MARS(), [[0.99670000006, -1.99640000003, 0.49685000015]])
        // optimize_1d: the vector takes the MARS path too (‖c‖ = 1.475·√1.29 > 1, normalised, sign kept).
        var opt = MARS(optimize1D: true)
        var x = Self.theta0
        opt.update(&x, gradient: Self.g1)
        #expect(maxRelativeDifference(x, [0.997000000068, -1.99700000003, 0.49700000017]) <= 1e-10, "\(x)")
    }

    @Test func scheduleFree() {
        // SGD step 1: c = 1 ⇒ y = z = y₀ − η·g; x = y.
        var sgd = ScheduleFreeSGD(lr: 0.1)
        var y = Self.theta0
        sgd.update(&y, gradient: Self.g1)
        expectClose(y, [0.95, -1.9, 0.48], "sgd y₁")
        expectClose(sgd.evaluationPoint(y), [0.95, -1.9, 0.48], "sgd x₁")
        // AdamW step 1: ĝ = g/(√(v/(1−β₂)) + ε) = g/(|g| + 1e-8); y = z = y₀ − 0.0025ĝ.
        var adamw = ScheduleFreeAdamW()
        var w = Self.theta0
        adamw.update(&w, gradient: Self.g1)
        expectClose(w, [0.99750000005, -1.99750000003, 0.497500000125], "adamw y₁")
        #expect(adamw.z == w)
    }

    @Test func prodigy() {
        // Step 1: d = d₀ = 1e-6, ηd = 1e-6, m = 1e-7·g, v = 1e-15·g², θ −= 1e-6·m/(√v + 1e-14).
        check(Prodigy(), [[0.999996837724, -1.99999683772, 0.499996837727]])
        // Step 2 with g₁ again: r = 1e-6·⟨g₁, θ₀ − θ₁⟩, D = (√0.999 + 1)·1e-6·‖g₁‖₁, d = r/D.
        var opt = Prodigy()
        var x = Self.theta0
        opt.update(&x, gradient: Self.g1)
        #expect(opt.d == 1e-6 && opt.currentLearningRate == 1e-6)
        opt.update(&x, gradient: Self.g1)
        #expect(abs(opt.d - 1.58153342997e-6) <= 1e-10 * 1.58e-6, "d = \(opt.d)")
        #expect(opt.currentLearningRate == 1e-6)   // the step just taken used the old d
        opt.update(&x, gradient: Self.g1)
        #expect(abs(opt.currentLearningRate! - 1.58153342997e-6) <= 1e-10 * 1.58e-6)   // ηd = d·lr with d of step 2
    }
}
