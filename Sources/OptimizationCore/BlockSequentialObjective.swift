/// One intermediate state of a block-sequential forward pass: a row-major
/// `rows × columns` matrix (one row per example of the batch) plus a running
/// scalar that blocks may add to in block order (an l2 penalty, say).
///
/// Why a class with preallocated storage: a streaming optimizer keeps two
/// live streams (θ + εz and θ − εz) and DeepZero caches one state per block;
/// both reuse the same workspaces every step, so no step allocates. An
/// instance is not synchronised: use it from one thread at a time (parallel
/// callers give every thread its own activations).
public final class BlockActivation: @unchecked Sendable {
    /// Elements the storage holds (`rows · columns` never exceeds it).
    public let capacity: Int
    /// The row-major values.
    public let storage: UnsafeMutablePointer<Double>
    /// Examples in the batch.
    public var rows: Int
    /// Width of the current state.
    public var columns: Int
    /// A running sum the blocks may add to, in block order (0 after `begin`).
    public var accumulator: Double

    public init(capacity: Int) {
        precondition(capacity >= 0, "activation capacity must be ≥ 0")
        self.capacity = capacity
        storage = .allocate(capacity: max(1, capacity))
        storage.initialize(repeating: 0, count: max(1, capacity))
        rows = 0
        columns = 0
        accumulator = 0
    }

    deinit { storage.deallocate() }

    /// Sets the shape (`rows · columns ≤ capacity`).
    public func reshape(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0 && rows * columns <= capacity,
                     "activation of \(rows)×\(columns) exceeds its capacity \(capacity)")
        self.rows = rows
        self.columns = columns
    }

    /// The current values (`rows · columns` elements).
    public var values: UnsafeMutableBufferPointer<Double> { .init(start: storage, count: rows * columns) }

    /// Makes this a copy of `other` without allocating (feature caches).
    public func assign(_ other: BlockActivation) {
        reshape(rows: other.rows, columns: other.columns)
        storage.update(from: other.storage, count: rows * columns)
        accumulator = other.accumulator
    }
}

/// An objective evaluated as a chain of parameter blocks:
/// f(θ) = loss(φ_{B−1}(θ_{B−1}, … φ_0(θ_0, begin(batch)))).
///
/// Why: zeroth-order methods that perturb θ block by block need never hold a
/// perturbed copy of all of θ. ZO2-style streaming (`zo2`) reads each block
/// once per step and runs both perturbed forward passes through it; exact
/// MeZO needs one block of scratch instead of a second θ; DeepZero's feature
/// reuse restarts the forward pass at the block a coordinate belongs to, from
/// a cached activation. Objectives that conform declare
/// ``Capabilities/layered``; optimizers reach them through
/// ``Oracle/layered``, which counts every completed pass.
///
/// Contract:
/// * `sequentialBlocks` tile `0..<dimension` contiguously, in forward order.
/// * `begin`, `apply` and `loss` read the batch chosen by the last
///   ``TrainingObjective/beginStep(_:)`` (the common-random-numbers rule: all passes
///   of one step see the same batch).
/// * Running `begin`, then `apply` for every block in order with the blocks
///   of θ, then `loss`, returns **bitwise** `value(at: θ)`.
/// * `apply` and `loss` touch no shared mutable state: they may run
///   concurrently on different threads with distinct output activations
///   (forward parallelism over coordinates).
///
///     let a = objective.makeActivation(), b = objective.makeActivation()
///     objective.begin(into: a)
///     objective.apply(block: 0, parameters: theta0, input: a, output: b)   // …and so on
///     let f = objective.loss(b)
public protocol BlockSequentialObjective: Objective {
    /// The parameter range of each block, in forward order.
    var sequentialBlocks: [Range<Int>] { get }
    /// A workspace large enough for the input and for every block's output on any batch.
    func makeActivation() -> BlockActivation
    /// h₀: the current batch's input (resets the accumulator to 0).
    func begin(into h: BlockActivation)
    /// h_{b+1} = φ_b(θ_b, h_b). `parameters` holds exactly block b's values
    /// (`sequentialBlocks[b].count` elements); `input` and `output` are distinct.
    func apply(block b: Int, parameters: UnsafeBufferPointer<Double>, input: BlockActivation, output: BlockActivation)
    /// The loss on the current batch from the last block's output.
    func loss(_ h: BlockActivation) -> Double
    /// Writes block b of the initial point into `out` (`sequentialBlocks[b].count`
    /// elements). Lets a block store be filled without ever holding all of x₀;
    /// the default copies from ``Objective/initialPoint``.
    func initialBlock(_ b: Int, into out: UnsafeMutableBufferPointer<Double>)
}

extension BlockSequentialObjective {
    public func initialBlock(_ b: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let range = sequentialBlocks[b]
        precondition(out.count == range.count, "block \(b) has \(range.count) elements, got \(out.count)")
        guard let target = out.baseAddress else { return }
        initialPoint.withUnsafeBufferPointer { x in target.update(from: x.baseAddress! + range.lowerBound, count: range.count) }
    }

    /// f(θ) through the blocks, ping-ponging between two workspaces
    /// (equals `value(at:)` bitwise; used by tests and by block-wise callers).
    public func blockwiseValue(at theta: UnsafeBufferPointer<Double>, using a: BlockActivation,
                               _ b: BlockActivation) -> Double {
        begin(into: a)
        var (input, output) = (a, b)
        for (index, range) in sequentialBlocks.enumerated() {
            apply(block: index, parameters: UnsafeBufferPointer(rebasing: theta[range]), input: input, output: output)
            swap(&input, &output)
        }
        return loss(input)
    }
}

/// Feature reuse (DeepZero): cache every block's input once, then evaluate
/// a change confined to block l by re-running only blocks l, l+1, ….
extension BlockSequentialObjective {
    /// Runs the whole forward pass at θ, keeping h₀ … h_B in `cache`
    /// (`sequentialBlocks.count + 1` activations; `cache[b]` is block b's
    /// input, the last one the output), and returns the loss.
    public func cacheActivations(at theta: UnsafeBufferPointer<Double>, into cache: [BlockActivation]) -> Double {
        let blocks = sequentialBlocks
        precondition(cache.count == blocks.count + 1, "the cache needs \(blocks.count + 1) activations, got \(cache.count)")
        begin(into: cache[0])
        for (index, range) in blocks.enumerated() {
            apply(block: index, parameters: UnsafeBufferPointer(rebasing: theta[range]), input: cache[index],
                  output: cache[index + 1])
        }
        return loss(cache[blocks.count])
    }

    /// The loss with block `first` replaced by `firstParameters` (its other
    /// blocks from θ), restarted from `cached` = block `first`'s input at θ:
    /// bitwise the full pass at the modified point, at the cost of blocks
    /// `first` … B−1 only. `a` and `b` are scratch activations (one pair per
    /// thread when several threads evaluate at once).
    public func loss(resumingAt first: Int, from cached: BlockActivation, firstParameters: UnsafeBufferPointer<Double>,
                     theta: UnsafeBufferPointer<Double>, using a: BlockActivation, _ b: BlockActivation) -> Double {
        let blocks = sequentialBlocks
        apply(block: first, parameters: firstParameters, input: cached, output: a)
        var (input, output) = (a, b)
        for index in (first + 1)..<blocks.count {
            apply(block: index, parameters: UnsafeBufferPointer(rebasing: theta[blocks[index]]), input: input, output: output)
            swap(&input, &output)
        }
        return loss(input)
    }
}
