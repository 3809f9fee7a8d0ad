import OptimizationCore

/// The inputs of the profiles, computed offline from a run directory.
///
/// An instance is a (problem, seed) pair. For each instance and optimizer
/// the cost and the time to pass the Moré–Wild test
/// f ≤ f_L + τ·(f₀ − f_L) are read from the trace (the first logged point
/// whose best_loss passes; the harness logs target crossings, so this is
/// exact up to the logging grid). f_L is the problem's f* when the summary
/// has one, else the lowest loss any run reached on that instance.
public struct ProfileData {
    public let solvers: [String]
    public let instances: [(problem: String, seed: String)]
    public let dimensions: [Int]
    /// How many instances used f* (known) and how many the best found.
    public let knownFL: Int
    public let bestFoundFL: Int

    private let directory: RunDirectory
    /// Summary rows by (problem, seed, optimizer).
    private let runs: [String: RunSummary]

    public init(_ directory: RunDirectory) {
        self.directory = directory
        var runs: [String: RunSummary] = [:]
        for s in directory.summaries where runs[s.problem + "\u{1}" + s.seed + "\u{1}" + s.optimizer] == nil {
            runs[s.problem + "\u{1}" + s.seed + "\u{1}" + s.optimizer] = s
        }
        self.runs = runs
        solvers = directory.optimizers
        var inst: [(String, String)] = []
        var seen: Set<String> = []
        var dims: [Int] = []
        for s in directory.summaries where seen.insert(s.problem + "\u{1}" + s.seed).inserted {
            inst.append((s.problem, s.seed)); dims.append(s.dim)
        }
        instances = inst.map { (problem: $0.0, seed: $0.1) }
        dimensions = dims
        var known = 0
        for i in inst where directory.summaries.contains(where: { $0.problem == i.0 && $0.fStar != nil }) { known += 1 }
        knownFL = known
        bestFoundFL = inst.count - known
    }

    /// f_L of an instance.
    func fL(problem: String, seed: String) -> Double {
        if let f = directory.summaries.first(where: { $0.problem == problem && $0.fStar != nil })?.fStar { return f }
        var best = Double.infinity
        for s in directory.summaries where s.problem == problem && s.seed == seed {
            if let b = s.bestLoss, b.isFinite { best = min(best, b) }
            if let t = directory.traces[s.runID] { for v in t.bestLoss where v.isFinite { best = min(best, v) } }
        }
        return best
    }

    /// costs[p][s] and times[p][s] to pass the test with tolerance τ (nil = never).
    public func costsToPass(tau: Double) -> (cost: [[Double?]], time: [[Double?]]) {
        var cost: [[Double?]] = [], time: [[Double?]] = []
        for inst in instances {
            let fL = fL(problem: inst.problem, seed: inst.seed)
            var rc: [Double?] = [], rt: [Double?] = []
            for solver in solvers {
                guard let run = runs[inst.problem + "\u{1}" + inst.seed + "\u{1}" + solver],
                      let trace = directory.traces[run.runID], let f0 = trace.loss.first ?? run.f0, fL.isFinite,
                      let i = firstPassing(bestLoss: trace.bestLoss, f0: f0, fL: fL, tau: tau) else {
                    rc.append(nil); rt.append(nil); continue
                }
                rc.append(trace.cost[i]); rt.append(trace.time[i].isNaN ? nil : trace.time[i])
            }
            cost.append(rc); time.append(rt)
        }
        return (cost, time)
    }

    public func performance(tau: Double) -> (cost: PerformanceProfile, time: PerformanceProfile) {
        let (c, t) = costsToPass(tau: tau)
        // Smallest meaningful costs: one evaluation; one microsecond.
        return (PerformanceProfile(solvers: solvers, costs: c, minimumCost: 1),
                PerformanceProfile(solvers: solvers, costs: t, minimumCost: 1e-6))
    }

    public func data(tau: Double) -> DataProfile {
        DataProfile(solvers: solvers, costs: costsToPass(tau: tau).cost, dimensions: dimensions)
    }

    /// The caption phrase saying which f_L was used.
    public var fLDescription: String {
        if bestFoundFL == 0 { return "f_L = f* (known optimum) on all \(knownFL) instances" }
        if knownFL == 0 { return "f_L = best loss found by any run (f* unknown) on all \(bestFoundFL) instances" }
        return "f_L = f* on \(knownFL) instances, best loss found by any run on \(bestFoundFL) (f* unknown)"
    }
}
