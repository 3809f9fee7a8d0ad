import OptimizationCore

extension OptimizerCatalog {
    /// The function-value-only methods built on the shared estimators
    /// (ZO-SGD, ZO-Adam, ZO-signSGD, DeepZero), in the suites' order.
    static let zerothOrder: [Registry.Entry] = [
        .init(ZOSGD.descriptor.inSuites(demo: "zo_sgd", standard: "zo_sgd", bbob: ["zo_sgd"], bbobRank: 2)) { p, seed in
            ZOSGD(p, seed: seed)
        },
        .init(ZOAdam.descriptor.inSuites(smoke: "zo_adam", demo: "zo_adam", standard: "zo_adam",
                                         bbob: ["zo_adam"], bbobRank: 3)) { p, seed in
            try ZOAdam.make(p, seed: seed)
        },
        .init(ZOSignSGD.descriptor.inSuites(.everywhere("zo_signsgd"))) { p, seed in ZOSignSGD(p, seed: seed) },
        .init(DeepZero.descriptor) { p, seed in DeepZero(p, seed: seed) },
    ]

    /// The black-box comparators, listed after the seed-replay methods (the
    /// suites' order). bbob runs them first (their `bbobRank`).
    static let blackBox: [Registry.Entry] = [
        .init(NelderMead.descriptor.inSuites(demo: "nelder_mead", standard: "nelder_mead",
                                             bbob: ["nelder_mead(restarts=1000)"], bbobRank: 1)) { p, _ in
            NelderMead(p)
        },
        .init(CMAES.descriptor.inSuites(demo: "cmaes", standard: "cmaes",
                                        bbob: ["cmaes(active=true,sigma=2,stop=hansen)",
                                               "cmaes(active=true,restarts=ipop,sigma=2)",
                                               "cmaes(active=true,restarts=bipop,sigma=2)"], bbobRank: 0)) { p, seed in
            CMAES(p, seed: seed)
        },
    ]
}
