import OptimizationCore
import RealModule

/// ASGD: averaged stochastic gradient descent — SGD with a slowly decaying
/// rate and a shrinking factor, whose answer is the running average of the
/// iterates after step t0; matches `torch.optim.ASGD` (single-tensor path,
/// `_single_tensor_asgd`, capturable off).
///
/// Update for step t = 1, 2, … (element-wise; ax starts at 0, but is a copy
/// of θ after every step until the averaging begins):
///
///     g ← g + λ_wd·θ                             (L2 weight decay, only if λ_wd ≠ 0)
///     η_t ← lr / (1 + λ·lr·(t − 1))^α            (η_1 = lr)
///     μ_t ← 1 / max(1, (t − 1) − t0)             (μ_1 = 1)
///     θ ← θ·(1 − λ·η_t)                          (the decay term, then …)
///     θ ← θ − η_t·g                              (… the gradient step: two roundings, as torch)
///     ax ← ax + (θ − ax)·μ_t   if μ_t ≠ 1,  else  ax ← θ (a copy)
///
/// torch stores η and μ as state computed at the end of the previous step
/// from its step count; they are functions of t alone, so the lab computes
/// them from t (same expressions, same order). With a schedule the scheduled
/// rate of step t takes lr's place in η_t (torch's formula reads the group's
/// lr, which a torch scheduler changes between steps).
///
/// The answer is the average ax (Polyak–Juditsky), which
/// ``evaluationPoint(_:into:)`` returns and the harness logs. With torch's
/// default t0 = 1e6 no run of the lab reaches the averaging phase: ax is then
/// bit-for-bit the iterate, so the evaluation point is the iterate (and
/// `evaluationPoint` skips the copy: it reports a separate point only once
/// μ_t ≠ 1, i.e. from step t0 + 2 on). Pass a small `t0` (e.g. a fraction of
/// the budget) for the averaging to matter.
///
/// Defaults (torch's): lr 0.01, lambd 1e-4, alpha 0.75, t0 1e6,
/// weight_decay 0 (torch has no other numerical keys; maximize, foreach,
/// capturable are not offered); plus the lab's schedule keys.
///
/// Cost per step: one pass over θ, g, ax: 32 bytes per parameter before the
/// averaging (ax is only written), 40 while averaging; no division in the
/// loop (one `pow` per step), no allocation. `threads` splits the pass with
/// bit-identical results.
///
///     var opt = ASGD(lr: 1e-3, t0: 100)
///     opt.update(&params, gradient: grad)
///     let answer = opt.evaluationPoint(params)   // the average ax
///
/// Reference: Polyak & Juditsky, "Acceleration of Stochastic Approximation by
/// Averaging", SIAM J. Control Optim. 30(4) (1992), doi:10.1137/0330046 (no
/// arXiv id; torch cites it); Bottou, "Stochastic Gradient Descent Tricks"
/// (2012), arXiv:1107.2490 (Xu's averaged SGD schedule η_t = η₀(1 + λη₀t)^−α);
/// reference code torch.optim.ASGD, torch 2.15.0 (torch/optim/asgd.py).
public struct ASGD: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "asgd", family: .firstOrder,
        summary: "averaged SGD: decaying rate, answer at the average of the iterates after t0 (torch.optim.ASGD)",
        reference: "Polyak & Juditsky 1992, doi:10.1137/0330046; Bottou 2012, arXiv:1107.2490; torch.optim.ASGD",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(4))   // θ, g | θ, ax (ax is also read once averaging: 5)

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-2
        public var lambd: Double = 1e-4
        public var alpha: Double = 0.75
        public var t0: Double = 1e6
        public var weightDecay: Double = 0

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("lambd", \.lambd, .nonNegative, "decay term λ: θ ← θ·(1 − λη_t) and η_t = lr/(1 + λ·lr·(t − 1))^α"),
            .real("alpha", \.alpha, .nonNegative, "power α of the rate's decay"),
            .real("t0", \.t0, .any, "averaging starts after step t0 + 1: μ_t = 1/max(1, t − 1 − t0)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "L2 penalty added to the gradient"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 1 }

    /// The average ax (empty before the first step).
    public var average: [Double] { core.state.buffer(0) }

    public init(lr: Double = Settings.defaults.lr, lambd: Double = Settings.defaults.lambd,
                alpha: Double = Settings.defaults.alpha, t0: Double = Settings.defaults.t0,
                weightDecay: Double = Settings.defaults.weightDecay, schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, lambd: lambd, alpha: alpha, t0: t0, weightDecay: weightDecay),
                  schedule: schedule)
    }

    /// μ_t, the averaging weight of step t (torch's `1 / max(1, step − t0)` with step = t − 1).
    static func averagingWeight(step t: Int, t0: Double) -> Double {
        t == 1 ? 1 : 1 / Swift.max(1, Double(t - 1) - t0)
    }

    /// The average ax once it differs from the iterate (μ_t ≠ 1 at the last
    /// step); before that ax is a copy of x and this returns false (x is the point).
    public func evaluationPoint(_ x: [Double], into point: inout [Double]) -> Bool {
        let t = core.stepCount, slab = core.state
        guard t > 0, slab.count == x.count, !x.isEmpty,
              Self.averagingWeight(step: t, t0: core.settings.t0) != 1 else { return false }
        if point.count != x.count { point = [Double](repeating: 0, count: x.count) }
        slab.storage.withUnsafeBufferPointer { ax in
            point.withUnsafeMutableBufferPointer { out in
                for i in 0..<out.count { out[i] = ax[i] }
            }
        }
        return true
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, lr = step.eta
        // torch: η_1 is lr itself; afterwards lr/((1 + λ·lr·(t − 1))^α), evaluated left to right.
        let eta = step.t == 1 ? lr : lr / Double.pow(1 + s.lambd * lr * Double(step.t - 1), s.alpha)
        let mu = Self.averagingWeight(step: step.t, t0: s.t0)
        let decay = 1 - s.lambd * eta, negEta = -eta
        let (wd, n, threads) = (s.weightDecay, step.count, step.threads)
        let averaging = mu != 1
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let axs = buffer(0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    let (x, g, ax) = (xs.base, gs.base, axs.base)
                    for i in range {
                        // torch adds the L2 term only when weight_decay ≠ 0 (g + 0·θ would turn −0 and ±∞ into NaN/0).
                        let gi = wd != 0 ? g[i] + wd * x[i] : g[i]
                        let shrunk = x[i] * decay
                        let p = shrunk + negEta * gi
                        x[i] = p
                        ax[i] = averaging ? ax[i] + (p - ax[i]) * mu : p
                    }
                }
            }
        }
    }
}
