import CShims
import OptimizationCore
import RealModule

/// Prodigy: Adam whose step size d·lr is estimated on the fly from how far
/// the parameters moved against the gradients (a D-Adaptation descendant),
/// matching the official `konstmish/prodigy` (PyPI prodigyopt 1.1.2,
/// `Prodigy`, slice_p = 1, no FSDP).
///
/// Step k = 0, 1, … with gradient g; d₀ = d = d_max = `d0`, x₀ the first
/// parameters, r = 0; two passes (the d estimate needs two global sums):
///
///     bc   = use_bias_correction ? √(1 − β₂^{k+1})/(1 − β₁^{k+1}) : 1
///     ηd   = d·lr·bc                                  (trace column lr)
///     g    ← g + λθ                                   (only if not decouple)
///     pass 1:  m ← β₁m + d(1 − β₁)·g;  v ← β₂v + d²(1 − β₂)·g²
///              s ← β₃s + (d/d₀)·(safeguard_warmup ? d : ηd)·g
///              r ← β₃r + (d/d₀)·ηd·⟨g, x₀ − θ⟩;   D = Σ|s|
///     if D = 0: stop here (θ unchanged, k not advanced), as the reference
///     d̂ = d_coef·r/D;  d ← max(d, d̂) while d = d₀;  d_max ← max(d_max, d̂);
///     d ← min(d_max, d·growth_rate)
///     pass 2:  θ ← θ − λ·ηd·θ                         (only if decouple)
///              θ ← θ − ηd · m/(√v + d·ε)              (β₁ = 0: θ − ηd·d·g/(√v + d·ε))
///
/// β₃ defaults to √β₂. The two sums are taken over fixed segments of the
/// flat vector (four interleaved lanes within a segment) and added in
/// segment order, so the result does not depend on the thread count (the
/// reference sums per tensor with torch's own order: rounding-level
/// differences). `currentLearningRate` is ηd = d·lr·bc, the effective step.
///
/// Defaults: lr 1, beta1 0.9, beta2 0.999, beta3 √beta2, eps 1e-8,
/// weight_decay 0, decouple true, use_bias_correction false,
/// safeguard_warmup false, d0 1e-6, d_coef 1, growth_rate ∞; plus the
/// schedule keys (they scale lr, as a torch scheduler would).
///
/// Cost per step: pass 1 reads θ, g, x₀, m, v, s and writes m, v, s; pass 2
/// reads θ, m, v and writes θ: 104 bytes per parameter, one division and one
/// square root; no allocation after the first step.
///
///     var opt = Prodigy()                 // lr = 1: d is the step size
///     opt.update(&params, gradient: grad)
///     opt.d                               // the current estimate
///
/// Reference: Mishchenko & Defazio, "Prodigy: An Expeditiously Adaptive
/// Parameter-Free Learner", ICML 2024, arXiv:2306.06101;
/// github.com/konstmish/prodigy (prodigyopt 1.1.2) prodigy.py.
public struct Prodigy: GradientOptimizer, ThreadedUpdate, Scheduled, SettingsBacked {
    public static let descriptor = OptimizerDescriptor(
        name: "prodigy", family: .firstOrder,
        summary: "Adam with the step size d estimated on the fly (konstmish/prodigy)",
        reference: "Mishchenko & Defazio 2024, arXiv:2306.06101; prodigyopt 1.1.2",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .init { $0.double("beta1") > 0 ? 10 : 8 })   // θ, g, θ₀, m, v, s | θ, m, v, s

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: HyperparameterSettings {
        public var lr: Double = 1
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var beta3: Double? = nil
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0
        public var decouple: Bool = true
        public var useBiasCorrection: Bool = false
        public var safeguardWarmup: Bool = false
        public var d0: Double = 1e-6
        public var dCoef: Double = 1
        public var growthRate: Double? = nil

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "multiplier of the estimated step size d"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .optionalReal("beta3", \.beta3, .unitHalfOpen, unset: "√beta2", "decay of the d-estimate sums s and r"),
            .real("eps", \.eps, .positive, "added to √v (scaled by d)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decay λ (decoupled θ ← θ − λ·d·lr·θ, or L2)"),
            .boolean("decouple", \.decouple, "decoupled (AdamW-style) weight decay; false adds λθ to g"),
            .boolean("use_bias_correction", \.useBiasCorrection, "Adam's bias correction in the step size"),
            .boolean("safeguard_warmup", \.safeguardWarmup, "leave lr out of s (for warm-up schedules)"),
            .real("d0", \.d0, .positive, "initial estimate d₀"),
            .real("d_coef", \.dCoef, .positive, "multiplier of the estimate d̂"),
            .optionalReal("growth_rate", \.growthRate, .greaterThan(0), unset: "inf",
                          "d grows by at most this factor per step"),
        ]
    }

    /// The hyperparameter values (read them as properties: `opt.lr`).
    public let settings: Settings
    /// β₃ in effect: the key, or √beta2 when unset.
    public let beta3: Double
    /// The growth cap of d in effect: the key, or ∞ when unset.
    public let growthRate: Double
    public var schedule: LearningRateSchedule
    /// Cores used by `update`; results do not depend on it.
    public var threads = 1

    /// Steps taken (the reference's k; a step with D = 0 does not count).
    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    /// The current estimate d (d₀ before the first step).
    public private(set) var d: Double
    public private(set) var dMax: Double
    /// r, the running numerator of d̂.
    public private(set) var dNumerator = 0.0
    private var calls = 0
    /// m, v, s, x₀.
    private var state = StateSlab(buffers: 4)
    private var segments = RowSegments()
    private var partials: [Double] = []

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, beta3: Double? = Settings.defaults.beta3,
                eps: Double = Settings.defaults.eps, weightDecay: Double = Settings.defaults.weightDecay,
                decouple: Bool = Settings.defaults.decouple,
                useBiasCorrection: Bool = Settings.defaults.useBiasCorrection,
                safeguardWarmup: Bool = Settings.defaults.safeguardWarmup, d0: Double = Settings.defaults.d0,
                dCoef: Double = Settings.defaults.dCoef, growthRate: Double? = Settings.defaults.growthRate,
                schedule: LearningRateSchedule = .constant) {
        let settings = Settings(lr: lr, beta1: beta1, beta2: beta2, beta3: beta3, eps: eps, weightDecay: weightDecay,
                                decouple: decouple, useBiasCorrection: useBiasCorrection,
                                safeguardWarmup: safeguardWarmup, d0: d0, dCoef: dCoef, growthRate: growthRate)
        self.init(Self.descriptor.validated(settings.specValues.merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        settings = Settings(p)
        beta3 = settings.beta3 ?? settings.beta2.squareRoot()
        growthRate = settings.growthRate ?? .infinity
        schedule = LearningRateSchedule(p)
        d = settings.d0
        dMax = settings.d0
    }

    /// s, the running sum of scaled gradients (empty before the first step).
    public var s: [Double] { state.buffer(2) }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        let n = x.count
        if state.prepare(count: n) {
            (stepCount, calls, d, dMax, dNumerator) = (0, 0, settings.d0, settings.d0, 0)
            segments = RowSegments(rows: [(0, n)])
            partials = [Double](repeating: 0, count: 2 * segments.segmentCount)
            state.withPointers { buffer in
                let start = buffer(3).base
                x.withUnsafeBufferPointer { xp in for i in 0..<n { start[i] = xp[i] } }
            }
        }
        calls += 1
        let k = Double(stepCount)
        let eta = settings.lr * schedule.multiplier(step: calls)
        let bc = settings.useBiasCorrection
            ? Double.pow(1 - Double.pow(settings.beta2, k + 1), 0.5) / (1 - Double.pow(settings.beta1, k + 1)) : 1
        let dlr = d * eta * bc
        currentLearningRate = dlr
        let l2 = settings.decouple ? 0 : settings.weightDecay
        let mScale = d * (1 - settings.beta1), vScale = d * d * (1 - settings.beta2)
        let sScale = settings.safeguardWarmup ? (d / settings.d0) * d : (d / settings.d0) * dlr
        let (b1, b2, b3, hasMomentum) = (settings.beta1, settings.beta2, beta3, settings.beta1 > 0)
        let threads = threads
        let segs = segments

        // Pass 1: moments, s, and per-segment ⟨g, x₀ − θ⟩ and Σ|s|.
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (ms, vs, ss, starts) = (buffer(0), buffer(1), buffer(2), buffer(3))
                partials.withUnsafeMutableBufferPointer { pb in
                    let parts = SharedPointer(pb)
                    segs.forEachSegment(threads: threads) { seg, a, b, _ in
                        let (xp, gp, mp, vp, sp, x0) = (xs.base, gs.base, ms.base, vs.base, ss.base, starts.base)
                        // Four interleaved partial sums per segment (lane = i mod 4 from the
                        // segment start, then (l₀ + l₁) + (l₂ + l₃)): the loop vectorizes, and the
                        // order is fixed by the segments, so any thread count gives the same sums.
                        typealias V = SIMD4<Double>
                        var dots = V(), sums = V()
                        var i = a
                        while i + 4 <= b {
                            let xv = UnsafeRawPointer(xp + i).loadUnaligned(as: V.self)
                            var gv = UnsafeRawPointer(gp + i).loadUnaligned(as: V.self)
                            if l2 != 0 { gv = gv + l2 * xv }
                            dots += gv * (UnsafeRawPointer(x0 + i).loadUnaligned(as: V.self) - xv)
                            if hasMomentum {
                                let mv = UnsafeRawPointer(mp + i).loadUnaligned(as: V.self) * b1 + mScale * gv
                                UnsafeMutableRawPointer(mp + i).storeBytes(of: mv, as: V.self)
                            }
                            let vv = UnsafeRawPointer(vp + i).loadUnaligned(as: V.self) * b2 + vScale * gv * gv
                            UnsafeMutableRawPointer(vp + i).storeBytes(of: vv, as: V.self)
                            let sv = UnsafeRawPointer(sp + i).loadUnaligned(as: V.self) * b3 + sScale * gv
                            UnsafeMutableRawPointer(sp + i).storeBytes(of: sv, as: V.self)
                            sums += V(Swift.abs(sv[0]), Swift.abs(sv[1]), Swift.abs(sv[2]), Swift.abs(sv[3]))
                            i += 4
                        }
                        while i < b {
                            let gi = l2 != 0 ? gp[i] + l2 * xp[i] : gp[i]
                            dots[0] += gi * (x0[i] - xp[i])
                            if hasMomentum { mp[i] = mp[i] * b1 + mScale * gi }
                            vp[i] = vp[i] * b2 + vScale * gi * gi
                            let si = sp[i] * b3 + sScale * gi
                            sp[i] = si
                            sums[0] += Swift.abs(si)
                            i += 1
                        }
                        let dot = (dots[0] + dots[1]) + (dots[2] + dots[3])
                        let absSum = (sums[0] + sums[1]) + (sums[2] + sums[3])
                        parts.base[2 * seg] = dot
                        parts.base[2 * seg + 1] = absSum
                    }
                }
            }
        }
        let (dot, dDenom) = partials.withUnsafeMutableBufferPointer { pb in
            (segs.rowTotal(pb.baseAddress!, width: 2, row: 0, component: 0),
             segs.rowTotal(pb.baseAddress!, width: 2, row: 0, component: 1))
        }
        guard dDenom != 0 else { return }
        let deltaNumerator = (d / settings.d0) * dlr * dot
        let numerator = dNumerator * beta3 + deltaNumerator
        let dHat = settings.dCoef * numerator / dDenom
        if d == settings.d0 { d = Swift.max(d, dHat) }
        dMax = Swift.max(dMax, dHat)
        d = Swift.min(dMax, d * growthRate)
        dNumerator = numerator
        stepCount += 1

        // Pass 2: the step with the new d in the denominator, the old ηd as step size.
        let dEps = d * settings.eps
        let decay = settings.decouple && settings.weightDecay != 0 ? -settings.weightDecay * dlr : 0
        let negStep = hasMomentum ? -dlr : -dlr * d
        withParameters(&x, g) { xs, gs in
            state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                ParallelLoop.run(count: n, threads: threads) { range in
                    let (xp, gp, mp, vp) = (xs.base, gs.base, ms.base, vs.base)
                    // Branch-free loops (they vectorize); x + 0·x = x when there is no decay.
                    if hasMomentum {
                        for i in range {
                            let xi = xp[i]
                            let decayed = xi + decay * xi
                            xp[i] = decayed + negStep * (mp[i] / (optlab_sqrt(vp[i]) + dEps))
                        }
                    } else {
                        for i in range {
                            let xi = xp[i]
                            let gi = gp[i] + l2 * xi          // l2 = 0 unless coupled decay
                            let decayed = xi + decay * xi
                            xp[i] = decayed + negStep * (gi / (optlab_sqrt(vp[i]) + dEps))
                        }
                    }
                }
            }
        }
    }
}
