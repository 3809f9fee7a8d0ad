import Optimizers
import Testing

/// What an importer does: only `import Optimizers`, their own function and
/// loop, `var opt = Adan(lr: …)` and `opt.update(&params, gradient: grad)`.
struct ImporterTests {
    /// f(p) = (p₀ − 3)² + 10(p₁ + 1)² + (p₀ − p₂)², minimum 0 at (3, −1, 3).
    func valueAndGradient(_ p: [Double]) -> (Double, [Double]) {
        let a = p[0] - 3, b = p[1] + 1, c = p[0] - p[2]
        return (a * a + 10 * b * b + c * c, [2 * a + 2 * c, 20 * b, -2 * c])
    }

    @Test func adanMinimisesAHandWrittenFunction() {
        var params = [0.0, 0.0, 0.0]
        var opt = Adan(lr: 0.05)
        let start = valueAndGradient(params).0
        for _ in 0..<2000 {
            let grad = valueAndGradient(params).1
            opt.update(&params, gradient: grad)
        }
        #expect(start == 19)
        #expect(valueAndGradient(params).0 < 1e-6)
        #expect(abs(params[0] - 3) < 1e-3 && abs(params[1] + 1) < 1e-3 && abs(params[2] - 3) < 1e-3)
    }

    @Test func everyTypedInitialiserWorksWithoutTheHarness() {
        var optimizers: [any GradientOptimizer] = [
            SGD(lr: 0.02, momentum: 0.9), Adam(lr: 0.05), AdamW(lr: 0.05, weightDecay: 0), Adan(lr: 0.05),
            Lion(lr: 0.002), Grams(lr: 0.05), EXAdam(lr: 0.01), AdamP(lr: 0.05), SGDP(lr: 0.02),
            CautiousAdamW(lr: 0.05, weightDecay: 0), CautiousLion(lr: 0.002),
        ]
        for k in optimizers.indices {
            var params = [0.0, 0.0, 0.0]
            for _ in 0..<3000 { optimizers[k].update(&params, gradient: valueAndGradient(params).1) }
            #expect(valueAndGradient(params).0 < 1e-2, "\(type(of: optimizers[k])) ended at \(params)")
        }
    }
}
