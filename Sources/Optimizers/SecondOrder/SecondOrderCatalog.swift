import OptimizationCore

extension OptimizerCatalog {
    /// The Hessian-based methods (spec second-order §4–§7), in display order.
    static let secondOrder: [Registry.Entry] = [
        .init(Newton.descriptor) { p, _ in Newton(p) },
        .init(DampedNewton.descriptor) { p, _ in DampedNewton(p) },
        .init(RegularizedNewton.descriptor) { p, _ in RegularizedNewton(p) },
        .init(CubicRegularization.descriptor) { p, _ in CubicRegularization(p) },
        .init(LazyNewton.descriptor) { p, _ in LazyNewton(p) },
        .init(LazyCubic.descriptor) { p, _ in LazyCubic(p) },
        .init(NewtonCG.descriptor) { p, _ in NewtonCG(p) },
        .init(GradientNormalizedSmoothness.descriptor) { p, _ in GradientNormalizedSmoothness(p) },
        .init(KFAC.descriptor) { p, seed in KFAC(p, seed: seed) },
        .init(MKOR.descriptor) { p, seed in MKOR(p, seed: seed) },
        .init(MFAC.descriptor) { p, _ in MFAC(p) },
    ]

    /// Classical baselines (quasi-Newton and GSL's multimin).
    static let baselines: [Registry.Entry] = [
        .init(LBFGS.descriptor) { p, _ in LBFGS(p) },
        .init(BFGS.descriptor) { p, _ in BFGS(p) },
    ] + GSLMultiminOptimizer.Method.allCases.map { method in
        .init(GSLMultiminOptimizer.descriptor(for: method)) { p, _ in GSLMultiminOptimizer(method: method, p) }
    }
}
