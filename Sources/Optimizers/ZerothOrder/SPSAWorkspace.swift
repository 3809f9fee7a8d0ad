import OptimizationCore

/// Two activation streams (θ + εz and θ − εz) of a block-wise pass, each a
/// ping-pong pair: `input` holds the state entering the next block.
final class SPSAStreams {
    final class Pair {
        var input: BlockActivation
        var output: BlockActivation
        init(_ a: BlockActivation, _ b: BlockActivation) { input = a; output = b }
        func advance() { swap(&input, &output) }
    }
    let plus: Pair
    let minus: Pair

    init(_ objective: any BlockSequentialObjective) {
        plus = Pair(objective.makeActivation(), objective.makeActivation())
        minus = Pair(objective.makeActivation(), objective.makeActivation())
    }

    /// After a block: its outputs become the next block's inputs.
    func advance() { plus.advance(); minus.advance() }
}

/// The buffers of a zeroth-order SPSA step, allocated on first use and kept:
/// z and the perturbed block P (block-sized), a fixed chunk for element-wise
/// passes, an optional d-sized work vector, and the activation streams.
struct SPSAWorkspace {
    /// Elements of the chunk used by element-wise passes over a whole vector (O(1) memory).
    static let chunkSize = 4096

    private(set) var z: [Double] = []
    private(set) var perturbed: [Double] = []
    private(set) var chunk = [Double](repeating: 0, count: SPSAWorkspace.chunkSize)
    private(set) var work: [Double] = []
    private var streams: SPSAStreams?
    private weak var streamsOwner: AnyObject?
    /// The owner's block ranges, read once (an objective may compute them per call).
    private(set) var blocks: [Range<Int>] = []

    /// Block buffers for the largest block, activations and block ranges of
    /// `objective`; allocates only when the objective changes.
    mutating func prepare(for objective: any BlockSequentialObjective) {
        guard streams == nil || streamsOwner !== objective else { return }
        blocks = objective.sequentialBlocks
        let count = blocks.map(\.count).max() ?? 0
        if z.count < count {
            z = [Double](repeating: 0, count: count)
            perturbed = [Double](repeating: 0, count: count)
        }
        streams = SPSAStreams(objective)
        streamsOwner = objective
    }

    /// A work vector of `count` elements (0: only the chunk).
    mutating func prepareWork(count: Int) {
        if work.count != count && count > 0 { work = [Double](repeating: 0, count: count) }
    }

    /// (z, P, streams); P's contents are the caller's.
    mutating func withBuffers<R>(_ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, SPSAStreams) -> R) -> R {
        let s = streams!
        return z.withUnsafeMutableBufferPointer { zp in
            perturbed.withUnsafeMutableBufferPointer { pp in body(zp.baseAddress!, pp.baseAddress!, s) }
        }
    }

    /// (work, chunk); work is a dangling-free pointer only when `prepareWork` gave it elements.
    mutating func withWork<R>(_ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> R) -> R {
        chunk.withUnsafeMutableBufferPointer { cp in
            if work.isEmpty { return body(cp.baseAddress!, cp.baseAddress!) }
            return work.withUnsafeMutableBufferPointer { wp in body(wp.baseAddress!, cp.baseAddress!) }
        }
    }

    /// Calls `body` on consecutive ranges of at most ``chunkSize`` elements covering 0..<count.
    @inline(__always)
    static func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
        var start = 0
        while start < count {
            let end = min(start + chunkSize, count)
            body(start..<end)
            start = end
        }
    }
}
