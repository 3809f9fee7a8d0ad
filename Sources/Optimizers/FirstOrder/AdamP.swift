import CKernels
import CShims
import OptimizationCore
import RealModule

/// AdamP: Adam that removes the radial component of the update for
/// scale-invariant weights, matching the official `clovaai/AdamP` v0.3.0.
///
/// Update for step t = 1, 2, …, per block W of the `ParameterLayout` with
/// gradient G (element-wise unless stated):
///
///     m ← β₁·m + (1 − β₁)·G;   v ← β₂·v + (1 − β₂)·G²
///     denom ← √v/√(1 − β₂ᵗ) + ε             (ε outside the root)
///     P ← m/denom                 (nesterov: P ← (β₁·m + (1 − β₁)·G)/denom)
///     r ← 1
///     if W has more than one dimension (1-D blocks are never projected):
///        for view in [channel (rows = first dimension), layer (one row)]:
///           if maxᵢ |cos(Gᵢ, Wᵢ)| < δ/√(row length):      (cos with norms clamped at ε)
///              Ŵᵢ ← Wᵢ/(‖Wᵢ‖ + ε);  Pᵢ ← Pᵢ − Ŵᵢ·⟨Ŵᵢ, Pᵢ⟩;  r ← wd_ratio;  stop
///     W ← W·(1 − η·λ·r)                     (decoupled, after the test; only if λ > 0)
///     W ← W − (η/(1 − β₁ᵗ))·P
///
/// The paper's test has no absolute value; the authors call that a mistake
/// (clovaai/AdamP#6) and the code — our reference — uses |cos|.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0,
/// delta 0.1, wd_ratio 0.1, nesterov false; plus the schedule keys.
///
/// Cost per step: 1-D blocks one pass (56 bytes per parameter, as AdamW).
/// Multi-dimensional blocks: a cosine pre-pass over x and g (16 bytes), then
/// one fused pass when the block is not projected (56), or per row moments,
/// ⟨W,P⟩ and the step while the row is in cache (channel projection, rows up
/// to 16,384 elements: 48), else a moment/reduction pass and an update pass
/// (80). No allocation after the first step.
///
///     var opt = AdamP(lr: 1e-3, weightDecay: 1e-2)
///     opt.update(&params, gradient: grad, layout: layout)
///
/// Reference: Heo et al., "AdamP: Slowing Down the Slowdown for Momentum
/// Optimizers on Scale-invariant Weights", ICLR 2021, arXiv:2006.08217
/// (Algorithm 2); github.com/clovaai/AdamP.
public struct AdamP: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "adamp", family: .firstOrder,
        summary: "Adam with projection for scale-invariant (multi-dimensional) blocks (clovaai/AdamP)",
        reference: "Heo et al. 2021, arXiv:2006.08217; clovaai/AdamP",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(7))   // θ, g and two state arrays | θ and both

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0
        public var delta: Double = 0.1
        public var wdRatio: Double = 0.1
        public var nesterov: Bool = false

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "added to √v̂; also the norm floor of the projection"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decoupled decay λ: θ ← θ(1 − ηλr)"),
            .real("delta", \.delta, .positive, "cosine threshold δ (divided by √row length)"),
            .real("wd_ratio", \.wdRatio, .unitClosed, "decay ratio r for projected blocks"),
            .boolean("nesterov", \.nesterov, "Nesterov-style update direction"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 2 }

    private var plan = ProjectionPlan()

    /// First moment m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { core.state.buffer(1) }
    /// The branch taken by each multi-dimensional block at the last step:
    /// `channel`, `layer` or `none`.
    public var lastBranches: [String] { plan.branches.map(\.rawValue) }
    public var lastEvent: String? { plan.branches.isEmpty ? nil : "adamp:" + lastBranches.joined(separator: ",") }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, delta: Double = Settings.defaults.delta,
                wdRatio: Double = Settings.defaults.wdRatio, nesterov: Bool = Settings.defaults.nesterov,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay,
                                  delta: delta, wdRatio: wdRatio, nesterov: nesterov), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        plan.prepare(.resolved(layout, count: step.count))
        let t = Double(step.t)
        let k = Kernel(stepSize: eta / (1 - Double.pow(s.beta1, t)), invBc2Sqrt: 1 / optlab_sqrt(1 - Double.pow(s.beta2, t)),
                       beta1: s.beta1, beta2: s.beta2, eps: s.eps, etaLambda: eta * s.weightDecay,
                       decays: s.weightDecay > 0, nesterov: s.nesterov)
        let threads = step.threads
        let (flatRanges, segments) = (plan.flatRanges, plan.segments)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                for block in 0..<flatRanges.count {   // an index loop: array iteration allocates in debug builds
                    let range = flatRanges[block]
                    ParallelLoop.run(count: range.count, threads: threads) { r in
                        k.unprojected(xs, gs, ms, vs, (r.lowerBound + range.lowerBound)..<(r.upperBound + range.lowerBound))
                    }
                }
                guard segments.segmentCount > 0 else { return }
                // The projection test needs only x and g: a cosine pre-pass
                // (16 bytes per element) decides every block first, so an
                // unprojected block is then one fused pass and a channel-
                // projected row is finished while it is still in cache —
                // instead of moments everywhere, then a second full pass.
                plan.withRows { rows in
                    segments.forEachSegment(threads: threads) { s, a, b, _ in
                        Kernel.cosineSums(xs, gs, a..<b, into: rows.partials + s * ProjectionPlan.width)
                    }
                }
                plan.decideBranches(delta: s.delta, wdRatio: s.wdRatio, eps: s.eps)
                plan.withRows { rows in
                    segments.forEachSegment(threads: threads) { s, a, b, row in
                        let sums = rows.partials + s * ProjectionPlan.width
                        switch rows.mode[row] {
                        case .plain:
                            k.unprojected(xs, gs, ms, vs, a..<b)
                        case .fusedRow:   // the row is this one segment
                            k.momentsAndSums(xs, gs, ms, vs, a..<b, into: sums)
                            let normPlusEps = optlab_sqrt(sums[2]) + k.eps
                            let cn = sums[3] / normPlusEps / normPlusEps
                            k.step(xs, gs, ms, vs, a..<b, projected: true, cn: cn, ratio: rows.ratio[row])
                        case .twoPass:
                            k.momentsAndSums(xs, gs, ms, vs, a..<b, into: sums)
                        }
                    }
                }
                guard plan.hasTwoPassRows else { return }
                plan.fillTwoPassCoefficients(eps: s.eps)
                plan.withRows { rows in
                    segments.forEachSegment(threads: threads) { _, a, b, row in
                        guard rows.mode[row] == .twoPass else { return }
                        k.step(xs, gs, ms, vs, a..<b, projected: rows.projected[row],
                               cn: rows.coefficient[row] / rows.normPlusEps[row], ratio: rows.ratio[row])
                    }
                }
            }
        }
    }

    /// The element loops, in the official operation order. The passes over
    /// moments and parameters are CKernels' `optlab_adamp_*` (run on the
    /// instruction set of ``KernelPath/active``, same bits on every path).
    struct Kernel: Sendable {
        let stepSize, invBc2Sqrt, beta1, beta2, eps, etaLambda: Double
        let decays, nesterov: Bool

        var params: optlab_adamp_params {
            optlab_adamp_params(neg_step: -stepSize, inv_bc2_sqrt: invBc2Sqrt, beta1: beta1, c1: 1 - beta1,
                                beta2: beta2, c2: 1 - beta2, eps: eps, nesterov: nesterov ? 1 : 0)
        }

        /// 1-D blocks: AdamW-like, one pass:  m ← m·β₁ + (1 − β₁)g;
        /// v ← v·β₂ + (1 − β₂)g·g;  θ ← θ·(1 − ηλ) + (−s)·(d / (√v·(1/√bc₂) + ε)),
        /// d = β₁m + (1 − β₁)g (Nesterov) or m — one division, not two selected.
        @inline(__always)
        func unprojected(_ xs: SharedPointer, _ gs: SharedPointer, _ ms: SharedPointer, _ vs: SharedPointer,
                         _ range: Range<Int>) {
            var p = params
            optlab_adamp_unprojected(&p, decays ? 1 - etaLambda : 1, xs.base, gs.base, ms.base, vs.base,
                                     range.lo, range.hi)
        }

        /// The pre-pass: ⟨G,W⟩, ‖G‖², ‖W‖² of a segment, summed in the same
        /// SIMD4 lane order as ``momentsAndSums`` (so both give equal values).
        @inline(__always)
        static func cosineSums(_ xs: SharedPointer, _ gs: SharedPointer, _ range: Range<Int>,
                               into out: UnsafeMutablePointer<Double>) {
            let (xp, gp) = (xs.base, gs.base)
            typealias V = SIMD4<Double>
            var (gw4, gg4, ww4) = (V(), V(), V())
            var i = range.lowerBound
            let end4 = range.lowerBound + (range.count & ~3)
            while i < end4 {
                let g = UnsafeRawPointer(gp + i).loadUnaligned(as: V.self)
                let w = UnsafeRawPointer(xp + i).loadUnaligned(as: V.self)
                gw4 += g * w
                gg4 += g * g
                ww4 += w * w
                i += 4
            }
            var (gw, gg, ww) = ((gw4[0] + gw4[1]) + (gw4[2] + gw4[3]), (gg4[0] + gg4[1]) + (gg4[2] + gg4[3]),
                                (ww4[0] + ww4[1]) + (ww4[2] + ww4[3]))
            for i in end4..<range.upperBound {
                let gi = gp[i], wi = xp[i]
                gw += gi * wi
                gg += gi * gi
                ww += wi * wi
            }
            (out[0], out[1], out[2]) = (gw, gg, ww)
        }

        /// Pass 1 of a projected block: moments, and ⟨G,W⟩, ‖G‖², ‖W‖², ⟨W,P⟩
        /// on four lanes in a fixed order (the same as ``cosineSums``, so both
        /// give equal values; deterministic for every thread count).
        @inline(__always)
        func momentsAndSums(_ xs: SharedPointer, _ gs: SharedPointer, _ ms: SharedPointer, _ vs: SharedPointer,
                            _ range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
            var p = params
            optlab_adamp_moments_and_sums(&p, xs.base, gs.base, ms.base, vs.base, range.lo, range.hi, out)
        }

        /// The step on a range of a multi-dimensional block, with the
        /// projection coefficient cn = ⟨Ŵ,P⟩/(‖W‖ + ε) of its row (so that
        /// Ŵ·⟨Ŵ,P⟩ = W·cn: one multiply instead of torch's divide per element,
        /// an ulp apart; the division kept the pass compute-bound) and the
        /// decay ratio of its block:  θ ← θ·(1 − ηλ·ratio) + (−s)·(d − θ·cn if projected).
        /// Only the Nesterov loop reads g (the plain pass moves 32 bytes per element, not 40).
        @inline(__always)
        func step(_ xs: SharedPointer, _ gs: SharedPointer, _ ms: SharedPointer, _ vs: SharedPointer,
                  _ range: Range<Int>, projected: Bool, cn: Double, ratio: Double) {
            var p = params
            optlab_adamp_step(&p, decays ? 1 - etaLambda * ratio : 1, projected ? 1 : 0, cn, xs.base, gs.base,
                              ms.base, vs.base, range.lo, range.hi)
        }
    }
}
