import OptimizationCore
import Optimizers
import Problems

/// The built-in suites (benchmarking.md §(d)), sized for 2 cores:
/// - `smoke`: seconds; what the tests run.
/// - `demo`: the README's main job — the first-order family (plus the second-
///   and zeroth-order methods present) on rosenbrock, quadratic, logistic
///   regression and an MLP; a few minutes in a release build.
/// - `default`: the small MGH problems, conditioned quadratics, chained
///   Rosenbrock, logistic regression and 2-D/10-D multimodal functions, with
///   per-budget-class budgets (steps 5,000, curvature steps 500,
///   zeroth-order 200·(n+1) evaluations; 2 s per run), plus `charlm` and
///   `cnn(batch=128)` for the first-order methods, K-FAC and MKOR (300
///   steps, 1 s per run); a few minutes.
/// - `full`: every catalog problem at `x0` and `10x0` where it has instances,
///   more seeds, the same budgets.
/// - `bbob`, `bbob-small`: COCO's 24 noiseless functions × instances 1–15
///   (1–5) × `--dims` (default 2,3,5), one run per instance, K·d evaluations
///   (`--max-evals-per-dim K`, default 1000); CMA-ES without/with IPOP and
///   BIPOP restarts, Nelder–Mead with restarts, ZO-SGD, ZO-Adam.
///
/// Optimizers are taken from the catalog: each catalog line declares the
/// suites its method runs in and the spec it runs with (``SuiteMembership``),
/// in catalog order. Problems likewise: each problem's catalog line declares the
/// specs it runs as in each suite (``ProblemSuiteMembership``, listed by stage,
/// then catalog order). A spec the catalog does not know (or whose keys it
/// rejects) makes building the suite fail with a ``HarnessError`` naming it,
/// so a renamed or dropped method cannot silently vanish from a comparison.
/// Pairs whose optimizer needs a capability the problem lacks are left out
/// (with a note).
public struct Suite: Sendable {
    public let plan: RunPlan
    /// Skipped names and pairs, one line each, for the terminal.
    public let notes: [String]
}

extension RunSet {
    public static let suiteNames = ["smoke", "default", "full", "demo", "bbob", "bbob-small"]

    /// The suite named `name`, or nil.
    public static func suite(_ name: String) throws(HarnessError) -> Suite? {
        switch name {
        case "smoke":
            return try Suites.build(name, problems: Suites.smokeProblems,
                                optimizers: Suites.smokeOptimizers,
                                seeds: [0], steps: (first: 200, second: 50, zeroth: 400), seconds: nil, targetGap: nil)
        case "demo":
            return try Suites.build(name, problems: Suites.demoProblems,
                                optimizers: Suites.demoOptimizers,
                                seeds: [0, 1, 2], steps: (first: 1000, second: 100, zeroth: 2000), seconds: 10, targetGap: 1e-8)
        case "default":
            let base = try Suites.build(name, problems: Suites.defaultProblems, optimizers: Suites.standardOptimizers,
                                    seeds: [0, 1, 2], steps: (first: 5000, second: 500, zeroth: nil), seconds: 2, targetGap: 1e-10)
            // The two larger workloads, with their own small budget (1 s per run).
            let workloads = try Suites.build(name, problems: Suites.defaultWorkloads, optimizers: Suites.workloadOptimizers,
                                         seeds: [0, 1, 2], steps: (first: 300, second: 30, zeroth: nil), seconds: 1, targetGap: nil)
            return Suite(plan: RunPlan(groups: base.plan.groups + workloads.plan.groups, suite: name),
                         notes: base.notes + workloads.notes)
        case "full":
            return try Suites.build(name, problems: Suites.fullProblems,
                                optimizers: Suites.standardOptimizers,
                                seeds: [0, 1, 2, 3, 4], steps: (first: 5000, second: 500, zeroth: nil), seconds: 2, targetGap: 1e-10)
        case "bbob", "bbob-small":
            return try Suites.bbob(name, instances: name == "bbob" ? Array(1...15) : Array(1...5),
                               dimensions: Suites.bbobDefaultDimensions, evaluationsPerDimension: Suites.bbobEvaluationsPerDimension)
        default:
            return nil
        }
    }

    /// A bbob suite for the given dimensions and budget (`--dims`, `--max-evals-per-dim`).
    public static func suite(_ name: String, dimensions: [Int]?, evaluationsPerDimension: Int?) throws(HarnessError) -> Suite? {
        guard name == "bbob" || name == "bbob-small" else { return dimensions == nil && evaluationsPerDimension == nil ? try suite(name) : nil }
        return try Suites.bbob(name, instances: name == "bbob" ? Array(1...15) : Array(1...5),
                           dimensions: dimensions ?? Suites.bbobDefaultDimensions,
                           evaluationsPerDimension: evaluationsPerDimension ?? Suites.bbobEvaluationsPerDimension)
    }
}

enum Suites {
    /// Every optimizer's membership, in catalog order: the suites' lists
    /// below are read from it (``SuiteMembership`` on each catalog line).
    static var memberships: [SuiteMembership] { OptimizerCatalog.shared.descriptors.map(\.suites) }
    /// `smoke`: the specs the tests run.
    static var smokeOptimizers: [String] { memberships.compactMap(\.smoke) }
    /// `demo`: untuned rates that show something in 1,000 steps.
    static var demoOptimizers: [String] { memberships.compactMap(\.demo) }
    /// `default` and `full`.
    static var standardOptimizers: [String] { memberships.compactMap(\.standard) }
    /// The `default` suite's large workloads: first-order methods plus the
    /// curvature methods that use layer statistics (dense-matrix methods do
    /// not fit 10⁵ parameters).
    static var workloadOptimizers: [String] { memberships.filter(\.workloads).compactMap(\.standard) }
    /// COCO's bbob suite: 24 functions × instances (1–15 for `bbob`, 1–5
    /// for `bbob-small`) × dimensions, one run per instance (seed 0; COCO's
    /// instances play the role of repetitions), K·d evaluations per run.
    /// Optimizers (by their `bbobRank`): CMA-ES without and with IPOP/BIPOP
    /// restarts, Nelder–Mead with restarts, ZO-SGD and ZO-Adam.
    static var bbobOptimizers: [String] {
        memberships.enumerated().filter { !$0.element.bbob.isEmpty }
            .sorted { ($0.element.bbobRank, $0.offset) < ($1.element.bbobRank, $1.offset) }
            .flatMap(\.element.bbob)
    }
    static let bbobDefaultDimensions = [2, 3, 5]
    static let bbobEvaluationsPerDimension = 1000

    static func bbob(_ name: String, instances: [Int], dimensions: [Int],
                     evaluationsPerDimension k: Int) throws(HarnessError) -> Suite {
        let notes: [String] = []
        let optimizers = bbobOptimizers
        try requireKnown(name, optimizers: optimizers, problems: [])
        let groups = dimensions.map { d in
            RunGroup(problems: (1...24).flatMap { f in instances.map { "bbob(d=\(d),f=\(f),instance=\($0))" } },
                     optimizers: optimizers, seeds: [0], budget: Budget(steps: k * d, evaluations: k * d))
        }
        return Suite(plan: RunPlan(groups: groups, suite: name), notes: notes)
    }

    /// Every problem's membership, in catalog order: the problem lists below
    /// are read from it (``ProblemSuiteMembership`` on each catalog line).
    static var problemMemberships: [ProblemSuiteMembership] { ProblemCatalog.shared.descriptors.map(\.suites) }
    /// `smoke`: the problems the tests run.
    static var smokeProblems: [String] { ProblemSuiteMembership.list(problemMemberships, \.smoke) }
    /// `demo`: rosenbrock, a quadratic, logistic regression and an MLP.
    static var demoProblems: [String] { ProblemSuiteMembership.list(problemMemberships, \.demo) }
    /// `default`: small MGH problems, conditioned quadratics, chained Rosenbrock,
    /// logistic regression and 2-D/10-D multimodal functions.
    static var defaultProblems: [String] { ProblemSuiteMembership.list(problemMemberships, \.standard) }
    /// The transformer language model and the conv net of the `default` suite (minibatch cnn: ~130 steps per second).
    static var defaultWorkloads: [String] { ProblemSuiteMembership.list(problemMemberships, \.workloads) }
    /// `full`: every problem whose descriptor says ``ProblemDescriptor/inFullSuite``
    /// at its default keys, and at `instance=10x0` where the key takes it (bbob's
    /// `instance` is COCO's number), in catalog order; then the further specs
    /// the catalog lines declare for `full`.
    static var fullProblems: [String] {
        ProblemCatalog.shared.descriptors.flatMap { d -> [String] in
            guard d.inFullSuite else { return [] }
            let far = "\(d.name)(instance=10x0)"
            return d.hyperparameter("instance") == nil || (try? ProblemCatalog.shared.resolve(far)) == nil
                ? [d.name] : [d.name, far]
        } + ProblemSuiteMembership.list(problemMemberships, \.full)
    }

    /// Groups the optimizers by their descriptor's ``BudgetClass``, each
    /// class with its budget (`steps.first` for `.steps`, `steps.second` for
    /// `.curvatureSteps`); `.evaluations` methods get `steps.zeroth` or
    /// 200·(n+1) evaluations per problem.
    static func build(_ name: String, problems: [String], optimizers: [String], seeds: [UInt64],
                      steps: (first: Int, second: Int, zeroth: Int?), seconds: Double?,
                      targetGap: Double?) throws(HarnessError) -> Suite {
        try requireKnown(name, optimizers: optimizers, problems: problems)
        var notes: [String] = []
        var problemInfo: [(spec: String, capabilities: Capabilities, dimension: Int?)] = []
        for p in problems {
            guard let r = try? ProblemCatalog.shared.resolve(p),
                  let d = try? ProblemCatalog.shared.entry(named: r.descriptorName).descriptor else {
                continue   // unreachable: requireKnown checked every problem
            }
            problemInfo.append((p, d.capabilities, Int(d.dimension)))
        }
        var byClass: [BudgetClass: [(String, Capabilities)]] = [:]
        for o in optimizers {
            guard let r = try? OptimizerCatalog.shared.resolve(o),
                  let d = try? OptimizerCatalog.shared.entry(named: r.descriptorName).descriptor else {
                continue   // unreachable: requireKnown checked every optimizer
            }
            byClass[d.budgetClass, default: []].append((o, d.requirements(for: r)))
        }
        var groups: [RunGroup] = []
        for budgetClass in BudgetClass.allCases {
            guard let members = byClass[budgetClass] else { continue }
            for (p, caps, dim) in problemInfo {
                let usable = members.filter { caps.isSuperset(of: $0.1) }
                guard !usable.isEmpty else { continue }
                var budget = Budget(steps: budgetClass == .steps ? steps.first : steps.second, seconds: seconds, targetGap: targetGap)
                if budgetClass == .evaluations {
                    let n = dim ?? dimension(of: p)
                    let evals = steps.zeroth ?? 200 * (n + 1)
                    // Fewer evaluations than one simplex or coordinate sweep
                    // (n + 1) cannot show anything but the start.
                    guard evals >= n + 1 else {
                        notes.append("suite \(name): zeroth-order methods skipped on \(p): \(evals) evaluations "
                                     + "are fewer than one simplex (n + 1 = \(n + 1))")
                        continue
                    }
                    budget = Budget(steps: evals, evaluations: evals, seconds: seconds, targetGap: targetGap)
                }
                groups.append(RunGroup(problems: [p], optimizers: usable.map(\.0), seeds: seeds, budget: budget))
            }
        }
        return Suite(plan: RunPlan(groups: merged(groups), suite: name), notes: notes)
    }

    /// Stops with one line naming every spec of a built-in suite that the
    /// catalogs reject (an unknown name or a bad key), and what to fix.
    static func requireKnown(_ name: String, optimizers: [String], problems: [String]) throws(HarnessError) {
        let badOptimizers = optimizers.filter { (try? OptimizerCatalog.shared.resolve($0)) == nil }
        let badProblems = problems.filter { (try? ProblemCatalog.shared.resolve($0)) == nil }
        guard badOptimizers.isEmpty && badProblems.isEmpty else {
            var parts: [String] = []
            if !badOptimizers.isEmpty { parts.append("optimizers " + badOptimizers.joined(separator: ", ")) }
            if !badProblems.isEmpty { parts.append("problems " + badProblems.joined(separator: ", ")) }
            throw HarnessError("suite \(name) names specs the catalog rejects: " + parts.joined(separator: "; ")
                               + " (fix the suite specs on the catalog lines, SuiteMembership)")
        }
    }

    /// Joins consecutive groups with the same optimizers and budget (shorter manifests).
    static func merged(_ groups: [RunGroup]) -> [RunGroup] {
        var out: [RunGroup] = []
        for g in groups {
            if var last = out.last, last.optimizers == g.optimizers, last.budget == g.budget, last.seeds == g.seeds {
                last.problems += g.problems
                out[out.count - 1] = last
            } else {
                out.append(g)
            }
        }
        return out
    }

    static func dimension(of spec: String) -> Int {
        (try? ProblemCatalog.shared.make(spec, seed: 0).0.dimension) ?? 10
    }
}
