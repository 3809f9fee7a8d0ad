#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OptimizationCore

/// Parameters in one file, block b at byte offset (first index of b) ×
/// bytes per element, moved with `pread`/`pwrite` (no mmap: the process
/// holds only the block it works on; the kernel's page cache may keep the
/// file, but that memory is reclaimable and not part of the resident set).
///
/// With `path` nil the file is created in `$TMPDIR` (or /tmp) and unlinked at
/// once, so it disappears when the store is released, even after a crash.
/// Float64 blocks are read straight into the caller's buffer; Float32/BF16
/// go through one encode buffer of the largest block.
public final class FileBlockStore: ParameterBlockStore {
    public let precision: StoragePrecision
    public let blocks: [Range<Int>]
    /// The file's path ("(unlinked temporary)" for an anonymous store).
    public let path: String
    private let descriptor: Int32
    private let staging: UnsafeMutableRawPointer

    public init(blocks: [Range<Int>], precision: StoragePrecision, path: String? = nil) throws {
        try validateBlocks(blocks)
        self.blocks = blocks
        self.precision = precision
        let size = off_t((blocks.last?.upperBound ?? 0) * precision.byteCount)
        if let path {
            self.path = path
            descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
            guard descriptor >= 0 else { throw BlockStoreError("cannot create block store '\(path)': \(Self.reason())") }
        } else {
            let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
            var template = Array((directory + "/optlab-blocks-XXXXXX").utf8CString)
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else {
                throw BlockStoreError("cannot create a temporary block store in '\(directory)': \(Self.reason())")
            }
            unlink(template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
            self.path = "(unlinked temporary)"
        }
        let largest = blocks.map(\.count).max() ?? 0
        staging = .allocate(byteCount: max(1, precision == .float64 ? 1 : largest * precision.byteCount), alignment: 64)
        guard ftruncate(descriptor, size) == 0 else {
            let why = Self.reason()
            close(descriptor)
            staging.deallocate()
            throw BlockStoreError("cannot size block store '\(self.path)' to \(size) bytes: \(why)")
        }
    }

    /// Reopens an existing store file (a checkpoint) without truncating it;
    /// its size must be exactly that of `blocks` in `precision`.
    public init(opening path: String, blocks: [Range<Int>], precision: StoragePrecision) throws {
        try validateBlocks(blocks)
        self.blocks = blocks
        self.precision = precision
        self.path = path
        descriptor = open(path, O_RDWR)
        guard descriptor >= 0 else { throw BlockStoreError("cannot open block store '\(path)': \(Self.reason())") }
        var info = stat()
        let expected = (blocks.last?.upperBound ?? 0) * precision.byteCount
        guard fstat(descriptor, &info) == 0, Int(info.st_size) == expected else {
            let size = Int(info.st_size)
            close(descriptor)
            throw BlockStoreError("block store '\(path)' has \(size) bytes; \(blocks.count) blocks of \(precision.rawValue) need \(expected)")
        }
        let largest = blocks.map(\.count).max() ?? 0
        staging = .allocate(byteCount: max(1, precision == .float64 ? 1 : largest * precision.byteCount), alignment: 64)
    }

    /// Flushes the file to the device (`fsync`), e.g. after ``ZO2Trainer/flush()`` for a checkpoint.
    public func synchronize() throws {
        guard fsync(descriptor) == 0 else { throw BlockStoreError("cannot sync block store '\(path)': \(Self.reason())") }
    }

    deinit {
        close(descriptor)
        staging.deallocate()
    }

    public func read(block b: Int, into values: UnsafeMutablePointer<Double>) throws {
        let r = blocks[b]
        let target = precision == .float64 ? UnsafeMutableRawPointer(values) : staging
        try transfer(block: b, buffer: target, byteCount: r.count * precision.byteCount, writing: false)
        if precision != .float64 { precision.decode(staging, count: r.count, into: values) }
    }

    public func write(block b: Int, from values: UnsafePointer<Double>) throws {
        let r = blocks[b]
        if precision != .float64 { precision.encode(values, count: r.count, into: staging) }
        let source = precision == .float64 ? UnsafeMutableRawPointer(mutating: values) : staging
        try transfer(block: b, buffer: source, byteCount: r.count * precision.byteCount, writing: true)
    }

    /// pread/pwrite until every byte moved (they may return short counts; EINTR is retried).
    private func transfer(block b: Int, buffer: UnsafeMutableRawPointer, byteCount: Int, writing: Bool) throws {
        var done = 0
        let start = off_t(blocks[b].lowerBound * precision.byteCount)
        while done < byteCount {
            let n = writing
                ? pwrite(descriptor, buffer + done, byteCount - done, start + off_t(done))
                : pread(descriptor, buffer + done, byteCount - done, start + off_t(done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let why = n == 0 ? "unexpected end of file" : Self.reason()
                throw BlockStoreError("cannot \(writing ? "write" : "read") block \(b) of '\(path)': \(why)")
            }
            done += n
        }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
