import OptimizationCore

/// Rprop (resilient backpropagation): per-coordinate step sizes that grow
/// while the gradient keeps its sign and shrink when it flips, matching
/// `torch.optim.Rprop` (single-tensor path).
///
/// Update for step t = 1, 2, … (element-wise; the previous gradient p starts
/// at zero, the step size s at η):
///
///     f ← η₊ if g·p > 0;  η₋ if g·p < 0;  1 if g·p = 0
///     s ← clamp(s·f, step_min, step_max)
///     g ← 0 where f = η₋                   (after a sign flip: no move, and no flip next time)
///     θ ← θ − sign(g)·s
///     p ← g
///
/// Only the sign of the gradient is used, so Rprop is for full-batch
/// problems. The learning rate only sets the initial step size: torch reads
/// `lr` once, when the state is created, so a schedule changes the first
/// step's s and nothing after (as torch's LR schedulers do for Rprop). The
/// mask "f = η₋" is torch's literal test, so a coordinate whose g·p = 0
/// also counts as a flip if η₋ = 1 (which the key's range excludes).
///
/// Defaults (torch's): lr 0.01, eta_minus 0.5, eta_plus 1.2, step_min 1e-6,
/// step_max 50; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, p, s: 56 bytes per parameter; no
/// division, no square root, no allocation.
///
///     var opt = Rprop(lr: 0.01)
///     opt.update(&params, gradient: grad)
///
/// Reference: Riedmiller & Braun, "A Direct Adaptive Method for Faster
/// Backpropagation Learning: The RPROP Algorithm", IEEE ICNN 1993 (no arXiv
/// id; torch's form is the variant without weight backtracking, "Rprop−"
/// with the iRprop− gradient reset); reference code torch.optim.Rprop,
/// torch 2.15.0 (https://docs.pytorch.org/docs/stable/generated/torch.optim.Rprop.html).
public struct Rprop: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "rprop", family: .firstOrder,
        summary: "sign-based steps with per-coordinate sizes adapted to sign agreement, full batch (torch.optim.Rprop)",
        reference: "Riedmiller & Braun 1993, IEEE ICNN; torch.optim.Rprop",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(7))   // θ, g and two state arrays | θ and both

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-2
        public var etaMinus: Double = 0.5
        public var etaPlus: Double = 1.2
        public var stepMin: Double = 1e-6
        public var stepMax: Double = 50

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "initial step size of every coordinate"),
            .real("eta_minus", \.etaMinus, .unitOpen, "step-size factor after a sign flip"),
            .real("eta_plus", \.etaPlus, .greaterThan(1), "step-size factor while the sign holds"),
            .real("step_min", \.stepMin, .nonNegative, "smallest step size"),
            .real("step_max", \.stepMax, .positive, "largest step size"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 2 }

    /// The previous (masked) gradient p (empty before the first step).
    public var previousGradient: [Double] { core.state.buffer(0) }
    /// Per-coordinate step sizes s.
    public var stepSizes: [Double] { core.state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, etaMinus: Double = Settings.defaults.etaMinus,
                etaPlus: Double = Settings.defaults.etaPlus, stepMin: Double = Settings.defaults.stepMin,
                stepMax: Double = Settings.defaults.stepMax, schedule: LearningRateSchedule = .constant) {
        precondition(stepMin <= stepMax, "rprop: step_min=\(stepMin) must not exceed step_max=\(stepMax)")
        self.init(typed: Settings(lr: lr, etaMinus: etaMinus, etaPlus: etaPlus, stepMin: stepMin, stepMax: stepMax),
                                  schedule: schedule)
    }

    /// The catalog's factory: rejects step_min > step_max.
    static func make(_ p: ResolvedParameters) throws -> Rprop {
        let (lo, hi) = (p.double("step_min"), p.double("step_max"))
        guard lo <= hi else {
            throw SpecError.invalidCombination(
                owner: "rprop", message: "step_min=\(formatNumber(lo)) must not exceed step_max=\(formatNumber(hi))")
        }
        return Rprop(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        if step.fresh {
            core.state.withPointers { buffer in
                let sizes = buffer(1).base
                for i in 0..<step.count { sizes[i] = eta }
            }
        }
        let (up, down, lo, hi) = (s.etaPlus, s.etaMinus, s.stepMin, s.stepMax)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (ps, ss) = (buffer(0), buffer(1))
                // torch's order: the factor by the sign of g·g₋, clamp_(min, max) (max
                // first), then a zeroed gradient where the sign flipped.
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.rprop(etaPlus: up, etaMinus: down, stepMin: lo, stepMax: hi, xs, gs, ps, ss, range)
                }
            }
        }
    }
}
