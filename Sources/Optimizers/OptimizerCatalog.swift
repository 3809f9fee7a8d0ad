import OptimizationCore

/// The optimizer registry: every optimizer the lab ships, by spec name.
///
///     let (opt, spec) = try OptimizerCatalog.shared.make("adam(lr=0.01)")
///     spec.canonical   // "adam(lr=0.01)"
public enum OptimizerCatalog {
    public typealias Registry = Catalog<OptimizerDescriptor, any Optimizer>

    /// All optimizers, in display order (families grouped).
    public static let shared = Registry(firstOrder + preconditioners + secondOrder + baselines + zerothOrder + seedReplay)

    /// The first-order family (all conform to ``GradientOptimizer``, ``ThreadedUpdate`` and ``Scheduled``).
    static let firstOrder: [Registry.Entry] = [
        .init(SGD.descriptor) { p, _ in try SGD.make(p) },
        .init(Adam.descriptor) { p, _ in Adam(p) },
        .init(AdamW.descriptor) { p, _ in AdamW(p) },
        .init(Adan.descriptor) { p, _ in Adan(p) },
        .init(Lion.descriptor) { p, _ in Lion(p) },
        .init(Grams.descriptor) { p, _ in Grams(p) },
        .init(EXAdam.descriptor) { p, _ in EXAdam(p) },
        .init(AdamP.descriptor) { p, _ in AdamP(p) },
        .init(SGDP.descriptor) { p, _ in SGDP(p) },
        .init(CautiousAdamW.descriptor) { p, _ in CautiousAdamW(p) },
        .init(CautiousLion.descriptor) { p, _ in CautiousLion(p) },
        .init(Adagrad.descriptor) { p, _ in Adagrad(p) },
        .init(RMSprop.descriptor) { p, _ in RMSprop(p) },
        .init(Adadelta.descriptor) { p, _ in Adadelta(p) },
        .init(Adamax.descriptor) { p, _ in Adamax(p) },
        .init(NAdam.descriptor) { p, _ in NAdam(p) },
        .init(RAdam.descriptor) { p, _ in RAdam(p) },
        .init(Adafactor.descriptor) { p, _ in Adafactor(p) },
        .init(Rprop.descriptor) { p, _ in try Rprop.make(p) },
        .init(ADOPT.descriptor) { p, _ in ADOPT(p) },
        .init(AdEMAMix.descriptor) { p, _ in AdEMAMix(p) },
        .init(MARS.descriptor) { p, _ in MARS(p) },
        .init(ScheduleFreeAdamW.descriptor) { p, _ in ScheduleFreeAdamW(p) },
        .init(ScheduleFreeSGD.descriptor) { p, _ in ScheduleFreeSGD(p) },
        .init(Prodigy.descriptor) { p, _ in Prodigy(p) },
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
