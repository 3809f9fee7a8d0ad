import OptimizationCore
import Optimizers
import Testing

/// (Which second-order methods and baselines are registered is checked by
/// `OptimizerTableTests.tableIsTheCatalog`: the table lists them all.)

@Test(arguments: [
    ("damped_newton(rule=newton)", "rule"), ("cubic(sigma0=-1)", "sigma0"), ("lazy_newton(m=0)", "m"),
    ("regularized_newton(alpha=3)", "alpha"), ("lbfgs(m=0)", "m"), ("gsl_bfgs2(tol=0)", "tol"), ("newton(c1=2)", "c1"),
])
func badKeysAreRejectedWithOneLine(_ spec: String, _ key: String) {
    do {
        _ = try OptimizerCatalog.shared.make(spec)
        Issue.record("\(spec) was accepted")
    } catch {
        let message = "\(error)"
        #expect(message.contains(key), "\(spec): \(message)")
        #expect(!message.contains("\n"))
    }
}

@Test func canonicalSpecsDropDefaults() throws {
    #expect(try OptimizerCatalog.shared.canonical("damped_newton(rule=un)") == "damped_newton")
    #expect(try OptimizerCatalog.shared.canonical("lazy_cubic(m=5,sigma0=1)") == "lazy_cubic(m=5)")
    #expect(try OptimizerCatalog.shared.canonical("regularized_newton(alpha=0.6667)") == "regularized_newton(alpha=0.6667)")
}
