import CKernels
import CShims
import OptimizationCore

/// SGDP: SGD with momentum that removes the radial component of the update
/// for scale-invariant weights, matching the official `clovaai/AdamP` `sgdp.py`.
///
/// Update per block W with gradient G (dampening 0; element-wise unless stated):
///
///     b ← μ·b + G                           (b starts at ZERO, unlike torch SGD)
///     D ← G + μ·b if nesterov else b
///     r ← 1; if W has more than one dimension: the AdamP test and projection
///        (channel view, then layer view; |cos(Gᵢ, Wᵢ)| < δ/√(row length)):
///        Dᵢ ← Dᵢ − Ŵᵢ·⟨Ŵᵢ, Dᵢ⟩ with Ŵᵢ = Wᵢ/(‖Wᵢ‖ + ε), r ← wd_ratio
///     W ← W·(1 − η·λ·r/(1 − μ))             (decay divided by 1 − μ; only if λ ≠ 0)
///     W ← W − η·D
///     b ← D if projected and not nesterov   (the official code projects D in
///                                            place, and D *is* b without Nesterov)
///
/// Defaults: lr required, momentum 0.9, weight_decay 0, nesterov false,
/// delta 0.1, wd_ratio 0.1 (ε = 1e-8, only in the cosine and Ŵ); plus the
/// schedule keys. momentum must be below 1 (the decay divides by 1 − μ).
///
/// Cost per step: 1-D blocks one pass (40 bytes per parameter);
/// multi-dimensional blocks a fused momentum/reduction pass plus an update
/// pass; no allocation after the first step.
///
///     var opt = SGDP(lr: 0.1, nesterov: true)
///     opt.update(&params, gradient: grad, layout: layout)
///
/// Reference: Heo et al., ICLR 2021, arXiv:2006.08217 (Algorithm 1);
/// github.com/clovaai/AdamP.
public struct SGDP: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "sgdp", family: .firstOrder,
        summary: "SGD with momentum and projection for scale-invariant blocks (clovaai/AdamP)",
        reference: "Heo et al. 2021, arXiv:2006.08217; clovaai/AdamP sgdp.py",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(5))   // θ, g, b | θ, b

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 0   // placeholder: required key
        public var momentum: Double = 0.9
        public var weightDecay: Double = 0
        public var nesterov: Bool = false
        public var delta: Double = 0.1
        public var wdRatio: Double = 0.1

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .requiredReal("lr", \.lr, .positive, "learning rate η"),
            .real("momentum", \.momentum, .unitHalfOpen, "momentum μ"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decay λ: θ ← θ(1 − ηλr/(1 − μ))"),
            .boolean("nesterov", \.nesterov, "Nesterov momentum"),
            .real("delta", \.delta, .positive, "cosine threshold δ (divided by √row length)"),
            .real("wd_ratio", \.wdRatio, .unitClosed, "decay ratio r for projected blocks"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 1 }

    /// ε of the cosine and of Ŵ (fixed in the official code).
    public static let eps = 1e-8

    private var plan = ProjectionPlan()

    /// Momentum buffer b (empty before the first step).
    public var buffer: [Double] { core.state.buffer(0) }
    /// The branch of each multi-dimensional block at the last step.
    public var lastBranches: [String] { plan.branches.map(\.rawValue) }
    public var lastEvent: String? { plan.branches.isEmpty ? nil : "sgdp:" + lastBranches.joined(separator: ",") }

    public init(lr: Double, momentum: Double = Settings.defaults.momentum,
                weightDecay: Double = Settings.defaults.weightDecay, nesterov: Bool = Settings.defaults.nesterov,
                delta: Double = Settings.defaults.delta, wdRatio: Double = Settings.defaults.wdRatio,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, momentum: momentum, weightDecay: weightDecay, nesterov: nesterov,
                                  delta: delta, wdRatio: wdRatio), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        plan.prepare(.resolved(layout, count: step.count))
        let k = Kernel(eta: eta, momentum: s.momentum, etaLambda: eta * s.weightDecay, decays: s.weightDecay != 0,
                       nesterov: s.nesterov)
        let threads = step.threads
        let (flatRanges, segments) = (plan.flatRanges, plan.segments)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let bs = buffer(0)
                for block in 0..<flatRanges.count {   // an index loop: array iteration allocates in debug builds
                    let range = flatRanges[block]
                    ParallelLoop.run(count: range.count, threads: threads) { r in
                        k.unprojected(xs, gs, bs, (r.lowerBound + range.lowerBound)..<(r.upperBound + range.lowerBound))
                    }
                }
                guard segments.segmentCount > 0 else { return }
                plan.withRows { rows in
                    segments.forEachSegment(threads: threads) { s, a, b, _ in
                        k.momentumAndSums(xs, gs, bs, a..<b, into: rows.partials + s * ProjectionPlan.width)
                    }
                }
                plan.decide(delta: s.delta, wdRatio: s.wdRatio, eps: Self.eps)
                plan.withRows { rows in
                    segments.forEachSegment(threads: threads) { _, a, b, row in
                        k.projected(xs, gs, bs, a..<b, rows: rows, row: row)
                    }
                }
            }
        }
    }

    /// The element loops, in the official operation order: CKernels'
    /// `optlab_sgdp_*` (on the instruction set of ``KernelPath/active``, same
    /// bits on every path).
    struct Kernel: Sendable {
        let eta, momentum, etaLambda: Double
        let decays, nesterov: Bool

        var params: optlab_sgdp_params {
            optlab_sgdp_params(neg_eta: -eta, momentum: momentum, nesterov: nesterov ? 1 : 0)
        }

        @inline(__always)
        func decayFactor(ratio: Double) -> Double {
            decays ? 1 - etaLambda * ratio / (1 - momentum) : 1
        }

        /// b ← b·μ + g;  θ ← θ·decay + (−η)·(g + μb if Nesterov else b).
        @inline(__always)
        func unprojected(_ xs: SharedPointer, _ gs: SharedPointer, _ bs: SharedPointer, _ range: Range<Int>) {
            var p = params
            optlab_sgdp_unprojected(&p, decayFactor(ratio: 1), xs.base, gs.base, bs.base, range.lo, range.hi)
        }

        /// b ← b·μ + g and ⟨G,W⟩, ‖G‖², ‖W‖², ⟨W,D⟩ on four lanes in a fixed
        /// order (vectorized and deterministic).
        @inline(__always)
        func momentumAndSums(_ xs: SharedPointer, _ gs: SharedPointer, _ bs: SharedPointer, _ range: Range<Int>,
                             into out: UnsafeMutablePointer<Double>) {
            var p = params
            optlab_sgdp_momentum_and_sums(&p, xs.base, gs.base, bs.base, range.lo, range.hi, out)
        }

        /// One loop per case, chosen in the kernel: only Nesterov reads g, and
        /// only the projected plain case writes the buffer back (official
        /// quirk: without Nesterov the direction IS the buffer, and the
        /// projection is done in place on it). cn = coefficient/(‖W‖ + ε): a
        /// multiply, not a divide, per element.
        @inline(__always)
        func projected(_ xs: SharedPointer, _ gs: SharedPointer, _ bs: SharedPointer, _ range: Range<Int>,
                       rows: ProjectionRows, row: Int) {
            var p = params
            let projected = rows.projected[row]
            let cn = projected ? rows.coefficient[row] / rows.normPlusEps[row] : 0
            optlab_sgdp_projected(&p, decayFactor(ratio: rows.ratio[row]), projected ? 1 : 0, cn,
                                  xs.base, gs.base, bs.base, range.lo, range.hi)
        }
    }
}
