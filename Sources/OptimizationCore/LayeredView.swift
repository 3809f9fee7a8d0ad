import Synchronization

/// The ``Oracle``'s typed view of a ``BlockSequentialObjective``: every
/// block-wise method of the problem, with each completed forward pass
/// (``loss(_:)``, or ``value(at:)``) counted as one function evaluation of the run.
///
/// Why a view and not the problem itself: an optimizer that streams blocks
/// (MeZO's exact mode, ZO2, DeepZero's feature reuse) used to downcast a
/// public `oracle.objective` and report its queries by hand; through the view
/// it cannot bypass the counts, and it sees no harness hooks (batch
/// selection). The count is atomic because DeepZero runs passes on several
/// threads at once; copies of an ``Oracle`` share their view and its count.
///
///     guard let layered = oracle.layered else { throw … }   // nil: not block-sequential
///     layered.begin(into: a)
///     layered.apply(block: 0, parameters: theta0, input: a, output: b)
///     let f = layered.loss(b)                                // counts.function += 1
public final class LayeredView: BlockSequentialObjective, @unchecked Sendable {
    private let base: any BlockSequentialObjective
    private let passes = Atomic<Int>(0)

    init(_ base: any BlockSequentialObjective) { self.base = base }

    /// Forward passes completed through this view so far.
    public var completedPasses: Int { passes.load(ordering: .relaxed) }

    /// Whether this view shows `objective` (callers that cache per-problem state compare it).
    public func shows(_ objective: AnyObject) -> Bool { objective === base }

    public var name: String { base.name }
    public var dimension: Int { base.dimension }
    public var layout: ParameterLayout { base.layout }
    public var initialPoint: [Double] { base.initialPoint }
    public var knownMinimum: KnownMinimum? { base.knownMinimum }

    public func value(at x: [Double]) throws -> Double {
        passes.add(1, ordering: .relaxed)
        return try base.value(at: x)
    }

    public var sequentialBlocks: [Range<Int>] { base.sequentialBlocks }
    public func makeActivation() -> BlockActivation { base.makeActivation() }
    public func begin(into h: BlockActivation) { base.begin(into: h) }
    public func apply(block b: Int, parameters: UnsafeBufferPointer<Double>, input: BlockActivation,
                      output: BlockActivation) {
        base.apply(block: b, parameters: parameters, input: input, output: output)
    }
    public func loss(_ h: BlockActivation) -> Double {
        passes.add(1, ordering: .relaxed)
        return base.loss(h)
    }
    public func initialBlock(_ b: Int, into out: UnsafeMutableBufferPointer<Double>) {
        base.initialBlock(b, into: out)
    }
}
