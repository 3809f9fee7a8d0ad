import Optimizers
import OptimizationCore
import OptimizerTestTable
import Testing

/// Issue 16 §8: what an importer of the typed initialisers can rely on.
@Suite("typed initialisers: every spec key, schedules with a horizon, AMSGrad's vMax")
struct TypedInitialiserTests {
    /// The stored state of an optimizer as text (every stored property,
    /// recursively), to compare a typed construction with the catalog's.
    static func state(_ value: Any) -> String {
        var out = ""
        dump(value, to: &out)
        return out
    }

    /// One row: a spec that sets every key of the descriptor to a
    /// non-default value, and the same values through the typed initialiser.
    typealias Row = TypedCase

    /// The step schedule with every key set (first-order methods and DeepZero).
    static let schedule = FirstOrderTable.schedule
    static let scheduleSpec = FirstOrderTable.scheduleSpec

    /// The first-order methods' rows sit on their ``FirstOrderTable`` rows;
    /// the other families' rows follow.
    static let rows: [Row] = FirstOrderTable.rows.flatMap(\.typed) + [
        // Preconditioners.
        Row(spec: "muon(lr=0.02,weight_decay=0.01,momentum=0.9,nesterov=false,ns_steps=3,ns_a=3,ns_b=-4,ns_c=2,eps=1e-6,adjust_lr=match_rms_adamw,aux_lr=1e-3,aux_beta1=0.8,aux_beta2=0.99,aux_eps=1e-8,aux_weight_decay=0.01,\(scheduleSpec))") {
            Muon(lr: 0.02, weightDecay: 0.01, momentum: 0.9, nesterov: false, nsSteps: 3, nsCoefficients: (3, -4, 2),
                 eps: 1e-6, adjustment: .matchRMSAdamW, auxLr: 1e-3, auxBeta1: 0.8, auxBeta2: 0.99, auxEps: 1e-8,
                 auxWeightDecay: 0.01, schedule: schedule)
        },
        Row(spec: "soap(lr=0.02,beta1=0.9,beta2=0.99,shampoo_beta=0.9,eps=1e-6,weight_decay=0.1,precondition_frequency=5,max_precond_dim=100,merge_dims=true,precondition_1d=true,normalize_grads=true,correct_bias=false,\(scheduleSpec))") {
            SOAP(lr: 0.02, beta1: 0.9, beta2: 0.99, shampooBeta: 0.9, eps: 1e-6, weightDecay: 0.1,
                 preconditionFrequency: 5, maxPreconditionerDimension: 100, mergeDimensions: true, precondition1D: true,
                 normalizeGradients: true, correctBias: false, schedule: schedule)
        },
        Row(spec: "adahessian(lr=0.1,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,hessian_power=0.5,update_each=2,n_samples=3)") {
            AdaHessian(lr: 0.1, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, hessianPower: 0.5, updateEach: 2,
                       samples: 3)
        },
        Row(spec: "sophia(lr=1e-3,beta1=0.9,beta2=0.95,rho=0.05,weight_decay=0.01,k=5,estimator=hutchinson)") {
            Sophia(lr: 1e-3, beta1: 0.9, beta2: 0.95, rho: 0.05, weightDecay: 0.01, k: 5, estimator: .hutchinson)
        },
        Row(spec: "shampoo(lr=0.02,beta1=0.8,beta2=0.99,epsilon=1e-8,momentum=0.5,weight_decay=0.01,precondition_frequency=5,start_preconditioning_step=10,max_preconditioner_dim=100,grafting=rmsprop,grafting_beta2=0.9,grafting_eps=1e-8,\(scheduleSpec))") {
            Shampoo(lr: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-8, momentum: 0.5, weightDecay: 0.01,
                    preconditionFrequency: 5, startPreconditioningStep: 10, maxPreconditionerDimension: 100,
                    grafting: .rmsprop, graftingBeta2: 0.9, graftingEpsilon: 1e-8, schedule: schedule)
        },
        // Second-order methods and baselines.
        Row(spec: "newton(line_search=false,c1=0.01,shrink=0.8,max_backtracks=10)") {
            Newton(lineSearch: false, c1: 0.01, shrink: 0.8, maxBacktracks: 10)
        },
        Row(spec: "damped_newton(rule=aicn,L=2,backtrack=false,q=3,M=2,rho=3,theta0=0.5,beta=0.5,max_trials=10)") {
            DampedNewton(rule: .aicn, theta0: 0.5, L: 2, backtrack: false, q: 3, smoothnessM: 2, rho: 3, beta: 0.5,
                         maxTrials: 10)
        },
        Row(spec: "regularized_newton(H0=2,h_min=1e-4,alpha=1,factor=3,max_trials=10,solver=eigen)") {
            RegularizedNewton(h0: 2, hMin: 1e-4, alpha: 1, factor: 3, maxTrials: 10, solver: .eigen)
        },
        Row(spec: "cubic(sigma0=2,sigma_min=1e-6,eta1=0.2,eta2=0.8,gamma_inc=3,gamma_dec=0.25,max_trials=10,solver=lanczos,lanczos_max=20)") {
            CubicRegularization(sigma0: 2, sigmaMin: 1e-6, eta1: 0.2, eta2: 0.8, gammaIncrease: 3, gammaDecrease: 0.25,
                                maxTrials: 10, solver: .lanczos, lanczosMax: 20)
        },
        Row(spec: "lazy_newton(m=5,H0=2,h_min=1e-4,alpha=1,factor=3,max_trials=10)") {
            LazyNewton(m: 5, h0: 2, hMin: 1e-4, alpha: 1, factor: 3, maxTrials: 10)
        },
        Row(spec: "lazy_cubic(m=5,sigma0=2,sigma_min=1e-6,eta1=0.2,eta2=0.8,gamma_inc=3,gamma_dec=0.25,max_trials=10)") {
            LazyCubic(m: 5, sigma0: 2, sigmaMin: 1e-6, eta1: 0.2, eta2: 0.8, gammaIncrease: 3, gammaDecrease: 0.25,
                      maxTrials: 10)
        },
        Row(spec: "gns(gamma0=2,gamma_min=1e-6,max_trials=10,curvature=ggn)") {
            GradientNormalizedSmoothness(gamma0: 2, gammaMin: 1e-6, maxTrials: 10, curvature: .ggn)
        },
        Row(spec: "newton_cg(max_cg=10,c1=0.01,shrink=0.8,max_backtracks=10)") {
            NewtonCG(maxCG: 10, c1: 0.01, shrink: 0.8, maxBacktracks: 10)
        },
        Row(spec: "lbfgs(m=5,c1=0.001,c2=0.5)") { LBFGS(m: 5, c1: 0.001, c2: 0.5) },
        Row(spec: "bfgs(c1=0.001,c2=0.5)") { BFGS(c1: 0.001, c2: 0.5) },
        Row(spec: "gsl_bfgs2(step_size=0.02,tol=0.2)") { GSLMultiminOptimizer(method: .bfgs2, stepSize: 0.02, tolerance: 0.2) },
        Row(spec: "gsl_cg_fr(step_size=0.02,tol=0.2)") {
            GSLMultiminOptimizer(method: .conjugateFletcherReeves, stepSize: 0.02, tolerance: 0.2)
        },
        Row(spec: "gsl_cg_pr(step_size=0.02,tol=0.2)") {
            GSLMultiminOptimizer(method: .conjugatePolakRibiere, stepSize: 0.02, tolerance: 0.2)
        },
        Row(spec: "gsl_steepest_descent(step_size=0.02,tol=0.2)") {
            GSLMultiminOptimizer(method: .steepestDescent, stepSize: 0.02, tolerance: 0.2)
        },
        Row(spec: "kfac(lr=0.02,momentum=0.5,stat_decay=0.9,damping=0.01,kl_clip=0.002,cov_every=2,inv_every=5,weight_decay=0.001,fisher=empirical,damping_mode=eigen,factor_init=identity)") {
            KFAC(lr: 0.02, momentum: 0.5, statDecay: 0.9, damping: 0.01, klClip: 0.002, covEvery: 2, invEvery: 5,
                 weightDecay: 0.001, fisher: .empirical, dampingMode: .eigen, factorInit: .identity)
        },
        Row(spec: "mkor(lr=0.02,momentum=0.5,weight_decay=0.001,inv_freq=5,warmup_steps=3,stabilization=0.2,reset_threshold=3,clip=50,stat_decay=0.9,variant=ema,hybrid=true,hybrid_window=20,hybrid_ratio=0.2)") {
            MKOR(lr: 0.02, momentum: 0.5, weightDecay: 0.001, invFreq: 5, warmupSteps: 3, stabilization: 0.2,
                 resetThreshold: 3, clip: 50, statDecay: 0.9, variant: .ema, hybrid: true, hybridWindow: 20,
                 hybridRatio: 0.2)
        },
        Row(spec: "mfac(lr=0.02,m=8,damp=1e-3,momentum=0.5,weight_decay=0.01,warm_start=growing)") {
            MFAC(lr: 0.02, m: 8, damp: 1e-3, momentum: 0.5, weightDecay: 0.01, warmStart: .growing)
        },
        // Zeroth-order methods.
        Row(spec: "zo_sgd(estimator=cge,direction=sphere,q=3,mu=0.01,difference=central,lr=0.02,momentum=0.5)") {
            ZOSGD(lr: 0.02, momentum: 0.5, estimator: .cge, direction: .sphere, q: 3, mu: 0.01, difference: .central)
        },
        Row(spec: "zo_signsgd(estimator=cge,direction=gaussian,q=3,mu=0.01,difference=forward,lr=0.02)") {
            ZOSignSGD(lr: 0.02, estimator: .cge, direction: .gaussian, q: 3, mu: 0.01, difference: .forward)
        },
        Row(spec: "zo_adam(variant=adam,lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,decay_lr=false,lower=-5,upper=5,estimator=cge,direction=rademacher,q=3,mu=0.01,difference=central)") {
            ZOAdam(variant: .adam, lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, decayLearningRate: false, lower: -5,
                   upper: 5, estimator: .cge, direction: .rademacher, q: 3, mu: 0.01, difference: .central)
        },
        Row(spec: "mezo(lr=1e-3,eps=0.01,weight_decay=0.01,restore=inplace,direction=rademacher,storage=float32)") {
            MeZO(lr: 1e-3, eps: 0.01, weightDecay: 0.01, restore: .inplace, direction: .rademacher, storage: .float32)
        },
        Row(spec: "zo2(lr=1e-3,eps=0.01,weight_decay=0.01,direction=rademacher,storage=float32,store=file)") {
            ZO2(lr: 1e-3, eps: 0.01, weightDecay: 0.01, direction: .rademacher, storage: .float32, store: .file)
        },
        Row(spec: "deepzero(lr=0.02,momentum=0.5,weight_decay=0.01,mu=0.01,sparsity=0.5,ratios=uniform,grasp_q=8,mask_period=5,reuse=false,\(scheduleSpec))") {
            DeepZero(lr: 0.02, momentum: 0.5, weightDecay: 0.01, mu: 0.01, sparsity: 0.5, ratios: .uniform, graspQ: 8,
                     maskPeriod: 5, reuse: false, schedule: schedule)
        },
        Row(spec: "nelder_mead(step=0.5,tol=1e-6,restarts=3)") { NelderMead(step: 0.5, tol: 1e-6, restarts: 3) },
        Row(spec: "cmaes(sigma=0.3,popsize=8,restarts=bipop,max_restarts=4,incpopsize=3,active=true,stop=hansen)") {
            CMAES(sigma: 0.3, popsize: 8, restarts: .bipop, maxRestarts: 4, incpopsize: 3, active: true, stop: .hansen)
        },
    ]

    @Test("the typed initialiser reaches every key of the spec", arguments: rows)
    func everyKeyReachable(row: Row) throws {
        let spec = try SpecString(parsing: row.spec)
        let entry = try OptimizerCatalog.shared.entry(named: spec.name)
        let keys = Set(entry.descriptor.hyperparameters.map(\.name))
        // The row itself must name every key, each with a non-default value.
        let resolved = try OptimizerCatalog.shared.resolve(row.spec)
        #expect(Set(resolved.nonDefault.map(\.0)) == keys, "row for \(spec.name) misses keys")
        let (fromSpec, _) = try OptimizerCatalog.shared.make(row.spec)
        #expect(Self.state(row.typed()) == Self.state(fromSpec))
    }

    /// The first-order methods' rows sit on their ``FirstOrderTable`` rows.
    static let defaultRows: [Row] = FirstOrderTable.rows.flatMap(\.defaults) + [
        Row(spec: "muon") { Muon() }, Row(spec: "soap") { SOAP() }, Row(spec: "adahessian") { AdaHessian() },
        Row(spec: "sophia") { Sophia() }, Row(spec: "shampoo") { Shampoo() },
        Row(spec: "newton") { Newton() }, Row(spec: "damped_newton") { DampedNewton() },
        Row(spec: "regularized_newton") { RegularizedNewton() }, Row(spec: "cubic") { CubicRegularization() },
        Row(spec: "lazy_newton") { LazyNewton() }, Row(spec: "lazy_cubic") { LazyCubic() },
        Row(spec: "gns") { GradientNormalizedSmoothness() }, Row(spec: "newton_cg") { NewtonCG() },
        Row(spec: "lbfgs") { LBFGS() }, Row(spec: "bfgs") { BFGS() },
        Row(spec: "gsl_bfgs2") { GSLMultiminOptimizer(method: .bfgs2) },
        Row(spec: "gsl_cg_fr") { GSLMultiminOptimizer(method: .conjugateFletcherReeves) },
        Row(spec: "gsl_cg_pr") { GSLMultiminOptimizer(method: .conjugatePolakRibiere) },
        Row(spec: "gsl_steepest_descent") { GSLMultiminOptimizer(method: .steepestDescent) },
        Row(spec: "kfac") { KFAC() }, Row(spec: "mkor") { MKOR() }, Row(spec: "mfac") { MFAC() },
        Row(spec: "zo_sgd") { ZOSGD() }, Row(spec: "zo_signsgd") { ZOSignSGD() }, Row(spec: "zo_adam") { ZOAdam() },
        Row(spec: "mezo") { MeZO() }, Row(spec: "zo2") { ZO2() }, Row(spec: "deepzero") { DeepZero() },
        Row(spec: "nelder_mead") { NelderMead() }, Row(spec: "cmaes") { CMAES() },
    ]

    @Test("the table covers every optimizer of the catalog")
    func tableCoversCatalog() throws {
        let named = Set(try Self.rows.map { try SpecString(parsing: $0.spec).name })
        let defaults = Set(try Self.defaultRows.map { try SpecString(parsing: $0.spec).name })
        let all = Set(OptimizerTable.names)
        #expect(named == all, "missing: \(all.subtracting(named).sorted())")
        #expect(defaults == all, "missing: \(all.subtracting(defaults).sorted())")
        // A first-order row carries its own method's cases only.
        for row in FirstOrderTable.rows {
            for typed in row.typed + row.defaults { #expect(try SpecString(parsing: typed.spec).name == row.name) }
        }
    }

    @Test("the typed initialiser's defaults are the spec's", arguments: defaultRows)
    func defaultsMatch(row: Row) throws {
        let (fromSpec, _) = try OptimizerCatalog.shared.make(row.spec)
        #expect(Self.state(row.typed()) == Self.state(fromSpec))
    }

    @Test func cmaesChoicesAreEnumsOfTheSpecChoices() {
        #expect(CMAES.RestartStrategy.allCases.map(\.rawValue) == ["none", "ipop", "bipop"])
        #expect(CMAES.StopCriteria.allCases.map(\.rawValue) == ["auto", "hansen", "tolx"])
        // auto: pycma's criteria only with restarts.
        #expect(!CMAES().usesHansenStops && CMAES(restarts: .ipop).usesHansenStops)
        #expect(CMAES(stop: .hansen).usesHansenStops && !CMAES(restarts: .bipop, stop: .tolx).usesHansenStops)
    }

    @Test func mkorVariantIsAnEnumOfTheSpecChoices() {
        #expect(MKOR.Variant.allCases.map(\.rawValue) == ["official", "ema"])
        #expect(KFAC.FactorInit.allCases.map(\.rawValue) == ["debiased", "identity"])
        #expect(MKOR(variant: .ema).exactEMA && !MKOR().exactEMA)
    }

    @Test("vMax is zeros (not a trap) without AMSGrad, the running maximum with it")
    func vMaxWithoutAMSGrad() {
        var plain = Adam(lr: 0.1)
        #expect(plain.vMax.isEmpty)
        var x = [1.0, -2.0, 3.0]
        plain.update(&x, gradient: [0.5, -1, 2])
        #expect(plain.vMax == [0, 0, 0])
        // β₂ = 0.5: v falls after a small second gradient, the maximum keeps the first v.
        var ams = Adam(lr: 0.1, beta2: 0.5, amsgrad: true)
        var y = [1.0, -2.0, 3.0]
        ams.update(&y, gradient: [0.5, -1, 2])
        let first = ams.v
        ams.update(&y, gradient: [0.1, -0.1, 0.1])
        #expect(first == [0.125, 0.5, 2])
        #expect(ams.vMax == first && abs(ams.v[2] - 1.005) < 1e-12)
    }

    @Test("schedule factories carry their horizon")
    func scheduleFactories() {
        #expect(LearningRateSchedule.cosine(total: 100, warmup: 5) == LearningRateSchedule(.cosine, warmup: 5, total: 100))
        #expect(LearningRateSchedule.linear(total: 10) == LearningRateSchedule(.linear, total: 10))
        #expect(LearningRateSchedule.step(every: 3, gamma: 0.5) == LearningRateSchedule(.step, gamma: 0.5, every: 3))
        // With its horizon the rate really decays through `update`.
        var opt = Adam(lr: 1, schedule: .cosine(total: 10))
        var x = [0.0]
        for _ in 0..<10 { opt.update(&x, gradient: [1]) }
        #expect(abs(opt.currentLearningRate! - 0.5 * (1 + Double.cos9over10)) < 1e-15)
    }

    @Test("a cosine or linear schedule without total stops at construction")
    func cosineWithoutTotalTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Adam(lr: 1e-3, schedule: LearningRateSchedule(.cosine))
        }
        await #expect(processExitsWith: .failure) {
            _ = SGD(lr: 1e-3, schedule: LearningRateSchedule(.linear, warmup: 10))
        }
    }
}

extension Double {
    /// cos(9π/10): the cosine schedule's multiplier at step 10 of 10 is ½(1 + cos(π·9/10)).
    static let cos9over10 = -0.95105651629515353
}

extension TypedCase: CustomTestStringConvertible {
    public var testDescription: String { spec }
}
