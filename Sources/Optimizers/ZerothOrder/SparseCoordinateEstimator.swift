import Dispatch
import OptimizationCore

/// Forward-difference coordinate estimates on a subset S of a
/// block-sequential objective (DeepZero's sparse CGE, spec §8.3–§8.4):
///
///     ℓ₀ = f(θ),   gᵢ = (f(θ + μeᵢ) − ℓ₀)/μ  for i ∈ S,   gⱼ = 0 otherwise
///
/// **Feature reuse.** One base pass caches every block's input h_b. A
/// perturbation of a coordinate in block b leaves h₀ … h_b unchanged, so its
/// query re-runs blocks b … B−1 only, from the cached h_b — bitwise the full
/// pass, at a fraction of the cost when most coordinates sit in late blocks.
/// Without reuse every query runs all B blocks.
///
/// **Forward parallelism.** The queries are independent given θ, the batch
/// and the cache. S is cut into `threads` contiguous pieces of equal cost
/// (blocks evaluated), each thread with its own perturbed-block buffer and
/// activations; θ and the cache are shared read-only. Every gᵢ depends only
/// on (θ, cache, i), so the estimate is bitwise the same for any thread count.
///
/// Cost: |S| + 1 function values; B + Σ_{i∈S} (B − b(i)) block evaluations
/// with reuse, (|S| + 1)·B without. Workspaces are allocated once per thread count.
final class SparseCoordinateEstimator: @unchecked Sendable {
    let blocks: [Range<Int>]
    /// h₀ … h_B of the last base pass.
    private let cache: [BlockActivation]
    private var workers: [Worker] = []

    /// One thread's scratch: the perturbed block and three activations.
    private final class Worker: @unchecked Sendable {
        let block: UnsafeMutableBufferPointer<Double>
        let a: BlockActivation, b: BlockActivation, c: BlockActivation
        init(_ objective: any BlockSequentialObjective, maxBlock: Int) {
            block = .allocate(capacity: max(1, maxBlock))
            block.initialize(repeating: 0)
            a = objective.makeActivation(); b = objective.makeActivation(); c = objective.makeActivation()
        }
        deinit { block.deallocate() }
    }

    init(_ objective: any BlockSequentialObjective) {
        blocks = objective.sequentialBlocks
        cache = (0...blocks.count).map { _ in objective.makeActivation() }
    }

    /// The block of every coordinate (blocks tile 0..<d in order).
    func blockIndex(of coordinate: Int) -> Int {
        var lo = 0, hi = blocks.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if blocks[mid].upperBound <= coordinate { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Block evaluations one query of `coordinate` costs.
    func queryCost(_ coordinate: Int, reuse: Bool) -> Int {
        reuse ? blocks.count - blockIndex(of: coordinate) : blocks.count
    }

    /// Writes gᵢ for i ∈ `coordinates` (sorted) into `g` (others untouched)
    /// and returns ℓ₀ and the number of block evaluations.
    func estimate(_ objective: any BlockSequentialObjective, at theta: UnsafeBufferPointer<Double>,
                  coordinates: [Int], mu: Double, reuse: Bool, threads: Int,
                  into g: UnsafeMutableBufferPointer<Double>) -> (base: Double, blockEvaluations: Int) {
        let base = objective.cacheActivations(at: theta, into: cache)
        let parts = max(1, min(threads, coordinates.count))
        if workers.count < parts {
            let maxBlock = blocks.map(\.count).max() ?? 1
            workers += (workers.count..<parts).map { _ in Worker(objective, maxBlock: maxBlock) }
        }
        // Cut S at equal cumulative cost.
        var costs = [Int](repeating: 0, count: coordinates.count + 1)
        for (k, i) in coordinates.enumerated() { costs[k + 1] = costs[k] + queryCost(i, reuse: reuse) }
        let total = costs[coordinates.count]
        var cuts = [0]
        for p in 1..<parts {
            let goal = total * p / parts
            var k = cuts.last!
            while k < coordinates.count && costs[k] < goal { k += 1 }
            cuts.append(k)
        }
        cuts.append(coordinates.count)

        let job = Job(objective: objective, theta: theta, g: g, mu: mu, base: base, reuse: reuse,
                      coordinates: coordinates, cuts: cuts, estimator: self)
        if parts == 1 {
            job.run(part: 0, worker: workers[0])
        } else {
            let workers = self.workers
            DispatchQueue.concurrentPerform(iterations: parts) { p in job.run(part: p, worker: workers[p]) }
        }
        return (base, blocks.count + total)
    }

    /// The shared, read-only inputs of one estimate.
    private struct Job: @unchecked Sendable {
        let objective: any BlockSequentialObjective
        let theta: UnsafeBufferPointer<Double>
        let g: UnsafeMutableBufferPointer<Double>
        let mu: Double, base: Double, reuse: Bool
        let coordinates: [Int]
        let cuts: [Int]
        let estimator: SparseCoordinateEstimator

        func run(part: Int, worker: Worker) {
            var loaded = -1
            for k in cuts[part]..<cuts[part + 1] {
                let i = coordinates[k]
                let b = estimator.blockIndex(of: i)
                let range = estimator.blocks[b]
                let block = UnsafeMutableBufferPointer(rebasing: worker.block[0..<range.count])
                if b != loaded {
                    _ = block.update(fromContentsOf: UnsafeBufferPointer(rebasing: theta[range]))
                    loaded = b
                }
                let j = i - range.lowerBound
                block[j] = theta[i] + mu
                let loss = query(block: b, perturbed: UnsafeBufferPointer(block), worker: worker)
                block[j] = theta[i]
                g[i] = (loss - base) / mu
            }
        }

        /// f at θ with block b replaced: from the cache, or from scratch.
        private func query(block b: Int, perturbed: UnsafeBufferPointer<Double>, worker: Worker) -> Double {
            if reuse {
                return objective.loss(resumingAt: b, from: estimator.cache[b], firstParameters: perturbed,
                                      theta: theta, using: worker.a, worker.b)
            }
            objective.begin(into: worker.c)
            var (input, output) = (worker.c, worker.a)
            for k in 0..<b {
                objective.apply(block: k, parameters: UnsafeBufferPointer(rebasing: theta[estimator.blocks[k]]),
                                input: input, output: output)
                swap(&input, &output)
            }
            // `input` (c or a) holds h_b; the resumed pass needs the two others.
            let (first, second) = input === worker.c ? (worker.a, worker.b) : (worker.b, worker.c)
            return objective.loss(resumingAt: b, from: input, firstParameters: perturbed, theta: theta,
                                  using: first, second)
        }
    }
}
