/// Per-problem and overall standings of a run directory, shared by the
/// terminal table, `summary.md` and the HTML report.
///
/// Per problem, each optimizer is summarised over its seeds (medians) and
/// ranked by: more seeds reaching the run's target first, then lower median
/// cost to target, then lower median best gap (best loss when f* is unknown).
/// A win is a rank-1 place on a problem.
public struct Rankings {
    /// One optimizer on one problem: medians over seeds.
    public struct Entry {
        public let optimizer: String
        public let runs: Int
        public let statusCounts: [(String, Int)]
        public let reached: Int
        public let finalValue: Double?
        public let bestValue: Double?
        public let costToTarget: Double?
        public let timeToTarget: Double?
    }

    /// One problem: its heading facts and the ranked entries.
    public struct Problem {
        public let name: String
        public let family: String
        public let dim: Int
        /// True when values are gaps (f* known), false when they are losses.
        public let usesGap: Bool
        public let fStar: Double?
        public let targetGap: Double?
        public let entries: [Entry]  // ranked
    }

    /// One optimizer over all problems: wins, solved instances, profile areas.
    public struct Overall {
        public let optimizer: String
        public let wins: Int
        public let reached: Int
        public let runs: Int
        public let diverged: Int
        public let solvedInstances: Int
        public let areaCost: Double
        public let areaTime: Double
    }

    public let problems: [Problem]
    public let overall: [Overall]  // sorted by wins, then area
    public let instances: Int
    /// The τ of the performance profile behind the area scores.
    public static let areaTau = 1e-5

    public init(_ dir: RunDirectory, profiles: ProfileData) {
        var problems: [Problem] = []
        var wins: [String: Int] = [:]
        for name in dir.problems {
            let rows = dir.summaries.filter { $0.problem == name }
            let usesGap = rows.contains { $0.finalGap != nil || $0.bestGap != nil }
            var entries: [Entry] = []
            for o in unique(rows.map(\.optimizer)) {
                let runs = rows.filter { $0.optimizer == o }
                var counts: [(String, Int)] = []
                for st in ["converged", "budget", "diverged", "error"] {
                    let n = runs.filter { $0.status == st }.count
                    if n > 0 { counts.append((st, n)) }
                }
                for st in unique(runs.map(\.status)) where !["converged", "budget", "diverged", "error"].contains(st) {
                    counts.append((st, runs.filter { $0.status == st }.count))
                }
                let reachedRuns = runs.filter { $0.costToTarget != nil }
                entries.append(Entry(
                    optimizer: o, runs: runs.count, statusCounts: counts, reached: reachedRuns.count,
                    finalValue: median(runs.map { usesGap ? $0.finalGap : $0.finalLoss }),
                    bestValue: median(runs.map { usesGap ? $0.bestGap : $0.bestLoss }),
                    costToTarget: median(reachedRuns.map(\.costToTarget)),
                    timeToTarget: median(reachedRuns.map(\.timeToTarget))))
            }
            entries.sort { a, b in
                let fa = Double(a.reached) / Double(max(1, a.runs)), fb = Double(b.reached) / Double(max(1, b.runs))
                if fa != fb { return fa > fb }
                let ca = a.costToTarget ?? .infinity, cb = b.costToTarget ?? .infinity
                if ca != cb { return ca < cb }
                return orderKey(a.bestValue) < orderKey(b.bestValue)
            }
            // No win for an optimizer whose every run here ended in error.
            if let first = entries.first, first.statusCounts.contains(where: { $0.0 != "error" }) {
                wins[first.optimizer, default: 0] += 1
            }
            problems.append(Problem(name: name, family: rows[0].problemFamily, dim: rows[0].dim, usesGap: usesGap,
                                    fStar: rows.compactMap(\.fStar).first, targetGap: rows.compactMap(\.targetGap).first,
                                    entries: entries))
        }
        let (pc, pt) = profiles.performance(tau: Rankings.areaTau)
        var overall: [Overall] = []
        for (s, o) in profiles.solvers.enumerated() {
            let runs = dir.summaries.filter { $0.optimizer == o }
            overall.append(Overall(optimizer: o, wins: wins[o] ?? 0, reached: runs.filter { $0.costToTarget != nil }.count,
                                   runs: runs.count, diverged: runs.filter { $0.status == "diverged" }.count,
                                   solvedInstances: pc.solved(s), areaCost: pc.areaScore(s), areaTime: pt.areaScore(s)))
        }
        overall.sort { ($0.wins, $0.areaCost) > ($1.wins, $1.areaCost) }
        self.problems = problems
        self.overall = overall
        self.instances = profiles.instances.count
    }
}

/// NaN and missing sort last.
func orderKey(_ v: Double?) -> Double {
    guard let v, !v.isNaN else { return .infinity }
    return v
}

/// Median of the present values (NaN counts as +inf); nil when none.
func median(_ values: [Double?]) -> Double? {
    let v = values.compactMap { $0 }.map { $0.isNaN ? Double.infinity : $0 }.sorted()
    guard !v.isEmpty else { return nil }
    let n = v.count
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
}

extension Rankings.Entry {
    /// e.g. "converged 3" or "budget 2, diverged 1".
    public var statusText: String { statusCounts.map { "\($0.0) \($0.1)" }.joined(separator: ", ") }
}
