import OptimizationCore
import RealModule

/// A learning-rate multiplier as a pure function of the step number, so that
/// resuming a run reproduces the schedule exactly (no stateful scheduler).
///
/// For step k = 1, 2, … (the step being taken):
/// - warm-up: k ≤ warmup → k / warmup (linear from lr/warmup up to lr);
/// - then, with s = k − warmup − 1 (0 for the first step after warm-up) and
///   S = total − warmup:
///   - `constant`: 1
///   - `cosine`: ½(1 + cos(π·min(s, S)/S))  (torch's CosineAnnealingLR, η_min = 0)
///   - `linear`: max(0, 1 − s/S)
///   - `step`: gamma^⌊s / every⌋
///
/// The first decayed step uses the full rate, as PyTorch's schedulers do
/// (step k is taken at scheduler epoch k − 1): a run of `total` steps never
/// wastes its last step on a zero rate, and `step` decays after every
/// `every` steps (steps 1…every at lr, every+1… at gamma·lr).
///
/// `total` defaults to the run's step budget (set by the harness in
/// `prepare`); a cosine or linear schedule without any horizon is an error.
public struct LearningRateSchedule: Sendable, Equatable {
    /// The shape of the decay after warm-up (the `schedule` key).
    public enum Kind: String, Sendable, CaseIterable { case constant, cosine, linear, step }

    public var kind: Kind
    public var warmup: Int
    public var total: Int?
    public var gamma: Double
    public var every: Int

    public init(_ kind: Kind = .constant, warmup: Int = 0, total: Int? = nil, gamma: Double = 0.1, every: Int = 1000) {
        self.kind = kind
        self.warmup = warmup
        self.total = total
        self.gamma = gamma
        self.every = every
    }

    public static let constant = LearningRateSchedule()

    /// Cosine decay to 0 over `total` steps (after `warmup` steps of warm-up).
    public static func cosine(total: Int, warmup: Int = 0) -> LearningRateSchedule {
        LearningRateSchedule(.cosine, warmup: warmup, total: total)
    }

    /// Linear decay to 0 over `total` steps (after `warmup` steps of warm-up).
    public static func linear(total: Int, warmup: Int = 0) -> LearningRateSchedule {
        LearningRateSchedule(.linear, warmup: warmup, total: total)
    }

    /// Multiplies the rate by `gamma` every `every` steps.
    public static func step(every: Int, gamma: Double = 0.1, warmup: Int = 0) -> LearningRateSchedule {
        LearningRateSchedule(.step, warmup: warmup, gamma: gamma, every: every)
    }

    /// The message a typed initialiser stops with when `values` name a
    /// cosine or linear schedule without `total` (nil when fine).
    static func missingHorizon(_ values: [String: SpecValue], owner: String) -> String? {
        guard case .text(let kind)? = values["schedule"], kind == Kind.cosine.rawValue || kind == Kind.linear.rawValue,
              values["total"] == nil else { return nil }
        return "\(owner): schedule=\(kind) needs its horizon: pass LearningRateSchedule(.\(kind), total: STEPS) "
            + "(or .\(kind)(total: STEPS)); `update` alone never learns the run's length"
    }

    /// The schedule keys every first-order optimizer accepts.
    public static let hyperparameters: [Hyperparameter] = [
        .choice("schedule", "constant", Kind.allCases.map(\.rawValue), "learning-rate schedule"),
        .integer("warmup", 0, .atLeast(0), "steps of linear warm-up"),
        Hyperparameter("total", .integer(.atLeast(1)), default: .unset("run's steps"),
                       doc: "horizon of cosine/linear decay (default: the run's step budget)"),
        .real("gamma", 0.1, .positive, "decay factor of the step schedule"),
        .integer("every", 1000, .atLeast(1), "steps between decays of the step schedule"),
    ]

    /// Reads the schedule keys of a resolved spec.
    public init(_ p: ResolvedParameters) {
        self.init(Kind(rawValue: p.string("schedule")) ?? .constant, warmup: p.int("warmup"),
                  total: p.optionalInt("total"), gamma: p.double("gamma"), every: p.int("every"))
    }

    /// The typed values, for validating a typed initialiser.
    var specValues: [String: SpecValue] {
        var v: [String: SpecValue] = ["schedule": .text(kind.rawValue), "warmup": .integer(warmup),
                                      "gamma": .real(gamma), "every": .integer(every)]
        if let total { v["total"] = .integer(total) }
        return v
    }

    /// Fills in the horizon from the run's budget when `total` was not given.
    public mutating func prepare(totalSteps: Int?, owner: String) throws {
        if total == nil { total = totalSteps }
        if kind == .cosine || kind == .linear {
            guard let t = total else {
                throw SpecError.invalidCombination(owner: owner, message: "schedule=\(kind.rawValue) needs total=STEPS or a run with --steps")
            }
            guard t > warmup else {
                throw SpecError.invalidCombination(owner: owner, message: "total=\(t) must exceed warmup=\(warmup)")
            }
        }
    }

    /// The multiplier for step k (1-based).
    public func multiplier(step k: Int) -> Double {
        if warmup > 0 && k <= warmup { return Double(k) / Double(warmup) }
        let s = k - warmup - 1
        switch kind {
        case .constant:
            return 1
        case .cosine:
            guard let total else { return 1 }
            let span = Double(total - warmup)
            return 0.5 * (1 + Double.cos(Double.pi * min(Double(s), span) / span))
        case .linear:
            guard let total else { return 1 }
            return max(0, 1 - Double(s) / Double(total - warmup))
        case .step:
            return Double.pow(gamma, Double(s / every))
        }
    }
}

/// An optimizer whose learning rate follows a ``LearningRateSchedule``. Its
/// `prepare` (given here) takes the schedule's horizon from the run's step
/// budget when `total` is not set, and refuses a cosine or linear schedule
/// with neither.
public protocol Scheduled: Optimizer {
    var schedule: LearningRateSchedule { get set }
}

extension Scheduled {
    public mutating func prepare(_ context: RunContext) throws {
        try schedule.prepare(totalSteps: context.totalSteps, owner: Self.descriptor.name)
    }
}
