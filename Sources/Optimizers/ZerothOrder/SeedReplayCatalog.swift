import OptimizationCore

extension OptimizerCatalog {
    /// The seed-replay SPSA methods: in-RAM `mezo` and block-streamed `zo2`.
    static let seedReplay: [Registry.Entry] = [
        .init(MeZO.descriptor.inSuites(.everywhere("mezo"))) { p, seed in MeZO(p, seed: seed) },
        .init(ZO2.descriptor) { p, seed in ZO2(p, seed: seed) },
    ]
}
