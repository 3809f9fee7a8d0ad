import Optimizers
import Testing

/// An importer's own block-sequential function, trained with the streaming
/// API (`ZO2Trainer` over a block store) and with `MeZO` through an `Oracle`,
/// using nothing but `import Optimizers`.
struct StreamedZerothOrderTests {
    /// h₀ = 0; block b adds θ_b (2 numbers); f = ‖h₂ − (1, −2)‖² = ‖θ₀ + θ₁ − t‖².
    final class TwoShifts: BlockSequentialObjective {
        let name = "two_shifts"
        let dimension = 4
        let layout = ParameterLayout([("shift1", [2]), ("shift2", [2])])
        let initialPoint = [0.0, 0.0, 0.0, 0.0]
        let sequentialBlocks = [0..<2, 2..<4]

        func makeActivation() -> BlockActivation { BlockActivation(capacity: 2) }
        func begin(into h: BlockActivation) {
            h.reshape(rows: 1, columns: 2)
            h.storage[0] = 0
            h.storage[1] = 0
            h.accumulator = 0
        }
        func apply(block b: Int, parameters: UnsafeBufferPointer<Double>, input: BlockActivation, output: BlockActivation) {
            output.reshape(rows: 1, columns: 2)
            output.storage[0] = input.storage[0] + parameters[0]
            output.storage[1] = input.storage[1] + parameters[1]
        }
        func loss(_ h: BlockActivation) -> Double {
            let a = h.storage[0] - 1, b = h.storage[1] + 2
            return a * a + b * b
        }
        func value(at x: [Double]) throws -> Double {
            let a = x[0] + x[2] - 1, b = x[1] + x[3] + 2
            return a * a + b * b
        }
    }

    @Test func streamedTrainingMinimisesAndMatchesMezo() throws {
        let problem = TwoShifts()
        let store = try FileBlockStore(blocks: problem.sequentialBlocks, precision: .float64)
        var trainer = try ZO2Trainer(objective: problem, store: store, lr: 0.05, eps: 1e-3, seed: 7)
        try trainer.initializeStore()
        var mezo = MeZO(lr: 0.05, eps: 1e-3, seed: 7)
        var oracle = Oracle(problem)
        var x = problem.initialPoint
        for _ in 0..<400 {
            try trainer.step()
            try mezo.step(&x, oracle: &oracle)
        }
        try trainer.flush()
        let theta = try store.contents()
        #expect(theta == x)
        #expect(try problem.value(at: theta) < 1e-8)
        #expect(oracle.counts.function == 800 && trainer.evaluations == 800)
    }
}
