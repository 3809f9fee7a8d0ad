import OptimizationCore
import Optimizers

/// One row per first-order optimizer of the catalog, in catalog order (in the
/// spirit of torch's `optim_db`, the row carries the method's test inputs):
/// whether it runs on the element-wise scaffolding (then its settings table is
/// checked), the least bytes per parameter one update moves for a few specs,
/// the specs the allocation tests step, its typed-initialiser cases, its
/// kernel/reference-loop pairs, and its zero-gradient and thread-independence
/// specs. Adding a method adds a row and nothing else on the test side
/// (besides its reference loop and reference trajectory data);
/// `tableIsTheCatalog` fails until it does, and the coverage tests fail while
/// a field they need is empty.
public enum FirstOrderTable {
    public struct Row: Sendable {
        public let name: String
        /// Checks the settings table: calls the check with the row's type.
        public let settings: (@Sendable (any SettingsTableCheck) throws -> Void)?
        /// Runs on the ``ElementwiseOptimizer`` scaffolding.
        public let elementwise: Bool
        /// Spec → least bytes per parameter of one update (8 per array read or written).
        public let traffic: [String: Int]
        /// What `AllocationTests` steps: the bare method (`base`), the keys
        /// that switch on its other paths, the flat and oracle paths.
        public let allocation: AllocationCases
        /// `TypedInitialiserTests`: a spec setting every key to a non-default
        /// value and the same values through the typed initialiser.
        public var typed: [TypedCase] = []
        /// `TypedInitialiserTests`: the bare spec and the typed initialiser with no arguments.
        public var defaults: [TypedCase] = []
        /// `KernelAgreementTests`: the fast kernel and its plain reference loop
        /// (`ReferenceLoops*.swift`), default and non-default keys.
        public var kernel: [KernelCase] = []
        /// `BehaviourTests`: specs whose zero gradient leaves the parameters
        /// unchanged; two threads must also give bit-identical results for them.
        public var behaviour: [String] = []
        /// `BehaviourTests`: further specs only checked for thread independence
        /// (weight decay or ASGD's shrinkage move x even at a zero gradient).
        public var threads: [String] = []
        /// `OfficialTrajectoryTests`: treats blocks of two or more dimensions
        /// differently, so its reference cases must include a matrix problem.
        public var matrixAware = false
    }

    typealias Typed = TypedCase
    typealias Kernel = KernelCase

    /// The step schedule with every key set, for the `typed` rows (first-order methods and DeepZero).
    public static let schedule = LearningRateSchedule(.step, warmup: 2, total: 40, gamma: 0.5, every: 7)
    public static let scheduleSpec = "schedule=step,warmup=2,total=40,gamma=0.5,every=7"

    /// The cases of a row: `base` (the bare name unless a key is required)
    /// and `paths` on the layout path; `flat`: the bare name without a layout too.
    static func cases(_ name: String, base: String?, paths: [String], flat: Bool, oracle: [String]) -> AllocationCases {
        AllocationCases(update: [base ?? name] + paths, flat: flat ? [name] : [], oracle: oracle)
    }

    /// An element-wise optimizer on ``ElementwiseOptimizer``.
    static func row<O: ElementwiseOptimizer & SendableMetatype>(
        _ type: O.Type, _ traffic: [String: Int], base: String? = nil, paths: [String] = [], flat: Bool = false,
        oracle: [String] = [], typed: [Typed] = [], defaults: [Typed] = [], kernel: [Kernel] = [],
        behaviour: [String] = [], threads: [String] = [], matrixAware: Bool = false
    ) -> Row {
        Row(name: O.descriptor.name, settings: { try $0.verify(O.self) }, elementwise: true, traffic: traffic,
            allocation: cases(O.descriptor.name, base: base, paths: paths, flat: flat, oracle: oracle),
            typed: typed, defaults: defaults, kernel: kernel, behaviour: behaviour, threads: threads,
            matrixAware: matrixAware)
    }

    /// A method with a settings table and its own prologue (an averaged
    /// iterate with its own rate: Schedule-Free;
    /// a count of calls and global sums: Prodigy; factored state: Adafactor; the
    /// previous gradient and 1-D/2-D paths: MARS).
    static func keyed<O: Optimizer & SettingsBacked & SendableMetatype>(
        _ type: O.Type, _ traffic: [String: Int], paths: [String] = [], flat: Bool = false, oracle: [String] = [],
        typed: [Typed] = [], defaults: [Typed] = [], kernel: [Kernel] = [],
        behaviour: [String] = [], threads: [String] = [], matrixAware: Bool = false
    ) -> Row {
        Row(name: O.descriptor.name, settings: { try $0.verify(O.self) }, elementwise: false, traffic: traffic,
            allocation: cases(O.descriptor.name, base: nil, paths: paths, flat: flat, oracle: oracle),
            typed: typed, defaults: defaults, kernel: kernel, behaviour: behaviour, threads: threads,
            matrixAware: matrixAware)
    }

    public static let rows: [Row] = [
        row(Adam.self, ["adam": 56, "adam(amsgrad=true)": 72], paths: ["adam(amsgrad=true,weight_decay=0.1)"],
            typed: [
                Typed(spec: "adam(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,amsgrad=true,schedule=cosine,warmup=3,total=50,gamma=0.5,every=7)") {
                    Adam(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, amsgrad: true,
                         schedule: LearningRateSchedule(.cosine, warmup: 3, total: 50, gamma: 0.5, every: 7))
                }],
            defaults: [Typed(spec: "adam") { Adam() }],
            kernel: [
                Kernel(description: "adam", fast: { Adam() }, reference: { _, _ in ReferenceAdam() }),
                Kernel(description: "adam(amsgrad,wd=0.01)", fast: { Adam(weightDecay: 0.01, amsgrad: true) },
                       reference: { _, _ in ReferenceAdam(weightDecay: 0.01, amsgrad: true) }),
            ],
            behaviour: ["adam", "adam(amsgrad=1)"]),
        row(AdamW.self, ["adamw": 56, "adamw(amsgrad=true)": 72], paths: ["adamw(schedule=cosine,warmup=3)"],
            typed: [
                Typed(spec: "adamw(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.1,amsgrad=true,\(scheduleSpec))") {
                    AdamW(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, amsgrad: true, schedule: schedule)
                }],
            defaults: [Typed(spec: "adamw") { AdamW() }],
            kernel: [
                Kernel(description: "adamw", fast: { AdamW() }, reference: { _, _ in ReferenceAdam(weightDecay: 1e-2, decoupled: true) }),
                Kernel(description: "adamw(lr=0.01,wd=0.1)", fast: { AdamW(lr: 0.01, weightDecay: 0.1) },
                       reference: { _, _ in ReferenceAdam(lr: 0.01, weightDecay: 0.1, decoupled: true) }),
            ],
            behaviour: ["adamw(weight_decay=0)"],
            threads: ["adamw(amsgrad=1)"]),
        row(Adan.self, ["adan": 88], paths: ["adan(max_grad_norm=1,weight_decay=0.02)"],
            typed: [
                Typed(spec: "adan(lr=0.02,beta1=0.9,beta2=0.9,beta3=0.9,eps=1e-6,weight_decay=0.01,max_grad_norm=1,\(scheduleSpec))") {
                    Adan(lr: 0.02, beta1: 0.9, beta2: 0.9, beta3: 0.9, eps: 1e-6, weightDecay: 0.01, maxGradNorm: 1,
                         schedule: schedule)
                }],
            defaults: [Typed(spec: "adan") { Adan() }],
            kernel: [
                Kernel(description: "adan", fast: { Adan() }, reference: { _, _ in ReferenceAdan() }),
                Kernel(description: "adan(lr=0.01,wd=0.02,clip=1000)", fast: { Adan(lr: 0.01, weightDecay: 0.02, maxGradNorm: 1000) },
                       reference: { _, _ in ReferenceAdan(lr: 0.01, weightDecay: 0.02, maxGradNorm: 1000) }),
            ],
            behaviour: ["adan"],
            threads: ["adan(max_grad_norm=1,weight_decay=0.02)"]),
        row(Lion.self, ["lion": 40], paths: ["lion(weight_decay=0.1)"],
            typed: [
                Typed(spec: "lion(lr=0.02,beta1=0.8,beta2=0.9,weight_decay=0.01,\(scheduleSpec))") {
                    Lion(lr: 0.02, beta1: 0.8, beta2: 0.9, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "lion") { Lion() }],
            kernel: [
                Kernel(description: "lion", fast: { Lion() }, reference: { _, _ in ReferenceLion() }),
                Kernel(description: "lion(lr=1e-3,wd=0.1)", fast: { Lion(lr: 1e-3, weightDecay: 0.1) },
                       reference: { _, _ in ReferenceLion(lr: 1e-3, weightDecay: 0.1) }),
            ],
            behaviour: ["lion"]),
        row(Grams.self, ["grams": 56],
            typed: [
                Typed(spec: "grams(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-8,weight_decay=0.01,\(scheduleSpec))") {
                    Grams(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-8, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "grams") { Grams() }],
            kernel: [
                Kernel(description: "grams", fast: { Grams() }, reference: { _, _ in ReferenceGrams() }),
                Kernel(description: "grams(lr=0.01,wd=0.1)", fast: { Grams(lr: 0.01, weightDecay: 0.1) },
                       reference: { _, _ in ReferenceGrams(lr: 0.01, weightDecay: 0.1) }),
            ],
            behaviour: ["grams"]),
        row(EXAdam.self, ["exadam": 56],
            typed: [
                Typed(spec: "exadam(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,\(scheduleSpec))") {
                    EXAdam(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "exadam") { EXAdam() }],
            kernel: [
                Kernel(description: "exadam", fast: { EXAdam() }, reference: { _, _ in ReferenceEXAdam() }),
                Kernel(description: "exadam(lr=0.005,wd=0.01)", fast: { EXAdam(lr: 0.005, weightDecay: 0.01) },
                       reference: { _, _ in ReferenceEXAdam(lr: 0.005, weightDecay: 0.01) }),
            ],
            behaviour: ["exadam"]),
        row(AdamP.self, ["adamp": 56], paths: ["adamp(nesterov=true,weight_decay=0.1)"],
            typed: [
                Typed(spec: "adamp(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,delta=0.2,wd_ratio=0.2,nesterov=true,\(scheduleSpec))") {
                    AdamP(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, delta: 0.2, wdRatio: 0.2, nesterov: true,
                          schedule: schedule)
                }],
            defaults: [Typed(spec: "adamp") { AdamP() }],
            kernel: [
                Kernel(description: "adamp", fast: { AdamP() }, reference: { ReferenceAdamP(rows: $0, matrix: $1) }),
                Kernel(description: "adamp(lr=0.01,wd=0.01,nesterov)", fast: { AdamP(lr: 0.01, weightDecay: 0.01, nesterov: true) },
                       reference: { ReferenceAdamP(lr: 0.01, weightDecay: 0.01, nesterov: true, rows: $0, matrix: $1) }),
            ],
            behaviour: ["adamp"],
            threads: ["adamp(weight_decay=0.01,nesterov=1)"]),
        row(SGD.self, ["sgd(lr=0.1)": 24, "sgd(lr=0.1,momentum=0.9)": 40], base: "sgd(lr=0.01)",
            paths: ["sgd(lr=0.01,momentum=0.9,nesterov=true,weight_decay=0.01)"],
            typed: [
                Typed(spec: "sgd(lr=0.02,momentum=0.5,nesterov=true,weight_decay=0.01,\(scheduleSpec))") {
                    SGD(lr: 0.02, momentum: 0.5, nesterov: true, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "sgd(lr=0.02)") { SGD(lr: 0.02) }],
            kernel: [
                Kernel(description: "sgd(lr=1e-4)", fast: { SGD(lr: 1e-4) }, reference: { _, _ in ReferenceSGD(lr: 1e-4) }),
                Kernel(description: "sgd(lr=1e-4,mom=0.9,nesterov,wd=0.01)",
                       fast: { SGD(lr: 1e-4, momentum: 0.9, nesterov: true, weightDecay: 0.01) },
                       reference: { _, _ in ReferenceSGD(lr: 1e-4, momentum: 0.9, nesterov: true, weightDecay: 0.01) }),
            ],
            behaviour: ["sgd(lr=0.1)", "sgd(lr=0.1,momentum=0.9,nesterov=1)"]),
        row(SGDP.self, ["sgdp(lr=0.1)": 40], base: "sgdp(lr=0.01)", paths: ["sgdp(lr=0.01,nesterov=true,weight_decay=0.1)"],
            typed: [
                Typed(spec: "sgdp(lr=0.02,momentum=0.5,weight_decay=0.01,nesterov=true,delta=0.2,wd_ratio=0.2,\(scheduleSpec))") {
                    SGDP(lr: 0.02, momentum: 0.5, weightDecay: 0.01, nesterov: true, delta: 0.2, wdRatio: 0.2, schedule: schedule)
                }],
            defaults: [Typed(spec: "sgdp(lr=0.02)") { SGDP(lr: 0.02) }],
            kernel: [
                Kernel(description: "sgdp(lr=1e-4)", fast: { SGDP(lr: 1e-4) }, reference: { ReferenceSGDP(lr: 1e-4, rows: $0, matrix: $1) }),
                Kernel(description: "sgdp(lr=1e-4,wd=0.01,nesterov)", fast: { SGDP(lr: 1e-4, weightDecay: 0.01, nesterov: true) },
                       reference: { ReferenceSGDP(lr: 1e-4, weightDecay: 0.01, nesterov: true, rows: $0, matrix: $1) }),
            ],
            behaviour: ["sgdp(lr=0.1)"],
            threads: ["sgdp(lr=0.01,weight_decay=0.01)"]),
        row(CautiousAdamW.self, ["cadamw": 56],
            typed: [
                Typed(spec: "cadamw(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.1,\(scheduleSpec))") {
                    CautiousAdamW(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, schedule: schedule)
                }],
            defaults: [Typed(spec: "cadamw") { CautiousAdamW() }],
            kernel: [
                Kernel(description: "cadamw", fast: { CautiousAdamW() }, reference: { _, _ in ReferenceCautiousAdamW() }),
                Kernel(description: "cadamw(lr=0.01,wd=0.1)", fast: { CautiousAdamW(lr: 0.01, weightDecay: 0.1) },
                       reference: { _, _ in ReferenceCautiousAdamW(lr: 0.01, weightDecay: 0.1) }),
            ],
            behaviour: ["cadamw(weight_decay=0)"]),
        row(CautiousLion.self, ["clion": 40],
            typed: [
                Typed(spec: "clion(lr=0.02,beta1=0.8,beta2=0.9,weight_decay=0.01,\(scheduleSpec))") {
                    CautiousLion(lr: 0.02, beta1: 0.8, beta2: 0.9, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "clion") { CautiousLion() }],
            kernel: [
                Kernel(description: "clion", fast: { CautiousLion() }, reference: { _, _ in ReferenceLion(cautious: true) }),
                Kernel(description: "clion(lr=1e-3,wd=0.1)", fast: { CautiousLion(lr: 1e-3, weightDecay: 0.1) },
                       reference: { _, _ in ReferenceLion(lr: 1e-3, weightDecay: 0.1, cautious: true) }),
            ],
            behaviour: ["clion"]),
        row(Adagrad.self, ["adagrad": 40],
            paths: ["adagrad(initial_accumulator_value=0.1,lr_decay=0.01,weight_decay=0.01)"], flat: true,
            typed: [
                Typed(spec: "adagrad(lr=0.02,lr_decay=0.01,weight_decay=0.01,initial_accumulator_value=0.1,eps=1e-8,\(scheduleSpec))") {
                    Adagrad(lr: 0.02, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1, eps: 1e-8, schedule: schedule)
                }],
            defaults: [Typed(spec: "adagrad") { Adagrad() }],
            kernel: [
                Kernel(description: "adagrad", fast: { Adagrad() }, reference: { _, _ in ReferenceAdagrad() }),
                Kernel(description: "adagrad(lr=0.1,lr_decay=0.01,wd=0.01,init=0.1)",
                       fast: { Adagrad(lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1) },
                       reference: { _, _ in ReferenceAdagrad(lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1) }),
            ],
            behaviour: ["adagrad", "adagrad(initial_accumulator_value=0.1,lr_decay=0.01)"]),
        row(RMSprop.self, ["rmsprop": 40, "rmsprop(momentum=0.5)": 56, "rmsprop(momentum=0.5,centered=true)": 72],
            paths: ["rmsprop(centered=true,momentum=0.9,weight_decay=0.01)", "rmsprop(momentum=0.9)"], flat: true,
            typed: [
                Typed(spec: "rmsprop(lr=0.02,alpha=0.9,eps=1e-6,weight_decay=0.01,momentum=0.5,centered=true,\(scheduleSpec))") {
                    RMSprop(lr: 0.02, alpha: 0.9, eps: 1e-6, weightDecay: 0.01, momentum: 0.5, centered: true, schedule: schedule)
                }],
            defaults: [Typed(spec: "rmsprop") { RMSprop() }],
            kernel: [
                Kernel(description: "rmsprop(lr=1e-3)", fast: { RMSprop(lr: 1e-3) }, reference: { _, _ in ReferenceRMSprop(lr: 1e-3) }),
                Kernel(description: "rmsprop(lr=1e-3,centered,mom=0.5,wd=0.01)",
                       fast: { RMSprop(lr: 1e-3, weightDecay: 0.01, momentum: 0.5, centered: true) },
                       reference: { _, _ in ReferenceRMSprop(lr: 1e-3, weightDecay: 0.01, momentum: 0.5, centered: true) }),
                Kernel(description: "rmsprop(lr=1e-4,mom=0.9)", fast: { RMSprop(lr: 1e-4, momentum: 0.9) },
                       reference: { _, _ in ReferenceRMSprop(lr: 1e-4, momentum: 0.9) }),
            ],
            behaviour: ["rmsprop", "rmsprop(centered=1,momentum=0.9)"],
            threads: ["rmsprop(centered=1,weight_decay=0.01)"]),
        row(Adadelta.self, ["adadelta": 56], paths: ["adadelta(weight_decay=0.01)"], flat: true,
            typed: [
                Typed(spec: "adadelta(lr=0.5,rho=0.8,eps=1e-5,weight_decay=0.01,\(scheduleSpec))") {
                    Adadelta(lr: 0.5, rho: 0.8, eps: 1e-5, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "adadelta") { Adadelta() }],
            kernel: [
                Kernel(description: "adadelta", fast: { Adadelta() }, reference: { _, _ in ReferenceAdadelta() }),
                Kernel(description: "adadelta(lr=0.5,rho=0.95,wd=0.01)", fast: { Adadelta(lr: 0.5, rho: 0.95, weightDecay: 0.01) },
                       reference: { _, _ in ReferenceAdadelta(lr: 0.5, rho: 0.95, weightDecay: 0.01) }),
            ],
            behaviour: ["adadelta"]),
        row(Adamax.self, ["adamax": 56], paths: ["adamax(weight_decay=0.01)"], flat: true,
            typed: [
                Typed(spec: "adamax(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,\(scheduleSpec))") {
                    Adamax(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "adamax") { Adamax() }],
            kernel: [
                Kernel(description: "adamax", fast: { Adamax() }, reference: { _, _ in ReferenceAdamax() }),
                Kernel(description: "adamax(lr=0.01,wd=0.01)", fast: { Adamax(lr: 0.01, weightDecay: 0.01) },
                       reference: { _, _ in ReferenceAdamax(lr: 0.01, weightDecay: 0.01) }),
            ],
            behaviour: ["adamax"]),
        row(NAdam.self, ["nadam": 56],
            paths: ["nadam(decoupled_weight_decay=true,weight_decay=0.01)", "nadam(weight_decay=0.01)"], flat: true,
            typed: [
                Typed(spec: "nadam(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,momentum_decay=0.01,decoupled_weight_decay=true,\(scheduleSpec))") {
                    NAdam(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, momentumDecay: 0.01,
                          decoupledWeightDecay: true, schedule: schedule)
                }],
            defaults: [Typed(spec: "nadam") { NAdam() }],
            kernel: [
                Kernel(description: "nadam", fast: { NAdam() }, reference: { _, _ in ReferenceNAdam() }),
                Kernel(description: "nadam(lr=3e-3,psi=0.01,wd=0.01)",
                       fast: { NAdam(lr: 3e-3, weightDecay: 0.01, momentumDecay: 0.01) },
                       reference: { _, _ in ReferenceNAdam(lr: 3e-3, weightDecay: 0.01, momentumDecay: 0.01) }),
                Kernel(description: "nadam(decoupled,wd=0.1)", fast: { NAdam(weightDecay: 0.1, decoupledWeightDecay: true) },
                       reference: { _, _ in ReferenceNAdam(weightDecay: 0.1, decoupled: true) }),
            ],
            behaviour: ["nadam", "nadam(decoupled_weight_decay=1)"],
            threads: ["nadam(weight_decay=0.01)"]),
        row(RAdam.self, ["radam": 56], paths: ["radam(decoupled_weight_decay=true,weight_decay=0.01)"], flat: true,
            typed: [
                Typed(spec: "radam(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,decoupled_weight_decay=true,\(scheduleSpec))") {
                    RAdam(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, decoupledWeightDecay: true,
                          schedule: schedule)
                }],
            defaults: [Typed(spec: "radam") { RAdam() }],
            kernel: [
                Kernel(description: "radam", fast: { RAdam() }, reference: { _, _ in ReferenceRAdam() }),
                Kernel(description: "radam(lr=0.01,decoupled,wd=0.1)", fast: { RAdam(lr: 0.01, weightDecay: 0.1, decoupledWeightDecay: true) },
                       reference: { _, _ in ReferenceRAdam(lr: 0.01, weightDecay: 0.1, decoupled: true) }),
            ],
            behaviour: ["radam"],
            threads: ["radam(decoupled_weight_decay=1,weight_decay=0.1)"]),
        keyed(Adafactor.self, ["adafactor": 24], paths: ["adafactor(weight_decay=0.1,schedule=cosine)"], flat: true,
            typed: [
                Typed(spec: "adafactor(lr=0.02,beta2_decay=-0.5,eps1=1e-20,eps2=1e-2,d=2,weight_decay=0.01,\(scheduleSpec))") {
                    Adafactor(lr: 0.02, beta2Decay: -0.5, eps1: 1e-20, eps2: 1e-2, d: 2, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "adafactor") { Adafactor() }],
            kernel: [
                Kernel(description: "adafactor(lr=3e-3)", fast: { Adafactor(lr: 3e-3) },
                       reference: { ReferenceAdafactor(lr: 3e-3, rows: $0, matrix: $1) }),
                Kernel(description: "adafactor(lr=5e-3,d=2,wd=0.01)", fast: { Adafactor(lr: 5e-3, d: 2, weightDecay: 0.01) },
                       reference: { ReferenceAdafactor(lr: 5e-3, d: 2, weightDecay: 0.01, rows: $0, matrix: $1) }),
            ],
            behaviour: ["adafactor", "adafactor(d=2,eps1=1e-30)"],
            threads: ["adafactor(weight_decay=0.1)"],
            matrixAware: true),
        row(Rprop.self, ["rprop": 56], paths: ["rprop(schedule=step,every=2)"], flat: true,
            typed: [
                Typed(spec: "rprop(lr=0.02,eta_minus=0.4,eta_plus=1.5,step_min=1e-5,step_max=10,\(scheduleSpec))") {
                    Rprop(lr: 0.02, etaMinus: 0.4, etaPlus: 1.5, stepMin: 1e-5, stepMax: 10, schedule: schedule)
                }],
            defaults: [Typed(spec: "rprop") { Rprop() }],
            kernel: [
                Kernel(description: "rprop", fast: { Rprop() }, reference: { _, _ in ReferenceRprop() }),
                Kernel(description: "rprop(lr=1e-3,etas=0.3/1.5,steps=1e-4/1)",
                       fast: { Rprop(lr: 1e-3, etaMinus: 0.3, etaPlus: 1.5, stepMin: 1e-4, stepMax: 1) },
                       reference: { _, _ in ReferenceRprop(lr: 1e-3, etaMinus: 0.3, etaPlus: 1.5, stepMin: 1e-4, stepMax: 1) }),
            ],
            behaviour: ["rprop"]),
        row(ASGD.self, ["asgd": 32], paths: ["asgd(t0=0,weight_decay=0.01)"], flat: true, oracle: ["asgd(t0=-1)"],
            typed: [
                Typed(spec: "asgd(lr=0.02,lambd=0.01,alpha=0.5,t0=20,weight_decay=0.01,\(scheduleSpec))") {
                    ASGD(lr: 0.02, lambd: 0.01, alpha: 0.5, t0: 20, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "asgd") { ASGD() }],
            kernel: [
                Kernel(description: "asgd(lr=1e-4)", fast: { ASGD(lr: 1e-4) }, reference: { _, _ in ReferenceASGD(lr: 1e-4) }),
                Kernel(description: "asgd(lr=1e-4,lambd=10,alpha=0.5,t0=20,wd=0.01)",
                       fast: { ASGD(lr: 1e-4, lambd: 10, alpha: 0.5, t0: 20, weightDecay: 0.01) },
                       reference: { _, _ in ReferenceASGD(lr: 1e-4, lambd: 10, alpha: 0.5, t0: 20, weightDecay: 0.01) }),
            ],
            threads: ["asgd", "asgd(t0=0,weight_decay=0.01)"]),
        row(ADOPT.self, ["adopt": 56], paths: ["adopt(decouple=true,weight_decay=0.1)", "adopt(weight_decay=0.1)"],
            typed: [
                Typed(spec: "adopt(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-8,weight_decay=0.01,decouple=true,\(scheduleSpec))") {
                    ADOPT(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-8, weightDecay: 0.01, decouple: true, schedule: schedule)
                }],
            defaults: [Typed(spec: "adopt") { ADOPT() }],
            kernel: [
                Kernel(description: "adopt", fast: { ADOPT() }, reference: { _, _ in ReferenceADOPT() }),
                Kernel(description: "adopt(lr=0.01,wd=0.01)", fast: { ADOPT(lr: 0.01, weightDecay: 0.01) },
                       reference: { _, _ in ReferenceADOPT(lr: 0.01, weightDecay: 0.01) }),
                Kernel(description: "adopt(decouple,lr=0.01,wd=0.1)", fast: { ADOPT(lr: 0.01, weightDecay: 0.1, decouple: true) },
                       reference: { _, _ in ReferenceADOPT(lr: 0.01, weightDecay: 0.1, decouple: true) }),
            ],
            behaviour: ["adopt"],
            threads: ["adopt(decouple=1,weight_decay=0.1)"]),
        row(AdEMAMix.self, ["ademamix": 72], paths: ["ademamix(alpha_warmup=20,beta3_warmup=20,weight_decay=0.1)"],
            typed: [
                Typed(spec: "ademamix(lr=0.02,beta1=0.8,beta2=0.99,beta3=0.999,alpha=5,beta3_warmup=100,alpha_warmup=50,eps=1e-6,weight_decay=0.01,\(scheduleSpec))") {
                    AdEMAMix(lr: 0.02, beta1: 0.8, beta2: 0.99, beta3: 0.999, alpha: 5, beta3Warmup: 100, alphaWarmup: 50,
                             eps: 1e-6, weightDecay: 0.01, schedule: schedule)
                }],
            defaults: [Typed(spec: "ademamix") { AdEMAMix() }],
            kernel: [
                Kernel(description: "ademamix", fast: { AdEMAMix() }, reference: { _, _ in ReferenceAdEMAMix() }),
                Kernel(description: "ademamix(alpha=5,lr=0.01,wd=0.01)", fast: { AdEMAMix(lr: 0.005, alpha: 5, weightDecay: 0.01) },
                       reference: { _, _ in ReferenceAdEMAMix(lr: 0.005, alpha: 5, weightDecay: 0.01) }),
            ],
            behaviour: ["ademamix", "ademamix(alpha_warmup=3,beta3_warmup=3)"]),
        keyed(MARS.self, ["mars": 72, "mars(variant=lion)": 56],
              paths: ["mars(variant=lion,weight_decay=0.1)", "mars(optimize_1d=true)", "mars(approx=false)"],
              oracle: ["mars(approx=false)", "mars(approx=false,optimize_1d=true)"],
            typed: [
                // MARS's own `gamma` is the correction scale; the schedule's is `schedule_gamma`.
                Typed(spec: "mars(lr=0.02,beta1=0.9,beta2=0.999,eps=1e-6,weight_decay=0.01,gamma=0.05,variant=lion,approx=false,optimize_1d=true,lr_1d=0.01,beta1_1d=0.8,beta2_1d=0.99,weight_decay_1d=0.01,schedule=step,warmup=2,total=40,schedule_gamma=0.5,every=7)") {
                    MARS(lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-6, weightDecay: 0.01, gamma: 0.05, variant: .lion,
                         approx: false, optimize1D: true, lr1D: 0.01, beta1For1D: 0.8, beta2For1D: 0.99, weightDecay1D: 0.01,
                         schedule: schedule)
                }],
            defaults: [Typed(spec: "mars") { MARS() }],
            kernel: [
                Kernel(description: "mars", fast: { MARS() }, reference: { ReferenceMARS(matrix: $1) }),
                Kernel(description: "mars(lr=0.01,wd=0.01)", fast: { MARS(lr: 0.01, weightDecay: 0.01) },
                       reference: { ReferenceMARS(lr: 0.01, weightDecay: 0.01, matrix: $1) }),
                Kernel(description: "mars(variant=lion,lr=1e-3,wd=0.1)", fast: { MARS(lr: 1e-3, weightDecay: 0.1, variant: .lion) },
                       reference: { ReferenceMARS(lr: 1e-3, weightDecay: 0.1, lion: true, matrix: $1) }),
                Kernel(description: "mars(optimize_1d)", fast: { MARS(optimize1D: true) }, reference: { _, _ in ReferenceMARS(matrix: true) }),
            ],
            behaviour: ["mars(weight_decay_1d=0)", "mars(variant=lion,weight_decay_1d=0)", "mars(optimize_1d=1)"],
            threads: ["mars", "mars(lr=0.01,variant=lion,weight_decay=0.1)"],
            matrixAware: true),
        keyed(ScheduleFreeAdamW.self, ["schedulefree_adamw": 56],
              paths: ["schedulefree_adamw(warmup_steps=3,weight_decay=0.1,r=1)"], oracle: ["schedulefree_adamw"],
            typed: [
                Typed(spec: "schedulefree_adamw(lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,warmup_steps=5,r=1,weight_lr_power=1,\(scheduleSpec))") {
                    ScheduleFreeAdamW(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, warmupSteps: 5, r: 1,
                                      weightLrPower: 1, schedule: schedule)
                }],
            defaults: [Typed(spec: "schedulefree_adamw") { ScheduleFreeAdamW() }],
            kernel: [
                Kernel(description: "schedulefree_adamw", fast: { ScheduleFreeAdamW() },
                       reference: { _, _ in ReferenceScheduleFree(lr: 0.0025, adam: (0.999, 1e-8)) }),
                Kernel(description: "schedulefree_adamw(lr=0.01,warmup_steps=20,wd=0.01,r=1)",
                       fast: { ScheduleFreeAdamW(lr: 0.01, weightDecay: 0.01, warmupSteps: 20, r: 1) },
                       reference: { _, _ in ReferenceScheduleFree(lr: 0.01, weightDecay: 0.01, warmupSteps: 20, r: 1, adam: (0.999, 1e-8)) }),
            ],
            behaviour: ["schedulefree_adamw"],
            threads: ["schedulefree_adamw(weight_decay=0.1)"]),
        keyed(ScheduleFreeSGD.self, ["schedulefree_sgd": 40], paths: ["schedulefree_sgd(weight_decay=0.1)"],
              oracle: ["schedulefree_sgd"],
            typed: [
                Typed(spec: "schedulefree_sgd(lr=0.5,momentum=0.8,weight_decay=0.01,warmup_steps=5,r=1,weight_lr_power=1,\(scheduleSpec))") {
                    ScheduleFreeSGD(lr: 0.5, momentum: 0.8, weightDecay: 0.01, warmupSteps: 5, r: 1, weightLrPower: 1,
                                    schedule: schedule)
                }],
            defaults: [Typed(spec: "schedulefree_sgd") { ScheduleFreeSGD() }],
            kernel: [
                Kernel(description: "schedulefree_sgd(lr=1e-4)", fast: { ScheduleFreeSGD(lr: 1e-4) },
                       reference: { _, _ in ReferenceScheduleFree(lr: 1e-4) }),
                Kernel(description: "schedulefree_sgd(lr=1e-4,momentum=0.5,warmup_steps=10,wd=0.01)",
                       fast: { ScheduleFreeSGD(lr: 1e-4, momentum: 0.5, weightDecay: 0.01, warmupSteps: 10) },
                       reference: { _, _ in ReferenceScheduleFree(lr: 1e-4, beta: 0.5, weightDecay: 0.01, warmupSteps: 10) }),
            ],
            behaviour: ["schedulefree_sgd(lr=0.01)"]),
        keyed(Prodigy.self, ["prodigy": 80, "prodigy(beta1=0)": 64], paths: [
            "prodigy(beta1=0,decouple=false,weight_decay=0.1)",
            "prodigy(use_bias_correction=true,safeguard_warmup=true,weight_decay=0.1,growth_rate=1.1)",
        ],
            typed: [
                Typed(spec: "prodigy(lr=0.5,beta1=0.8,beta2=0.99,beta3=0.9,eps=1e-6,weight_decay=0.01,decouple=false,use_bias_correction=true,safeguard_warmup=true,d0=1e-5,d_coef=0.5,growth_rate=2,\(scheduleSpec))") {
                    Prodigy(lr: 0.5, beta1: 0.8, beta2: 0.99, beta3: 0.9, eps: 1e-6, weightDecay: 0.01, decouple: false,
                            useBiasCorrection: true, safeguardWarmup: true, d0: 1e-5, dCoef: 0.5, growthRate: 2,
                            schedule: schedule)
                }],
            defaults: [Typed(spec: "prodigy") { Prodigy() }],
            kernel: [
                Kernel(description: "prodigy", fast: { Prodigy() }, reference: { _, _ in ReferenceProdigy() }),
                Kernel(description: "prodigy(bias_correction,wd=0.01)", fast: { Prodigy(weightDecay: 0.01, useBiasCorrection: true) },
                       reference: { _, _ in ReferenceProdigy(weightDecay: 0.01, biasCorrection: true) }),
            ],
            behaviour: ["prodigy", "prodigy(beta1=0,decouple=0)"],
            threads: ["prodigy(use_bias_correction=1,weight_decay=0.01)"]),
    ]

    public static var withSettings: [Row] { rows.filter { $0.settings != nil } }
}

/// A typed-initialiser case: a spec and the same values through the typed initialiser.
public struct TypedCase: Sendable {
    public let spec: String
    public let typed: @Sendable () -> any Optimizer
    public init(spec: String, typed: @escaping @Sendable () -> any Optimizer) {
        self.spec = spec
        self.typed = typed
    }
}

/// A fast kernel and its plain reference loop (given the block's rows and
/// whether it is a matrix).
public struct KernelCase: CustomStringConvertible, Sendable {
    public let description: String
    public let fast: @Sendable () -> any GradientOptimizer
    public let reference: @Sendable (_ rows: Int, _ matrix: Bool) -> any ReferenceLoop
    public init(description: String, fast: @escaping @Sendable () -> any GradientOptimizer,
                reference: @escaping @Sendable (_ rows: Int, _ matrix: Bool) -> any ReferenceLoop) {
        self.description = description
        self.fast = fast
        self.reference = reference
    }
}

/// What a row's settings closure is handed: `OptimizersTests` passes its
/// checker, which needs the concrete type (this target cannot see the tests).
public protocol SettingsTableCheck {
    func verify<O: Optimizer & SettingsBacked>(_ type: O.Type) throws
}
