import OptimizationCore

/// MeZO: memory-efficient zeroth-order SGD — two-point SPSA along one
/// Gaussian direction per step, with the direction never stored but
/// regenerated from (seed, step, index) by a counter-based generator.
///
/// Step t with minibatch B (fixed within the step), z = Z(seed, t):
///
///     ℓ⁺ = L(θ + εz; B),  ℓ⁻ = L(θ − εz; B),  c = (ℓ⁺ − ℓ⁻)/(2ε)
///     θ ← θ − η·(c·z + λ·θ)      (λ = 0 on bias / norm tensors of the layout)
///
/// Both queries see the same minibatch and, on a noisy problem, the same
/// noise draw (common random numbers). `restore` decides how θ ± εz is
/// evaluated (spec §6.6):
/// * `exact` (default): out of place — θ is never perturbed, so it is
///   bitwise unchanged by the two queries. On a noise-free `BlockSequentialObjective`
///   (capability `layered`, e.g. `mlp`) the perturbed values exist one block
///   at a time (two block-sized buffers: z and θ_b ± εz); on an opaque
///   objective a d-sized work vector holds θ ± εz (2× memory).
/// * `inplace`: MeZO's own θ += εz, θ −= 2εz, θ += εz with O(1) extra
///   memory. Not exact: each cycle moves a coordinate by at most
///   3·ulp(max(|θᵢ|, 2|εzᵢ|)); typically a third to half of them move.
///
/// `storage=float32|bf16` (exact only) keeps θ on that grid: x₀ is rounded to
/// nearest, every update is stochastically rounded with uniforms from
/// (seed, step, tag 2, index) — the in-RAM reference of `zo2`'s low-bit store.
/// A non-finite ℓ⁺ or ℓ⁻ skips the update (θ unchanged under `exact`), still
/// counts both queries and reports the event `skipped:nonfinite_loss`.
///
/// Defaults: lr 1e-6 (MeZO's full-parameter recommendation), eps 1e-3,
/// weight_decay 0, restore exact, direction gaussian, storage float64. The
/// seed is the initialiser's (the catalog passes the run's seed).
///
/// Cost per step: 2 queries (counted in `f_evals`), 2 generations of z per
/// coordinate under `exact` (perturbation, update; 4 under `inplace`), no
/// allocation after the first step. Memory beyond θ: O(1) plus the buffers above.
///
///     var opt = MeZO(lr: 1e-6, eps: 1e-3, seed: 42)
///     try opt.step(&theta, oracle: &oracle)
///
/// Reference: Malladi et al., "Fine-Tuning Language Models with Just Forward
/// Passes", NeurIPS 2023, arXiv:2305.17333 (Algorithm 1; `princeton-nlp/MeZO`
/// `zo_step`/`zo_update`); Philox4x32-10: Salmon et al., SC'11.
public struct MeZO: Optimizer {
    /// How θ comes back after the ±εz evaluations (the `restore` key).
    public enum Restore: String, Sendable, CaseIterable { case exact, inplace }

    public static let descriptor = OptimizerDescriptor(
        name: "mezo", family: .zerothOrder,
        summary: "MeZO: two-point SPSA with seed replay (directions regenerated, never stored)",
        reference: "Malladi et al. 2023, arXiv:2305.17333; princeton-nlp/MeZO zo_step/zo_update",
        hyperparameters: [
            .real("lr", 1e-6, .nonNegative, "learning rate η (0: query without moving, for restoration checks)"),
            .real("eps", 1e-3, .positive, "perturbation radius ε"),
            .real("weight_decay", 0, .nonNegative, "decoupled decay λ (θ ← θ − η·λ·θ; not on bias/norm tensors)"),
            .choice("restore", "exact", Restore.allCases.map(\.rawValue),
                    "exact: θ ± εz out of place (bitwise restoration); inplace: MeZO's ±ε in place (≤ 3 ulp drift)"),
            .choice("direction", "gaussian", SeedReplayDirections.Distribution.allCases.map(\.rawValue),
                    "distribution of z (ones: z = 1, for tests)"),
            .choice("storage", "float64", StoragePrecision.allCases.map(\.rawValue),
                    "grid θ is kept on (float32/bf16: stochastic rounding of updates; restore=exact only)"),
        ],
        requires: [.value])

    public let lr: Double
    public let eps: Double
    public let weightDecay: Double
    public let restore: Restore
    public let distribution: SeedReplayDirections.Distribution
    public let storage: StoragePrecision
    /// The key of the direction generator.
    public private(set) var seed: UInt64

    /// Steps taken so far; step t uses direction Z(seed, t).
    public private(set) var stepCount = 0
    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?
    /// ℓ⁺, ℓ⁻ and c of the last step (c is NaN after a skipped step).
    public private(set) var lastLosses: (plus: Double, minus: Double) = (.nan, .nan)
    public private(set) var lastProjectedGradient = Double.nan
    /// Steps whose update was skipped because a loss was not finite.
    public private(set) var skippedSteps = 0

    private var rule: SPSAUpdateRule?
    private var workspace = SPSAWorkspace()

    public init(lr: Double = 1e-6, eps: Double = 1e-3, weightDecay: Double = 0, restore: Restore = .exact,
                direction: SeedReplayDirections.Distribution = .gaussian, storage: StoragePrecision = .float64,
                seed: UInt64 = 0) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "eps": .real(eps), "weight_decay": .real(weightDecay),
            "restore": .text(restore.rawValue), "direction": .text(direction.rawValue),
            "storage": .text(storage.rawValue),
        ]), seed: seed)
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters, seed: UInt64 = 0) {
        lr = p.double("lr")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        restore = Restore(rawValue: p.string("restore"))!
        distribution = SeedReplayDirections.Distribution(rawValue: p.string("direction"))!
        storage = StoragePrecision(rawValue: p.string("storage"))!
        self.seed = seed
    }

    public mutating func prepare(_ context: RunContext) throws {
        guard restore == .exact || storage == .float64 else {
            throw SpecError.invalidCombination(
                owner: Self.descriptor.name,
                message: "storage=\(storage.rawValue) needs restore=exact (in-place perturbation works on float64 only)")
        }
        rule = nil
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        guard x.count == oracle.dimension else {
            throw ObjectiveError.dimensionMismatch(expected: oracle.dimension, got: x.count)
        }
        if rule == nil || stepCount == 0 {
            rule = SPSAUpdateRule(directions: SeedReplayDirections(seed: seed, distribution: distribution),
                                  precision: storage, weightDecay: weightDecay, layout: oracle.layout)
            if storage != .float64 && stepCount == 0 {
                x.withUnsafeMutableBufferPointer { rule!.roundToStorage($0.baseAddress!, count: $0.count) }
            }
        }
        let t = stepCount
        // Common random numbers: both queries see the same noise draw (and the same batch).
        oracle.holdsNoise = true
        defer { oracle.holdsNoise = false }
        let losses: (Double, Double)
        switch restore {
        case .exact:
            if oracle.relativeNoise == 0, let layered = oracle.layered {
                losses = blockwiseLosses(x, layered, step: t)   // two passes, counted by the view
            } else {
                losses = try outOfPlaceLosses(x, oracle: &oracle, step: t)
            }
        case .inplace:
            losses = try inPlaceLosses(&x, oracle: &oracle, step: t)
        }
        finish(&x, losses: losses, step: t)
    }

    // MARK: - The two queries

    /// Exact, block by block: P = θ_b ± εz_b in a block buffer, both passes advancing together.
    private mutating func blockwiseLosses(_ x: [Double], _ objective: any BlockSequentialObjective,
                                          step t: Int) -> (Double, Double) {
        workspace.prepare(for: objective)
        let blocks = workspace.blocks
        let directions = rule!.directions, eps = eps
        return x.withUnsafeBufferPointer { theta in
            workspace.withBuffers { z, p, streams in
                objective.begin(into: streams.plus.input)
                objective.begin(into: streams.minus.input)
                for (b, range) in blocks.enumerated() {
                    let w = theta.baseAddress! + range.lowerBound, n = range.count
                    directions.fill(UnsafeMutableBufferPointer(start: z, count: n), first: range.lowerBound, step: t)
                    let block = UnsafeBufferPointer(start: UnsafePointer(p), count: n)
                    SPSAUpdateRule.perturb(w, z, scale: eps, into: p, count: n)
                    objective.apply(block: b, parameters: block, input: streams.plus.input, output: streams.plus.output)
                    SPSAUpdateRule.perturb(w, z, scale: -eps, into: p, count: n)
                    objective.apply(block: b, parameters: block, input: streams.minus.input, output: streams.minus.output)
                    streams.advance()
                }
                return (objective.loss(streams.plus.input), objective.loss(streams.minus.input))
            }
        }
    }

    /// Exact, opaque objective: θ ± εz written into a d-sized work vector.
    private mutating func outOfPlaceLosses(_ x: [Double], oracle: inout Oracle, step t: Int) throws -> (Double, Double) {
        workspace.prepareWork(count: x.count)
        fillPerturbed(x, scale: eps, step: t)
        let plus = try oracle.value(at: workspace.work)
        fillPerturbed(x, scale: -eps, step: t)
        let minus = try oracle.value(at: workspace.work)
        return (plus, minus)
    }

    private mutating func fillPerturbed(_ x: [Double], scale: Double, step t: Int) {
        let directions = rule!.directions
        x.withUnsafeBufferPointer { theta in
            workspace.withWork { work, chunk in
                SPSAWorkspace.forEachChunk(theta.count) { range in
                    directions.fill(UnsafeMutableBufferPointer(start: chunk, count: range.count), first: range.lowerBound, step: t)
                    SPSAUpdateRule.perturb(theta.baseAddress! + range.lowerBound, chunk, scale: scale,
                                           into: work + range.lowerBound, count: range.count)
                }
            }
        }
    }

    /// MeZO's own scheme: θ += εz, θ −= 2εz, θ += εz (scales are powers of two times ε).
    private mutating func inPlaceLosses(_ x: inout [Double], oracle: inout Oracle, step t: Int) throws -> (Double, Double) {
        shift(&x, by: eps, step: t)
        let plus = try oracle.value(at: x)
        shift(&x, by: -2 * eps, step: t)
        let minus = try oracle.value(at: x)
        shift(&x, by: eps, step: t)
        return (plus, minus)
    }

    private mutating func shift(_ x: inout [Double], by scale: Double, step t: Int) {
        let directions = rule!.directions
        workspace.prepareWork(count: 0)
        x.withUnsafeMutableBufferPointer { theta in
            workspace.withWork { _, chunk in
                SPSAWorkspace.forEachChunk(theta.count) { range in
                    directions.fill(UnsafeMutableBufferPointer(start: chunk, count: range.count), first: range.lowerBound, step: t)
                    let w = theta.baseAddress! + range.lowerBound
                    SPSAUpdateRule.perturb(w, chunk, scale: scale, into: w, count: range.count)
                }
            }
        }
    }

    // MARK: - The update

    private mutating func finish(_ x: inout [Double], losses: (Double, Double), step t: Int) {
        stepCount += 1
        currentLearningRate = lr
        lastLosses = losses
        let c = (losses.0 - losses.1) / (2 * eps)
        guard c.isFinite else {
            lastProjectedGradient = .nan
            skippedSteps += 1
            lastEvent = "skipped:nonfinite_loss"
            return
        }
        lastProjectedGradient = c
        lastEvent = nil
        let rule = rule!, lr = lr
        workspace.prepareWork(count: 0)
        x.withUnsafeMutableBufferPointer { theta in
            workspace.withWork { _, chunk in
                SPSAWorkspace.forEachChunk(theta.count) { range in
                    rule.update(theta.baseAddress! + range.lowerBound, count: range.count, first: range.lowerBound,
                                step: t, projectedGradient: c, learningRate: lr, scratch: chunk)
                }
            }
        }
    }
}
