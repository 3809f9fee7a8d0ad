import Foundation
import OptimizationCore
import Optimizers
import Problems
import Testing

/// ZO2-style streaming (spec §7.3, §11.5): the block-streamed trajectory is
/// in-RAM exact MeZO's, bit for bit, with one read and one write per block and step.
@Suite struct ZO2Tests {
    /// Runs `steps` of zo2 (streamed, counted, file-backed) and of in-RAM exact
    /// MeZO on two instances of the toy chain, checking after every step that
    /// the losses, c and the stored θ agree, and returns the instrumented store.
    @discardableResult
    func compare(storage: StoragePrecision, steps: Int, nanAtCalls: Set<Int> = []) throws -> (CountingBlockStore, ZO2Trainer) {
        let streamed = ToyChain(), reference = ToyChain()
        streamed.nanAtCalls = nanAtCalls
        reference.nanAtCalls = nanAtCalls
        let store = CountingBlockStore(try FileBlockStore(blocks: streamed.sequentialBlocks, precision: storage))
        var trainer = try ZO2Trainer(objective: streamed, store: store, lr: 0.05, eps: 1e-3, weightDecay: 0.1, seed: 11)
        try trainer.initializeStore()
        var mezo = MeZO(lr: 0.05, eps: 1e-3, weightDecay: 0.1, storage: storage, seed: 11)
        try mezo.prepare(RunContext(layout: reference.layout))
        var oracle = Oracle(reference)
        var x = reference.initialPoint
        for t in 0..<steps {
            let before = x.map(storage.nearest)   // θ_t (x₀ enters the store rounded to nearest)
            try trainer.step()
            try mezo.step(&x, oracle: &oracle)
            #expect(trainer.lastLosses.plus.bitPattern == mezo.lastLosses.plus.bitPattern, "ℓ⁺ at step \(t)")
            #expect(trainer.lastLosses.minus.bitPattern == mezo.lastLosses.minus.bitPattern, "ℓ⁻ at step \(t)")
            #expect(trainer.lastProjectedGradient.bitPattern == mezo.lastProjectedGradient.bitPattern, "c at step \(t)")
            // The store holds θ_t (the update of step t pending): never a perturbed value.
            #expect(try store.contents().map(\.bitPattern) == before.map(\.bitPattern), "store at step \(t)")
            var current = [Double](repeating: 0, count: x.count)
            try current.withUnsafeMutableBufferPointer { try trainer.materialize(into: $0) }
            #expect(current.map(\.bitPattern) == x.map(\.bitPattern), "materialised θ at step \(t)")
        }
        store.resetCounts()
        try trainer.flush()
        #expect(try store.contents().map(\.bitPattern) == x.map(\.bitPattern), "store after flush")
        #expect(trainer.skippedSteps == mezo.skippedSteps)
        return (store, trainer)
    }

    @Test(arguments: StoragePrecision.allCases)
    func streamedTrajectoryEqualsInRamMezoBitwise(storage: StoragePrecision) throws {
        try compare(storage: storage, steps: 20)
    }

    @Test func eachBlockIsReadOnceAndWrittenOncePerStep() throws {
        let objective = ToyChain()
        let store = CountingBlockStore(try InMemoryBlockStore(blocks: objective.sequentialBlocks, precision: .float64))
        var trainer = try ZO2Trainer(objective: objective, store: store, lr: 0.05, seed: 1)
        try trainer.initializeStore()
        store.resetCounts()
        try trainer.step()
        #expect(store.log == ["r0", "r1", "r2"])          // nothing pending yet: no write
        for _ in 1..<20 { try trainer.step() }
        #expect(store.reads == [20, 20, 20] && store.writes == [19, 19, 19])
        #expect(Array(store.log.suffix(6)) == ["r0", "w0", "r1", "w1", "r2", "w2"])
        #expect(trainer.evaluations == 40)
        store.resetCounts()
        try trainer.flush()
        #expect(store.reads == [1, 1, 1] && store.writes == [1, 1, 1] && trainer.pending == nil)
        try trainer.flush()                                  // nothing pending: no I/O
        #expect(store.log.count == 6)
    }

    /// §11.5.5: a NaN at step 3 skips that update (no write at step 4) and later steps still match.
    @Test func nonFiniteLossSkipsTheDeferredUpdateAndStaysAligned() throws {
        let (store, trainer) = try compare(storage: .float64, steps: 8, nanAtCalls: [6])
        #expect(trainer.skippedSteps == 1)
        #expect(store.writes == [1, 1, 1])   // the flush after step 7
    }

    /// §11.5.4: an update far below half an ulp survives on average with
    /// stochastic rounding and vanishes with round-to-nearest.
    @Test(arguments: [StoragePrecision.float32, .bf16])
    func stochasticRoundingKeepsTinyUpdatesOnAverage(storage: StoragePrecision) {
        let n = 40_000
        let unit = storage == .float32 ? Double(Float(1).ulp) : 0x1p-7   // ulp at 1
        let delta = 0.1 * unit
        let rule = SPSAUpdateRule(directions: SeedReplayDirections(seed: 5, distribution: .ones), precision: storage,
                                  weightDecay: 0, layout: .flat(n))
        var w = [Double](repeating: 1, count: n), scratch = w
        w.withUnsafeMutableBufferPointer { wp in
            scratch.withUnsafeMutableBufferPointer { sp in
                rule.update(wp.baseAddress!, count: n, first: 0, step: 0, projectedGradient: -1, learningRate: delta,
                            scratch: sp.baseAddress!)
            }
        }
        #expect(w.allSatisfy { $0 == 1 || $0 == 1 + unit })
        let mean = w.reduce(0, +) / Double(n) - 1
        let standardError = unit * (0.1 * 0.9 / Double(n)).squareRoot()
        #expect(abs(mean - delta) < 4 * standardError, "mean move \(mean), expected \(delta)")
        #expect(storage.nearest(1 + delta) == 1)
    }

    /// A checkpoint (the store file + the JSON state) resumes the same trajectory bit for bit.
    @Test func checkpointAndResumeContinueTheSameTrajectory() throws {
        let path = NSTemporaryDirectory() + "optlab-zo2-checkpoint-\(getpid()).bin"
        defer { unlink(path) }
        let reference = ToyChain()
        var straight = try ZO2Trainer(objective: reference, store: try InMemoryBlockStore(blocks: reference.sequentialBlocks, precision: .bf16),
                                      lr: 0.05, weightDecay: 0.1, direction: .rademacher, seed: 3)
        try straight.initializeStore()
        for _ in 0..<10 { try straight.step() }
        try straight.flush()

        let objective = ToyChain()
        var saved = Data()
        do {
            let store = try FileBlockStore(blocks: objective.sequentialBlocks, precision: .bf16, path: path)
            var first = try ZO2Trainer(objective: objective, store: store, lr: 0.05, weightDecay: 0.1, direction: .rademacher, seed: 3)
            try first.initializeStore()
            for _ in 0..<6 { try first.step() }
            try store.synchronize()
            saved = try JSONEncoder().encode(first.state)
        }   // the trainer and the store are gone; the file and the JSON remain
        let state = try JSONDecoder().decode(ZO2Trainer.State.self, from: saved)
        #expect(state.stepCount == 6 && state.pending?.step == 5)
        let reopened = try FileBlockStore(opening: path, blocks: objective.sequentialBlocks, precision: .bf16)
        var resumed = try ZO2Trainer(objective: objective, store: reopened, resuming: state)
        for _ in 6..<10 { try resumed.step() }
        try resumed.flush()
        #expect(resumed.lastLosses.plus.bitPattern == straight.lastLosses.plus.bitPattern)
        #expect(try reopened.contents().map(\.bitPattern) == (try straight.store.contents()).map(\.bitPattern))

        #expect(throws: BlockStoreError.self) {
            _ = try FileBlockStore(opening: path, blocks: objective.sequentialBlocks, precision: .float32)   // wrong size
        }
        var foreign = state
        foreign.scheme = "mt19937"
        #expect(throws: BlockStoreError.self) { _ = try ZO2Trainer(objective: objective, store: reopened, resuming: foreign) }
    }

    // MARK: the harness optimizer

    @Test(arguments: [ZO2.StoreKind.memory, .file])
    func harnessOptimizerFollowsMezo(store: ZO2.StoreKind) throws {
        let spec = "mlp(hidden=8,batch=32)"
        let (a, _) = try ProblemCatalog.shared.make(spec, seed: 2)
        let (b, _) = try ProblemCatalog.shared.make(spec, seed: 2)
        var zo2 = ZO2(lr: 1e-2, eps: 1e-3, weightDecay: 1e-2, storage: .float32, store: store, seed: 4)
        var mezo = MeZO(lr: 1e-2, eps: 1e-3, weightDecay: 1e-2, storage: .float32, seed: 4)
        try zo2.prepare(RunContext(layout: a.layout))
        try mezo.prepare(RunContext(layout: b.layout))
        var (oa, ob) = (Oracle(a), Oracle(b))
        var (xa, xb) = (a.initialPoint, b.initialPoint)
        for t in 0..<4 {
            a.beginStep(t)
            b.beginStep(t)
            try zo2.step(&xa, oracle: &oa)
            try mezo.step(&xb, oracle: &ob)
            #expect(xa.map(\.bitPattern) == xb.map(\.bitPattern), "step \(t)")
        }
        #expect(oa.counts.function == 8 && xa != a.initialPoint)
    }

    @Test func refusesObjectivesWithoutBlocksAndBadStores() throws {
        #expect(throws: SpecError.self) {
            _ = try OptimizerCatalog.make("zo2", for: [.value, .gradient], problemName: "rosenbrock")
        }
        let error = #expect(throws: BlockStoreError.self) {
            _ = try FileBlockStore(blocks: [0..<4], precision: .float64, path: "/nonexistent-dir/theta.bin")
        }
        #expect(error?.description.contains("/nonexistent-dir/theta.bin") == true)
        #expect(throws: BlockStoreError.self) { _ = try InMemoryBlockStore(blocks: [0..<4, 5..<8], precision: .float32) }
        let (opt, _) = try OptimizerCatalog.shared.make("zo2(store=file,storage=bf16)")
        #expect((opt as? ZO2)?.storeKind == .file && (opt as? ZO2)?.storage == .bf16)
    }
}
