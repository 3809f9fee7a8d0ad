#if canImport(Glibc)
import Glibc
#endif

/// The curves of one optimizer on one problem summarised over seeds: at each
/// grid point the median, minimum and maximum over the seeds.
///
/// Seeds are aligned by step-function interpolation: a seed's value at grid
/// point g is its last logged value at x ≤ g (nothing before its first
/// point). A run that stopped early (converged, or diverged) keeps its last
/// value to the end of the grid, so the median never silently drops the
/// runs that ended. NaN counts as +inf (the worst value), so a diverged seed
/// pulls the band up instead of vanishing; a non-finite median breaks the line.
public struct SeedAggregate: Sendable {
    public let optimizer: String
    public let seeds: Int
    public let xs: [Double]
    public let median: [Double]
    public let lower: [Double]
    public let upper: [Double]

    /// At most this many grid points; longer unions are resampled evenly
    /// (in log x when `logX`) so figures stay small.
    static let maxGrid = 1200

    public init(optimizer: String, series: [TraceSeries], logX: Bool) {
        self.optimizer = optimizer
        self.seeds = series.count
        var grid = Array(Set(series.flatMap { $0.xs.filter(\.isFinite) })).sorted()
        if grid.count > SeedAggregate.maxGrid, let a = grid.first, let b = grid.last {
            let n = SeedAggregate.maxGrid
            let useLog = logX && a > 0
            grid = (0..<n).map { i in
                let t = Double(i) / Double(n - 1)
                return useLog ? a * pow(b / a, t) : a + (b - a) * t
            }
        }
        var med: [Double] = [], lo: [Double] = [], hi: [Double] = []
        var cursor = [Int](repeating: -1, count: series.count)
        var values: [Double] = []
        for g in grid {
            values.removeAll(keepingCapacity: true)
            for (s, run) in series.enumerated() {
                var j = cursor[s]
                while j + 1 < run.xs.count && run.xs[j + 1] <= g { j += 1 }
                cursor[s] = j
                if j >= 0 { values.append(run.ys[j].isNaN ? .infinity : run.ys[j]) }
            }
            values.sort()
            let n = values.count
            if n == 0 { med.append(.nan); lo.append(.nan); hi.append(.nan); continue }
            let m = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
            med.append(m.isNaN ? .infinity : m)
            lo.append(values[0]); hi.append(values[n - 1])
        }
        self.xs = grid; self.median = med; self.lower = lo; self.upper = hi
    }
}
