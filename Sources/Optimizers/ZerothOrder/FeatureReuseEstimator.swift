import Dispatch
import OptimizationCore

/// Forward CGE on a block-sequential objective with DeepZero's feature reuse
/// and forward parallelism (spec §8.4):
///
///     ℓ₀ ← full pass at θ, caching every block's input h₀ … h_B      (1 query, B block evaluations)
///     for i ∈ S (split over threads):                                 (1 query each, B − b(i) blocks)
///         ℓᵢ ← blocks b(i) … B−1 from h_{b(i)}, block b(i) with θᵢ + μ
///         gᵢ ← (ℓᵢ − ℓ₀)/μ
///
/// Every value is bitwise the full-pass value (the protocol's contract), so
/// the estimate equals plain forward CGE bit for bit, for any thread count:
/// each gᵢ is computed by the same operations whichever thread runs it. The
/// perturbed block lives in a per-thread scratch copy, restored by assignment
/// after each query; θ and the cache are shared read-only.
///
/// With `reuse: false` the same estimator re-runs every query from the
/// input (blocks 0 … b(i)−1 from θ, then the perturbed block and the rest):
/// the no-reuse reference with identical arithmetic, B block evaluations per
/// query, for measuring what reuse saves.
///
/// Threads get contiguous runs of S cut at equal quantiles of the cost
/// B − b(i) (prefix sums; no per-coordinate work list).
///
/// A class: it owns the activation cache (B + 1 activations) and per-thread
/// workspaces, allocated once per objective and reused every step.
public final class FeatureReuseEstimator: @unchecked Sendable {
    public let objective: any BlockSequentialObjective
    public let threads: Int
    /// Restart at the perturbed block (true) or at the input (false).
    public let reuse: Bool
    private let blocks: [Range<Int>]
    private let cache: [BlockActivation]
    private let scratch: [UnsafeMutablePointer<Double>]
    private let pairs: [(BlockActivation, BlockActivation)]
    private let prefixes: [BlockActivation]
    private let widest: Int

    public init(objective: any BlockSequentialObjective, threads: Int, reuse: Bool = true) {
        let parts = max(1, threads)
        let ranges = objective.sequentialBlocks
        let wide = max(1, ranges.map(\.count).max() ?? 1)
        self.objective = objective
        self.threads = parts
        self.reuse = reuse
        blocks = ranges
        widest = wide
        cache = (0...ranges.count).map { _ in objective.makeActivation() }
        scratch = (0..<parts).map { _ in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: wide)
            p.initialize(repeating: 0, count: wide)
            return p
        }
        pairs = (0..<parts).map { _ in (objective.makeActivation(), objective.makeActivation()) }
        prefixes = reuse ? [] : (0..<parts).map { _ in objective.makeActivation() }
    }

    deinit { for p in scratch { p.deallocate() } }

    /// Blocks in the forward pass.
    public var blockCount: Int { blocks.count }

    /// The block holding coordinate i.
    public func block(of i: Int) -> Int {
        var lo = 0, hi = blocks.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if blocks[mid].lowerBound <= i { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The outcome of one estimate.
    public struct Outcome: Sendable {
        public var baseValue: Double
        /// 1 + |S|: each partial pass counts as one query (as the paper does).
        public var queries: Int
        /// Block evaluations: B + Σᵢ (B − b(i)).
        public var blockEvaluations: Int
        public var isFinite: Bool
    }

    /// Writes gᵢ for i ∈ `coordinates` (ascending) into g and 0 elsewhere.
    public func estimate(at theta: [Double], coordinates: [Int], mu: Double, into g: inout [Double]) -> Outcome {
        let n = theta.count
        if g.count != n { g = [Double](repeating: 0, count: n) }
        let nb = blocks.count
        let base = theta.withUnsafeBufferPointer { objective.cacheActivations(at: $0, into: cache) }
        // Cut S at equal quantiles of cost.
        var totalCost = 0
        for i in coordinates { totalCost += reuse ? nb - block(of: i) : nb }
        var cuts = [0]
        if threads > 1 {
            var running = 0, part = 1
            for (k, i) in coordinates.enumerated() {
                running += reuse ? nb - block(of: i) : nb
                while part < threads && running * threads >= part * totalCost {
                    cuts.append(k + 1)
                    part += 1
                }
            }
        }
        while cuts.count < threads + 1 { cuts.append(coordinates.count) }
        let finite = theta.withUnsafeBufferPointer { th in
            g.withUnsafeMutableBufferPointer { gb in
                for i in 0..<n { gb[i] = 0 }
                let shared = Shared(theta: th, g: gb, coordinates: coordinates, cuts: cuts)
                let flags = UnsafeMutableBufferPointer<Bool>.allocate(capacity: threads)
                flags.initialize(repeating: true)
                defer { flags.deallocate() }
                if threads == 1 {
                    flags[0] = run(part: 0, shared, base: base, mu: mu)
                } else {
                    let f = SharedFlags(flags)
                    DispatchQueue.concurrentPerform(iterations: threads) { part in
                        f.base[part] = self.run(part: part, shared, base: base, mu: mu)
                    }
                }
                return flags.allSatisfy { $0 }
            }
        }
        return Outcome(baseValue: base, queries: 1 + coordinates.count, blockEvaluations: nb + totalCost,
                       isFinite: finite && base.isFinite)
    }

    private struct Shared: @unchecked Sendable {
        let theta: UnsafeBufferPointer<Double>
        let g: UnsafeMutableBufferPointer<Double>
        let coordinates: [Int]
        let cuts: [Int]
    }

    private struct SharedFlags: @unchecked Sendable {
        let base: UnsafeMutableBufferPointer<Bool>
        init(_ b: UnsafeMutableBufferPointer<Bool>) { base = b }
    }

    /// One thread's run of S; returns false when a value was not finite.
    private func run(part: Int, _ s: Shared, base: Double, mu: Double) -> Bool {
        let work = scratch[part]
        let (a, b) = pairs[part]
        var finite = true
        var loaded = -1
        for k in s.cuts[part]..<s.cuts[part + 1] {
            let i = s.coordinates[k]
            let block = block(of: i)
            let range = blocks[block]
            if block != loaded {
                work.update(from: s.theta.baseAddress! + range.lowerBound, count: range.count)
                loaded = block
            }
            let local = i - range.lowerBound
            let save = work[local]
            work[local] = save + mu
            let value: Double
            let perturbed = UnsafeBufferPointer(start: work, count: range.count)
            if reuse || block == 0 {
                value = objective.loss(resumingAt: block, from: cache[block], firstParameters: perturbed,
                                       theta: s.theta, using: a, b)
            } else {
                // Recompute block b's input from h₀ (the cached batch input), then resume.
                var current: BlockActivation = cache[0]
                var target = prefixes[part]
                for index in 0..<block {
                    objective.apply(block: index, parameters: UnsafeBufferPointer(rebasing: s.theta[blocks[index]]),
                                    input: current, output: target)
                    let done = target
                    target = current === cache[0] ? a : current
                    current = done
                }
                value = objective.loss(resumingAt: block, from: current, firstParameters: perturbed,
                                       theta: s.theta, using: target, b)
            }
            work[local] = save
            s.g[i] = (value - base) / mu
            finite = finite && value.isFinite
        }
        return finite
    }
}
