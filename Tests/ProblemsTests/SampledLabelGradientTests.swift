import OptimizationCore
import Problems
import Testing

/// Gradients on labels drawn from the model (Sophia-G's estimator).
struct SampledLabelGradientTests {
    /// Under the model's own predictive distribution the expected gradient of
    /// the loss is zero (score-function identity): the mean over many seeds
    /// shrinks like 1/√n while single draws do not; the same seed repeats.
    @Test(arguments: ["softmax(data=digits)", "mlp(data=digits,hidden=8)", "logreg", "cnn(channels=2x2,batch=200)",
                       "charlm(d=8,layers=1,heads=2,context=16,batch=8)"])
    func meanOverDrawsVanishes(_ spec: String) throws {
        let problem = try makeProblem(spec, as: (any SampledLabelObjective).self)
        #expect(problem.capabilities.contains(.sampledLabels))
        let x = (0..<problem.dimension).map { 0.05 * Double(($0 * 37) % 11 - 5) }
        var g = [Double](), mean = [Double](repeating: 0, count: problem.dimension)
        var single = 0.0
        let draws = 64
        for seed in 0..<draws {
            let b = try problem.sampledLabelGradient(at: x, seed: UInt64(seed), into: &g)
            #expect(b > 100)
            if seed == 0 { single = g.map { $0 * $0 }.reduce(0, +).squareRoot() }
            for i in g.indices { mean[i] += g[i] / Double(draws) }
        }
        let meanNorm = mean.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(meanNorm < 3 * single / Double(draws).squareRoot(), "mean \(meanNorm), one draw \(single)")
        var again = [Double]()
        _ = try problem.sampledLabelGradient(at: x, seed: 0, into: &again)
        var first = [Double]()
        _ = try problem.sampledLabelGradient(at: x, seed: 0, into: &first)
        #expect(again == first)
    }
}
