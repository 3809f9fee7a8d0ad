import ArgumentParser
import Foundation
import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems

extension BenchmarkCommands {
    /// `optlab bench zeroth`: peak resident memory and seconds per step of
    /// block-streamed `zo2` (parameters in a file) against in-RAM exact `mezo`
    /// on a block-sequential `mlp` with ~10⁸ parameters and synthetic data.
    ///
    /// Peak RSS is per process, so `--method both` (the default) runs each
    /// method in a child process of this executable and prints the table.
    public struct BenchZeroth: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            commandName: "zeroth",
            abstract: "Measure zo2 (block-streamed) against in-RAM mezo: peak RSS and seconds per step.",
            discussion: """
            The problem is mlp(data=<synthetic CSV: 20 rows, 64 features, 10 classes>, \
            hidden=W x … x W (L layers), l2=0), full batch (16 training rows): one block per \
            layer, (64+1)·W + (L−1)(W+1)·W + (W+1)·10 parameters (W=1536, L=44: 101,630,986, \
            813 MB as Float64). Both methods run the same seed, lr 1e-6 and eps 1e-3, so their \
            losses agree bit for bit; the table says whether they did. A step is timed after \
            one untimed warm-up step (zo2's first step has no deferred update to write). \
            --method zo2 or mezo measures one method in this process and prints one CSV row \
            (method,parameters,parameter_bytes,peak_rss_bytes,seconds_per_step,steps,loss_checksum).
            """)

        enum Method: String, ExpressibleByArgument, CaseIterable { case both, zo2, mezo }

        @Option(help: "both (two child processes and a table), zo2 or mezo (one CSV row).")
        var method: Method = .both

        @Option(help: "Width W of every hidden layer.")
        var width: Int = 1536

        @Option(help: "Number of hidden layers L.")
        var layers: Int = 44

        @Option(help: "Timed steps (after one untimed warm-up step).")
        var steps: Int = 3

        @Option(help: "zo2's storage format: float64, float32 or bf16 (mezo keeps θ on the same grid).")
        var storage: String = "float64"

        @Option(help: "Directory for the synthetic data and zo2's parameter file (default $TMPDIR or /tmp).")
        var directory: String?

        public func run() throws {
            do {
                guard (1...100_000).contains(width) else { throw BenchInputError("--width must be in 1...100000 (got \(width))") }
                guard (1...10_000).contains(layers) else { throw BenchInputError("--layers must be in 1...10000 (got \(layers))") }
                guard (1...1000).contains(steps) else { throw BenchInputError("--steps must be in 1...1000 (got \(steps))") }
                guard let precision = StoragePrecision(rawValue: storage) else {
                    throw BenchInputError("--storage must be one of \(StoragePrecision.allCases.map(\.rawValue).joined(separator: "|")) (got '\(storage)')")
                }
                let folder = directory ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw BenchInputError("--directory '\(folder)' is not an existing directory")
                }
                switch method {
                case .both:
                    let rows = try [Method.mezo, .zo2].map { try ZerothBenchRow.spawn($0, arguments: childArguments(folder)) }
                    print(ZerothBenchRow.table(mezo: rows[0], zo2: rows[1]))
                case .zo2, .mezo:
                    let row = try ZerothBenchRow.measure(method, width: width, layers: layers, steps: steps,
                                                         precision: precision, directory: folder)
                    print(row.csv)
                }
            } catch {
                throw fail(error)
            }
        }

        private func childArguments(_ folder: String) -> [String] {
            ["--width", String(width), "--layers", String(layers), "--steps", String(steps),
             "--storage", storage, "--directory", folder]
        }
    }
}

/// One measured method of `optlab bench zeroth`.
struct ZerothBenchRow {
    var method: String
    var parameters: Int
    var peakRSS: Int
    var secondsPerStep: Double
    var steps: Int
    /// FNV-1a of the bit patterns of ℓ⁺ and ℓ⁻ of every step: equal ⇔ same trajectory.
    var lossChecksum: UInt64

    var parameterBytes: Int { parameters * 8 }

    var csv: String {
        "\(method),\(parameters),\(parameterBytes),\(peakRSS),\(secondsPerStep),\(steps),\(String(lossChecksum, radix: 16))"
    }

    init(method: String, parameters: Int, peakRSS: Int, secondsPerStep: Double, steps: Int, lossChecksum: UInt64) {
        self.method = method
        self.parameters = parameters
        self.peakRSS = peakRSS
        self.secondsPerStep = secondsPerStep
        self.steps = steps
        self.lossChecksum = lossChecksum
    }

    init(csv line: String) throws {
        let f = line.split(separator: ",").map(String.init)
        guard f.count == 7, let p = Int(f[1]), let rss = Int(f[3]), let s = Double(f[4]), let n = Int(f[5]),
              let sum = UInt64(f[6], radix: 16) else {
            throw BenchInputError("unexpected output from the benchmark child process: '\(line)'")
        }
        self.init(method: f[0], parameters: p, peakRSS: rss, secondsPerStep: s, steps: n, lossChecksum: sum)
    }

    /// Runs `optlab bench zeroth --method <method> …` in a child process and parses its row.
    static func spawn(_ method: BenchmarkCommands.BenchZeroth.Method, arguments: [String]) throws -> ZerothBenchRow {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        }
        process.arguments = ["bench", "zeroth", "--method", method.rawValue] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchInputError("the \(method.rawValue) measurement failed (exit status \(process.terminationStatus))")
        }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return try ZerothBenchRow(csv: line)
    }

    /// The problem, the timed steps and the peak RSS of one method, in this process.
    static func measure(_ method: BenchmarkCommands.BenchZeroth.Method, width: Int, layers: Int, steps: Int,
                        precision: StoragePrecision, directory: String) throws -> ZerothBenchRow {
        BLASRuntime.setThreads(1)
        let problem = try makeProblem(width: width, layers: layers, directory: directory)
        let d = problem.dimension
        let clock = ContinuousClock()
        var checksum = FNV1a()
        var total = Duration.zero
        switch method {
        case .zo2:
            let path = directory + "/optlab-bench-zo2-\(getpid()).bin"
            let store = try FileBlockStore(blocks: problem.sequentialBlocks, precision: precision, path: path)
            unlink(path)   // the open descriptor keeps the file until the store is released
            var trainer = try ZO2Trainer(objective: problem, store: store, lr: 1e-6, eps: 1e-3, seed: 1)
            try trainer.initializeStore()
            for t in 0...steps {
                let start = clock.now
                try trainer.step()
                if t > 0 { total += clock.now - start }
                checksum.add(trainer.lastLosses.plus)
                checksum.add(trainer.lastLosses.minus)
            }
            try trainer.flush()
        case .mezo:
            var x = [Double](repeating: 0, count: d)
            x.withUnsafeMutableBufferPointer { xp in
                for (b, range) in problem.sequentialBlocks.enumerated() {
                    problem.initialBlock(b, into: UnsafeMutableBufferPointer(rebasing: xp[range]))
                }
            }
            var mezo = MeZO(lr: 1e-6, eps: 1e-3, storage: precision, seed: 1)
            try mezo.prepare(RunContext(layout: problem.layout))
            var oracle = Oracle(problem)
            for t in 0...steps {
                let start = clock.now
                try mezo.step(&x, oracle: &oracle)
                if t > 0 { total += clock.now - start }
                checksum.add(mezo.lastLosses.plus)
                checksum.add(mezo.lastLosses.minus)
            }
        case .both:
            preconditionFailure("measure runs one method")
        }
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) * 1e-18
        return ZerothBenchRow(method: method.rawValue, parameters: d, peakRSS: peakResidentBytes(),
                              secondsPerStep: seconds / Double(steps), steps: steps, lossChecksum: checksum.value)
    }

    /// mlp on a synthetic 20-row, 64-feature, 10-class CSV (written, loaded, removed).
    static func makeProblem(width: Int, layers: Int, directory: String) throws -> any BlockSequentialObjective {
        let path = directory + "/optlab-bench-zeroth-\(getpid()).csv"
        var rng = SplitMix64(seed: 2026)
        var text = (0..<64).map { "f\($0)" }.joined(separator: ",") + ",label\n"
        for row in 0..<20 {
            text += (0..<64).map { _ in String(rng.uniform(in: -1, 1)) }.joined(separator: ",") + ",\(row % 10)\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let hidden = [String](repeating: String(width), count: layers).joined(separator: "x")
        let (objective, _) = try ProblemCatalog.shared.make("mlp(data=\(path),hidden=\(hidden),l2=0)", seed: 1)
        guard let layered = objective as? any BlockSequentialObjective else {
            throw BenchInputError("mlp is not block-sequential")
        }
        return layered
    }

    /// getrusage's maximum resident set size, in bytes.
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss
        #endif
    }

    /// The comparison table with ratios and the targets of issue 9.
    static func table(mezo: ZerothBenchRow, zo2: ZerothBenchRow) -> String {
        func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
        func percent(_ row: ZerothBenchRow) -> String {
            String(format: "%.1f %%", 100 * Double(row.peakRSS) / Double(row.parameterBytes))
        }
        var lines = ["method  parameters   param_MB  peak_RSS_MB  RSS/params  s/step"]
        for row in [mezo, zo2] {
            lines.append(row.method.padding(toLength: 8, withPad: " ", startingAt: 0)
                         + String(row.parameters).padding(toLength: 13, withPad: " ", startingAt: 0)
                         + mb(row.parameterBytes).padding(toLength: 10, withPad: " ", startingAt: 0)
                         + mb(row.peakRSS).padding(toLength: 13, withPad: " ", startingAt: 0)
                         + percent(row).padding(toLength: 12, withPad: " ", startingAt: 0)
                         + String(format: "%.3f", row.secondsPerStep))
        }
        let zo2Share = Double(zo2.peakRSS) / Double(zo2.parameterBytes)
        let mezoShare = Double(mezo.peakRSS) / Double(mezo.parameterBytes)
        let ratio = zo2.secondsPerStep / mezo.secondsPerStep
        func fixed(_ x: Double) -> String { String(format: "%.3f", x) }
        lines.append("zo2 peak RSS / parameter bytes: \(fixed(zo2Share)) (target < 0.25: \(zo2Share < 0.25 ? "met" : "missed"))")
        lines.append("mezo peak RSS / parameter bytes: \(fixed(mezoShare)) (target > 1: \(mezoShare > 1 ? "met" : "missed"))")
        lines.append("zo2 / mezo seconds per step: \(fixed(ratio)) (target ≤ 1.5: \(ratio <= 1.5 ? "met" : "missed"))")
        lines.append("same trajectory (losses bit for bit): " + (zo2.lossChecksum == mezo.lossChecksum ? "yes" : "NO"))
        return lines.joined(separator: "\n")
    }
}

/// FNV-1a over the bit patterns of Doubles (a trajectory fingerprint).
struct FNV1a {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    mutating func add(_ x: Double) {
        var bits = x.bitPattern
        for _ in 0..<8 {
            value = (value ^ (bits & 0xFF)) &* 0x0000_0100_0000_01B3
            bits >>= 8
        }
    }
}
