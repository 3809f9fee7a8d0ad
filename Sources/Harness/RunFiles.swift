import Foundation
import OptimizationCore

/// The per-run files of a run directory: `runs/<run_id>.summary.csv` (the
/// run's summary row) and `runs/<run_id>.csv` (its trace), each written to a
/// temporary name and renamed into place — the summary first, the trace last.
/// A trace file in place therefore means the run finished; `--resume` also
/// checks both files parse with the exact headers and that the trace's last
/// row carries the `final` event before it skips a run.
public struct RunFiles: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public var runsDirectory: String { directory + "/runs" }
    public func tracePath(_ runID: String) -> String { runsDirectory + "/\(runID).csv" }
    public func summaryPath(_ runID: String) -> String { runsDirectory + "/\(runID).summary.csv" }

    /// Creates `runs/` and removes temporary files a killed or failed writer
    /// left behind (in `runs/`, the directory itself and `plots/`).
    public func prepare() throws {
        if FileAccess.kind(directory) == .file {
            throw HarnessError("cannot use '\(directory)' as the output directory: it is a file")
        }
        do {
            try FileAccess.createDirectory(runsDirectory)
        } catch {
            throw HarnessError(error.description)
        }
        removeTemporaryFiles()
    }

    /// Removes `*.tmp-*` files in the run directory, `runs/` and `plots/`.
    public func removeTemporaryFiles() {
        for dir in [directory, runsDirectory, directory + "/plots"] { FileAccess.removeTemporaryFiles(in: dir) }
    }

    /// Writes one finished run (summary first, then the trace).
    public func write(_ record: RunRecord) throws {
        try AtomicFile.write(CSV.line(RunSetWriter.summaryHeader) + RunSetWriter.summaryLine(record),
                             to: summaryPath(record.runID))
        try AtomicFile.write(CSV.line(RunSetWriter.traceHeader) + RunSetWriter.traceLines(record),
                             to: tracePath(record.runID))
    }

    /// True when both files of the run are in place and complete.
    public func isComplete(_ runID: String) -> Bool {
        guard let trace = try? CSV.read(path: tracePath(runID)), trace.header == RunSetWriter.traceHeader,
              let last = trace.rows.last, last[RunSetWriter.traceHeader.count - 2].split(separator: ";").contains("final"),
              let summary = try? CSV.read(path: summaryPath(runID)), summary.header == RunSetWriter.summaryHeader,
              summary.rows.count == 1, summary.rows[0][0] == runID
        else { return false }
        return true
    }

    /// The body (lines after the header) of a complete run's trace and summary.
    func bodies(_ runID: String) throws -> (trace: String, summary: String) {
        func body(_ path: String) throws -> String {
            guard let text = readTextFile(path), let newline = text.firstIndex(of: "\n") else {
                throw HarnessError("\(path): missing or empty; rerun with --resume to redo the run")
            }
            return String(text[text.index(after: newline)...])
        }
        return (try body(tracePath(runID)), try body(summaryPath(runID)))
    }
}

/// Whole-file writes that never leave a truncated file under the final name.
public enum AtomicFile {
    /// Writes `text` to `path.tmp-<pid>-<n>`, then renames it to `path`. On
    /// failure the temporary file is removed and the error is one line naming
    /// the path and the reason (missing directory, a directory, no space,
    /// permission).
    public static func write(_ text: String, to path: String) throws {
        do {
            try FileAccess.writeAtomically(text, to: path, temporarySuffix: "\(getpid())-\(counter.next())")
        } catch {
            throw HarnessError(error.description)
        }
    }

    private static let counter = Counter()

    /// A thread-safe counter (temporary names stay unique across threads).
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    }
}
