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
public struct Rprop: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "rprop", family: .firstOrder,
        summary: "sign-based steps with per-coordinate sizes adapted to sign agreement, full batch (torch.optim.Rprop)",
        reference: "Riedmiller & Braun 1993, IEEE ICNN; torch.optim.Rprop",
        hyperparameters: [
            .real("lr", 1e-2, .positive, "initial step size of every coordinate"),
            .real("eta_minus", 0.5, .unitOpen, "step-size factor after a sign flip"),
            .real("eta_plus", 1.2, .greaterThan(1), "step-size factor while the sign holds"),
            .real("step_min", 1e-6, .nonNegative, "smallest step size"),
            .real("step_max", 50, .positive, "largest step size"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let etaMinus: Double
    public let etaPlus: Double
    public let stepMin: Double
    public let stepMax: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 2)

    /// The previous (masked) gradient p (empty before the first step).
    public var previousGradient: [Double] { state.buffer(0) }
    /// Per-coordinate step sizes s.
    public var stepSizes: [Double] { state.buffer(1) }

    public init(lr: Double = 1e-2, etaMinus: Double = 0.5, etaPlus: Double = 1.2, stepMin: Double = 1e-6,
                stepMax: Double = 50, schedule: LearningRateSchedule = .constant) {
        precondition(stepMin <= stepMax, "rprop: step_min=\(stepMin) must not exceed step_max=\(stepMax)")
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "eta_minus": .real(etaMinus), "eta_plus": .real(etaPlus),
            "step_min": .real(stepMin), "step_max": .real(stepMax),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path). Use `make(_:)` to
    /// also check step_min ≤ step_max.
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        etaMinus = p.double("eta_minus")
        etaPlus = p.double("eta_plus")
        stepMin = p.double("step_min")
        stepMax = p.double("step_max")
        schedule = LearningRateSchedule(p)
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
        checkSizes(Self.descriptor.name, x, g)
        let fresh = state.prepare(count: x.count)
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        if fresh {
            state.withPointers { buffer in
                let s = buffer(1).base
                for i in 0..<x.count { s[i] = eta }
            }
        }
        let (up, down, lo, hi) = (etaPlus, etaMinus, stepMin, stepMax)
        let (n, threads) = (x.count, threads)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
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
