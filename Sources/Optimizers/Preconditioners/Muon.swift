import CShims
import OptimizationCore
import RealModule

/// Muon — momentum orthogonalised by Newton–Schulz — on every block with two
/// dimensions, and AdamW (the `aux_` keys) on every other block, as
/// `torch.optim.Muon` plus KellerJordan/Muon's `MuonWithAuxAdam` split.
///
/// Update for step t, per 2-D block W (rows × columns) with gradient G:
///
///     B ← lerp(B, G, 1 − μ)                        (B = μB + (1 − μ)G)
///     U ← lerp(G, B, μ) if nesterov else B
///     O ← NewtonSchulz_k(U; a, b, c, ε)            (see ``NewtonSchulz``)
///     W ← W·(1 − ηλ)
///     W ← W − η'·O,   η' = η·√max(1, rows/columns)     (adjust_lr=original)
///                     η' = 0.2·η·√max(rows, columns)   (adjust_lr=match_rms_adamw)
///                     η' = η·√(rows/columns)           (adjust_lr=spectral_unclamped)
///
/// and for every other block (biases, 1-D problems) torch's AdamW with
/// aux_lr, aux_beta1, aux_beta2, aux_eps, aux_weight_decay. Without a layout
/// (`update(&x, gradient:)`) the whole vector is one 1-D block, i.e. AdamW.
///
/// Defaults: torch.optim.Muon's (lr 1e-3, weight_decay 0.1, momentum 0.95,
/// nesterov, 5 steps, (a, b, c) = (3.4445, −4.775, 2.0315), ε = 1e-7,
/// adjust_lr original) and MuonWithAuxAdam's Adam (3e-4, betas (0.9, 0.95),
/// ε 1e-10, no decay); schedule keys scale both learning rates.
///
/// Where the lab departs from the reference: torch casts the Newton–Schulz
/// iterate to bfloat16; the lab keeps float64 (the issue that pinned this
/// method asks for it, and bfloat16 GEMM accumulation cannot be reproduced
/// bit for bit on a CPU BLAS). The committed reference trajectories run
/// torch's code with the cast patched to float64.
///
/// Cost per step: per 2-D block with m = min, n = max of its sides,
/// k·(4m²n + 2m³) flops in `dgemm` plus two passes over the block; AdamW's
/// one pass elsewhere. Workspaces are sized on the first step; no allocation
/// per step after that.
///
///     var opt = Muon(lr: 0.02)
///     opt.update(&params, gradient: grad, layout: ParameterLayout([("W", [32, 64]), ("b", [32])]))
///
/// Paper: Jordan et al., "Muon: An optimizer for hidden layers in neural
/// networks" (2024, kellerjordan.github.io/posts/muon); Liu et al., "Muon is
/// Scalable for LLM Training", arXiv:2502.16982 (match_rms_adamw).
/// Reference code: torch.optim.Muon (torch 2.15.0, torch/optim/_muon.py);
/// KellerJordan/Muon muon.py (commit f90a42b, the split into Muon + Adam).
public struct Muon: GradientOptimizer, Scheduled {
    /// How the step size of a 2-D block depends on its shape (torch's `adjust_lr_fn`).
    public enum LearningRateAdjustment: String, Sendable, CaseIterable {
        case original
        case matchRMSAdamW = "match_rms_adamw"
        case spectralUnclamped = "spectral_unclamped"

        /// η' for a rows × columns block.
        public func adjusted(_ lr: Double, rows: Int, columns: Int) -> Double {
            let (a, b) = (Double(rows), Double(columns))
            switch self {
            case .original: return lr * Swift.max(1, a / b).squareRoot()
            case .matchRMSAdamW: return lr * (0.2 * Swift.max(a, b).squareRoot())
            case .spectralUnclamped: return lr * (a / b).squareRoot()
            }
        }
    }

    public static let descriptor = OptimizerDescriptor(
        name: "muon", family: .firstOrder,
        summary: "Muon: Newton–Schulz-orthogonalised momentum on 2-D blocks, AdamW elsewhere (torch.optim.Muon)",
        reference: "Jordan et al. 2024; Liu et al. 2025, arXiv:2502.16982; torch.optim.Muon (torch 2.15.0)",
        hyperparameters: [
            .real("lr", 1e-3, .positive, "learning rate η of the 2-D blocks"),
            .real("weight_decay", 0.1, .nonNegative, "decoupled decay λ of the 2-D blocks: W ← W(1 − ηλ)"),
            .real("momentum", 0.95, .unitHalfOpen, "momentum μ"),
            .boolean("nesterov", true, "Nesterov form: orthogonalise lerp(G, B, μ) instead of B"),
            .integer("ns_steps", 5, .closed(1, 99), "Newton–Schulz iterations k"),
            .real("ns_a", 3.4445, .any, "Newton–Schulz coefficient a"),
            .real("ns_b", -4.775, .any, "Newton–Schulz coefficient b"),
            .real("ns_c", 2.0315, .any, "Newton–Schulz coefficient c"),
            .real("eps", 1e-7, .positive, "lower bound of the Frobenius norm the iterate is divided by"),
            .choice("adjust_lr", "original", LearningRateAdjustment.allCases.map(\.rawValue),
                    "step-size scaling by block shape: original √max(1, rows/cols), match_rms_adamw 0.2√max(rows, cols), spectral_unclamped √(rows/cols)"),
            .real("aux_lr", 3e-4, .positive, "AdamW learning rate of the other blocks"),
            .real("aux_beta1", 0.9, .unitHalfOpen, "AdamW β₁ of the other blocks"),
            .real("aux_beta2", 0.95, .unitHalfOpen, "AdamW β₂ of the other blocks"),
            .real("aux_eps", 1e-10, .positive, "AdamW ε of the other blocks"),
            .real("aux_weight_decay", 0, .nonNegative, "AdamW decoupled decay of the other blocks"),
        ] + LearningRateSchedule.hyperparameters,
        requires: [.gradient])

    public let lr: Double
    public let weightDecay: Double
    public let momentum: Double
    public let nesterov: Bool
    public let nsSteps: Int
    public let nsCoefficients: (a: Double, b: Double, c: Double)
    public let eps: Double
    public let adjustment: LearningRateAdjustment
    public let auxLr: Double
    public let auxBeta1: Double
    public let auxBeta2: Double
    public let auxEps: Double
    public let auxWeightDecay: Double
    public var schedule: LearningRateSchedule

    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    /// Buffer 0: Muon's momentum B on 2-D blocks, AdamW's m elsewhere; buffer 1: AdamW's v.
    private var state = StateSlab(buffers: 2)
    private var plan: MatrixBlockPlan<NewtonSchulz>?

    /// Momentum buffer B (2-D blocks) and AdamW's first moment (other blocks); empty before the first step.
    public var momentumBuffer: [Double] { state.buffer(0) }

    public init(lr: Double = 1e-3, weightDecay: Double = 0.1, momentum: Double = 0.95, nesterov: Bool = true,
                nsSteps: Int = 5, nsCoefficients: (a: Double, b: Double, c: Double) = (3.4445, -4.775, 2.0315),
                eps: Double = 1e-7, adjustment: LearningRateAdjustment = .original,
                auxLr: Double = 3e-4, auxBeta1: Double = 0.9, auxBeta2: Double = 0.95, auxEps: Double = 1e-10,
                auxWeightDecay: Double = 0, schedule: LearningRateSchedule = .constant) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "weight_decay": .real(weightDecay), "momentum": .real(momentum),
            "nesterov": .boolean(nesterov), "ns_steps": .integer(nsSteps), "ns_a": .real(nsCoefficients.a),
            "ns_b": .real(nsCoefficients.b), "ns_c": .real(nsCoefficients.c), "eps": .real(eps),
            "adjust_lr": .text(adjustment.rawValue), "aux_lr": .real(auxLr), "aux_beta1": .real(auxBeta1),
            "aux_beta2": .real(auxBeta2), "aux_eps": .real(auxEps), "aux_weight_decay": .real(auxWeightDecay),
        ].merging(schedule.specValues) { a, _ in a }))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lr = p.double("lr")
        weightDecay = p.double("weight_decay")
        momentum = p.double("momentum")
        nesterov = p.bool("nesterov")
        nsSteps = p.int("ns_steps")
        nsCoefficients = (p.double("ns_a"), p.double("ns_b"), p.double("ns_c"))
        eps = p.double("eps")
        adjustment = LearningRateAdjustment(rawValue: p.string("adjust_lr"))!
        auxLr = p.double("aux_lr")
        auxBeta1 = p.double("aux_beta1")
        auxBeta2 = p.double("aux_beta2")
        auxEps = p.double("aux_eps")
        auxWeightDecay = p.double("aux_weight_decay")
        schedule = LearningRateSchedule(p)
    }

    /// Workspaces for this layout (nil: one flat block), built when the layout changes.
    private mutating func preparePlan(_ layout: ParameterLayout?, count: Int) {
        if let layout {
            precondition(layout.dimension == count, "muon: layout has \(layout.dimension) elements, parameters \(count)")
            if plan?.layout == layout { return }
        } else if let plan, plan.layout.blocks.count == 1, plan.layout.dimension == count {
            return
        }
        plan = MatrixBlockPlan(layout ?? .flat(count)) { NewtonSchulz(rows: $0.shape[0], columns: $0.shape[1]) }
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        checkSizes(Self.descriptor.name, x, g)
        preparePlan(layout, count: x.count)
        _ = state.prepare(count: x.count)
        stepCount += 1
        let multiplier = schedule.multiplier(step: stepCount)
        let (eta, auxEta) = (lr * multiplier, auxLr * multiplier)
        currentLearningRate = eta
        let t = Double(stepCount)
        let aux = AdamKernel(
            stepSize: auxEta / (1 - Double.pow(auxBeta1, t)), bc2Sqrt: optlab_sqrt(1 - Double.pow(auxBeta2, t)),
            beta1: auxBeta1, beta2: auxBeta2, eps: auxEps, l2: 0, decayFactor: 1 - auxEta * auxWeightDecay,
            amsgrad: false)
        let (mu, nesterov, steps, abc, eps, adjustment) = (momentum, nesterov, nsSteps, nsCoefficients, eps, adjustment)
        let decay = 1 - eta * weightDecay
        // Taken out of `self` for the step so that its buffers stay uniquely referenced.
        var plan = self.plan.take()!
        defer { self.plan = plan }
        withParameters(&x, g) { xp, gp in
            state.withPointers { buffer in
                let bp = buffer(0).base
                // An index loop: iterating an array of ranges allocates in debug builds.
                for r in 0..<plan.otherRanges.count {
                    aux.run(xp, gp, buffer(0), buffer(1), buffer(1), plan.otherRanges[r])
                }
                for k in plan.matrices.indices {
                    let range = plan.matrices[k].block.range
                    let offset = range.lowerBound
                    plan.matrices[k].workspace.matrix.withUnsafeMutableBufferPointer { u in
                        for i in range {
                            let b = torchLerp(bp[i], gp.base[i], 1 - mu)
                            bp[i] = b
                            u[i - offset] = nesterov ? torchLerp(gp.base[i], b, mu) : b
                        }
                    }
                    plan.matrices[k].workspace.run(steps: steps, a: abc.a, b: abc.b, c: abc.c, eps: eps)
                    let step = adjustment.adjusted(eta, rows: plan.matrices[k].rows, columns: plan.matrices[k].columns)
                    plan.matrices[k].workspace.matrix.withUnsafeBufferPointer { o in
                        for i in range { xp.base[i] = xp.base[i] * decay - step * o[i - offset] }
                    }
                }
            }
        }
    }
}
