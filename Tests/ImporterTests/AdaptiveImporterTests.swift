import Optimizers
import Testing

/// The adaptive methods from an importer's own loop (only `import Optimizers`):
/// Schedule-Free's answer is read with `evaluationPoint`, MARS's exact mode
/// takes the previous point's gradient explicitly.
struct AdaptiveImporterTests {
    /// f(p) = (p₀ − 3)² + 10(p₁ + 1)² + (p₀ − p₂)², minimum 0 at (3, −1, 3).
    func valueAndGradient(_ p: [Double]) -> (Double, [Double]) {
        let a = p[0] - 3, b = p[1] + 1, c = p[0] - p[2]
        return (a * a + 10 * b * b + c * c, [2 * a + 2 * c, 20 * b, -2 * c])
    }

    @Test func everyAdaptiveTypedInitialiserWorksWithoutTheHarness() {
        var optimizers: [any GradientOptimizer] = [
            ADOPT(lr: 0.05), AdEMAMix(lr: 0.02, beta3: 0.999, beta3Warmup: 500, alphaWarmup: 500), MARS(lr: 0.05, lr1D: 0.05, weightDecay1D: 0),
            ScheduleFreeAdamW(lr: 0.05), ScheduleFreeSGD(lr: 0.02), Prodigy(),
        ]
        for k in optimizers.indices {
            var params = [0.0, 0.0, 0.0]
            for _ in 0..<3000 { optimizers[k].update(&params, gradient: valueAndGradient(params).1) }
            let answer = optimizers[k].evaluationPoint(params)
            #expect(valueAndGradient(answer).0 < 1e-2, "\(type(of: optimizers[k])) ended at \(answer)")
        }
    }

    @Test func scheduleFreeAnswersWithTheAverage() {
        var opt = ScheduleFreeSGD(lr: 0.02)
        var y = [0.0, 0.0, 0.0]
        for _ in 0..<300 { opt.update(&y, gradient: valueAndGradient(y).1) }
        let x = opt.evaluationPoint(y)
        #expect(x != y)
        // x = (y − (1 − β)z)/β, the average the method converges with.
        for i in 0..<3 { #expect(abs(x[i] - (y[i] - 0.1 * opt.z[i]) / 0.9) <= 1e-12 * max(1, abs(x[i]))) }
        var buffer: [Double] = []
        #expect(opt.evaluationPoint(y, into: &buffer) && buffer == x)
    }

    @Test func marsExactModeTakesThePreviousPointsGradient() {
        // With a full-batch gradient, g at the previous point is the previous g: both modes agree.
        var exact = MARS(lr: 0.01, approx: false, optimize1D: true)
        var approx = MARS(lr: 0.01, optimize1D: true)
        var x = [0.0, 0.0, 0.0], y = x
        var previousPoint: [Double]?
        for _ in 0..<50 {
            let g = valueAndGradient(x).1
            let before = x
            if let p = previousPoint {
                exact.update(&x, gradient: g, previousGradient: valueAndGradient(p).1, layout: nil)
            } else {
                exact.update(&x, gradient: g)
            }
            previousPoint = before
            approx.update(&y, gradient: valueAndGradient(y).1)
        }
        #expect(x == y)
        #expect(x != [0, 0, 0])
    }
}
