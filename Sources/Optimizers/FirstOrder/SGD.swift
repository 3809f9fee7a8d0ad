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
public struct SGD: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "sgd", family: .firstOrder,
        summary: "gradient descent with optional momentum/Nesterov and L2 decay (torch.optim.SGD)",
        reference: "Robbins & Monro 1951; Sutskever et al. 2013; torch.optim.SGD",
        hyperparameters: [
            .requiredReal("lr", .positive, "learning rate η"),
            .real("momentum", 0, .unitHalfOpen, "momentum μ"),
            .boolean("nesterov", false, "Nesterov momentum (needs momentum > 0)"),
            .real("weight_decay", 0, .nonNegative, "L2 penalty λ added to the gradient"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let momentum: Double
    public let nesterov: Bool
    public let weightDecay: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 1)

    /// Momentum buffer b (empty before the first step or without momentum).
    public var buffer: [Double] { momentum == 0 ? [] : state.buffer(0) }

    /// `lr` has no default: SGD's step size depends entirely on the problem's scale.
    public init(lr: Double, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0,
                schedule: LearningRateSchedule = .constant) {
        precondition(!nesterov || momentum > 0, "sgd: nesterov=true needs momentum in (0, 1)")
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "momentum": .real(momentum), "nesterov": .boolean(nesterov),
            "weight_decay": .real(weightDecay),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path). The catalog (`SGD.make(_:)`) and the typed initialiser
    /// also check that Nesterov has momentum.
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        momentum = p.double("momentum")
        nesterov = p.bool("nesterov") && p.double("momentum") > 0
        weightDecay = p.double("weight_decay")
        schedule = LearningRateSchedule(p)
    }

    /// The catalog's factory: rejects nesterov without momentum, as torch does.
    static func make(_ p: ResolvedParameters) throws -> SGD {
        if p.bool("nesterov") && p.double("momentum") == 0 {
            throw SpecError.invalidCombination(owner: "sgd", message: "nesterov=true needs momentum in (0, 1)")
        }
        return SGD(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if momentum != 0 { _ = state.prepare(count: x.count) }
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let (mu, wd, first, nesterov, negEta) = (momentum, weightDecay, stepCount == 1, nesterov, -eta)
        let (n, threads) = (x.count, threads)
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
            state.withPointers { buffer in
                let bs = buffer(0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    withUnsafePointer(to: params) { optlab_sgd($0, xs.base, gs.base, bs.base, range.lo, range.hi) }
                }
            }
        }
    }
}
