import CShims
import OptimizationCore
import RealModule

/// Adafactor: Adam-like steps without a first moment, whose second moment
/// is factored into row and column averages on blocks with ≥ 2 dimensions,
/// with a relative step size and update clipping; matches
/// `torch.optim.Adafactor` (single-tensor path).
///
/// Update for step t = 1, 2, …, per block (a `ParameterLayout` block, as
/// torch works per tensor) with n elements:
///
///     β̂_t ← t^beta2_decay                        (= 1 − β₂,t; 1 at t = 1)
///     ρ_t ← min(η, 1/√t);  α ← max(ε₂, ‖θ‖/√n)·ρ_t      (θ before decay)
///     θ ← θ·(1 − η·λ)                             (only if λ ≠ 0)
///     ≥ 2 dims, viewed as matrices [..., R, C]:
///         r ← lerp(r, mean_c g², β̂_t);  c ← lerp(c, mean_r g², β̂_t)
///         V ← r cᵀ / max(mean(r), ε₁)
///     otherwise:  V ← lerp(V, g², β̂_t)
///     U ← g / √max(V, ε₁²)
///     θ ← θ − α / max(1, ‖U‖/(√n·d)) · U
///
/// ε₁ (`eps1`) defaults to the float64 machine epsilon 2.22e-16, torch's
/// `finfo(dtype).eps` for its `eps=(None, …)`. torch's weight decay uses
/// the full η, not ρ_t. The trace's `lr` column shows ρ_t. Each factored
/// element forms 1/√V as (1/√(r/mean))·(1/√c), with the clamp as a min
/// against 1/ε₁: one multiply per element instead of torch's divide and
/// reciprocal root (results differ by ulps).
///
/// Defaults (torch's): lr 0.01, beta2_decay −0.8, eps1 auto (machine
/// epsilon), eps2 0.001, d 1, weight_decay 0; plus the schedule keys.
///
/// Cost per step: factored blocks make three passes — (θ, g) for ‖θ‖² and
/// the row/column sums, g for ‖U‖², then θ, g → θ — 48 bytes per parameter
/// (24 is the one-pass minimum); vector blocks two passes over θ, g, V
/// (72 bytes). State: R + C numbers per matrix (n per vector block). No
/// allocation per step; `threads` splits every pass with bit-identical
/// results (fixed tiles, partial sums combined in a fixed order).
///
///     var opt = Adafactor(lr: 0.01)
///     opt.update(&params, gradient: grad, layout: layout)   // matrices factored by the layout
///
/// Reference: Shazeer & Stern, "Adafactor: Adaptive Learning Rates with
/// Sublinear Memory Cost", ICML 2018, arXiv:1804.04235 (Algorithms 4–5 with
/// relative step and update clipping, no first moment); reference code
/// torch.optim.Adafactor, torch 2.15.0
/// (https://docs.pytorch.org/docs/stable/generated/torch.optim.Adafactor.html).
/// torch's version follows the paper's factored V (its row/column means
/// and mean(r) give the paper's R Cᵀ/1ᵀR exactly), with two changes we
/// follow: ρ_t = min(η, 1/√t) with η = lr (the paper fixes 10⁻²), and ε₁ is
/// a floor (ε₁² on V, ε₁ on mean(r)) instead of the paper's ε₁ = 10⁻³⁰
/// added to g².
public struct Adafactor: GradientOptimizer, ThreadedUpdate, Scheduled, SettingsBacked {
    public static let descriptor = OptimizerDescriptor(
        name: "adafactor", family: .firstOrder,
        summary: "factored second moment on matrices, relative step size, update clipping (torch.optim.Adafactor)",
        reference: "Shazeer & Stern 2018, arXiv:1804.04235; torch.optim.Adafactor",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(3))   // θ, g | θ (factored; 3 passes on matrices)

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: HyperparameterSettings {
        public var lr: Double = 1e-2
        public var beta2Decay: Double = -0.8
        /// ε₁ as given (nil: the float64 machine epsilon).
        public var eps1: Double? = nil
        public var eps2: Double = 1e-3
        public var d: Double = 1
        public var weightDecay: Double = 0

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "cap η of the relative step ρ_t = min(η, 1/√t)"),
            .real("beta2_decay", \.beta2Decay,
                  ValueRange(lower: -.infinity, lowerClosed: false, upper: 0, upperClosed: true),
                  "1 − β₂,t = t^beta2_decay"),
            .optionalReal("eps1", \.eps1, .nonNegative, unset: "auto (float64 machine epsilon)",
                          "floor of V (as ε₁²) and of mean(r)"),
            .real("eps2", \.eps2, .nonNegative, "floor of the parameter RMS in the step α"),
            .real("d", \.d, .atLeast(1), "clipping threshold on the RMS of the update"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decoupled decay λ: θ ← θ(1 − ηλ)"),
        ]
    }

    /// The hyperparameter values (read them as properties: `opt.lr`).
    public let settings: Settings
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    private var plan = FactoredPlan()
    /// Row/column/vector variances, then per-step scratch (see ``FactoredPlan``).
    private var state: [Double] = []

    public init(lr: Double = Settings.defaults.lr, beta2Decay: Double = Settings.defaults.beta2Decay,
                eps1: Double? = Settings.defaults.eps1, eps2: Double = Settings.defaults.eps2,
                d: Double = Settings.defaults.d, weightDecay: Double = Settings.defaults.weightDecay,
                schedule: LearningRateSchedule = .constant) {
        let settings = Settings(lr: lr, beta2Decay: beta2Decay, eps1: eps1, eps2: eps2, d: d, weightDecay: weightDecay)
        self.init(Self.descriptor.validated(settings.specValues.merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        settings = Settings(p)
        schedule = LearningRateSchedule(p)
    }

    /// Row variances r of every factored matrix, in layout order (empty before the first step).
    public var rowVariances: [Double] { section(0, plan.matrices.reduce(0) { $0 + $1.rows }) }
    /// Column variances c of every factored matrix, in layout order.
    public var columnVariances: [Double] {
        plan.matrices.first.map { section($0.colVariance, plan.matrices.reduce(0) { $0 + $1.cols }) } ?? []
    }
    /// Second moments V of the vector blocks, in layout order.
    public var vectorVariances: [Double] { section(plan.varianceBase, plan.varianceCount) }

    private func section(_ start: Int, _ count: Int) -> [Double] {
        state.isEmpty ? [] : Array(state[start..<(start + count)])
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        if state.isEmpty || !plan.fits(layout, count: x.count) {
            plan = FactoredPlan(ParameterLayout.resolved(layout, count: x.count))
            state = [Double](repeating: 0, count: plan.stateCount)
        }
        stepCount += 1
        let eta = settings.lr * schedule.multiplier(step: stepCount)
        let t = Double(stepCount)
        let rho = Swift.min(eta, 1 / Double.pow(t, 0.5))
        currentLearningRate = rho
        let e1 = settings.eps1 ?? Double.ulpOfOne
        let constants = Constants(w: Double.pow(t, settings.beta2Decay), eps1: e1, eps1Squared: e1 * e1, invEps1: 1 / e1,
                                  decay: settings.weightDecay != 0 ? 1 - eta * settings.weightDecay : 1)
        let (threads, itemCount, n) = (threads, plan.items.count, x.count)
        let (eps2, d) = (settings.eps2, settings.d)
        guard n > 0 else { return }
        let plan = self.plan
        withParameters(&x, g) { xs, gs in
            plan.items.withUnsafeBufferPointer { items in
                plan.matrices.withUnsafeBufferPointer { matrices in
                    state.withUnsafeMutableBufferPointer { st in
                        let p = FactoredPointers(items: items.baseAddress!, matrices: matrices.baseAddress
                                                 ?? UnsafePointer(bitPattern: 8)!, state: st.baseAddress!)
                        ParallelLoop.forEach(items: itemCount, threads: threads, totalWork: n) { k in
                            Self.firstPass(p, k, xs.base, gs.base, constants, itemPartials: plan.itemPartialBase)
                        }
                        if plan.hasFactoredBlocks {
                            for m in 0..<plan.matrices.count { Self.combine(p.matrices[m], p.state, constants) }
                            ParallelLoop.forEach(items: itemCount, threads: threads, totalWork: n) { k in
                                Self.updateNormPass(p, k, gs.base, constants, itemPartials: plan.itemPartialBase)
                            }
                        }
                        Self.blockCoefficients(plan, p.state, rho: rho, eps2: eps2, d: d)
                        ParallelLoop.forEach(items: itemCount, threads: threads, totalWork: n) { k in
                            Self.applyPass(p, k, xs.base, gs.base, constants, coefficients: plan.blockCoefficientBase)
                        }
                    }
                }
            }
        }
    }

    struct Constants: Sendable {
        /// Interpolation weight 1 − β₂,t.
        let w: Double
        let eps1: Double, eps1Squared: Double, invEps1: Double
        let decay: Double
    }

    /// Pass 1 of item k: ‖θ‖² partial; tiles write row/column partials of
    /// g², vector segments update V and write their ‖U‖² partial. Sums run
    /// on SIMD4 lanes (fixed lane order within a fixed item: deterministic).
    static func firstPass(_ p: FactoredPointers, _ k: Int, _ x: UnsafeMutablePointer<Double>,
                          _ g: UnsafeMutablePointer<Double>, _ c: Constants, itemPartials: Int) {
        typealias V = SIMD4<Double>
        let item = p.items[k]
        let s = p.state
        var xx4 = V(), xx = 0.0
        if item.matrix < 0 {
            let (xp, gp, vp) = (x + item.start, g + item.start, s + item.variance)
            let (w, e2) = (c.w, c.eps1Squared)
            let (w4, e24) = (V(repeating: w), V(repeating: e2))
            var uu4 = V(), uu = 0.0
            let end4 = item.count & ~3
            var i = 0
            while i < end4 {
                let gv = UnsafeRawPointer(gp + i).loadUnaligned(as: V.self)
                let xv = UnsafeRawPointer(xp + i).loadUnaligned(as: V.self)
                let old = UnsafeRawPointer(vp + i).loadUnaligned(as: V.self)
                let sq = gv * gv
                // torch's lerp: its branch depends on the weight only.
                let v = w < 0.5 ? old + w4 * (sq - old) : sq - (sq - old) * (1 - w4)
                UnsafeMutableRawPointer(vp + i).storeBytes(of: v, as: V.self)
                let u = 1 / pointwiseMax(v, e24).squareRoot() * gv
                uu4 += u * u
                xx4 += xv * xv
                i += 4
            }
            while i < item.count {
                let gi = gp[i]
                let v = torchLerp(vp[i], gi * gi, w)
                vp[i] = v
                let u = 1 / optlab_sqrt(Swift.max(v, e2)) * gi
                uu += u * u
                xx += xp[i] * xp[i]
                i += 1
            }
            s[itemPartials + 2 * k] = ((xx4[0] + xx4[1]) + (xx4[2] + xx4[3])) + xx
            s[itemPartials + 2 * k + 1] = ((uu4[0] + uu4[1]) + (uu4[2] + uu4[3])) + uu
            return
        }
        let m = p.matrices[item.matrix]
        let width = item.endCol - item.firstCol
        let end4 = width & ~3
        let colPartial = s + m.colPartials + item.rowChunk * m.cols + item.firstCol
        for r in item.firstRow..<item.endRow {
            let offset = m.offset + r * m.cols + item.firstCol
            let (xp, gp) = (x + offset, g + offset)
            let first = r == item.firstRow
            var rs4 = V(), rs = 0.0
            var j = 0
            while j < end4 {
                let gv = UnsafeRawPointer(gp + j).loadUnaligned(as: V.self)
                let xv = UnsafeRawPointer(xp + j).loadUnaligned(as: V.self)
                let sq = gv * gv
                let column = first ? sq : UnsafeRawPointer(colPartial + j).loadUnaligned(as: V.self) + sq
                UnsafeMutableRawPointer(colPartial + j).storeBytes(of: column, as: V.self)
                rs4 += sq
                xx4 += xv * xv
                j += 4
            }
            while j < width {
                let sq = gp[j] * gp[j]
                colPartial[j] = first ? sq : colPartial[j] + sq
                rs += sq
                xx += xp[j] * xp[j]
                j += 1
            }
            s[m.rowPartials + r * m.colChunks + item.colChunk] = ((rs4[0] + rs4[1]) + (rs4[2] + rs4[3])) + rs
        }
        s[itemPartials + 2 * k] = ((xx4[0] + xx4[1]) + (xx4[2] + xx4[3])) + xx
    }

    /// Row and column totals in tile order → r, c; then the per-row scale
    /// 1/√(r/max(mean r, ε₁)) and per-column scale 1/√c.
    static func combine(_ m: FactoredPlan.Matrix, _ s: UnsafeMutablePointer<Double>, _ c: Constants) {
        let (cols, rows) = (Double(m.cols), Double(m.rows))
        var rowSum = 0.0
        for r in 0..<m.rows {
            var total = 0.0
            for cc in 0..<m.colChunks { total += s[m.rowPartials + r * m.colChunks + cc] }
            let v = torchLerp(s[m.rowVariance + r], total / cols, c.w)
            s[m.rowVariance + r] = v
            rowSum += v
        }
        for j in 0..<m.cols {
            var total = 0.0
            for rc in 0..<m.rowChunks { total += s[m.colPartials + rc * m.cols + j] }
            let v = torchLerp(s[m.colVariance + j], total / rows, c.w)
            s[m.colVariance + j] = v
            s[m.colScale + j] = 1 / optlab_sqrt(v)
        }
        let mean = Swift.max(rowSum / rows, c.eps1)
        for r in 0..<m.rows { s[m.rowScale + r] = 1 / optlab_sqrt(s[m.rowVariance + r] / mean) }
    }

    /// Pass 2 of a tile: its ‖U‖² partial, U = g·min(rowScale·colScale, 1/ε₁).
    static func updateNormPass(_ p: FactoredPointers, _ k: Int, _ g: UnsafeMutablePointer<Double>, _ c: Constants,
                               itemPartials: Int) {
        typealias V = SIMD4<Double>
        let item = p.items[k]
        guard item.matrix >= 0 else { return }
        let m = p.matrices[item.matrix]
        let s = p.state
        let width = item.endCol - item.firstCol
        let end4 = width & ~3
        let colScale = s + m.colScale + item.firstCol
        let (cap, cap4) = (c.invEps1, V(repeating: c.invEps1))
        var uu4 = V(), uu = 0.0
        for r in item.firstRow..<item.endRow {
            let gp = g + m.offset + r * m.cols + item.firstCol
            let rs = s[m.rowScale + r]
            let rs4 = V(repeating: rs)
            var j = 0
            while j < end4 {
                let gv = UnsafeRawPointer(gp + j).loadUnaligned(as: V.self)
                let cs = UnsafeRawPointer(colScale + j).loadUnaligned(as: V.self)
                let u = gv * pointwiseMin(rs4 * cs, cap4)
                uu4 += u * u
                j += 4
            }
            while j < width {
                let u = gp[j] * Swift.min(rs * colScale[j], cap)
                uu += u * u
                j += 1
            }
        }
        s[itemPartials + 2 * k + 1] = ((uu4[0] + uu4[1]) + (uu4[2] + uu4[3])) + uu
    }

    /// −α/max(1, ‖U‖/(√n·d)) per block, from the item partials in item order.
    static func blockCoefficients(_ plan: FactoredPlan, _ s: UnsafeMutablePointer<Double>, rho: Double,
                                  eps2: Double, d: Double) {
        plan.blocks.withUnsafeBufferPointer { blocks in
            for b in 0..<blocks.count {
                let block = blocks[b]
                guard block.count > 0 else { continue }
                var xx = 0.0, uu = 0.0
                for k in block.items {
                    xx += s[plan.itemPartialBase + 2 * k]
                    uu += s[plan.itemPartialBase + 2 * k + 1]
                }
                let rootN = Double.pow(Double(block.count), 0.5)
                let alpha = Swift.max(eps2, optlab_sqrt(xx) / rootN) * rho
                let denom = Swift.max(1, optlab_sqrt(uu) / (rootN * d))
                s[plan.blockCoefficientBase + b] = -alpha / denom
            }
        }
    }

    /// Pass 3 of item k: θ ← θ·decay + coefficient·U.
    static func applyPass(_ p: FactoredPointers, _ k: Int, _ x: UnsafeMutablePointer<Double>,
                          _ g: UnsafeMutablePointer<Double>, _ c: Constants, coefficients: Int) {
        let item = p.items[k]
        let s = p.state
        let coefficient = s[coefficients + item.block]
        let decay = c.decay
        if item.matrix < 0 {
            let (xp, gp, vp) = (x + item.start, g + item.start, s + item.variance)
            let e2 = c.eps1Squared
            for i in 0..<item.count {
                xp[i] = xp[i] * decay + coefficient * (1 / optlab_sqrt(Swift.max(vp[i], e2)) * gp[i])
            }
            return
        }
        typealias V = SIMD4<Double>
        let m = p.matrices[item.matrix]
        let width = item.endCol - item.firstCol
        let end4 = width & ~3
        let colScale = s + m.colScale + item.firstCol
        let (cap, cap4) = (c.invEps1, V(repeating: c.invEps1))
        let (decay4, coefficient4) = (V(repeating: decay), V(repeating: coefficient))
        for r in item.firstRow..<item.endRow {
            let offset = m.offset + r * m.cols + item.firstCol
            let (xp, gp) = (x + offset, g + offset)
            let rs = s[m.rowScale + r]
            let rs4 = V(repeating: rs)
            var j = 0
            while j < end4 {
                let gv = UnsafeRawPointer(gp + j).loadUnaligned(as: V.self)
                let cs = UnsafeRawPointer(colScale + j).loadUnaligned(as: V.self)
                let xv = UnsafeRawPointer(xp + j).loadUnaligned(as: V.self)
                let updated = xv * decay4 + coefficient4 * (gv * pointwiseMin(rs4 * cs, cap4))
                UnsafeMutableRawPointer(xp + j).storeBytes(of: updated, as: V.self)
                j += 4
            }
            while j < width {
                xp[j] = xp[j] * decay + coefficient * (gp[j] * Swift.min(rs * colScale[j], cap))
                j += 1
            }
        }
    }
}
