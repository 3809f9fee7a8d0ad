import OptimizationCore

/// The AlgoPerf-style score of tuned specs across problems: the
/// performance-profile area the report already computes ("area (cost)"),
/// over the instances (problem, seed) of a tuning run, where each base
/// optimizer is represented on each problem by the spec tuned for it.
public enum TunedScore {
    public static let definition = "area under the Dolan–Moré performance profile of cost to the Moré–Wild test τ = 1e-5, over τ ∈ [1, 4], divided by 3; 1 = fastest on every (problem, seed) instance"

    /// `chosen`: per problem and base optimizer the tuned spec (canonical,
    /// as in summary.csv). Returns per base optimizer its area, instances solved and instances.
    public static func areas(directory: String, chosen: [(problem: String, optimizer: String, spec: String)]) throws
        -> [(optimizer: String, area: Double, solved: Int, instances: Int)] {
        let dir = try RunDirectory(path: directory)
        let data = ProfileData(dir)
        let solvers = unique(chosen.map(\.optimizer))
        let problems = Set(chosen.map(\.problem))
        var spec: [String: String] = [:]
        for c in chosen { spec[c.problem + "\u{1}" + c.optimizer] = c.spec }
        var runs: [String: RunSummary] = [:]
        for s in dir.summaries { runs[s.problem + "\u{1}" + s.seed + "\u{1}" + s.optimizer] = runs[s.problem + "\u{1}" + s.seed + "\u{1}" + s.optimizer] ?? s }
        var costs: [[Double?]] = []
        for inst in data.instances where problems.contains(inst.problem) {
            let fL = data.fL(problem: inst.problem, seed: inst.seed)
            costs.append(solvers.map { o -> Double? in
                guard let sp = spec[inst.problem + "\u{1}" + o], let run = runs[inst.problem + "\u{1}" + inst.seed + "\u{1}" + sp],
                      let trace = dir.traces[run.runID], let f0 = trace.loss.first ?? run.f0, fL.isFinite,
                      let i = firstPassing(bestLoss: trace.bestLoss, f0: f0, fL: fL, tau: Rankings.areaTau) else { return nil }
                return trace.cost[i]
            })
        }
        let profile = PerformanceProfile(solvers: solvers, costs: costs, minimumCost: 1)
        return solvers.indices.map { (solvers[$0], profile.areaScore($0), profile.solved($0), profile.instanceCount) }
    }
}
