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
///   per-family budgets (first-order 5,000 steps, second-order 500 steps,
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
/// Optimizers and problems are listed by spec; one that the catalog does not
/// know (or whose keys it rejects) makes building the suite fail with a
/// ``HarnessError`` naming it, so a renamed or dropped method cannot silently
/// vanish from a comparison. Pairs whose optimizer needs a capability the
/// problem lacks are left out (with a note).
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
            return try Suites.build(name, problems: ["rosenbrock", "quadratic(d=20,cond=100)"],
                                optimizers: ["adam(lr=0.01)", "sgd(lr=0.001,momentum=0.9)", "lbfgs", "zo_adam"],
                                seeds: [0], steps: (first: 200, second: 50, zeroth: 400), seconds: nil, targetGap: nil)
        case "demo":
            return try Suites.build(name, problems: ["rosenbrock(d=6)", "quadratic(d=100,cond=1e4)",
                                                 "logreg(data=breast_cancer)", "mlp(data=digits)"],
                                optimizers: Suites.demoFirstOrder + Suites.demoAdaptive + Suites.demoPreconditioners + Suites.otherFamilies,
                                seeds: [0, 1, 2], steps: (first: 1000, second: 100, zeroth: 2000), seconds: 10, targetGap: 1e-8)
        case "default":
            let base = try Suites.build(name, problems: Suites.defaultProblems, optimizers: Suites.defaultFirstOrder + Suites.defaultAdaptive + Suites.defaultPreconditioners
                                        + Suites.otherFamilies,
                                    seeds: [0, 1, 2], steps: (first: 5000, second: 500, zeroth: nil), seconds: 2, targetGap: 1e-10)
            // The two larger workloads, with their own small budget (1 s per run).
            let workloads = try Suites.build(name, problems: Suites.defaultWorkloads, optimizers: Suites.workloadOptimizers,
                                         seeds: [0, 1, 2], steps: (first: 300, second: 30, zeroth: nil), seconds: 1, targetGap: nil)
            return Suite(plan: RunPlan(groups: base.plan.groups + workloads.plan.groups, suite: name),
                         notes: base.notes + workloads.notes)
        case "full":
            let problems = ProblemCatalog.shared.descriptors.flatMap { d -> [String] in
                guard d.family != "learning" else { return [] }
                // `instance=10x0` where the key takes it (bbob's `instance` is COCO's number).
                let far = "\(d.name)(instance=10x0)"
                return d.hyperparameter("instance") == nil || (try? ProblemCatalog.shared.resolve(far)) == nil
                    ? [d.name] : [d.name, far]
            } + ["quadratic(d=100,cond=100)", "quadratic(d=1000,cond=1e6,rotate=true)", "rosenbrock(d=100)",
                 "logreg(data=breast_cancer)", "softmax(data=digits)", "mlp(data=digits)"]
            return try Suites.build(name, problems: problems,
                                optimizers: Suites.defaultFirstOrder + Suites.defaultAdaptive + Suites.defaultPreconditioners + Suites.otherFamilies,
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
    /// COCO's bbob suite: 24 functions × instances (1–15 for `bbob`, 1–5
    /// for `bbob-small`) × dimensions, one run per instance (seed 0; COCO's
    /// instances play the role of repetitions), K·d evaluations per run.
    /// Optimizers: CMA-ES without and with IPOP/BIPOP restarts, Nelder–Mead
    /// with restarts, ZO-SGD and ZO-Adam.
    static let bbobOptimizers = [
        "cmaes(active=true,sigma=2,stop=hansen)", "cmaes(active=true,restarts=ipop,sigma=2)",
        "cmaes(active=true,restarts=bipop,sigma=2)",
        "nelder_mead(restarts=1000)", "zo_sgd", "zo_adam",
    ]
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

    static let demoFirstOrder = [
        "adam(lr=0.01)", "adamw(lr=0.01)", "adan(lr=0.01)", "lion(lr=0.001)", "grams(lr=0.01)", "exadam(lr=0.01)",
        "adamp(lr=0.01)", "sgd(lr=0.01,momentum=0.9)", "cadamw(lr=0.01)", "clion(lr=0.001)",
        "adagrad(lr=0.01)", "rmsprop(lr=0.001)", "adadelta", "adamax(lr=0.01)", "nadam(lr=0.01)", "radam(lr=0.01)",
        "adafactor(lr=0.01)", "rprop(lr=0.01)",
    ]
    static let defaultFirstOrder = [
        "adam", "adamw", "adan", "lion", "grams", "exadam", "adamp", "sgd(lr=0.001,momentum=0.9)", "cadamw", "clion",
        "adagrad", "rmsprop", "adadelta", "adamax", "nadam", "radam", "adafactor", "rprop",
    ]
    /// The adaptive methods of issue 18 (same untuned rates as their neighbours;
    /// Prodigy needs none, Schedule-Free is judged at its average x).
    static let demoAdaptive = [
        "adopt(lr=0.01)", "ademamix(lr=0.01)", "mars(lr=0.01,lr_1d=0.01)", "schedulefree_adamw(lr=0.01)",
        "schedulefree_sgd(lr=0.01)", "prodigy",
    ]
    static let defaultAdaptive = [
        "adopt", "ademamix", "mars", "schedulefree_adamw", "schedulefree_sgd(lr=0.001)", "prodigy",
    ]
    /// The preconditioners of issue 19 (Muon and SOAP run AdamW/Adam on the
    /// blocks that are not matrices; Sophia's default estimator needs labels
    /// sampled from the model, so it runs on the classification problems only).
    static let demoPreconditioners = ["muon(aux_lr=0.01,lr=0.01)", "soap(lr=0.01)", "adahessian", "sophia(lr=0.01)"]
    static let defaultPreconditioners = ["muon", "soap", "adahessian", "sophia"]
    /// Second-order, curvature, baseline and zeroth-order methods, when present.
    static let otherFamilies = [
        "newton", "damped_newton", "regularized_newton", "cubic", "lazy_newton", "newton_cg",
        "bfgs", "lbfgs", "gsl_cg_fr", "gsl_cg_pr", "kfac", "mkor", "mfac",
        "zo_sgd", "zo_adam", "zo_signsgd", "mezo", "nelder_mead", "cmaes",
    ]
    /// The transformer language model and the conv net of the `default` suite (minibatch cnn: ~130 steps per second).
    static let defaultWorkloads = ["charlm", "cnn(batch=128)"]
    /// First-order methods plus the curvature methods that use layer statistics
    /// (dense-matrix methods do not fit 10⁵ parameters).
    static let workloadOptimizers = defaultFirstOrder + ["kfac", "mkor"]
    static let defaultProblems = [
        "rosenbrock", "freudenstein_roth", "powell_badly_scaled", "brown_badly_scaled", "beale", "helical_valley",
        "bard", "gaussian", "box3d", "powell_singular", "wood", "kowalik_osborne", "brown_dennis", "osborne1",
        "biggs_exp6", "watson", "extended_rosenbrock", "extended_powell", "penalty1", "penalty2",
        "variably_dimensioned", "trigonometric", "chebyquad",
        "rosenbrock(instance=10x0)", "wood(instance=10x0)", "beale(instance=10x0)",
        "quadratic(cond=100)", "quadratic(cond=1e4)", "rosenbrock(d=10)", "rosenbrock(d=100)",
        "logreg(data=breast_cancer)",
        "rastrigin", "rastrigin(d=10)", "ackley", "ackley(d=10)", "styblinski_tang", "himmelblau",
        "six_hump_camel", "branin",
    ]

    /// Groups the available optimizers by family, each family with its
    /// budget; zeroth-order methods get 200·(n+1) evaluations per problem.
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
        var byFamily: [String: [(String, Capabilities)]] = [:]
        for o in optimizers {
            guard let r = try? OptimizerCatalog.shared.resolve(o),
                  let d = try? OptimizerCatalog.shared.entry(named: r.descriptorName).descriptor else {
                continue   // unreachable: requireKnown checked every optimizer
            }
            let zeroth = d.family == .zerothOrder || !d.requires.contains(.gradient)
            let family = zeroth ? "zeroth" : (d.family == .secondOrder ? "second" : "first")
            byFamily[family, default: []].append((o, d.requirements(for: r)))
        }
        var groups: [RunGroup] = []
        for family in ["first", "second", "zeroth"] {
            guard let members = byFamily[family] else { continue }
            for (p, caps, dim) in problemInfo {
                let usable = members.filter { caps.isSuperset(of: $0.1) }
                guard !usable.isEmpty else { continue }
                var budget = Budget(steps: family == "first" ? steps.first : steps.second, seconds: seconds, targetGap: targetGap)
                if family == "zeroth" {
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
                               + " (fix the suite lists in Sources/Harness/Suites.swift)")
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
