import Foundation
import LinearAlgebra
import OptimizationCore

/// How to execute a run set.
public struct RunSetOptions: Sendable {
    /// Runs executed at once (each on its own thread, OpenBLAS pinned to 1 thread).
    public var jobs: Int
    /// Skip runs whose files in `runs/` are complete.
    public var resume: Bool
    /// Run only this part of the plan.
    public var shard: Shard?
    /// The command line, recorded in the manifest.
    public var command: [String]
    /// Extra manifest entries.
    public var manifestExtra: [String: any Sendable]
    /// Write into a directory that holds another run set after removing the
    /// lab's files there (see ``OutputDirectory``); without it that is refused.
    public var force = false

    public init(jobs: Int = 1, resume: Bool = false, shard: Shard? = nil, command: [String] = [],
                manifestExtra: [String: any Sendable] = [:]) {
        self.jobs = jobs
        self.resume = resume
        self.shard = shard
        self.command = command
        self.manifestExtra = manifestExtra
    }
}

/// A progress report: runs finished so far (skipped ones included) of the total.
public struct RunProgress: Sendable {
    public let done: Int
    public let total: Int
    public let outcome: RunOutcome
}

/// Executes a run plan into a directory.
public enum RunSet {
    /// The identities of the runs of `plan` (this shard), duplicates removed, in plan order.
    public static func identities(_ plan: RunPlan, shard: Shard?, runner: Runner) -> [(RunSpec, RunIdentity)] {
        var seen = Set<String>()
        return plan.runs(shard: shard).compactMap { spec in
            let id = runner.identify(spec)
            return seen.insert(id.runID).inserted ? (spec, id) : nil
        }
    }

    /// Runs the plan (or one shard of it) into `directory`: every run writes
    /// its own files under `runs/` as soon as it ends; then `traces.csv`,
    /// `summary.csv` and `manifest.json` are assembled. With `jobs > 1` runs
    /// execute concurrently; the files are identical to `jobs = 1` except
    /// `time_s`, because each run is independent and OpenBLAS is pinned to
    /// one thread in every case. Returns one outcome per run, in plan order.
    public static func execute(_ plan: RunPlan, in directory: String, runner: Runner = Runner(),
                               options: RunSetOptions = RunSetOptions(),
                               progress: (@Sendable (RunProgress) -> Void)? = nil) throws -> [RunOutcome] {
        let files = RunFiles(directory: directory)
        let runs = identities(plan, shard: options.shard, runner: runner)
        try OutputDirectory.prepare(directory, planned: runs, resume: options.resume, force: options.force)
        try files.prepare()
        BLASRuntime.setThreads(1)
        let state = SharedProgress(total: runs.count, callback: progress)
        var pending: [RunSpec] = []
        var executed = Set<String>()
        for (spec, id) in runs {
            if options.resume && files.isComplete(id.runID) {
                state.report(try outcome(files, id.runID, executed: false))
            } else {
                pending.append(spec)
                executed.insert(id.runID)
            }
        }
        let queue = WorkQueue(pending)
        let work: @Sendable () -> Void = {
            while let spec = queue.next() {
                let record = runner.run(spec)
                do {
                    try files.write(record)
                    state.report(try outcome(files, record.runID, executed: true))
                } catch {
                    queue.fail(error)
                }
            }
        }
        let threads = max(1, min(options.jobs, pending.count))
        if threads == 1 {
            work()
        } else {
            let group = DispatchGroup()
            for _ in 0..<threads {
                group.enter()
                let thread = Thread {
                    work()
                    group.leave()
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
            group.wait()
        }
        if let error = queue.firstError { throw error }

        let ids = runs.map(\.1)
        var extra: [String: Any] = ["jobs": options.jobs, "threads_per_run": runner.threads ?? 1]
        if let shard = options.shard { extra["shard"] = shard.description }
        if options.resume { extra["resumed_runs"] = runs.count - executed.count }
        for (k, v) in options.manifestExtra { extra[k] = v }
        try RunSetWriter.assemble(directory: directory, runIDs: ids.map(\.runID),
                                  manifest: Manifest.json(plan: plan, command: options.command, identities: ids, extra: extra))
        return try ids.map { try outcome(files, $0.runID, executed: executed.contains($0.runID)) }
    }

    static func outcome(_ files: RunFiles, _ runID: String, executed: Bool) throws -> RunOutcome {
        let table = try CSV.read(path: files.summaryPath(runID))
        guard table.header == RunSchema.summaryColumns, let summary = try RunSummary.read(table).first else {
            throw HarnessError("\(files.summaryPath(runID)): not a summary written by this version of optlab")
        }
        return RunOutcome(summary: summary, executed: executed)
    }
}

/// Hands out runs to worker threads and remembers the first failure to write.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [RunSpec]
    private var index = 0
    private(set) var firstError: (any Error)?

    init(_ items: [RunSpec]) { self.items = items }

    func next() -> RunSpec? {
        lock.lock(); defer { lock.unlock() }
        guard firstError == nil, index < items.count else { return nil }
        index += 1
        return items[index - 1]
    }

    func fail(_ error: any Error) {
        lock.lock(); defer { lock.unlock() }
        if firstError == nil { firstError = error }
    }
}

/// Counts finished runs and calls the progress callback one at a time.
private final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    let total: Int
    let callback: (@Sendable (RunProgress) -> Void)?

    init(total: Int, callback: (@Sendable (RunProgress) -> Void)?) {
        self.total = total
        self.callback = callback
    }

    func report(_ outcome: RunOutcome) {
        lock.lock(); defer { lock.unlock() }
        done += 1
        callback?(RunProgress(done: done, total: total, outcome: outcome))
    }
}
