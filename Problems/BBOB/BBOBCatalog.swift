import OptimizationCore

extension ProblemCatalog {
    /// `bbob(f=1..24, instance=1, d=2)`: COCO's noiseless suite.
    static let bbobEntries: [Registry.Entry] = [
        Registry.Entry(ProblemDescriptor(
            name: "bbob", family: "bbob",
            summary: "COCO's noiseless bbob suite: f1–f24 with COCO's instances (x_opt, f_opt, rotations), = cocoex bbob_fFFF_iII_dDD",
            reference: "Hansen, Finck, Ros, Auger, Real-parameter black-box optimization benchmarking 2009: noiseless functions definitions (INRIA RR-6829); coco-experiment 2.8.2",
            hyperparameters: [
                ProblemKeys.count("f", 1, min: 1, max: 24, "function number (1 sphere … 24 Lunacek bi-Rastrigin)"),
                ProblemKeys.count("instance", 1, min: 1, max: 100_000, "COCO instance (seeds x_opt, f_opt, rotations)"),
                ProblemKeys.count("d", 2, min: 2, max: 40, "dimension (COCO's suite: 2, 3, 5, 10, 20, 40)"),
                .choice("start", "origin", ["origin", "uniform"],
                        "x0: COCO's initial solution (the origin) or uniform in [-4, 4]^d from the run's seed"),
            ],
            capabilities: [.value, .knownMinimum], dimension: "d (default 2)")
        ) { params, seed in
            let f = BBOBFunction(function: params.int("f"), instance: params.int("instance"), dimension: params.int("d"))
            let x0 = params.string("start") == "uniform"
                ? ProblemKeys.uniformStart(in: [ClosedRange<Double>](repeating: -4...4, count: f.dimension), seed: seed)
                : [Double](repeating: 0, count: f.dimension)
            return BBOBProblem(name: params.canonical, function: f, initialPoint: x0)
        },
    ]
}
