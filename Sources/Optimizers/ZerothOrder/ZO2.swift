import OptimizationCore

/// ZO2-style block-streamed MeZO as a harness optimizer (spec §7.3): the
/// parameters live in a block store and each step streams every block once —
/// one read, one write (the previous step's deferred update), both perturbed
/// forward passes through it — so the step needs one block of θ in RAM.
///
/// Update (identical to ``MeZO`` with `restore=exact`, bit for bit, on the
/// same problem, seed and storage):
///
///     c_t = (L(θ + εz_t) − L(θ − εz_t))/(2ε),  θ ← θ − η·(c_t·z_t + λ·θ)   (applied during step t+1)
///
/// Needs a `BlockSequentialObjective` (capability `layered`, e.g. `mlp`,
/// one block per layer). Inside the harness the caller's `x` must be the
/// iterate after every step, so this wrapper copies θ out of the store after
/// each step (one extra read pass): it demonstrates and tests the streaming
/// path, but the memory saving needs the streaming API, ``ZO2Trainer``, as
/// `optlab bench zeroth` uses it (peak RSS ≈ 3 blocks instead of all of θ).
///
/// Keys: lr 1e-6, eps 1e-3, weight_decay 0, direction gaussian (as `mezo`),
/// storage float64|float32|bf16 (low-bit stores round updates stochastically),
/// store memory|file (file: an unlinked temporary file, pread/pwrite).
///
/// Cost per step: 2 queries; 2 generations of z per coordinate; parameter
/// I/O one read + one write per block (+ one read for the harness copy).
///
///     optlab run --problem 'mlp(hidden=64,batch=64)' --optimizer 'zo2(lr=1e-3,store=file,storage=float32)'
///
/// Reference: Wang et al., arXiv:2503.12668 (ZO2); Malladi et al., arXiv:2305.17333 (MeZO).
public struct ZO2: Optimizer {
    /// Where the parameter blocks live between steps (the `store` key).
    public enum StoreKind: String, Sendable, CaseIterable { case memory, file }

    public static let descriptor = OptimizerDescriptor(
        name: "zo2", family: .zerothOrder,
        summary: "ZO2-style block-streamed MeZO: θ in a block store, one read + one write per block and step, deferred update",
        reference: "Wang et al. 2025, arXiv:2503.12668 (ZO2); Malladi et al. 2023, arXiv:2305.17333 (MeZO)",
        hyperparameters: [
            .real("lr", 1e-6, .nonNegative, "learning rate η"),
            .real("eps", 1e-3, .positive, "perturbation radius ε"),
            .real("weight_decay", 0, .nonNegative, "decoupled decay λ (not on bias/norm tensors)"),
            .choice("direction", "gaussian", SeedReplayDirections.Distribution.allCases.map(\.rawValue),
                    "distribution of z (ones: z = 1, for tests)"),
            .choice("storage", "float64", StoragePrecision.allCases.map(\.rawValue),
                    "format of the store (float32/bf16: stochastic rounding of updates)"),
            .choice("store", "memory", StoreKind.allCases.map(\.rawValue),
                    "where θ lives between steps (file: one temporary file, pread/pwrite)"),
        ],
        requires: [.value, .layered])

    public let lr: Double
    public let eps: Double
    public let weightDecay: Double
    public let distribution: SeedReplayDirections.Distribution
    public let storage: StoragePrecision
    public let storeKind: StoreKind
    public private(set) var seed: UInt64
    public private(set) var trainer: ZO2Trainer?
    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?

    public init(lr: Double = 1e-6, eps: Double = 1e-3, weightDecay: Double = 0,
                direction: SeedReplayDirections.Distribution = .gaussian, storage: StoragePrecision = .float64,
                store: StoreKind = .memory, seed: UInt64 = 0) {
        self.init(Self.descriptor.validated([
            "lr": .real(lr), "eps": .real(eps), "weight_decay": .real(weightDecay),
            "direction": .text(direction.rawValue), "storage": .text(storage.rawValue), "store": .text(store.rawValue),
        ]), seed: seed)
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters, seed: UInt64 = 0) {
        lr = p.double("lr")
        eps = p.double("eps")
        weightDecay = p.double("weight_decay")
        distribution = SeedReplayDirections.Distribution(rawValue: p.string("direction"))!
        storage = StoragePrecision(rawValue: p.string("storage"))!
        storeKind = StoreKind(rawValue: p.string("store"))!
        self.seed = seed
    }

    public mutating func prepare(_ context: RunContext) throws {
        trainer = nil
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        if trainer == nil {
            guard let objective = oracle.layered else {
                throw ObjectiveError.unsupported("a block-sequential forward pass (capability layered), which zo2 streams",
                                                 problem: oracle.problemName)
            }
            let blocks = objective.sequentialBlocks
            let store: any ParameterBlockStore = storeKind == .file
                ? try FileBlockStore(blocks: blocks, precision: storage)
                : try InMemoryBlockStore(blocks: blocks, precision: storage)
            var fresh = try ZO2Trainer(objective: objective, store: store, lr: lr, eps: eps, weightDecay: weightDecay,
                                       direction: distribution, seed: seed)
            try fresh.initializeStore(from: x)
            trainer = fresh
        }
        try trainer!.step()   // its two forward passes are counted by the oracle's layered view
        currentLearningRate = lr
        lastEvent = trainer!.lastProjectedGradient.isNaN ? "skipped:nonfinite_loss" : nil
        try x.withUnsafeMutableBufferPointer { try trainer!.materialize(into: $0) }
    }
}
