import ArgumentParser
import Foundation
import CShims
import Dispatch
import LinearAlgebra
import OptimizationCore
import Optimizers

extension BenchmarkCommands {
    /// `optlab bench update`: seconds per `update` on N parameters (random gradient,
    /// no objective) next to a STREAM-triad loop measured in the same process
    /// with the same threads.
    public struct BenchUpdate: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Measure an optimizer's update speed against a STREAM-triad loop.",
            discussion: """
            Prints optimizer,dim,threads,steps,seconds_per_step,bytes_per_step,gb_per_s,\
            triad_gb_per_s,ratio_to_triad,kernel. kernel is the instruction-set path the \
            element-wise kernels ran on (baseline, avx2, avx512: chosen by the CPU at run time, \
            or forced with OPTLAB_KERNEL). Before timing, the optimizer runs a few steps on every \
            path this CPU has, 1 and 2 threads, and the command fails unless all give the baseline \
            path's bits (the release-build check of what KernelPathTests checks in debug). bytes_per_step is the optimizer's minimum memory \
            traffic (Adam: read x, g, m, v and write x, m, v = 56 bytes per parameter); the \
            triad a = b + s·c counts 24 bytes per element. Times are the best of the measured \
            steps. The parameters form one [N/1000, 1000] matrix block (plus a 1-D rest), so \
            AdamP/SGDP run their projection path.

            --compare-torch (adam only) also runs Benchmarks/reference/torch_adam.py with \
            --python (torch.optim.Adam(fused=True), float64, same N, steps and threads) and adds \
            torch_seconds_per_step and speedup_vs_torch (torch's time / ours; > 1 is faster). \
            When that Python has no torch, a note goes to stderr and the two columns stay empty. \
            --rounds R repeats everything R times, alternating ours and torch's, and keeps the \
            best of each (a shared machine's load then hits both alike).
            """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

        @Option(help: "Optimizer spec, e.g. adam or 'sgd(lr=0.01,momentum=0.9)'.")
        var optimizer: String

        @Option(help: "Number of parameters N.")
        var dim: Int = 10_000_000

        @Option(help: "Timed steps (after one untimed warm-up step).")
        var steps: Int = 20

        @Option(help: "Cores used by the update and by the triad.")
        var threads: Int = 1

        @Option(help: "Output format: table or csv.")
        var format: Format = .table

        @Flag(help: "Omit the CSV header line (for appending rows).")
        var noHeader = false

        @Flag(help: "Also time torch.optim.Adam(fused=True) with --python (adam only).")
        var compareTorch = false

        @Option(help: "Python for --compare-torch (default: $OPTLAB_PYTHON, else python3).")
        var python: String?

        @Option(help: "Repeat the measurement (alternating with torch's) and keep the best of each.")
        var rounds = 1

        @Option(help: "The torch reference script for --compare-torch.")
        var torchScript = "Benchmarks/reference/torch_adam.py"

        public func run() throws {
            let row: BenchRow
            do {
                guard dim >= 1 else { throw BenchInputError("--dim must be a positive integer (got \(dim))") }
                guard steps >= 1 else { throw BenchInputError("--steps must be a positive integer (got \(steps))") }
                guard (1...256).contains(threads) else { throw BenchInputError("--threads must be in 1...256 (got \(threads))") }
                try KernelPathCheck.validateEnvironment()
                try KernelPathCheck.run(spec: optimizer)
                guard (1...100).contains(rounds) else { throw BenchInputError("--rounds must be in 1...100 (got \(rounds))") }
                // Rounds alternate ours and torch's, and each keeps its best:
                // a burst of load from other processes then hits both alike.
                var best: BenchRow?
                var torchBest: Double?
                let python = python ?? ProcessInfo.processInfo.environment["OPTLAB_PYTHON"] ?? "python3"
                for _ in 0..<rounds {
                    let measured = try BenchRow.measure(spec: optimizer, dim: dim, steps: steps, threads: threads)
                    if best == nil || measured.secondsPerStep < best!.secondsPerStep { best = measured }
                    guard compareTorch else { continue }
                    guard let seconds = try TorchReference.measure(
                        for: measured.resolved, python: python, script: torchScript, dim: dim, steps: steps,
                        threads: threads) else { break }   // no torch there: the note is printed once
                    torchBest = min(torchBest ?? .infinity, seconds)
                }
                var measured = best!
                if compareTorch { measured.torch = .init(seconds: torchBest) }
                row = measured
            } catch {
                throw fail(error)
            }
            switch format {
            case .csv:
                if !noHeader { print(BenchRow.header + (compareTorch ? BenchRow.torchHeader : "")) }
                print(row.csv)
            case .table:
                print(row.table)
            }
        }
    }
}

/// A bad `optlab bench` option, printed as one line.
struct BenchInputError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// One measurement of `optlab bench`.
struct BenchRow {
    static let header = "optimizer,dim,threads,steps,seconds_per_step,bytes_per_step,gb_per_s,triad_gb_per_s,ratio_to_triad,kernel"
    /// Appended with --compare-torch.
    static let torchHeader = ",torch_seconds_per_step,speedup_vs_torch"

    /// The torch reference time, when it was asked for (seconds nil: no torch there).
    struct TorchTime { let seconds: Double? }

    let optimizer: String
    let dim: Int
    let threads: Int
    let steps: Int
    let secondsPerStep: Double
    let bytesPerStep: Int
    let triadSecondsPerPass: Double
    /// The element-wise kernels' instruction-set path during the measurement.
    let kernel: KernelPath
    let resolved: ResolvedParameters
    var torch: TorchTime?

    var gbPerSecond: Double { Double(bytesPerStep) / secondsPerStep / 1e9 }
    var triadGBPerSecond: Double { Double(24 * dim) / triadSecondsPerPass / 1e9 }
    var ratioToTriad: Double { gbPerSecond / triadGBPerSecond }

    var csv: String {
        let quoted = optimizer.contains(",") ? "\"\(optimizer)\"" : optimizer
        return "\(quoted),\(dim),\(threads),\(steps),\(secondsPerStep),\(bytesPerStep),"
            + "\(rounded(gbPerSecond)),\(rounded(triadGBPerSecond)),\(rounded(ratioToTriad)),\(kernel)"
            + (torch.map { t in t.seconds.map { ",\($0),\(rounded($0 / secondsPerStep))" } ?? ",," } ?? "")
    }

    var table: String {
        """
        optimizer        \(optimizer)
        dim, threads     \(dim), \(threads)
        seconds/step     \(secondsPerStep) (best of \(steps))
        bytes/step       \(bytesPerStep)
        GB/s             \(rounded(gbPerSecond))
        triad GB/s       \(rounded(triadGBPerSecond))
        ratio to triad   \(rounded(ratioToTriad))
        kernel path      \(kernel)
        """ + (torch.map { t in
            t.seconds.map { "\ntorch fused s    \($0) (best of \(steps))\nspeedup vs torch \(rounded($0 / secondsPerStep))" }
                ?? "\ntorch fused      not measured (no torch)"
        } ?? "")
    }

    private func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    /// Builds the optimizer from its spec, runs one warm-up step, then times
    /// `steps` updates one by one and keeps the best; then the triad likewise.
    static func measure(spec: String, dim n: Int, steps: Int, threads: Int) throws -> BenchRow {
        let (made, resolved) = try OptimizerCatalog.shared.make(spec)
        guard var opt = made as? any GradientOptimizer else {
            throw SpecError.invalidCombination(owner: resolved.descriptorName,
                                               message: "bench measures first-order updates; this optimizer has no gradient update")
        }
        if var threaded = opt as? any ThreadedUpdate {
            threaded.threads = threads
            opt = threaded as! any GradientOptimizer
        }
        let rows = n / 1000
        var blocks: [(String, [Int])] = rows > 0 ? [("W", [rows, 1000])] : []
        if n % 1000 != 0 { blocks.append(("rest", [n % 1000])) }
        let layout = ParameterLayout(blocks)
        try opt.prepare(RunContext(layout: layout, totalSteps: steps + 1))

        var rng = SplitMix64(seed: 1)
        var x = (0..<n).map { _ in Double(rng.next() >> 11) * 0x1p-53 - 0.5 }
        let g = (0..<n).map { _ in Double(rng.next() >> 11) * 0x1p-53 - 0.5 }
        opt.update(&x, gradient: g, layout: layout)   // allocates the state
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<steps {
            let t0 = clock.now
            opt.update(&x, gradient: g, layout: layout)
            best = min(best, seconds(clock.now - t0))
        }
        x.withUnsafeBufferPointer { optlab_black_hole($0.baseAddress) }

        let kernel = KernelPath.active   // after the steps: the path they ran on
        return BenchRow(optimizer: resolved.canonical, dim: n, threads: threads, steps: steps,
                        secondsPerStep: best, bytesPerStep: minimumBytesPerParameter(resolved) * n,
                        triadSecondsPerPass: Triad.bestSeconds(count: n, passes: steps, threads: threads),
                        kernel: kernel, resolved: resolved)
    }

    /// The least memory traffic of one update, in bytes per parameter, as the
    /// optimizer's descriptor declares it (``MemoryTraffic``); a method
    /// without a declaration counts Adam's seven arrays.
    static func minimumBytesPerParameter(_ p: ResolvedParameters) -> Int {
        let descriptor = try? OptimizerCatalog.shared.entry(named: p.descriptorName).descriptor
        return descriptor?.traffic?.bytesPerParameter(p) ?? 8 * 7
    }

    private static func seconds(_ d: Duration) -> Double { BenchClock.seconds(d) }
}

/// STREAM triad a = b + s·c over contiguous chunks, one per thread.
enum Triad {
    static func bestSeconds(count n: Int, passes: Int, threads: Int) -> Double {
        var a = [Double](repeating: 0, count: n)
        let b = [Double](repeating: 1, count: n)
        let c = [Double](repeating: 2, count: n)
        let clock = ContinuousClock()
        var best = Double.infinity
        a.withUnsafeMutableBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                c.withUnsafeBufferPointer { cb in
                    let p = TriadPointers(a: ab.baseAddress!, b: bb.baseAddress!, c: cb.baseAddress!)
                    for pass in 0...passes {
                        let s = 3.0 + Double(pass) * 1e-3
                        let t0 = clock.now
                        let parts = max(1, threads)
                        let chunk = ((n + parts - 1) / parts + 7) & ~7
                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                            let lo = min(part * chunk, n), hi = min(lo + chunk, n)
                            p.triad(lo..<hi, s)
                        }
                        let (sec, atto) = (clock.now - t0).components
                        if pass > 0 { best = min(best, Double(sec) + Double(atto) * 1e-18) }
                    }
                    optlab_black_hole(p.a)
                }
            }
        }
        return best
    }
}

private struct TriadPointers: @unchecked Sendable {
    let a: UnsafeMutablePointer<Double>
    let b: UnsafePointer<Double>
    let c: UnsafePointer<Double>

    func triad(_ range: Range<Int>, _ s: Double) {
        for i in range { a[i] = b[i] + s * c[i] }
    }
}
