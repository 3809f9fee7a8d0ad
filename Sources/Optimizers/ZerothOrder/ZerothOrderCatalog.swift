import OptimizationCore

extension OptimizerCatalog {
    /// The function-value-only methods built on the shared estimators
    /// (ZO-SGD, ZO-signSGD, ZO-Adam) and the black-box comparators.
    static let zerothOrder: [Registry.Entry] = [
        .init(ZOSGD.descriptor) { p, seed in ZOSGD(p, seed: seed) },
        .init(ZOSignSGD.descriptor) { p, seed in ZOSignSGD(p, seed: seed) },
        .init(ZOAdam.descriptor) { p, seed in try ZOAdam.make(p, seed: seed) },
        .init(DeepZero.descriptor) { p, seed in DeepZero(p, seed: seed) },
        .init(NelderMead.descriptor) { p, _ in NelderMead(p) },
        .init(CMAES.descriptor) { p, seed in CMAES(p, seed: seed) },
    ]
}
