import OptimizationCore

/// Where a preconditioner block's elements live in the flat parameter
/// vector: a list of contiguous runs, gathered into a dense block-local
/// buffer (row-major in the block's own shape) and scattered back.
///
/// One type serves every per-layer method: K-FAC's and MKOR's [W | b]
/// matrix of a linear layer (each row: d_in weights, then the bias) and
/// Shampoo's hyper-rectangular blocks of a merged parameter tensor.
/// Built once per layout; gathering and scattering allocate nothing.
public struct BlockView: Sendable, Equatable {
    /// One contiguous copy: `length` elements from `flat[source...]` to `local[destination...]`.
    struct Run: Sendable, Equatable {
        let source: Int
        let destination: Int
        let length: Int
    }

    let runs: [Run]
    /// Elements of the block (the length of the local buffer).
    public let count: Int

    init(runs: [Run]) {
        self.runs = runs
        count = runs.reduce(0) { $0 + $1.length }
    }

    /// A linear layer's [W | b]: `outputs` rows of the weight's row (d_in
    /// elements) followed by the bias entry when there is a bias.
    public init(weight: ParameterBlock, bias: ParameterBlock?) {
        let outputs = weight.shape[0]
        let inW = weight.count / max(1, outputs)
        let columns = inW + (bias == nil ? 0 : 1)
        var runs: [Run] = []
        for i in 0..<outputs {
            runs.append(Run(source: weight.offset + i * inW, destination: i * columns, length: inW))
            if let bias { runs.append(Run(source: bias.offset + i, destination: i * columns + inW, length: 1)) }
        }
        self.init(runs: runs)
    }

    /// The sub-tensor `origin ..< origin + extent` of a row-major tensor of
    /// `shape` stored from `base` in the flat vector.
    public init(base: Int, shape: [Int], origin: [Int], extent: [Int]) {
        precondition(shape.count == origin.count && shape.count == extent.count && !shape.isEmpty,
                     "BlockView: shape, origin and extent need the same non-zero rank")
        var strides = [Int](repeating: 1, count: shape.count)
        for k in stride(from: shape.count - 2, through: 0, by: -1) { strides[k] = strides[k + 1] * shape[k + 1] }
        let last = shape.count - 1
        let rowsOfRuns = extent[..<last].reduce(1, *)
        var runs: [Run] = []
        runs.reserveCapacity(rowsOfRuns)
        var index = [Int](repeating: 0, count: last)
        for r in 0..<rowsOfRuns {
            var source = base + origin[last]
            for k in 0..<last { source += (origin[k] + index[k]) * strides[k] }
            runs.append(Run(source: source, destination: r * extent[last], length: extent[last]))
            // Row-major odometer over the leading axes.
            var k = last - 1
            while k >= 0 {
                index[k] += 1
                if index[k] < extent[k] { break }
                index[k] = 0
                k -= 1
            }
        }
        self.init(runs: runs)
    }

    /// local ← flat[runs].
    public func gather(_ flat: UnsafePointer<Double>, into local: UnsafeMutablePointer<Double>) {
        runs.withUnsafeBufferPointer { rp in
            for r in 0..<rp.count {
                let (dst, src, length) = (local + rp[r].destination, flat + rp[r].source, rp[r].length)
                for j in 0..<length { dst[j] = src[j] }
            }
        }
    }

    /// flat[runs] ← α·local.
    public func scatter(_ alpha: Double, _ local: UnsafePointer<Double>, into flat: UnsafeMutablePointer<Double>) {
        runs.withUnsafeBufferPointer { rp in
            for r in 0..<rp.count {
                let (dst, src, length) = (flat + rp[r].source, local + rp[r].destination, rp[r].length)
                for j in 0..<length { dst[j] = alpha * src[j] }
            }
        }
    }
}
