/// Runtimes to the 51 gap targets of every run on a problem with known f*,
/// and what the report derives from them: runtime ECDFs (COCO-style), ERT,
/// bootstrap intervals of median runtimes and pairwise significance tests.
///
/// "Runtime to target" is `RuntimeToTarget`'s definition (shared with the
/// profiles); runtime is the trace's cost, or f_evals / d, or seconds.
public struct RuntimeAnalysis {
    /// The runs of one optimizer on one problem: runtime to each target per
    /// seed (+∞ = unsolved) and what each run spent in all.
    public struct Cell {
        public let seeds: [String]
        /// runtimes[t][k]: seed k's runtime to target t (+∞ when unsolved).
        public let runtimes: [[Double]]
        /// The measure at the end of each run.
        public let totals: [Double]

        /// ERT to target t: (Σ runtimes of the successes + Σ totals of the
        /// failures) / number of successes — COCO's expected running time,
        /// the total spent by all runs per success; +∞ when no run succeeds.
        public func ert(_ t: Int) -> Double {
            var spent = 0.0, successes = 0
            for (k, r) in runtimes[t].enumerated() {
                if r.isFinite { spent += r; successes += 1 } else { spent += totals[k] }
            }
            return successes == 0 ? .infinity : spent / Double(successes)
        }

        public func successes(_ t: Int) -> Int { runtimes[t].filter(\.isFinite).count }
    }

    /// One pairwise comparison on a problem at a target.
    public struct Comparison {
        public let a: String, b: String
        public let medianA: Double, medianB: Double
        public let test: MannWhitneyU
        public let holm: Double
        /// The exact test's smallest possible p for these sample sizes.
        public let exactFloor: Double
        /// Holm-adjusted p ≤ α, and sample sizes with which even the exact
        /// test could reach α: with 3 runs against 3 (exact floor 0.1) a
        /// pair is never marked, whatever the normal approximation says.
        public var significant: Bool { holm <= RuntimeAnalysis.alpha && exactFloor <= RuntimeAnalysis.alpha }
        /// The optimizer with the smaller median runtime (a on a tie).
        public var faster: String { medianB < medianA ? b : a }
    }

    /// All comparisons on one (problem, target), with what the family allows.
    public struct Family {
        public let problem: String
        public let target: Double
        public let comparisons: [Comparison]
        /// The smallest Holm-adjusted p any pair here could reach with these
        /// sample sizes (complete separation, each sample tied): above α,
        /// nothing can be significant.
        public let smallestPossible: Double
    }

    public static let alpha = 0.05

    public let measure: RuntimeMeasure
    public let targets: [Double]
    /// Problems with known f*, in run order.
    public let problems: [String]
    public let optimizers: [String]
    /// cells[problem][optimizer].
    public let cells: [String: [String: Cell]]
    /// Seeds per problem (instances), for the ECDF denominators.
    public let seedsPerProblem: [String: Int]

    public init(_ dir: RunDirectory, measure: RuntimeMeasure = .cost, targets: [Double] = RuntimeToTarget.ecdfTargets) {
        self.measure = measure
        self.targets = targets
        var problems: [String] = []
        var cells: [String: [String: Cell]] = [:]
        var seedsPerProblem: [String: Int] = [:]
        for p in dir.problems {
            let rows = dir.summaries.filter { $0.problem == p }
            guard let fStar = rows.compactMap(\.fStar).first, fStar.isFinite else { continue }
            problems.append(p)
            seedsPerProblem[p] = Set(rows.map(\.seed)).count
            var byOptimizer: [String: Cell] = [:]
            for o in unique(rows.map(\.optimizer)) {
                let runs = rows.filter { $0.optimizer == o }
                var seeds: [String] = [], totals: [Double] = []
                var runtimes = [[Double]](repeating: [], count: targets.count)
                for r in runs {
                    let trace = dir.traces[r.runID] ?? RunTrace()
                    seeds.append(r.seed)
                    totals.append(measure.total(trace, dim: r.dim))
                    for (t, target) in targets.enumerated() {
                        runtimes[t].append(RuntimeToTarget.runtime(trace, level: fStar + target, measure: measure, dim: r.dim) ?? .infinity)
                    }
                }
                byOptimizer[o] = Cell(seeds: seeds, runtimes: runtimes, totals: totals)
            }
            cells[p] = byOptimizer
        }
        self.problems = problems
        self.cells = cells
        self.seedsPerProblem = seedsPerProblem
        self.optimizers = dir.optimizers
    }

    /// The number of (problem, seed, target) triples: the ECDF's denominator,
    /// the same for every optimizer (one that did not run on a problem
    /// counts as unsolved there).
    public var tripleCount: Int { problems.reduce(0) { $0 + (seedsPerProblem[$1] ?? 0) } * targets.count }

    /// The runtime ECDF of an optimizer as step points (runtime, fraction of
    /// triples solved within it), sorted by runtime.
    public func ecdf(_ optimizer: String) -> [(Double, Double)] {
        var solved: [Double] = []
        for p in problems {
            guard let cell = cells[p]?[optimizer] else { continue }
            for row in cell.runtimes { solved += row.filter(\.isFinite) }
        }
        solved.sort()
        let n = Double(Swift.max(1, tripleCount))
        var out: [(Double, Double)] = []
        for (i, r) in solved.enumerated() where i + 1 == solved.count || solved[i + 1] != r {
            out.append((r, Double(i + 1) / n))
        }
        return out
    }

    /// The index of a target among `targets` (nil when absent).
    public func targetIndex(_ target: Double) -> Int? { targets.firstIndex { abs($0 / target - 1) < 1e-9 } }

    /// Pairwise two-sided Mann–Whitney U tests on the runtimes to `target`
    /// on `problem` (unsolved runs +∞, ranked last, ties averaged), with
    /// Holm–Bonferroni across the pairs. Pairs where neither optimizer ever
    /// reaches the target carry no information and are left out.
    public func family(problem: String, target: Double) -> Family? {
        guard let t = targetIndex(target), let row = cells[problem] else { return nil }
        let names = optimizers.filter { row[$0] != nil }
        var pairs: [(String, String, [Double], [Double])] = []
        for i in names.indices {
            for j in names.indices where j > i {
                let x = row[names[i]]!.runtimes[t], y = row[names[j]]!.runtimes[t]
                if !x.contains(where: \.isFinite) && !y.contains(where: \.isFinite) { continue }
                pairs.append((names[i], names[j], x, y))
            }
        }
        let tests = pairs.map { MannWhitneyU($0.2, $0.3) }
        let adjusted = HolmBonferroni.adjust(tests.map(\.p))
        let comparisons = pairs.indices.map { k in
            Comparison(a: pairs[k].0, b: pairs[k].1, medianA: sampleMedian(pairs[k].2), medianB: sampleMedian(pairs[k].3),
                       test: tests[k], holm: adjusted[k],
                       exactFloor: MannWhitneyU.smallestExactP(pairs[k].2.count, pairs[k].3.count))
        }
        let smallest = pairs.map { MannWhitneyU.smallestP($0.2.count, $0.3.count) }.min() ?? 1
        return Family(problem: problem, target: target, comparisons: comparisons,
                      smallestPossible: Swift.min(1, smallest * Double(pairs.count)))
    }

    /// The fewest seeds per optimizer (equal for all) with which a pair
    /// could be significant at α after Holm over `pairs` comparisons, by
    /// the exact test's floor and by the untied normal approximation.
    public static func seedsNeeded(pairs: Int) -> Int {
        var n = 2
        while n < 200 && max(MannWhitneyU.smallestExactP(n, n), MannWhitneyU.smallestUntiedP(n, n)) * Double(Swift.max(1, pairs)) > alpha { n += 1 }
        return n
    }
}
