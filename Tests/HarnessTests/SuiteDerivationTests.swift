@testable import Harness
import OptimizationCore
import Optimizers
import Problems
import Testing

/// Issue 15 §2: suite membership is declared on each optimizer's catalog line
/// and the suites are built from the catalog. These tests pin the suites as
/// they were when they were hand lists, so deriving them changed nothing.
@Suite struct SuiteDerivationTests {
    /// The hand lists of `Suites.swift` before the derivation (commit 5ab5dcb), copied verbatim.
    static let demoBefore = [
        "adam(lr=0.01)", "adamw(lr=0.01)", "adan(lr=0.01)", "lion(lr=0.001)", "grams(lr=0.01)", "exadam(lr=0.01)",
        "adamp(lr=0.01)", "sgd(lr=0.01,momentum=0.9)", "cadamw(lr=0.01)", "clion(lr=0.001)",
        "adagrad(lr=0.01)", "rmsprop(lr=0.001)", "adadelta", "adamax(lr=0.01)", "nadam(lr=0.01)", "radam(lr=0.01)",
        "adafactor(lr=0.01)", "rprop(lr=0.01)",
        "adopt(lr=0.01)", "ademamix(lr=0.01)", "mars(lr=0.01,lr_1d=0.01)", "schedulefree_adamw(lr=0.01)",
        "schedulefree_sgd(lr=0.01)", "prodigy",
        "muon(aux_lr=0.01,lr=0.01)", "soap(lr=0.01)", "adahessian", "sophia(lr=0.01)",
    ] + otherFamiliesBefore
    static let defaultFirstOrderBefore = [
        "adam", "adamw", "adan", "lion", "grams", "exadam", "adamp", "sgd(lr=0.001,momentum=0.9)", "cadamw", "clion",
        "adagrad", "rmsprop", "adadelta", "adamax", "nadam", "radam", "adafactor", "rprop",
    ]
    static let defaultBefore = defaultFirstOrderBefore + [
        "adopt", "ademamix", "mars", "schedulefree_adamw", "schedulefree_sgd(lr=0.001)", "prodigy",
        "muon", "soap", "adahessian", "sophia",
    ] + otherFamiliesBefore
    static let otherFamiliesBefore = [
        "newton", "damped_newton", "regularized_newton", "cubic", "lazy_newton", "newton_cg",
        "bfgs", "lbfgs", "gsl_cg_fr", "gsl_cg_pr", "kfac", "mkor", "mfac",
        "zo_sgd", "zo_adam", "zo_signsgd", "mezo", "nelder_mead", "cmaes",
    ]
    static let workloadsBefore = defaultFirstOrderBefore + ["kfac", "mkor"]
    static let smokeBefore = ["adam(lr=0.01)", "sgd(lr=0.001,momentum=0.9)", "lbfgs", "zo_adam"]
    static let bbobBefore = [
        "cmaes(active=true,sigma=2,stop=hansen)", "cmaes(active=true,restarts=ipop,sigma=2)",
        "cmaes(active=true,restarts=bipop,sigma=2)", "nelder_mead(restarts=1000)", "zo_sgd", "zo_adam",
    ]

    /// The problem hand lists of `Suites.swift` before problems declared their
    /// suites on their catalog lines (commit 976d060), copied verbatim.
    static let smokeProblemsBefore = ["rosenbrock", "quadratic(d=20,cond=100)"]
    static let demoProblemsBefore = ["rosenbrock(d=6)", "quadratic(d=100,cond=1e4)", "logreg(data=breast_cancer)", "mlp(data=digits)"]
    static let defaultWorkloadsBefore = ["charlm", "cnn(batch=128)"]
    static let defaultProblemsBefore = [
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
    static let fullExtrasBefore = ["quadratic(d=100,cond=100)", "quadratic(d=1000,cond=1e6,rotate=true)", "rosenbrock(d=100)",
                                   "logreg(data=breast_cancer)", "softmax(data=digits)", "mlp(data=digits)"]

    /// One line per group: problems, optimizer specs in order, seeds, budget.
    static func render(_ suite: Suite) -> String {
        suite.plan.groups.map { g in
            "\(g.problems.joined(separator: " "))|\(g.optimizers.joined(separator: " "))|\(g.seeds)|"
                + "\(g.budget.steps),\(g.budget.evaluations.map(String.init) ?? "-"),"
                + "\(g.budget.seconds.map { "\($0)" } ?? "-"),\(g.budget.targetGap.map { "\($0)" } ?? "-")"
        }.joined(separator: "\n") + "\n" + suite.notes.joined(separator: "\n")
    }

    /// FNV-1a, 64 bit: a short fingerprint of a rendering.
    static func fingerprint(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// Fingerprints of every built-in suite as built from the hand lists (commit 5ab5dcb).
    static let fingerprintsBefore: [String: UInt64] = [
        "smoke": 8362048293169606218, "demo": 4813923372288881212, "default": 3056373968380599468,
        "full": 8818769145175749945, "bbob": 13696904368770680306, "bbob-small": 3244797271513150518,
    ]

    @Test func everySuiteIsTheSameAsWhenItWasHandListed() throws {
        for name in RunSet.suiteNames {
            let suite = try #require(try RunSet.suite(name))
            let text = Self.render(suite)
            #expect(Self.fingerprint(text) == Self.fingerprintsBefore[name], "\(name)")
        }
    }

    /// The derived lists build the same groups as the hand lists did (each
    /// budget class keeps its members' order; see the catalog's order).
    @Test func derivedListsBuildWhatTheHandListsBuilt() throws {
        let demoProblems = ["rosenbrock(d=6)", "quadratic(d=100,cond=1e4)", "logreg(data=breast_cancer)", "mlp(data=digits)"]
        let steps = (first: 1000, second: 100, zeroth: Int?(2000))
        let before = try Suites.build("demo", problems: demoProblems, optimizers: Self.demoBefore, seeds: [0, 1, 2],
                                      steps: steps, seconds: 10, targetGap: 1e-8)
        let after = try #require(try RunSet.suite("demo"))
        #expect(Self.render(before) == Self.render(after))
        #expect(Set(Suites.demoOptimizers) == Set(Self.demoBefore) && Suites.demoOptimizers.count == Self.demoBefore.count)
        #expect(Set(Suites.standardOptimizers) == Set(Self.defaultBefore)
                && Suites.standardOptimizers.count == Self.defaultBefore.count)
        #expect(Suites.workloadOptimizers == Self.workloadsBefore)
        #expect(Suites.smokeOptimizers == Self.smokeBefore)
        #expect(Suites.bbobOptimizers == Self.bbobBefore)
        let base = try Suites.build("default", problems: Suites.defaultProblems, optimizers: Self.defaultBefore,
                                    seeds: [0, 1, 2], steps: (first: 5000, second: 500, zeroth: nil), seconds: 2, targetGap: 1e-10)
        let standard = try #require(try RunSet.suite("default"))
        #expect(Self.render(base) == Self.render(Suite(plan: RunPlan(groups: Array(standard.plan.groups.prefix(base.plan.groups.count))),
                                                       notes: Array(standard.notes.prefix(base.notes.count)))))
    }

    /// The problem lists read from the catalog lines are the former hand lists, item by item.
    @Test func problemListsAreTheHandListsOfBefore() {
        #expect(Suites.smokeProblems == Self.smokeProblemsBefore)
        #expect(Suites.demoProblems == Self.demoProblemsBefore)
        #expect(Suites.defaultProblems == Self.defaultProblemsBefore)
        #expect(Suites.defaultWorkloads == Self.defaultWorkloadsBefore)
        #expect(Array(Suites.fullProblems.suffix(Self.fullExtrasBefore.count)) == Self.fullExtrasBefore)
        let full = Suites.fullProblems
        #expect(full.count == 2 * 35 + 1 + 1 + 18 + 1 + Self.fullExtrasBefore.count, "\(full.count)")
        #expect(Array(full.prefix(4)) == ["rosenbrock", "rosenbrock(instance=10x0)", "freudenstein_roth",
                                          "freudenstein_roth(instance=10x0)"])
    }

    /// Every spec a problem's catalog line declares names that problem (so a
    /// line cannot enrol another problem) and resolves.
    @Test func problemSuiteSpecsNameTheirOwnEntry() throws {
        var declared = 0
        for d in ProblemCatalog.shared.descriptors {
            for spec in d.suites.allSpecs {
                let r = try ProblemCatalog.shared.resolve(spec)
                #expect(r.descriptorName == d.name, "\(spec) is declared on \(d.name)")
                declared += 1
            }
        }
        #expect(declared == 2 + 4 + 39 + 2 + 6)
    }

    /// Suites list problem specs by stage, then catalog order, then line order;
    /// an unknown problem spec on a line makes building the suite fail loudly.
    @Test func problemSpecsAreListedByStageThenCatalogOrder() throws {
        let lines: [ProblemSuiteMembership] = [
            .standard("a", .stage(2, "a2"), .stage(1, "a1")),
            .standard(.stage(1, "b1"), "b", .stage(1, "b1x")),
            .init(smoke: ["c"]),
        ]
        #expect(ProblemSuiteMembership.list(lines, \.standard) == ["a", "b", "a1", "b1", "b1x", "a2"])
        #expect(ProblemSuiteMembership.list(lines, \.smoke) == ["c"])
        #expect(ProblemSuiteMembership.list(lines, \.full).isEmpty)
        #expect(throws: HarnessError.self) {
            try Suites.build("x", problems: ["rosenbrock", "no_such_problem"], optimizers: ["adam"], seeds: [0],
                             steps: (first: 1, second: 1, zeroth: nil), seconds: nil, targetGap: nil)
        }
    }

    /// Budgets come from the descriptor's budget class, not its family: every
    /// method today declares none and gets the class its family and
    /// requirements imply; the suites group by that class.
    @Test func budgetClassDecidesTheBudget() throws {
        var counts: [BudgetClass: Int] = [:]
        for d in OptimizerCatalog.shared.descriptors {
            #expect(d.budgetClass == BudgetClass.derived(family: d.family, requires: d.requires), "\(d.name)")
            counts[d.budgetClass, default: 0] += 1
        }
        #expect(counts[.steps, default: 0] > 0 && counts[.curvatureSteps, default: 0] > 0 && counts[.evaluations, default: 0] > 0)
        #expect(BudgetClass.derived(family: .secondOrder, requires: [.gradient, .hessian]) == .curvatureSteps)
        #expect(BudgetClass.derived(family: .baseline, requires: [.gradient]) == .steps)
        #expect(BudgetClass.derived(family: .baseline, requires: [.value]) == .evaluations)
        #expect(BudgetClass.derived(family: .zerothOrder, requires: [.value, .gradient]) == .evaluations)
        // An explicit class wins over the family.
        let d = OptimizerDescriptor(name: "x", family: .secondOrder, summary: "", reference: "", hyperparameters: [],
                                    requires: [.gradient], budgetClass: .steps)
        #expect(d.budgetClass == .steps)
        let suite = try #require(try RunSet.suite("demo"))
        let newtonGroups = suite.plan.groups.filter { $0.optimizers.contains("newton") }
        #expect(!newtonGroups.isEmpty && newtonGroups.allSatisfy { $0.budget.steps == 100 && $0.budget.evaluations == nil })
        let cmaesGroups = suite.plan.groups.filter { $0.optimizers.contains("cmaes") }
        #expect(!cmaesGroups.isEmpty && cmaesGroups.allSatisfy { $0.budget.evaluations == 2000 })
    }

    /// `full` takes its default-key problems from `ProblemDescriptor.inFullSuite`
    /// (derived: every family but `learning`), not from a family comparison.
    @Test func fullSuiteProblemsComeFromTheDescriptor() throws {
        let descriptors = ProblemCatalog.shared.descriptors
        let left = descriptors.filter { !$0.inFullSuite }
        #expect(!left.isEmpty && left.allSatisfy { $0.family == "learning" })
        #expect(descriptors.filter(\.inFullSuite).allSatisfy { $0.family != "learning" })
        let full = try #require(try RunSet.suite("full"))
        #expect(!full.plan.problems.contains("mlp") && full.plan.problems.contains("mlp(data=digits)"))
        #expect(full.plan.problems.contains("rosenbrock") && full.plan.problems.contains("rosenbrock(instance=10x0)"))
    }
}
