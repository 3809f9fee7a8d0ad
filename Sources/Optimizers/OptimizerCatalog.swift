import OptimizationCore

/// The optimizer registry: every optimizer the lab ships, by spec name.
///
///     let (opt, spec) = try OptimizerCatalog.shared.make("adam(lr=0.01)")
///     spec.canonical   // "adam(lr=0.01)"
public enum OptimizerCatalog {
    public typealias Registry = Catalog<OptimizerDescriptor, any Optimizer>

    /// All optimizers, in display order (families grouped). The built-in
    /// suites list their members in this order (`SuiteMembership`), so an
    /// entry's place here is its place in every suite and in `optlab list`.
    public static let shared = Registry(firstOrder + preconditioners + secondOrder + baselines + zerothOrder
                                        + seedReplay + blackBox)

    /// The first-order family (all conform to ``GradientOptimizer``, ``ThreadedUpdate`` and ``Scheduled``).
    static let firstOrder: [Registry.Entry] = [
        .init(Adam.descriptor.inSuites(smoke: "adam(lr=0.01)", demo: "adam(lr=0.01)", standard: "adam", workloads: true)) { p, _ in
            Adam(p)
        },
        .init(AdamW.descriptor.inSuites(demo: "adamw(lr=0.01)", standard: "adamw", workloads: true)) { p, _ in AdamW(p) },
        .init(Adan.descriptor.inSuites(demo: "adan(lr=0.01)", standard: "adan", workloads: true)) { p, _ in Adan(p) },
        .init(Lion.descriptor.inSuites(demo: "lion(lr=0.001)", standard: "lion", workloads: true)) { p, _ in Lion(p) },
        .init(Grams.descriptor.inSuites(demo: "grams(lr=0.01)", standard: "grams", workloads: true)) { p, _ in Grams(p) },
        .init(EXAdam.descriptor.inSuites(demo: "exadam(lr=0.01)", standard: "exadam", workloads: true)) { p, _ in
            EXAdam(p)
        },
        .init(AdamP.descriptor.inSuites(demo: "adamp(lr=0.01)", standard: "adamp", workloads: true)) { p, _ in AdamP(p) },
        .init(SGD.descriptor.inSuites(smoke: "sgd(lr=0.001,momentum=0.9)", demo: "sgd(lr=0.01,momentum=0.9)",
                                      standard: "sgd(lr=0.001,momentum=0.9)", workloads: true)) { p, _ in
            try SGD.make(p)
        },
        .init(SGDP.descriptor) { p, _ in SGDP(p) },
        .init(CautiousAdamW.descriptor.inSuites(demo: "cadamw(lr=0.01)", standard: "cadamw", workloads: true)) { p, _ in
            CautiousAdamW(p)
        },
        .init(CautiousLion.descriptor.inSuites(demo: "clion(lr=0.001)", standard: "clion", workloads: true)) { p, _ in
            CautiousLion(p)
        },
        .init(Adagrad.descriptor.inSuites(demo: "adagrad(lr=0.01)", standard: "adagrad", workloads: true)) { p, _ in
            Adagrad(p)
        },
        .init(RMSprop.descriptor.inSuites(demo: "rmsprop(lr=0.001)", standard: "rmsprop", workloads: true)) { p, _ in
            RMSprop(p)
        },
        .init(Adadelta.descriptor.inSuites(demo: "adadelta", standard: "adadelta", workloads: true)) { p, _ in Adadelta(p) },
        .init(Adamax.descriptor.inSuites(demo: "adamax(lr=0.01)", standard: "adamax", workloads: true)) { p, _ in
            Adamax(p)
        },
        .init(NAdam.descriptor.inSuites(demo: "nadam(lr=0.01)", standard: "nadam", workloads: true)) { p, _ in NAdam(p) },
        .init(RAdam.descriptor.inSuites(demo: "radam(lr=0.01)", standard: "radam", workloads: true)) { p, _ in RAdam(p) },
        .init(Adafactor.descriptor.inSuites(demo: "adafactor(lr=0.01)", standard: "adafactor", workloads: true)) { p, _ in
            Adafactor(p)
        },
        .init(Rprop.descriptor.inSuites(demo: "rprop(lr=0.01)", standard: "rprop", workloads: true)) { p, _ in
            try Rprop.make(p)
        },
        .init(ASGD.descriptor) { p, _ in ASGD(p) },   // in no built-in suite (it would change Reports/example)
        .init(ADOPT.descriptor.inSuites(demo: "adopt(lr=0.01)", standard: "adopt")) { p, _ in ADOPT(p) },
        .init(AdEMAMix.descriptor.inSuites(demo: "ademamix(lr=0.01)", standard: "ademamix")) { p, _ in AdEMAMix(p) },
        .init(MARS.descriptor.inSuites(demo: "mars(lr=0.01,lr_1d=0.01)", standard: "mars")) { p, _ in MARS(p) },
        .init(ScheduleFreeAdamW.descriptor.inSuites(demo: "schedulefree_adamw(lr=0.01)", standard: "schedulefree_adamw")) { p, _ in
            ScheduleFreeAdamW(p)
        },
        .init(ScheduleFreeSGD.descriptor.inSuites(demo: "schedulefree_sgd(lr=0.01)", standard: "schedulefree_sgd(lr=0.001)")) { p, _ in
            ScheduleFreeSGD(p)
        },
        .init(Prodigy.descriptor.inSuites(.everywhere("prodigy"))) { p, _ in Prodigy(p) },
    ]

    /// Names of the first-order optimizers, in display order.
    public static var firstOrderNames: [String] { firstOrder.map(\.descriptor.name) }

    /// Builds an optimizer and checks that the problem provides what it needs.
    public static func make(_ spec: String, for capabilities: Capabilities, problemName: String,
                            seed: UInt64 = 0) throws -> (any Optimizer, ResolvedParameters) {
        let resolved = try shared.resolve(spec)
        let descriptor = try shared.entry(named: resolved.descriptorName).descriptor
        let missing = descriptor.requirements(for: resolved).subtracting(capabilities)
        guard missing.isEmpty else {
            throw SpecError.missingCapability(optimizer: descriptor.name, needs: missing.names.joined(separator: ", "),
                                              problem: problemName, provides: capabilities.names.joined(separator: ", "))
        }
        return try shared.make(spec, seed: seed)
    }
}
