import OptimizationCore
import Foundation
import LinearAlgebra
import Optimizers

/// The release-build counterpart of KernelPathTests (which run in the debug
/// build, where C is compiled without optimisation): the same optimizer on
/// every available kernel path and on 1 and 2 threads must give the baseline
/// path's bits. An optimised build is where a stray fused multiply-add or a
/// reordered sum would show, so `optlab bench update` runs this before timing.
enum KernelPathCheck {
    /// Refuses a bad OPTLAB_KERNEL before any kernel runs (so the library's
    /// own one-line note is never printed next to this error): a benchmark
    /// must not time another path than the one asked for.
    static func validateEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let wanted = environment["OPTLAB_KERNEL"], !wanted.isEmpty, wanted != "auto" else { return }
        guard let path = KernelPath(rawValue: wanted) else {
            throw BenchInputError("OPTLAB_KERNEL=\(wanted) is not a kernel path (accepted: auto, "
                                  + KernelPath.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        guard path.isAvailable else {
            throw BenchInputError("OPTLAB_KERNEL=\(wanted): this CPU cannot run that path (available: "
                                  + KernelPath.available.map(\.rawValue).joined(separator: ", ") + ")")
        }
    }

    /// Throws one line naming the optimizer, path, threads and step that differ.
    static func run(spec: String, steps: Int = 4) throws {
        let chosen = KernelPath.active
        defer { KernelPath.select(chosen) }
        // A matrix block (projection and mask paths) and a 1-D rest; above
        // ParallelLoop's threshold so 2 threads split the loops; odd sizes for the tails.
        let layout = ParameterLayout([("W", [67, 1001]), ("rest", [13])])
        let n = layout.dimension
        func trajectory(_ path: KernelPath, threads: Int) throws -> [[UInt64]]? {
            guard KernelPath.select(path) else { return nil }
            let (made, _) = try OptimizerCatalog.shared.make(spec)
            guard var opt = made as? any GradientOptimizer else { return nil }
            if var threaded = opt as? any ThreadedUpdate {
                threaded.threads = threads
                opt = threaded as! any GradientOptimizer
            }
            var rng = SplitMix64(seed: 7)
            var x = (0..<n).map { _ in Double(rng.next() >> 11) * 0x1p-53 - 0.5 }
            var out: [[UInt64]] = []
            for _ in 0..<steps {
                let g = (0..<n).map { i in
                    let u = Double(rng.next() >> 11) * 0x1p-53 - 0.5
                    return (i / 1001) % 2 == 1 && i < 67 * 1001 ? u + 2 * x[i] : u
                }
                opt.update(&x, gradient: g, layout: layout)
                out.append(x.map(\.bitPattern))
            }
            return out
        }
        guard let expected = try trajectory(.baseline, threads: 1) else { return }
        for path in KernelPath.available {
            for threads in [1, 2] where path != .baseline || threads == 2 {
                guard let got = try trajectory(path, threads: threads) else { continue }
                if let step = got.indices.first(where: { got[$0] != expected[$0] }) {
                    throw BenchInputError("kernel paths disagree: \(spec) on \(path) with \(threads) thread(s) differs "
                                          + "from the baseline path at step \(step + 1) (the paths must give the same bits)")
                }
            }
        }
    }
}
