import OptimizationCore

/// Where the parameters of a block-streamed method live between steps:
/// θ split into blocks (the objective's `BlockSequentialObjective/sequentialBlocks`),
/// each read and written whole, in a storage format (``StoragePrecision``).
///
/// Values handed to `write` must already be representable in `precision`
/// (the caller rounds, with the seeded rule of ``SPSAUpdateRule``): a store
/// encodes and decodes exactly and never rounds on its own, so where θ is
/// kept cannot change the trajectory.
public protocol ParameterBlockStore: AnyObject {
    /// The format of the stored elements.
    var precision: StoragePrecision { get }
    /// The index range of each block in the flat vector, in order, tiling 0..<dimension.
    var blocks: [Range<Int>] { get }
    /// Decodes block b into `values` (`blocks[b].count` elements).
    func read(block b: Int, into values: UnsafeMutablePointer<Double>) throws
    /// Encodes `blocks[b].count` representable values as block b.
    func write(block b: Int, from values: UnsafePointer<Double>) throws
}

/// Why a block store failed: the operation, the file and the system's reason.
public struct BlockStoreError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension ParameterBlockStore {
    /// Elements in all blocks.
    public var dimension: Int { blocks.last?.upperBound ?? 0 }

    /// Fills the store from `source(b, buffer)` block by block, rounding to
    /// nearest in `precision`; `scratch` must hold the largest block.
    public func fill(scratch: UnsafeMutablePointer<Double>,
                     _ source: (Int, UnsafeMutableBufferPointer<Double>) throws -> Void) throws {
        for (b, range) in blocks.enumerated() {
            try source(b, UnsafeMutableBufferPointer(start: scratch, count: range.count))
            if precision != .float64 { for i in 0..<range.count { scratch[i] = precision.nearest(scratch[i]) } }
            try write(block: b, from: scratch)
        }
    }

    /// The whole stored vector (tests and small problems; allocates d elements).
    public func contents() throws -> [Double] {
        var x = [Double](repeating: 0, count: dimension)
        try x.withUnsafeMutableBufferPointer { p in
            for (b, range) in blocks.enumerated() { try read(block: b, into: p.baseAddress! + range.lowerBound) }
        }
        return x
    }
}

/// Checks that `blocks` tile 0..<n contiguously.
func validateBlocks(_ blocks: [Range<Int>]) throws {
    var next = 0
    for (b, r) in blocks.enumerated() {
        guard r.lowerBound == next else {
            throw BlockStoreError("block \(b) starts at \(r.lowerBound), expected \(next): blocks must tile the parameters in order")
        }
        next = r.upperBound
    }
}

/// A store in RAM (the storage format's bytes): the default for `zo2` inside
/// the harness, and the reference the file store is compared with.
public final class InMemoryBlockStore: ParameterBlockStore {
    public let precision: StoragePrecision
    public let blocks: [Range<Int>]
    private let bytes: UnsafeMutableRawPointer

    public init(blocks: [Range<Int>], precision: StoragePrecision) throws {
        try validateBlocks(blocks)
        self.blocks = blocks
        self.precision = precision
        let size = max(1, (blocks.last?.upperBound ?? 0) * precision.byteCount)
        bytes = .allocate(byteCount: size, alignment: 16)
        bytes.initializeMemory(as: UInt8.self, repeating: 0, count: size)
    }

    deinit { bytes.deallocate() }

    public func read(block b: Int, into values: UnsafeMutablePointer<Double>) throws {
        let r = blocks[b]
        precision.decode(bytes + r.lowerBound * precision.byteCount, count: r.count, into: values)
    }

    public func write(block b: Int, from values: UnsafePointer<Double>) throws {
        let r = blocks[b]
        precision.encode(values, count: r.count, into: bytes + r.lowerBound * precision.byteCount)
    }
}

/// Wraps a store and counts the reads and writes of every block — the
/// instrument behind the "each block is read once and written once per step"
/// tests (spec §11.5.2).
public final class CountingBlockStore: ParameterBlockStore {
    public let base: any ParameterBlockStore
    public private(set) var reads: [Int]
    public private(set) var writes: [Int]
    /// Every (operation, block) in order: "r3", "w3", …
    public private(set) var log: [String] = []

    public init(_ base: any ParameterBlockStore) {
        self.base = base
        reads = [Int](repeating: 0, count: base.blocks.count)
        writes = reads
    }

    public var precision: StoragePrecision { base.precision }
    public var blocks: [Range<Int>] { base.blocks }

    public func read(block b: Int, into values: UnsafeMutablePointer<Double>) throws {
        reads[b] += 1
        log.append("r\(b)")
        try base.read(block: b, into: values)
    }

    public func write(block b: Int, from values: UnsafePointer<Double>) throws {
        writes[b] += 1
        log.append("w\(b)")
        try base.write(block: b, from: values)
    }

    /// Zeroes the counters and the log.
    public func resetCounts() {
        reads = reads.map { _ in 0 }
        writes = writes.map { _ in 0 }
        log = []
    }
}
