import OptimizationCore

extension ProblemCatalog {
    /// The analytic problems, in display order: chained Rosenbrock, the other
    /// 34 Moré–Garbow–Hillstrom problems in MGH order, the quadratic and the
    /// Rayleigh quotient.
    static let analyticEntries: [Registry.Entry] = [rosenbrockEntry] + mghEntries + [quadraticEntry, rayleighEntry]

    static let analyticCapabilities: Capabilities = [.value, .gradient, .hessian, .hessianVectorProduct, .knownMinimum]
    /// Sums of squares also provide their Gauss–Newton matrix.
    static let leastSquaresCapabilities = analyticCapabilities.union(.curvature)

    static func mghReference(_ number: Int) -> String {
        "Moré, Garbow & Hillstrom (1981), ACM TOMS 7(1):17–41, problem \(number)"
    }

    /// An MGH entry: `instance` and `noise` keys are added to `keys`; `suites`
    /// declares the built-in suites it runs in.
    static func mgh(_ name: String, _ number: Int, _ summary: String, dimension: String,
                    keys: [Hyperparameter] = [], suites: ProblemSuiteMembership = .none,
                    _ build: @escaping @Sendable (ResolvedParameters) throws(SpecError) -> any MGHFunction) -> Registry.Entry {
        let descriptor = ProblemDescriptor(
            name: name, family: "mgh", summary: summary, reference: mghReference(number),
            hyperparameters: keys + [ProblemKeys.instance, ProblemKeys.noise],
            capabilities: leastSquaresCapabilities, dimension: dimension).inSuites(suites)
        return Registry.Entry(descriptor) { params, seed in
            let f = try build(params)
            let x0 = ProblemKeys.start(f.standardStart, instance: params.string("instance"), seed: seed)
            return AnalyticProblem(name: params.canonical, function: f, initialPoint: x0,
                                   knownMinimum: f.knownMinimum, noise: params.double("noise"))
        }
    }

    static let rosenbrockEntry = Registry.Entry(ProblemDescriptor(
        name: "rosenbrock", family: "mgh",
        summary: "chained Rosenbrock Σ100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²; d = 2 is MGH 1",
        reference: mghReference(1) + "; chained form: CUTEst GENROSE",
        hyperparameters: [ProblemKeys.count("d", 2, min: 2, max: 1_000_000, "dimension"),
                          ProblemKeys.instance, ProblemKeys.noise],
        capabilities: leastSquaresCapabilities, dimension: "d (default 2)").inSuites(.init(
            smoke: ["rosenbrock"], demo: ["rosenbrock(d=6)"],
            standard: ["rosenbrock", .stage(1, "rosenbrock(instance=10x0)"),
                       .stage(3, "rosenbrock(d=10)"), .stage(3, "rosenbrock(d=100)")],
            full: [.stage(1, "rosenbrock(d=100)")]))) { params, seed in
        let f = ChainedRosenbrock(dimension: params.int("d"))
        let x0 = ProblemKeys.start(f.standardStart, instance: params.string("instance"), seed: seed)
        return AnalyticProblem(name: params.canonical, function: f, initialPoint: x0,
                               knownMinimum: f.knownMinimum, noise: params.double("noise"))
    }

    static func m(_ value: Int, min: Int, max: Int = 10_000) -> Hyperparameter {
        ProblemKeys.count("m", value, min: min, max: max, "number of residuals")
    }
    static func n(_ value: Int, min: Int, max: Int = 10_000, _ doc: String = "dimension") -> Hyperparameter {
        ProblemKeys.count("n", value, min: min, max: max, doc)
    }

    static let mghEntries: [Registry.Entry] = [
        mgh("freudenstein_roth", 2, "Freudenstein & Roth (local minimum 48.98 on the way)", dimension: "2",
            suites: .standard("freudenstein_roth")) { _ in FreudensteinRoth() },
        mgh("powell_badly_scaled", 3, "Powell badly scaled", dimension: "2",
            suites: .standard("powell_badly_scaled")) { _ in PowellBadlyScaled() },
        mgh("brown_badly_scaled", 4, "Brown badly scaled", dimension: "2",
            suites: .standard("brown_badly_scaled")) { _ in BrownBadlyScaled() },
        mgh("beale", 5, "Beale", dimension: "2", suites: .standard("beale", .stage(2, "beale(instance=10x0)"))) { _ in Beale() },
        mgh("jennrich_sampson", 6, "Jennrich & Sampson", dimension: "2", keys: [m(10, min: 2)]) { p in
            JennrichSampson(m: p.int("m"))
        },
        mgh("helical_valley", 7, "helical valley", dimension: "3", suites: .standard("helical_valley")) { _ in HelicalValley() },
        mgh("bard", 8, "Bard (second minimum at infinity)", dimension: "3", suites: .standard("bard")) { _ in Bard() },
        mgh("gaussian", 9, "Gaussian fit", dimension: "3", suites: .standard("gaussian")) { _ in GaussianFit() },
        mgh("meyer", 10, "Meyer (badly scaled)", dimension: "3") { _ in Meyer() },
        mgh("gulf", 11, "Gulf research and development", dimension: "3", keys: [m(10, min: 3, max: 100)]) { p in
            Gulf(m: p.int("m"))
        },
        mgh("box3d", 12, "Box three-dimensional", dimension: "3", keys: [m(10, min: 3)],
            suites: .standard("box3d")) { p in Box3D(m: p.int("m")) },
        mgh("powell_singular", 13, "Powell singular (singular Hessian at x*)", dimension: "4",
            suites: .standard("powell_singular")) { _ in PowellSingular() },
        mgh("wood", 14, "Wood", dimension: "4", suites: .standard("wood", .stage(1, "wood(instance=10x0)"))) { _ in Wood() },
        mgh("kowalik_osborne", 15, "Kowalik & Osborne", dimension: "4",
            suites: .standard("kowalik_osborne")) { _ in KowalikOsborne() },
        mgh("brown_dennis", 16, "Brown & Dennis", dimension: "4", keys: [m(20, min: 4)],
            suites: .standard("brown_dennis")) { p in BrownDennis(m: p.int("m")) },
        mgh("osborne1", 17, "Osborne 1", dimension: "5", suites: .standard("osborne1")) { _ in Osborne1() },
        mgh("biggs_exp6", 18, "Biggs EXP6 (MGH value is local; global 0)", dimension: "6", keys: [m(13, min: 6)],
            suites: .standard("biggs_exp6")) { p in
            BiggsEXP6(m: p.int("m"))
        },
        mgh("osborne2", 19, "Osborne 2", dimension: "11") { _ in Osborne2() },
        mgh("watson", 20, "Watson", dimension: "n (default 6, 2…31)", keys: [n(6, min: 2, max: 31)],
            suites: .standard("watson")) { p in
            Watson(n: p.int("n"))
        },
        mgh("extended_rosenbrock", 21, "extended Rosenbrock (independent pairs)", dimension: "n (default 10, even)",
            keys: [n(10, min: 2, max: 1_000_000, "dimension (even)")],
            suites: .standard("extended_rosenbrock")) { p throws(SpecError) in
            let n = p.int("n")
            guard n % 2 == 0 else { throw ProblemKeys.invalid("extended_rosenbrock", "n=\(n) must be even") }
            return ExtendedRosenbrock(n: n)
        },
        mgh("extended_powell", 22, "extended Powell singular", dimension: "n (default 12, multiple of 4)",
            keys: [n(12, min: 4, max: 1_000_000, "dimension (a multiple of 4)")],
            suites: .standard("extended_powell")) { p throws(SpecError) in
            let n = p.int("n")
            guard n % 4 == 0 else { throw ProblemKeys.invalid("extended_powell", "n=\(n) must be a multiple of 4") }
            return ExtendedPowell(n: n)
        },
        mgh("penalty1", 23, "penalty function I", dimension: "n (default 10)", keys: [n(10, min: 1)],
            suites: .standard("penalty1")) { p in Penalty1(n: p.int("n")) },
        mgh("penalty2", 24, "penalty function II", dimension: "n (default 10)", keys: [n(10, min: 1)],
            suites: .standard("penalty2")) { p in Penalty2(n: p.int("n")) },
        mgh("variably_dimensioned", 25, "variably dimensioned", dimension: "n (default 10)", keys: [n(10, min: 1)],
            suites: .standard("variably_dimensioned")) { p in
            VariablyDimensioned(n: p.int("n"))
        },
        mgh("trigonometric", 26, "trigonometric (local 2.795e−5 at n = 10)", dimension: "n (default 10)", keys: [n(10, min: 1)],
            suites: .standard("trigonometric")) { p in
            Trigonometric(n: p.int("n"))
        },
        mgh("brown_almost_linear", 27, "Brown almost-linear (second minimum f = 1)", dimension: "n (default 10)",
            keys: [n(10, min: 1)]) { p in BrownAlmostLinear(n: p.int("n")) },
        mgh("discrete_boundary_value", 28, "discrete boundary value", dimension: "n (default 10)", keys: [n(10, min: 1)]) { p in
            DiscreteBoundaryValue(n: p.int("n"))
        },
        mgh("discrete_integral_equation", 29, "discrete integral equation", dimension: "n (default 10)", keys: [n(10, min: 1)]) { p in
            DiscreteIntegralEquation(n: p.int("n"))
        },
        mgh("broyden_tridiagonal", 30, "Broyden tridiagonal", dimension: "n (default 10)", keys: [n(10, min: 1)]) { p in
            BroydenTridiagonal(n: p.int("n"))
        },
        mgh("broyden_banded", 31, "Broyden banded", dimension: "n (default 10)", keys: [n(10, min: 1)]) { p in
            BroydenBanded(n: p.int("n"))
        },
        mgh("linear_full_rank", 32, "linear function, full rank", dimension: "n (default 10)",
            keys: [n(10, min: 1), m(20, min: 1)]) { p throws(SpecError) in
            try linear("linear_full_rank", p) { LinearFullRank(n: $0, m: $1) }
        },
        mgh("linear_rank1", 33, "linear function, rank 1", dimension: "n (default 10)",
            keys: [n(10, min: 1), m(20, min: 1)]) { p throws(SpecError) in
            try linear("linear_rank1", p) { LinearRank1(n: $0, m: $1) }
        },
        mgh("linear_rank1_zero", 34, "linear function, rank 1 with zero columns and rows", dimension: "n (default 10)",
            keys: [n(10, min: 3), m(20, min: 3)]) { p throws(SpecError) in
            try linear("linear_rank1_zero", p) { LinearRank1ZeroColumnsRows(n: $0, m: $1) }
        },
        mgh("chebyquad", 35, "Chebyquad", dimension: "n (default 8)",
            keys: [n(8, min: 1, max: 1000),
                   Hyperparameter("m", .integer(.closed(1, 10_000)), default: .unset("n"), doc: "number of residuals (m ≥ n)")],
            suites: .standard("chebyquad")) {
            p throws(SpecError) in
            let n = p.int("n"), m = p.optionalInt("m") ?? n
            guard m >= n else { throw ProblemKeys.invalid("chebyquad", "m=\(m) must be at least n=\(n)") }
            return Chebyquad(n: n, m: m)
        },
    ]

    /// The linear MGH problems need m ≥ n.
    static func linear(_ name: String, _ p: ResolvedParameters,
                       _ make: (Int, Int) -> any MGHFunction) throws(SpecError) -> any MGHFunction {
        let n = p.int("n"), m = p.int("m")
        guard m >= n else { throw ProblemKeys.invalid(name, "m=\(m) must be at least n=\(n)") }
        return make(n, m)
    }

    static let quadraticEntry = Registry.Entry(ProblemDescriptor(
        name: "quadratic", family: "quadratic",
        summary: "½(x − x*)ᵀA(x − x*), eigenvalues log-spaced in [1, cond]; rotate=true: seeded basis and x*",
        reference: "benchmarking.md §8.3 (ill-conditioned quadratic)",
        hyperparameters: [
            ProblemKeys.count("d", 100, min: 1, max: 1_000_000, "dimension (rotate=true: at most 5000)"),
            .real("cond", 1e4, .atLeast(1), "condition number κ = λmax/λmin"),
            .boolean("rotate", false, "apply a seeded random orthogonal basis and a seeded minimiser x*"),
            ProblemKeys.noise,
        ],
        capabilities: analyticCapabilities, dimension: "d (default 100)").inSuites(.init(
            smoke: ["quadratic(d=20,cond=100)"], demo: ["quadratic(d=100,cond=1e4)"],
            standard: [.stage(2, "quadratic(cond=100)"), .stage(2, "quadratic(cond=1e4)")],
            full: ["quadratic(d=100,cond=100)", "quadratic(d=1000,cond=1e6,rotate=true)"]))) { params, seed in
        let d = params.int("d"), cond = params.double("cond")
        let f: Quadratic
        if params.bool("rotate") {
            guard d <= 5000 else { throw ProblemKeys.invalid("quadratic", "d=\(d) is too large with rotate=true (at most 5000: A is dense)") }
            f = try Quadratic(dimension: d, condition: cond, rotationSeed: seed)
        } else {
            f = Quadratic(dimension: d, condition: cond)
        }
        return AnalyticProblem(name: params.canonical, function: f, initialPoint: [Double](repeating: 1, count: d),
                               knownMinimum: KnownMinimum(value: 0, point: f.minimizer), noise: params.double("noise"))
    }

    static let rayleighEntry = Registry.Entry(ProblemDescriptor(
        name: "rayleigh", family: "quadratic",
        summary: "Rayleigh quotient wᵀAw/wᵀw of tridiag(−1, 2, −1); layout weight [1, d]",
        reference: "f* = 2 − 2cos(π/(d+1)), the smallest eigenvalue of the 1-D Laplacian",
        hyperparameters: [ProblemKeys.count("d", 16, min: 2, max: 1_000_000, "dimension"), ProblemKeys.noise],
        capabilities: analyticCapabilities, dimension: "d (default 16)")) { params, _ in
        let d = params.int("d")
        let f = RayleighQuotient(dimension: d)
        return AnalyticProblem(name: params.canonical, function: f, initialPoint: [Double](repeating: 1, count: d),
                               knownMinimum: KnownMinimum(value: f.minimumValue), noise: params.double("noise"),
                               layout: ParameterLayout([("weight", [1, d])]))
    }
}
