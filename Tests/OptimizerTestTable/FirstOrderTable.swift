import OptimizationCore
import Optimizers

/// One row per first-order optimizer of the catalog, in catalog order (in the
/// spirit of torch's `optim_db`): whether it runs on the element-wise
/// scaffolding (then its settings table is checked), the least bytes per
/// parameter one update moves, for a few specs, and the specs the allocation
/// tests step. Adding a method adds a row; `tableIsTheCatalog` fails until it does.
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
    }

    /// The cases of a row: `base` (the bare name unless a key is required)
    /// and `paths` on the layout path; `flat`: the bare name without a layout too.
    static func cases(_ name: String, base: String?, paths: [String], flat: Bool, oracle: [String]) -> AllocationCases {
        AllocationCases(update: [base ?? name] + paths, flat: flat ? [name] : [], oracle: oracle)
    }

    /// An element-wise optimizer on ``ElementwiseOptimizer``.
    static func row<O: ElementwiseOptimizer & SendableMetatype>(
        _ type: O.Type, _ traffic: [String: Int], base: String? = nil, paths: [String] = [], flat: Bool = false,
        oracle: [String] = []
    ) -> Row {
        Row(name: O.descriptor.name, settings: { try $0.verify(O.self) }, elementwise: true, traffic: traffic,
            allocation: cases(O.descriptor.name, base: base, paths: paths, flat: flat, oracle: oracle))
    }

    /// A method with a settings table and its own prologue (an averaged
    /// iterate with its own rate: Schedule-Free;
    /// a count of calls and global sums: Prodigy; factored state: Adafactor; the
    /// previous gradient and 1-D/2-D paths: MARS).
    static func keyed<O: Optimizer & SettingsBacked & SendableMetatype>(
        _ type: O.Type, _ traffic: [String: Int], paths: [String] = [], flat: Bool = false, oracle: [String] = []
    ) -> Row {
        Row(name: O.descriptor.name, settings: { try $0.verify(O.self) }, elementwise: false, traffic: traffic,
            allocation: cases(O.descriptor.name, base: nil, paths: paths, flat: flat, oracle: oracle))
    }

    public static let rows: [Row] = [
        row(Adam.self, ["adam": 56, "adam(amsgrad=true)": 72], paths: ["adam(amsgrad=true,weight_decay=0.1)"]),
        row(AdamW.self, ["adamw": 56, "adamw(amsgrad=true)": 72], paths: ["adamw(schedule=cosine,warmup=3)"]),
        row(Adan.self, ["adan": 88], paths: ["adan(max_grad_norm=1,weight_decay=0.02)"]),
        row(Lion.self, ["lion": 40], paths: ["lion(weight_decay=0.1)"]),
        row(Grams.self, ["grams": 56]),
        row(EXAdam.self, ["exadam": 56]),
        row(AdamP.self, ["adamp": 56], paths: ["adamp(nesterov=true,weight_decay=0.1)"]),
        row(SGD.self, ["sgd(lr=0.1)": 24, "sgd(lr=0.1,momentum=0.9)": 40], base: "sgd(lr=0.01)",
            paths: ["sgd(lr=0.01,momentum=0.9,nesterov=true,weight_decay=0.01)"]),
        row(SGDP.self, ["sgdp(lr=0.1)": 40], base: "sgdp(lr=0.01)", paths: ["sgdp(lr=0.01,nesterov=true,weight_decay=0.1)"]),
        row(CautiousAdamW.self, ["cadamw": 56]),
        row(CautiousLion.self, ["clion": 40]),
        row(Adagrad.self, ["adagrad": 40],
            paths: ["adagrad(initial_accumulator_value=0.1,lr_decay=0.01,weight_decay=0.01)"], flat: true),
        row(RMSprop.self, ["rmsprop": 40, "rmsprop(momentum=0.5)": 56, "rmsprop(momentum=0.5,centered=true)": 72],
            paths: ["rmsprop(centered=true,momentum=0.9,weight_decay=0.01)", "rmsprop(momentum=0.9)"], flat: true),
        row(Adadelta.self, ["adadelta": 56], paths: ["adadelta(weight_decay=0.01)"], flat: true),
        row(Adamax.self, ["adamax": 56], paths: ["adamax(weight_decay=0.01)"], flat: true),
        row(NAdam.self, ["nadam": 56],
            paths: ["nadam(decoupled_weight_decay=true,weight_decay=0.01)", "nadam(weight_decay=0.01)"], flat: true),
        row(RAdam.self, ["radam": 56], paths: ["radam(decoupled_weight_decay=true,weight_decay=0.01)"], flat: true),
        keyed(Adafactor.self, ["adafactor": 24], paths: ["adafactor(weight_decay=0.1,schedule=cosine)"], flat: true),
        row(Rprop.self, ["rprop": 56], paths: ["rprop(schedule=step,every=2)"], flat: true),
        // asgd with t0 = −1 averages from step 2, so its evaluation-point buffer exists before the counted steps.
        row(ASGD.self, ["asgd": 32], paths: ["asgd(t0=0,weight_decay=0.01)"], flat: true, oracle: ["asgd(t0=-1)"]),
        row(ADOPT.self, ["adopt": 56], paths: ["adopt(decouple=true,weight_decay=0.1)", "adopt(weight_decay=0.1)"]),
        row(AdEMAMix.self, ["ademamix": 72], paths: ["ademamix(alpha_warmup=20,beta3_warmup=20,weight_decay=0.1)"]),
        // mars(approx=false) evaluates a second gradient through the oracle.
        keyed(MARS.self, ["mars": 72, "mars(variant=lion)": 56],
              paths: ["mars(variant=lion,weight_decay=0.1)", "mars(optimize_1d=true)", "mars(approx=false)"],
              oracle: ["mars(approx=false)", "mars(approx=false,optimize_1d=true)"]),
        keyed(ScheduleFreeAdamW.self, ["schedulefree_adamw": 56],
              paths: ["schedulefree_adamw(warmup_steps=3,weight_decay=0.1,r=1)"], oracle: ["schedulefree_adamw"]),
        keyed(ScheduleFreeSGD.self, ["schedulefree_sgd": 40], paths: ["schedulefree_sgd(weight_decay=0.1)"],
              oracle: ["schedulefree_sgd"]),
        keyed(Prodigy.self, ["prodigy": 80, "prodigy(beta1=0)": 64], paths: [
            "prodigy(beta1=0,decouple=false,weight_decay=0.1)",
            "prodigy(use_bias_correction=true,safeguard_warmup=true,weight_decay=0.1,growth_rate=1.1)",
        ]),
    ]

    public static var withSettings: [Row] { rows.filter { $0.settings != nil } }
}

/// What a row's settings closure is handed: `OptimizersTests` passes its
/// checker, which needs the concrete type (this target cannot see the tests).
public protocol SettingsTableCheck {
    func verify<O: Optimizer & SettingsBacked>(_ type: O.Type) throws
}
