import Optimizers
import OptimizationCore
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
    struct Row: CustomTestStringConvertible, Sendable {
        let spec: String
        let typed: @Sendable () -> any Optimizer
        var testDescription: String { spec }
    }

    static let rows: [Row] = [
        Row(spec: "adam(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,amsgrad=true,schedule=cosine,warmup=3,total=50,gamma=0.5,every=7)") {
            Adam(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, amsgrad: true,
                 schedule: LearningRateSchedule(.cosine, warmup: 3, total: 50, gamma: 0.5, every: 7))
        },
        Row(spec: "kfac(lr=0.02,momentum=0.5,stat_decay=0.9,damping=0.01,kl_clip=0.002,cov_every=2,inv_every=5,weight_decay=0.001,fisher=empirical,damping_mode=eigen,factor_init=identity)") {
            KFAC(lr: 0.02, momentum: 0.5, statDecay: 0.9, damping: 0.01, klClip: 0.002, covEvery: 2, invEvery: 5,
                 weightDecay: 0.001, fisher: .empirical, dampingMode: .eigen, factorInit: .identity)
        },
        Row(spec: "damped_newton(rule=aicn,L=2,backtrack=false,q=3,M=2,rho=3,theta0=0.5,beta=0.5,max_trials=10)") {
            DampedNewton(rule: .aicn, theta0: 0.5, L: 2, backtrack: false, q: 3, smoothnessM: 2, rho: 3, beta: 0.5,
                         maxTrials: 10)
        },
        Row(spec: "mkor(lr=0.02,momentum=0.5,weight_decay=0.001,inv_freq=5,warmup_steps=3,stabilization=0.2,reset_threshold=3,clip=50,stat_decay=0.9,variant=ema,hybrid=true,hybrid_window=20,hybrid_ratio=0.2)") {
            MKOR(lr: 0.02, momentum: 0.5, weightDecay: 0.001, invFreq: 5, warmupSteps: 3, stabilization: 0.2,
                 resetThreshold: 3, clip: 50, statDecay: 0.9, variant: .ema, hybrid: true, hybridWindow: 20,
                 hybridRatio: 0.2)
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

    static let defaultRows: [Row] = [
        Row(spec: "adam") { Adam() }, Row(spec: "kfac") { KFAC() },
        Row(spec: "damped_newton") { DampedNewton() }, Row(spec: "mkor") { MKOR() },
    ]

    @Test("the typed initialiser's defaults are the spec's", arguments: defaultRows)
    func defaultsMatch(row: Row) throws {
        let (fromSpec, _) = try OptimizerCatalog.shared.make(row.spec)
        #expect(Self.state(row.typed()) == Self.state(fromSpec))
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
        var ams = Adam(lr: 0.1, amsgrad: true)
        var y = [1.0, -2.0, 3.0]
        ams.update(&y, gradient: [0.5, -1, 2])
        ams.update(&y, gradient: [0.1, -0.1, 0.1])
        #expect(ams.vMax.count == 3 && zip(ams.vMax, ams.v).allSatisfy { $0 >= $1 } && ams.vMax[2] > ams.v[2])
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
