import OptimizationCore

extension OptimizerCatalog {
    /// The Hessian-based methods (spec second-order §4–§7), in display order.
    static let secondOrder: [Registry.Entry] = [
        .init(Newton.descriptor.inSuites(.everywhere("newton"))) { p, _ in Newton(p) },
        .init(DampedNewton.descriptor.inSuites(.everywhere("damped_newton"))) { p, _ in DampedNewton(p) },
        .init(RegularizedNewton.descriptor.inSuites(.everywhere("regularized_newton"))) { p, _ in RegularizedNewton(p) },
        .init(CubicRegularization.descriptor.inSuites(.everywhere("cubic"))) { p, _ in CubicRegularization(p) },
        .init(LazyNewton.descriptor.inSuites(.everywhere("lazy_newton"))) { p, _ in LazyNewton(p) },
        .init(LazyCubic.descriptor) { p, _ in LazyCubic(p) },
        .init(NewtonCG.descriptor.inSuites(.everywhere("newton_cg"))) { p, _ in NewtonCG(p) },
        .init(GradientNormalizedSmoothness.descriptor) { p, _ in GradientNormalizedSmoothness(p) },
        .init(KFAC.descriptor.inSuites(demo: "kfac", standard: "kfac", workloads: true)) { p, seed in KFAC(p, seed: seed) },
        .init(MKOR.descriptor.inSuites(demo: "mkor", standard: "mkor", workloads: true)) { p, seed in MKOR(p, seed: seed) },
        .init(MFAC.descriptor.inSuites(.everywhere("mfac"))) { p, _ in MFAC(p) },
    ]

    /// Classical baselines (quasi-Newton and GSL's multimin); BFGS before
    /// L-BFGS, the order the suites list them in.
    static let baselines: [Registry.Entry] = [
        .init(BFGS.descriptor.inSuites(.everywhere("bfgs"))) { p, _ in BFGS(p) },
        .init(LBFGS.descriptor.inSuites(smoke: "lbfgs", demo: "lbfgs", standard: "lbfgs")) { p, _ in LBFGS(p) },
    ] + GSLMultiminOptimizer.Method.allCases.map { method in
        .init(GSLMultiminOptimizer.descriptor(for: method).inSuites(method.suites)) { p, _ in
            GSLMultiminOptimizer(method: method, p)
        }
    }
}

extension GSLMultiminOptimizer.Method {
    /// The suites run GSL's two conjugate-gradient methods only (as they did
    /// when the suites were hand lists).
    var suites: SuiteMembership {
        switch self {
        case .conjugateFletcherReeves: .everywhere("gsl_cg_fr")
        case .conjugatePolakRibiere: .everywhere("gsl_cg_pr")
        case .bfgs2, .steepestDescent: .none
        }
    }
}
