#if canImport(Glibc)
import Glibc
#endif

/// The one definition of "runtime to target" that the performance and data
/// profiles, the runtime ECDFs, the ERT tables and the significance tests share.
///
/// A run reaches a level at the first logged point whose best loss so far
/// is ≤ that level (non-finite losses never count, and a later NaN does not
/// undo a success); its runtime is the run's measure (cost, f_evals / d or
/// seconds) at that point. The harness logs every crossing of the gap
/// targets 1e2, 1e1, …, so for decade targets this is exact; between them it
/// is exact up to the logging grid. A run that never reaches the level is
/// unsolved (nil), and the statistics rank it after every solved run.
public enum RuntimeToTarget {
    /// The first index where the running minimum of the finite values of
    /// `bestLoss` is ≤ `level`, or nil.
    public static func firstIndex(bestLoss: [Double], level: Double) -> Int? {
        var running = Double.infinity
        for (i, v) in bestLoss.enumerated() {
            if v.isFinite { running = Swift.min(running, v) }
            if running <= level { return i }
        }
        return nil
    }

    /// The runtime of `trace` to `level` in `measure`, or nil when never reached.
    public static func runtime(_ trace: RunTrace, level: Double, measure: RuntimeMeasure, dim: Int) -> Double? {
        firstIndex(bestLoss: trace.bestLoss, level: level).map { measure.value(trace, at: $0, dim: dim) }
    }

    /// The gap targets of the runtime ECDFs: 5 per decade from 1e2 down to
    /// 1e-8, 51 in all (10^(2 − k/5), k = 0…50), as COCO's bbob targets.
    public static let ecdfTargets: [Double] = (0...50).map { k in
        // Exact decades, and the others rounded to 12 significant digits so
        // that the labels read 6.30957344480e-1 and not a 17-digit tail.
        k % 5 == 0 ? pow10(2 - k / 5) : Double(formatC(pow(10, 2 - Double(k) / 5), "%.12g"))!
    }

    /// The targets shown in tables (ERT, medians, significance): the decades
    /// 1e1, 1e-1, 1e-3, 1e-5 and 1e-8 among the 51.
    public static let tableTargets: [Double] = [1e1, 1e-1, 1e-3, 1e-5, 1e-8]

    static func pow10(_ e: Int) -> Double { Double("1e\(e)")! }
}

/// What a runtime is counted in.
public enum RuntimeMeasure: String, Sendable, CaseIterable {
    /// cost = f_evals + 2·grad_evals + 4·hvp_evals + 2n·hess_evals (f-eval equivalents).
    case cost
    /// Function evaluations divided by the dimension, as COCO's ECDFs.
    case fEvalsPerDim = "f_evals-per-dim"
    /// Optimizer seconds.
    case time

    func value(_ trace: RunTrace, at i: Int, dim: Int) -> Double {
        switch self {
        case .cost: return trace.cost[i]
        case .time: return trace.time[i]
        case .fEvalsPerDim: return (i < trace.fEvals.count ? trace.fEvals[i] : .nan) / Double(Swift.max(1, dim))
        }
    }

    /// The measure at the end of the run (what an unsolved run spent).
    func total(_ trace: RunTrace, dim: Int) -> Double {
        trace.cost.isEmpty ? 0 : value(trace, at: trace.cost.count - 1, dim: dim)
    }

    /// Axis text.
    public var label: String {
        switch self {
        case .cost: return "cost (f-eval equivalents)"
        case .fEvalsPerDim: return "function evaluations / dimension"
        case .time: return "optimizer seconds"
        }
    }
}
