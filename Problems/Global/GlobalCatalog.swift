import OptimizationCore

extension ProblemCatalog {
    /// The global problems, in display order.
    static let globalEntries: [Registry.Entry] = [
        global("sphere", "Σxᵢ²", variable: true) { Sphere(dimension: $0) },
        global("rastrigin", "Rastrigin: 10d + Σ(xᵢ² − 10cos 2πxᵢ)", variable: true,
               suites: .standard(.stage(4, "rastrigin"), .stage(4, "rastrigin(d=10)"))) { Rastrigin(dimension: $0) },
        global("ackley", "Ackley", variable: true,
               suites: .standard(.stage(4, "ackley"), .stage(4, "ackley(d=10)"))) { Ackley(dimension: $0) },
        global("griewank", "Griewank", variable: true) { Griewank(dimension: $0) },
        global("schwefel", "Schwefel 2.26 (exact constant 418.98288727…)", variable: true) { Schwefel(dimension: $0) },
        global("styblinski_tang", "Styblinski–Tang, f* = −39.16616570·d", variable: true,
               suites: .standard(.stage(4, "styblinski_tang"))) { StyblinskiTang(dimension: $0) },
        global("levy", "Levy", variable: true) { Levy(dimension: $0) },
        global("zakharov", "Zakharov", variable: true) { Zakharov(dimension: $0) },
        global("dixon_price", "Dixon–Price", variable: true) { DixonPrice(dimension: $0) },
        global("trid", "Trid, f* = −d(d+4)(d−1)/6, x0 = 0", variable: true) { Trid(dimension: $0) },
        global("booth", "Booth", variable: false) { _ in Booth() },
        global("matyas", "Matyas", variable: false) { _ in Matyas() },
        global("himmelblau", "Himmelblau (four global minimisers)", variable: false,
               suites: .standard(.stage(4, "himmelblau"))) { _ in Himmelblau() },
        global("three_hump_camel", "three-hump camel", variable: false) { _ in ThreeHumpCamel() },
        global("six_hump_camel", "six-hump camel, f* = −1.0316285", variable: false,
               suites: .standard(.stage(4, "six_hump_camel"))) { _ in SixHumpCamel() },
        global("branin", "Branin, f* = 0.397887 at three points", variable: false,
               suites: .standard(.stage(4, "branin"))) { _ in Branin() },
        global("goldstein_price", "Goldstein–Price, f* = 3", variable: false) { _ in GoldsteinPrice() },
        global("easom", "Easom, f* = −1 at (π, π)", variable: false) { _ in Easom() },
    ]

    /// A global entry (`suites`: the built-in suites it runs in): `d` (when the dimension is free) and `noise`; the
    /// start is the customary x0 or uniform in the domain from the run's seed.
    static func global(_ name: String, _ summary: String, variable: Bool, suites: ProblemSuiteMembership = .none,
                       _ build: @escaping @Sendable (Int) -> any GlobalFunction) -> Registry.Entry {
        let keys = variable
            ? [ProblemKeys.count("d", 2, min: 1, max: 100_000, "dimension"), ProblemKeys.noise]
            : [ProblemKeys.noise]
        let descriptor = ProblemDescriptor(
            name: name, family: "global", summary: summary,
            reference: "benchmarking.md §8.3; Surjanovic & Bingham, Virtual Library of Simulation Experiments",
            hyperparameters: keys, capabilities: analyticCapabilities,
            dimension: variable ? "d (default 2)" : "2").inSuites(suites)
        return Registry.Entry(descriptor) { params, seed in
            let f = build(variable ? params.int("d") : 2)
            let x0 = f.customaryStart ?? ProblemKeys.uniformStart(in: f.domain, seed: seed)
            return AnalyticProblem(name: params.canonical, function: f, initialPoint: x0,
                                   knownMinimum: f.globalMinimum, noise: params.double("noise"), bounds: f.domain)
        }
    }
}
