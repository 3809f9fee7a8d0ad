import OptimizationCore
import Problems
import Testing

/// Minibatch order: seeded per-epoch permutations, fixed within a step.
@Suite struct LearningMinibatchTests {
    static func batches(_ p: ClassificationProblem, steps: Int) -> [[Int]] {
        (0..<steps).map { p.beginStep($0); return Array(p.currentBatch) }
    }

    @Test func orderIsReproducibleFromTheSeed() throws {
        let a = try LearningTest.make("logreg(batch=32)", seed: 7)
        let b = try LearningTest.make("logreg(batch=32)", seed: 7)
        let c = try LearningTest.make("logreg(batch=32)", seed: 8)
        let steps = 40
        let batchesA = Self.batches(a, steps: steps)
        #expect(batchesA == Self.batches(b, steps: steps))
        #expect(batchesA != Self.batches(c, steps: steps))
        // Steps visited out of order give the same batches.
        b.beginStep(29)
        #expect(Array(b.currentBatch) == batchesA[29])
        // Values too: same seed, same step → bit-identical.
        let x = LearningTest.randomPoint(a.dimension, seed: 3)
        a.beginStep(17); b.beginStep(17)
        #expect(try a.value(at: x) == b.value(at: x))
        #expect(MinibatchSchedule(trainingCount: a.split.trainingCount, batchSize: 32, seed: 7).batch(step: 17) == batchesA[17])
    }

    @Test func epochsAreDisjointBatchesOfAPermutation() throws {
        let p = try LearningTest.make("softmax(data=wine,batch=20)", seed: 1)
        let n = p.split.trainingCount
        let schedule = try #require(p.schedule)
        #expect(schedule.batchesPerEpoch == n / 20)
        let all = Self.batches(p, steps: 2 * schedule.batchesPerEpoch)
        for e in 0..<2 {
            let epoch = all[(e * schedule.batchesPerEpoch)..<((e + 1) * schedule.batchesPerEpoch)].flatMap { $0 }
            #expect(Set(epoch).count == epoch.count)
            #expect(epoch.count == schedule.batchesPerEpoch * 20)
            #expect(epoch.allSatisfy { (0..<n).contains($0) })
        }
        #expect(all[0] != all[schedule.batchesPerEpoch])
    }

    @Test func callsWithinAStepShareTheBatchAndFullValueIsTheTrainingObjective() throws {
        let p = try LearningTest.make("logreg(batch=64)", seed: 2)
        let full = try LearningTest.make("logreg")
        let x = LearningTest.randomPoint(p.dimension, seed: 4)
        p.beginStep(5)
        let f1 = try p.value(at: x)
        let g1 = try p.gradient(at: x)
        _ = try p.fullValue(at: x)
        #expect(try p.value(at: x) == f1)
        #expect(try p.gradient(at: x) == g1)
        #expect(abs(try p.fullValue(at: x) - full.value(at: x)) <= 1e-14)
        p.beginStep(6)
        #expect(try p.value(at: x) != f1)
        // A batch of all training rows is the full objective, in another order.
        let whole = try LearningTest.make("logreg(batch=456)", seed: 2)
        whole.beginStep(3)
        #expect(abs(try whole.value(at: x) - full.value(at: x)) <= 1e-13)
    }
}
