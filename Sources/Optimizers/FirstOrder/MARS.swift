import CShims
import OptimizationCore
import RealModule

/// MARS: variance reduction (a STORM-style correction of the gradient by
/// the previous one) inside AdamW or Lion, matching the official
/// `AGI-Arena/MARS` `MARS/optimizers/mars.py` (class `MARS`), including its
/// separate path for blocks that are not 2-D.
///
/// Blocks with exactly two dimensions (every block when `optimize_1d`),
/// step t = 1, 2, …, with g the gradient and g₋ the previous one (zero at
/// t = 1):
///
///     c ← g + γ·β₁/(1 − β₁)·(g − g₋)
///     c ← c/‖c‖ if ‖c‖ > 1                  (‖·‖ over the block)
///     m ← β₁m + (1 − β₁)c
///     variant = adamw:  v ← β₂v + (1 − β₂)c²
///                       θ ← θ − η·(λθ + m/((√v/√(1 − β₂ᵗ) + ε)(1 − β₁ᵗ)))
///     variant = lion:   θ ← θ − η·(λθ + sign(m))
///
/// Every other block (vectors, biases, and also tensors of 3+ dimensions,
/// as the reference tests `len(shape) == 2`) takes plain AdamW with its
/// own keys: β₁,₁d, β₂,₁d, step η·lr_1d/lr, decay weight_decay_1d:
///
///     m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
///     θ ← θ − η·(lr_1d/lr)·(λ₁d·θ + m/((√v/√(1 − β₂ᵗ) + ε)(1 − β₁ᵗ)))
///
/// So on a problem with one flat block (rosenbrock, quadratic) `mars` is
/// exactly that AdamW; the MARS correction acts on matrix blocks only (as
/// in the reference, where it targets weight matrices).
///
/// g₋: with `approx=true` (default) the gradient of the previous step (on
/// the previous minibatch). With `approx=false` the gradient at the
/// previous point on the *current* minibatch, as in the paper: the harness
/// path (`step`) evaluates it, a second gradient evaluation counted in
/// `grad_evals` from the second step on. An importer passes it with
/// ``update(_:gradient:previousGradient:layout:)``; the plain
/// `update(_:gradient:layout:)` always uses the stored previous gradient.
/// (The reference's own exact-mode helpers `update_previous_grad` /
/// `update_last_grad` do not run as documented — the first call raises
/// KeyError — so the paper's definition is implemented; on a full-batch
/// problem both modes give the same trajectory.)
///
/// Defaults: lr 0.003, beta1 0.95, beta2 0.99, eps 1e-8, weight_decay 0,
/// gamma 0.025, variant adamw, approx true, optimize_1d false, lr_1d 0.003,
/// beta1_1d 0.9, beta2_1d 0.95, weight_decay_1d 0.1; plus the schedule keys
/// (they scale both η and the 1-D step, as a torch scheduler would), whose
/// step-decay factor is called `schedule_gamma` here because `gamma` is
/// MARS's own key. The
/// reference's `amsgrad` and `mars-shampoo` (bfloat16 Newton–Schulz) are
/// not offered.
///
/// Cost per step on matrix blocks: a norm pass (reads g, g₋: 16 bytes per
/// parameter) and an update pass (reads θ, g, g₋, m, v, writes θ, m, v, g₋:
/// 72 bytes; lion 56); on other blocks one AdamW pass (56 bytes). No
/// allocation after the first step.
///
///     var opt = MARS(lr: 3e-3)
///     opt.update(&params, gradient: grad, layout: layout)     // approx
///     opt.update(&params, gradient: g, previousGradient: gPrev, layout: layout)   // exact
///
/// Reference: Yuan et al., "MARS: Unleashing the Power of Variance Reduction
/// for Training Large Models", arXiv:2411.10438; github.com/AGI-Arena/MARS
/// MARS/optimizers/mars.py, commit 4831e28.
public struct MARS: GradientOptimizer, ThreadedUpdate, Scheduled, SettingsBacked {
    /// The base method the variance-reduced gradient feeds: AdamW or Lion.
    public enum Variant: String, Sendable, CaseIterable { case adamw, lion }

    public static let descriptor = OptimizerDescriptor(
        name: "mars", family: .firstOrder,
        summary: "variance-reduced AdamW/Lion on matrix blocks, AdamW on the rest (AGI-Arena/MARS)",
        reference: "Yuan et al. 2024, arXiv:2411.10438; AGI-Arena/MARS mars.py @4831e28",
        hyperparameters: Settings.hyperparameters + scheduleKeys,
        requires: [.gradient],
        traffic: .init { $0.string("variant") == "lion" ? 7 : 9 })   // θ, g, g₋, m (, v) | θ, m (, v), g₋

    /// The schedule keys with `gamma` (the step schedule's decay factor)
    /// renamed `schedule_gamma`: MARS's own `gamma` is the reference's name.
    static let scheduleKeys: [Hyperparameter] = LearningRateSchedule.hyperparameters.map { h in
        h.name != "gamma" ? h : Hyperparameter("schedule_gamma", h.kind, default: h.defaultValue,
                                               doc: h.doc + " (called gamma elsewhere)")
    }

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: HyperparameterSettings {
        public var lr: Double = 0.003
        public var beta1: Double = 0.95
        public var beta2: Double = 0.99
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0
        public var gamma: Double = 0.025
        public var variant: Variant = .adamw
        public var approx: Bool = true
        public var optimize1D: Bool = false
        public var lr1D: Double = 0.003
        public var beta1For1D: Double = 0.9
        public var beta2For1D: Double = 0.95
        public var weightDecay1D: Double = 0.1

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment (matrix blocks)"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment (matrix blocks)"),
            .real("eps", \.eps, .positive, "added to √v̂ (outside the root)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decay λ on matrix blocks: θ ← θ − ηλθ"),
            .real("gamma", \.gamma, .nonNegative, "scale γ of the gradient correction"),
            .choice("variant", \.variant, "update on matrix blocks"),
            .boolean("approx", \.approx,
                     "g₋ = previous gradient (true) or ∇f(previous point) on this batch (false: 2 gradients/step)"),
            .boolean("optimize_1d", \.optimize1D, "apply MARS to every block, not only 2-D ones"),
            .real("lr_1d", \.lr1D, .positive, "learning rate of the AdamW path (non-2-D blocks)"),
            .real("beta1_1d", \.beta1For1D, .unitHalfOpen, "first-moment decay of the AdamW path"),
            .real("beta2_1d", \.beta2For1D, .unitHalfOpen, "second-moment decay of the AdamW path"),
            .real("weight_decay_1d", \.weightDecay1D, .nonNegative, "decoupled decay of the AdamW path"),
        ]
    }

    /// The hyperparameter values (read them as properties: `opt.lr`).
    public let settings: Settings
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    /// m, v, g₋ (the previous gradient).
    private var state = StateSlab(buffers: 3)
    private var plan = MARSPlan()
    /// approx=false (harness path): ∇f at the current and at the previous point, and that point.
    private var currentGradient: [Double] = []
    private var previousGradient: [Double] = []
    private var previousPoint: [Double] = []

    /// First moment m (empty before the first step).
    public var m: [Double] { state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, gamma: Double = Settings.defaults.gamma,
                variant: Variant = Settings.defaults.variant, approx: Bool = Settings.defaults.approx,
                optimize1D: Bool = Settings.defaults.optimize1D, lr1D: Double = Settings.defaults.lr1D,
                beta1For1D: Double = Settings.defaults.beta1For1D, beta2For1D: Double = Settings.defaults.beta2For1D,
                weightDecay1D: Double = Settings.defaults.weightDecay1D, schedule: LearningRateSchedule = .constant) {
        let settings = Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, gamma: gamma,
                                variant: variant, approx: approx, optimize1D: optimize1D, lr1D: lr1D,
                                beta1For1D: beta1For1D, beta2For1D: beta2For1D, weightDecay1D: weightDecay1D)
        // The schedule's `gamma` is `schedule_gamma` here (MARS's own `gamma` is the correction scale).
        var values = settings.specValues.merging(schedule.specValues.filter { $0.key != "gamma" }) { a, _ in a }
        values["schedule_gamma"] = .real(schedule.gamma)
        self.init(Self.descriptor.validated(values))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        settings = Settings(p)
        schedule = LearningRateSchedule(LearningRateSchedule.Kind(rawValue: p.string("schedule")) ?? .constant,
                                        warmup: p.int("warmup"), total: p.optionalInt("total"),
                                        gamma: p.double("schedule_gamma"), every: p.int("every"))
    }

    /// The harness path. approx=true: one gradient, then `update`.
    /// approx=false: ∇f(θ_t) and, from the second step on, ∇f(θ_{t−1}) on
    /// the same minibatch (the objective keeps the batch until the next
    /// `beginStep`): two counted gradient evaluations.
    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        guard !settings.approx else {
            let (_, g) = try oracle.gradient(at: x)
            update(&x, gradient: g, layout: oracle.layout)
            return
        }
        let n = x.count
        if currentGradient.count != n {
            currentGradient = [Double](repeating: 0, count: n)
            previousGradient = currentGradient
            previousPoint = []
        }
        _ = try oracle.gradient(at: x, into: &currentGradient)
        if previousPoint.count == n {
            _ = try oracle.gradient(at: previousPoint, into: &previousGradient)
            copyValues(x, into: &previousPoint)
            let (g, gPrev) = (currentGradient, previousGradient)
            update(&x, gradient: g, previousGradient: gPrev, layout: oracle.layout)
        } else {
            previousPoint = x
            let g = currentGradient
            update(&x, gradient: g, layout: oracle.layout)   // g₋ = 0 at the first step
        }
    }

    /// One step with g₋ from the previous call (approx=true semantics).
    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        advance(&x, g, nil, layout)
    }

    /// One step with g₋ = `previousGradient`: the gradient at the previous
    /// parameters on the current minibatch (approx=false as in the paper).
    public mutating func update(_ x: inout [Double], gradient g: [Double], previousGradient: [Double],
                                layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, previousGradient)
        advance(&x, g, previousGradient, layout)
    }

    private mutating func advance(_ x: inout [Double], _ g: [Double], _ supplied: [Double]?, _ layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if state.prepare(count: x.count) { stepCount = 0 }
        plan.prepare(.resolved(layout, count: x.count), optimize1D: settings.optimize1D)
        stepCount += 1
        let eta = settings.lr * schedule.multiplier(step: stepCount)
        currentLearningRate = eta
        let t = Double(stepCount)
        let (beta1, beta2) = (settings.beta1, settings.beta2)
        let k = settings.gamma * (beta1 / (1 - beta1))
        let (b1, c1, b2, c2, eps, wd) = (beta1, 1 - beta1, beta2, 1 - beta2, settings.eps, settings.weightDecay)
        let bc1 = 1 - Double.pow(beta1, t), invBc2Sqrt = 1 / optlab_sqrt(1 - Double.pow(beta2, t))
        let lion = settings.variant == .lion, negEta = -eta
        let threads = threads
        let segments = plan.segments
        let hasMatrixBlocks = segments.segmentCount > 0
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (ms, vs, ls) = (buffer(0), buffer(1), buffer(2))
                if hasMatrixBlocks {
                    Self.withPrevious(supplied, stored: ls) { ps in
                        // Pass 1: ‖c‖² per segment.
                        plan.withPointers { partials, _ in
                            segments.forEachSegment(threads: threads) { s, a, b, _ in
                                let (gp, pp) = (gs.base, ps.base)
                                var sum = 0.0
                                for i in a..<b {
                                    let c = (gp[i] - pp[i]) * k + gp[i]
                                    sum += c * c
                                }
                                partials.base[s] = sum
                            }
                        }
                        plan.finishNorms()
                        // Pass 2: c (rescaled), moments, step, and g₋ ← g when g₋ is the stored one.
                        // Separate branch-free loops per variant, and g₋ read and written through one
                        // pointer: two equal pointers would fail the vectorizer's runtime alias check.
                        let writeBack = supplied == nil
                        plan.withPointers { _, norms in
                            segments.forEachSegment(threads: threads) { _, a, b, block in
                                let (xp, gp, pp, mp, vp) = (xs.base, gs.base, ps.base, ms.base, vs.base)
                                let norm = norms.base[block]
                                let divisor = norm > 1 ? norm : 1     // c/1 = c exactly
                                if lion {
                                    for i in a..<b {
                                        let gi = gp[i]
                                        let c = ((gi - pp[i]) * k + gi) / divisor
                                        let mi = mp[i] * b1 + c1 * c
                                        mp[i] = mi
                                        let xi = xp[i]
                                        xp[i] = xi + negEta * (xi * wd + signum(mi))
                                        if writeBack { pp[i] = gi }
                                    }
                                } else {
                                    for i in a..<b {
                                        let gi = gp[i]
                                        let c = ((gi - pp[i]) * k + gi) / divisor
                                        let mi = mp[i] * b1 + c1 * c
                                        let vi = vp[i] * b2 + c2 * c * c
                                        mp[i] = mi
                                        vp[i] = vi
                                        let denom = (optlab_sqrt(vi) * invBc2Sqrt + eps) * bc1
                                        let xi = xp[i]
                                        xp[i] = xi + negEta * (xi * wd + mi / denom)
                                        if writeBack { pp[i] = gi }
                                    }
                                }
                            }
                        }
                        if !writeBack {
                            // Keep g for a later `update(_:gradient:layout:)` (approx semantics).
                            segments.forEachSegment(threads: threads) { _, a, b, _ in
                                let (gp, lp) = (gs.base, ls.base)
                                for i in a..<b { lp[i] = gp[i] }
                            }
                        }
                    }
                }
                // The AdamW path of the other blocks.
                let (d1, e1, d2, e2) = (settings.beta1For1D, 1 - settings.beta1For1D, settings.beta2For1D, 1 - settings.beta2For1D)
                let bc1d = 1 - Double.pow(d1, t), invBc2dSqrt = 1 / optlab_sqrt(1 - Double.pow(d2, t))
                let negStep = -eta * (settings.lr1D / settings.lr), wd1 = settings.weightDecay1D
                let flatRanges = plan.flatRanges
                // An index loop: iterating the array allocates in unoptimised builds.
                for r in 0..<flatRanges.count {
                    let offset = flatRanges[r].lowerBound
                    ParallelLoop.run(count: flatRanges[r].count, threads: threads) { local in
                        let (xp, gp, mp, vp) = (xs.base + offset, gs.base + offset, ms.base + offset, vs.base + offset)
                        for i in local {
                            let gi = gp[i]
                            let mi = mp[i] * d1 + e1 * gi
                            let vi = vp[i] * d2 + e2 * gi * gi
                            mp[i] = mi
                            vp[i] = vi
                            let denom = (optlab_sqrt(vi) * invBc2dSqrt + eps) * bc1d
                            let xi = xp[i]
                            xp[i] = xi + negStep * (xi * wd1 + mi / denom)
                        }
                    }
                }
            }
        }
    }

    /// Runs `body` with g₋: the supplied array, else the stored previous gradient.
    private static func withPrevious(_ supplied: [Double]?, stored: SharedPointer, _ body: (SharedPointer) -> Void) {
        if let supplied {
            supplied.withUnsafeBufferPointer { body(SharedPointer($0)) }
        } else {
            body(stored)
        }
    }
}

/// Which blocks take the MARS path (2-D, or all with optimize_1d) — one
/// ``RowSegments`` row each, for the per-block norm — and which the AdamW path.
struct MARSPlan: Sendable {
    private(set) var layout: ParameterLayout?
    private(set) var optimize1D = false
    private(set) var segments = RowSegments()
    private(set) var flatRanges: [Range<Int>] = []
    private var partials: [Double] = []
    /// Per MARS block: ‖c‖.
    private var norms: [Double] = []

    mutating func prepare(_ layout: ParameterLayout, optimize1D: Bool) {
        guard layout != self.layout || optimize1D != self.optimize1D else { return }
        self.layout = layout
        self.optimize1D = optimize1D
        var rows: [(offset: Int, length: Int)] = []
        flatRanges = []
        for b in layout.blocks where b.count > 0 {
            if optimize1D || b.shape.count == 2 { rows.append((b.offset, b.count)) } else { flatRanges.append(b.range) }
        }
        segments = RowSegments(rows: rows)
        partials = [Double](repeating: 0, count: segments.segmentCount)
        norms = [Double](repeating: 0, count: rows.count)
    }

    /// ‖c‖ of every MARS block from the partial sums of squares, in segment order.
    mutating func finishNorms() {
        let segs = segments
        partials.withUnsafeMutableBufferPointer { p in
            for r in 0..<norms.count {
                norms[r] = optlab_sqrt(segs.rowTotal(p.baseAddress!, width: 1, row: r, component: 0))
            }
        }
    }

    mutating func withPointers<R>(_ body: (_ partials: SharedPointer, _ norms: SharedPointer) -> R) -> R {
        partials.withUnsafeMutableBufferPointer { p in
            norms.withUnsafeMutableBufferPointer { v in body(SharedPointer(p), SharedPointer(v)) }
        }
    }
}

/// Copies `source` into `target` element by element (same length), without allocating.
func copyValues(_ source: [Double], into target: inout [Double]) {
    source.withUnsafeBufferPointer { s in
        target.withUnsafeMutableBufferPointer { t in
            for i in 0..<Swift.min(s.count, t.count) { t[i] = s[i] }
        }
    }
}
