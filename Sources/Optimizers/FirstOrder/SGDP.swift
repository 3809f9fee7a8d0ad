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
public struct SGDP: GradientOptimizer, ThreadedUpdate, Scheduled {
    public static let descriptor = OptimizerDescriptor(
        name: "sgdp", family: .firstOrder,
        summary: "SGD with momentum and projection for scale-invariant blocks (clovaai/AdamP)",
        reference: "Heo et al. 2021, arXiv:2006.08217; clovaai/AdamP sgdp.py",
        hyperparameters: [
            .requiredReal("lr", .positive, "learning rate η"),
            .real("momentum", 0.9, .unitHalfOpen, "momentum μ"),
            .real("weight_decay", 0, .nonNegative, "decay λ: θ ← θ(1 − ηλr/(1 − μ))"),
            .boolean("nesterov", false, "Nesterov momentum"),
            .real("delta", 0.1, .positive, "cosine threshold δ (divided by √row length)"),
            .real("wd_ratio", 0.1, .unitClosed, "decay ratio r for projected blocks"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    /// ε of the cosine and of Ŵ (fixed in the official code).
    public static let eps = 1e-8

    public let lr: Double
    public let momentum: Double
    public let weightDecay: Double
    public let nesterov: Bool
    public let delta: Double
    public let wdRatio: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var state = StateSlab(buffers: 1)
    private var plan = ProjectionPlan()

    /// Momentum buffer b (empty before the first step).
    public var buffer: [Double] { state.buffer(0) }
    /// The branch of each multi-dimensional block at the last step.
    public var lastBranches: [String] { plan.branches.map(\.rawValue) }
    public var lastEvent: String? { plan.branches.isEmpty ? nil : "sgdp:" + lastBranches.joined(separator: ",") }

    public init(lr: Double, momentum: Double = 0.9, weightDecay: Double = 0, nesterov: Bool = false,
                delta: Double = 0.1, wdRatio: Double = 0.1, schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "momentum": .real(momentum), "weight_decay": .real(weightDecay),
            "nesterov": .boolean(nesterov), "delta": .real(delta), "wd_ratio": .real(wdRatio),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        momentum = p.double("momentum")
        weightDecay = p.double("weight_decay")
        nesterov = p.bool("nesterov")
        delta = p.double("delta")
        wdRatio = p.double("wd_ratio")
        schedule = LearningRateSchedule(p)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        _ = state.prepare(count: x.count)
        plan.prepare(.resolved(layout, count: x.count))
        stepCount += 1
        let eta = lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let k = Kernel(eta: eta, momentum: momentum, etaLambda: eta * weightDecay, decays: weightDecay != 0,
                       nesterov: nesterov)
        let threads = threads
        let (flatRanges, segments) = (plan.flatRanges, plan.segments)
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
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
                plan.decide(delta: delta, wdRatio: wdRatio, eps: Self.eps)
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
