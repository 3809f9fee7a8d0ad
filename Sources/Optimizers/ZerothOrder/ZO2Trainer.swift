import OptimizationCore

/// The ZO2-style block-streamed SPSA engine (spec §7.3): θ lives in a
/// ``ParameterBlockStore`` (a file, typically) and only one block is in RAM
/// at a time. Step t, for b = 0 … B−1:
///
///     W ← store.read(b)                                  // the block's only read
///     if step t−1 left an update: W ← W − η·(c_{t−1}·Z(t−1, b) + λ·W), rounded;
///                                 store.write(b, W)      // the block's only write
///     z ← Z(t, b);  h⁺ ← apply(b, W + εz, h⁺);  h⁻ ← apply(b, W − εz, h⁻)
///
/// then ℓ± = loss(h±), c_t = (ℓ⁺ − ℓ⁻)/(2ε), and the update of step t is
/// pending until the next pass (or ``flush()``). Perturbed values exist only
/// in a scratch block and never reach the store. A non-finite c_t leaves
/// nothing pending (the step is skipped; queries still count).
///
/// Because z and the rounding uniforms are regenerated from (seed, step,
/// index), this is the trajectory of ``MeZO`` with `restore=exact` on the
/// same objective, seed and storage precision, bit for bit: only *when* an
/// update is applied differs. Call ``flush()`` before evaluating, saving or
/// ending; ``materialize(into:)`` gives θ without touching the store.
///
/// RAM: three block buffers (W, z, W ± εz) and four activations. Queries: 2
/// per step. Parameter I/O per step: one read and one write per block.
/// Checkpoint: keep the store file and the Codable ``state`` (step counter,
/// pending update, seed, scheme); ``init(objective:store:resuming:)`` over
/// ``FileBlockStore/init(opening:blocks:precision:)`` continues bit for bit.
/// Not synchronised: one trainer per thread; copies share the store.
///
///     let store = try FileBlockStore(blocks: problem.sequentialBlocks, precision: .float32)
///     var trainer = try ZO2Trainer(objective: problem, store: store, lr: 1e-6, seed: 1)
///     try trainer.initializeStore()               // x₀ block by block, never whole
///     for t in 0..<steps { problem.beginStep(t); try trainer.step() }
///     try trainer.flush()
///
/// Reference: Wang et al., "ZO2: Scalable Zeroth-Order Fine-Tuning for
/// Extremely Large Language Models with Limited GPU Memory", arXiv:2503.12668
/// (dual forward, deferred update); MeZO: arXiv:2305.17333.
public struct ZO2Trainer {
    /// Everything besides the store that a resumed run needs (spec §7.3,
    /// "checkpoint and recovery"): with the store file it is a checkpoint;
    /// θ_T is a function of θ₀ and the (step, c, η) log, so nothing else is kept.
    public struct State: Codable, Sendable, Equatable {
        /// The direction/rounding scheme; a resumed run must use the same one.
        public static let currentScheme = "philox4x32-10;boxmuller;counter=(j,step,tag);v1"
        public var scheme: String
        public var seed: UInt64
        public var direction: String
        public var precision: String
        public var lr: Double
        public var eps: Double
        public var weightDecay: Double
        public var stepCount: Int
        public var pending: PendingUpdate?
        public var skippedSteps: Int
        public var evaluations: Int
    }

    /// The update produced by a step and not yet written to the store.
    public struct PendingUpdate: Codable, Sendable, Equatable {
        public let step: Int
        public let projectedGradient: Double
        public let learningRate: Double
    }

    public let objective: any BlockSequentialObjective
    public let store: any ParameterBlockStore
    public let lr: Double
    public let eps: Double
    public let rule: SPSAUpdateRule
    /// The key of the direction generator.
    public let seed: UInt64
    public private(set) var stepCount = 0
    public private(set) var pending: PendingUpdate?
    /// ℓ⁺, ℓ⁻ and c of the last step (c is NaN after a skipped step).
    public private(set) var lastLosses: (plus: Double, minus: Double) = (.nan, .nan)
    public private(set) var lastProjectedGradient = Double.nan
    public private(set) var skippedSteps = 0
    /// Queries of the objective so far (2 per step).
    public private(set) var evaluations = 0

    private var buffers: ZO2Buffers

    public init(objective: any BlockSequentialObjective, store: any ParameterBlockStore, lr: Double, eps: Double = 1e-3,
                weightDecay: Double = 0, direction: SeedReplayDirections.Distribution = .gaussian, seed: UInt64) throws {
        guard store.blocks == objective.sequentialBlocks else {
            throw BlockStoreError("the store's \(store.blocks.count) blocks do not match the \(objective.sequentialBlocks.count) blocks of '\(objective.name)'")
        }
        guard lr >= 0, lr.isFinite, eps > 0, eps.isFinite, weightDecay >= 0, weightDecay.isFinite else {
            throw BlockStoreError("zo2 needs lr ≥ 0, eps > 0 and weight_decay ≥ 0 (finite); got lr=\(lr), eps=\(eps), weight_decay=\(weightDecay)")
        }
        self.objective = objective
        self.store = store
        self.lr = lr
        self.eps = eps
        self.seed = seed
        rule = SPSAUpdateRule(directions: SeedReplayDirections(seed: seed, distribution: direction),
                              precision: store.precision, weightDecay: weightDecay, layout: objective.layout)
        buffers = ZO2Buffers(largest: store.blocks.map(\.count).max() ?? 0, objective: objective)
    }

    /// Continues a run from `state` over a store that holds that run's blocks
    /// (e.g. a reopened ``FileBlockStore``); the next step is `state.stepCount`.
    public init(objective: any BlockSequentialObjective, store: any ParameterBlockStore, resuming state: State) throws {
        guard state.scheme == State.currentScheme else {
            throw BlockStoreError("checkpoint uses RNG scheme '\(state.scheme)'; this build replays '\(State.currentScheme)'")
        }
        guard state.precision == store.precision.rawValue,
              let direction = SeedReplayDirections.Distribution(rawValue: state.direction) else {
            throw BlockStoreError("checkpoint stores \(state.precision) with direction '\(state.direction)'; the store is \(store.precision.rawValue)")
        }
        try self.init(objective: objective, store: store, lr: state.lr, eps: state.eps, weightDecay: state.weightDecay,
                      direction: direction, seed: state.seed)
        stepCount = state.stepCount
        pending = state.pending
        skippedSteps = state.skippedSteps
        evaluations = state.evaluations
    }

    /// The state to save next to the store for a checkpoint (``flush()`` first
    /// if the store itself should hold the latest θ; either way works).
    public var state: State {
        State(scheme: State.currentScheme, seed: seed, direction: rule.directions.distribution.rawValue,
              precision: store.precision.rawValue, lr: lr, eps: eps, weightDecay: rule.weightDecay,
              stepCount: stepCount, pending: pending, skippedSteps: skippedSteps, evaluations: evaluations)
    }

    /// Writes the objective's initial point into the store block by block (rounded to nearest).
    public mutating func initializeStore() throws {
        let objective = objective
        try buffers.w.withUnsafeMutableBufferPointer { w in
            try store.fill(scratch: w.baseAddress!) { b, out in objective.initialBlock(b, into: out) }
        }
        pending = nil
    }

    /// Writes `x` into the store (rounded to nearest), e.g. the harness's starting point.
    public mutating func initializeStore(from x: [Double]) throws {
        guard x.count == store.dimension else {
            throw ObjectiveError.dimensionMismatch(expected: store.dimension, got: x.count)
        }
        try buffers.w.withUnsafeMutableBufferPointer { w in
            try store.fill(scratch: w.baseAddress!) { b, out in
                let r = store.blocks[b]
                x.withUnsafeBufferPointer { out.baseAddress!.update(from: $0.baseAddress! + r.lowerBound, count: r.count) }
            }
        }
        pending = nil
    }

    /// One streamed step on the batch the objective currently holds.
    public mutating func step() throws {
        let t = stepCount
        let (objective, store, rule, eps, pending) = (objective, store, rule, eps, pending)
        let streams = buffers.streams
        let losses: (Double, Double) = try buffers.withPointers { w, z, p in
            objective.begin(into: streams.plus.input)
            objective.begin(into: streams.minus.input)
            for (b, range) in store.blocks.enumerated() {
                let n = range.count
                try store.read(block: b, into: w)
                if let pending {
                    rule.update(w, count: n, first: range.lowerBound, step: pending.step,
                                projectedGradient: pending.projectedGradient, learningRate: pending.learningRate, scratch: z)
                    try store.write(block: b, from: w)
                }
                rule.directions.fill(UnsafeMutableBufferPointer(start: z, count: n), first: range.lowerBound, step: t)
                let block = UnsafeBufferPointer(start: UnsafePointer(p), count: n)
                SPSAUpdateRule.perturb(w, z, scale: eps, into: p, count: n)
                objective.apply(block: b, parameters: block, input: streams.plus.input, output: streams.plus.output)
                SPSAUpdateRule.perturb(w, z, scale: -eps, into: p, count: n)
                objective.apply(block: b, parameters: block, input: streams.minus.input, output: streams.minus.output)
                streams.advance()
            }
            return (objective.loss(streams.plus.input), objective.loss(streams.minus.input))
        }
        stepCount += 1
        evaluations += 2
        lastLosses = losses
        let c = (losses.0 - losses.1) / (2 * eps)
        if c.isFinite {
            lastProjectedGradient = c
            self.pending = PendingUpdate(step: t, projectedGradient: c, learningRate: lr)
        } else {
            lastProjectedGradient = .nan
            skippedSteps += 1
            self.pending = nil
        }
    }

    /// Applies the pending update to every block (one read and one write each).
    public mutating func flush() throws {
        guard let pending else { return }
        let (store, rule) = (store, rule)
        try buffers.withPointers { w, z, _ in
            for (b, range) in store.blocks.enumerated() {
                try store.read(block: b, into: w)
                rule.update(w, count: range.count, first: range.lowerBound, step: pending.step,
                            projectedGradient: pending.projectedGradient, learningRate: pending.learningRate, scratch: z)
                try store.write(block: b, from: w)
            }
        }
        self.pending = nil
    }

    /// Writes the current θ (the store with the pending update applied) into
    /// `x` without writing to the store: one read per block.
    public mutating func materialize(into x: UnsafeMutableBufferPointer<Double>) throws {
        guard x.count == store.dimension else {
            throw ObjectiveError.dimensionMismatch(expected: store.dimension, got: x.count)
        }
        let (store, rule, pending) = (store, rule, self.pending)
        try buffers.withPointers { _, z, _ in
            for (b, range) in store.blocks.enumerated() {
                let target = x.baseAddress! + range.lowerBound
                try store.read(block: b, into: target)
                if let pending {
                    rule.update(target, count: range.count, first: range.lowerBound, step: pending.step,
                                projectedGradient: pending.projectedGradient, learningRate: pending.learningRate, scratch: z)
                }
            }
        }
    }
}

/// The block buffers and activation streams of a ``ZO2Trainer`` (allocated once).
struct ZO2Buffers {
    var w: [Double]
    var z: [Double]
    var p: [Double]
    let streams: SPSAStreams

    init(largest: Int, objective: any BlockSequentialObjective) {
        w = [Double](repeating: 0, count: max(1, largest))
        z = w
        p = w
        streams = SPSAStreams(objective)
    }

    mutating func withPointers<R>(_ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                           UnsafeMutablePointer<Double>) throws -> R) rethrows -> R {
        try w.withUnsafeMutableBufferPointer { wp in
            try z.withUnsafeMutableBufferPointer { zp in
                try p.withUnsafeMutableBufferPointer { pp in try body(wp.baseAddress!, zp.baseAddress!, pp.baseAddress!) }
            }
        }
    }
}
