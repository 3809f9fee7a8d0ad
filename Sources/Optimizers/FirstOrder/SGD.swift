import CKernels
import OptimizationCore

/// Stochastic gradient descent with optional heavy-ball or Nesterov momentum
/// and L2 weight decay, matching `torch.optim.SGD` (dampening 0).
///
/// Update for step t = 1, 2, … (element-wise):
///
///     g ← g + λ·θ                          (L2, only if λ ≠ 0)
///     b ← g                 at t = 1        (no dampening on the first step)
///     b ← μ·b + g           for t > 1       (only if μ ≠ 0)
///     d ← g + μ·b if nesterov else b        (d = g when μ = 0)
///     θ ← θ − η·d
///
/// This is PyTorch's form (η multiplies the velocity), not Sutskever's
/// v ← μv + ηg; the two differ under a learning-rate schedule.
///
/// Defaults: lr required (no default), momentum 0, nesterov false,
/// weight_decay 0; plus the schedule keys. Nesterov needs momentum > 0.
///
/// Cost per step: one pass over θ, g (24 bytes per parameter), plus the
/// buffer b with momentum (40 bytes); no allocation.
///
///     var opt = SGD(lr: 0.1, momentum: 0.9, nesterov: true)
///     opt.update(&params, gradient: grad)
///
/// Reference: Robbins & Monro 1951; Polyak 1964; Sutskever et al., ICML 2013
/// (Nesterov momentum in this form); torch.optim.SGD. No arXiv id.
public struct SGD: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "sgd", family: .firstOrder,
        summary: "gradient descent with optional momentum/Nesterov and L2 decay (torch.optim.SGD)",
        reference: "Robbins & Monro 1951; Sutskever et al. 2013; torch.optim.SGD",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .init { $0.double("momentum") == 0 ? 3 : 5 })   // θ, g | θ; + b, b with momentum

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 0   // placeholder: required key
        public var momentum: Double = 0
        public var nesterov: Bool = false
        public var weightDecay: Double = 0

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .requiredReal("lr", \.lr, .positive, "learning rate η"),
            .real("momentum", \.momentum, .unitHalfOpen, "momentum μ"),
            .boolean("nesterov", \.nesterov, "Nesterov momentum (needs momentum > 0)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "L2 penalty λ added to the gradient"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { s.momentum != 0 ? 1 : 0 }

    /// Momentum buffer b (empty before the first step or without momentum).
    public var buffer: [Double] { settings.momentum == 0 ? [] : core.state.buffer(0) }

    /// Nesterov momentum in effect: the key, and only with momentum > 0 (the
    /// catalog and the typed initialiser refuse it without).
    public var nesterov: Bool { settings.nesterov && settings.momentum > 0 }

    /// `lr` has no default: SGD's step size depends entirely on the problem's scale.
    public init(lr: Double, momentum: Double = Settings.defaults.momentum,
                nesterov: Bool = Settings.defaults.nesterov, weightDecay: Double = Settings.defaults.weightDecay,
                schedule: LearningRateSchedule = .constant) {
        precondition(!nesterov || momentum > 0, "sgd: nesterov=true needs momentum in (0, 1)")
        self.init(typed: Settings(lr: lr, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay),
                                  schedule: schedule)
    }

    /// The catalog's factory: rejects nesterov without momentum, as torch does.
    static func make(_ p: ResolvedParameters) throws -> SGD {
        if p.bool("nesterov") && p.double("momentum") == 0 {
            throw SpecError.invalidCombination(owner: "sgd", message: "nesterov=true needs momentum in (0, 1)")
        }
        return SGD(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        let (mu, wd, first, nesterov, negEta) = (s.momentum, s.weightDecay, step.t == 1, nesterov, -eta)
        let (n, threads) = (step.count, step.threads)
        // The loop is `optlab_sgd` in CKernels (on the instruction set of
        // KernelPath.active):  g ← g + λθ (if λ ≠ 0);  without momentum
        // θ ← θ + (−η)·g;  else b ← g (first step) or b·μ + g,
        // d ← g + μ·b (Nesterov) or b,  θ ← θ + (−η)·d.
        let params = optlab_sgd_params(neg_eta: negEta, momentum: mu, weight_decay: wd,
                                       first: first ? 1 : 0, nesterov: nesterov ? 1 : 0)
        withParameters(&x, g) { xs, gs in
            guard mu != 0 else {
                ParallelLoop.run(count: n, threads: threads) { range in
                    withUnsafePointer(to: params) { optlab_sgd($0, xs.base, gs.base, nil, range.lo, range.hi) }   // no buffer
                }
                return
            }
            core.state.withPointers { buffer in
                let bs = buffer(0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    withUnsafePointer(to: params) { optlab_sgd($0, xs.base, gs.base, bs.base, range.lo, range.hi) }
                }
            }
        }
    }
}
