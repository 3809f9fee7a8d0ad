import ArgumentParser
import Benchmarks
import Foundation
import Harness
import OptimizationCore
import Optimizers
import Plotting

extension TuningCriterion: ExpressibleByArgument {}
extension SearchMethod: ExpressibleByArgument {}

extension OptLab {
    struct Tune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tune hyperparameters (grid, random or Halton search) and print the tuned specs.",
            discussion: """
            Runs every optimizer with every candidate on every problem (same flags and
            budgets as `run`), picks per problem and optimizer the candidate with the
            lowest best loss within the budget (mean over seeds; `--criterion final`
            uses the loss at the end of the budget instead, so that a value that
            diverges after a good start loses; runs that end in error disqualify a
            candidate, and the exit status is 1 when any run ended in error), writes DIR/tuning.csv (every trial, both means) next to the
            traces, records the search space and the chosen specs in manifest.json
            and prints the tuned specs with their AlgoPerf-style score.
            --search grid (default): one key, --grid key=a..b:n (n log-spaced values,
            ends included) or key=v1,v2,…
            --search random|halton: several keys, --space 'key=log:a..b,key=lin:a..b,…'
            and --trials N. Halton points are the unscrambled Halton sequence from
            index 1 (scipy.stats.qmc.Halton(scramble=False) after fast_forward(1));
            random points are uniform draws (log-uniform on log keys) from the first seed.
            Score: the area under the performance profile of cost to the Moré–Wild
            test τ = 1e-5 over the tuned specs, over τ ∈ [1, 4], divided by 3 (1 =
            fastest on every instance) — the report's "area (cost)".
            Examples:
              optlab tune --problem rosenbrock --optimizer adam --optimizer adan --grid lr=1e-4..1:17 --steps 500
              optlab tune --problem rosenbrock --optimizer adamw --search halton \\
                --space 'lr=log:1e-5..1,weight_decay=log:1e-4..1,beta2=lin:0.9..0.999' --trials 32
            """)

        @OptionGroup var options: RunOptions

        @Option(help: "How to search: grid (--grid), random or halton (--space, --trials).")
        var search: SearchMethod = .grid

        @Option(help: "The grid of --search grid, e.g. lr=1e-4..1:17 (log) or momentum=0,0.9,0.99.")
        var grid: String?

        @Option(help: "The box of --search random|halton, e.g. 'lr=log:1e-5..1,beta2=lin:0.9..0.999'.")
        var space: String?

        @Option(help: "Candidates per problem and optimizer for --search random|halton.")
        var trials: Int?

        @Option(help: "What to minimise, as a mean over seeds: best (the best loss within the budget) or final (the loss at its end).")
        var criterion: TuningCriterion = .best

        func validate() throws {
            switch search {
            case .grid:
                guard grid != nil else { throw ValidationError("--search grid needs --grid, e.g. --grid lr=1e-4..1:17") }
                if space != nil || trials != nil { throw ValidationError("--space and --trials go with --search random or halton, not grid") }
            case .random, .halton:
                guard space != nil else { throw ValidationError("--search \(search.rawValue) needs --space, e.g. --space 'lr=log:1e-5..1,beta2=lin:0.9..0.999'") }
                guard let trials else { throw ValidationError("--search \(search.rawValue) needs --trials N") }
                guard (1...10_000).contains(trials) else { throw ValidationError("--trials must be in 1...10000, got \(trials)") }
                if grid != nil { throw ValidationError("--grid goes with --search grid; use --space with --search \(search.rawValue)") }
            }
        }

        /// The candidates of one base optimizer: (value column text, spec).
        func trialSpecs(for optimizer: String, seed: UInt64) throws -> [(String, String)] {
            if search == .grid {
                let g = try TuningGrid(parsing: grid!)
                return try g.values.map { v in (v, try g.apply(v, to: optimizer)) }
            }
            let s = try SearchSpace(parsing: space!)
            return try s.trials(search, count: trials!, seed: seed).map { values in
                (values.joined(separator: ";"), try s.apply(values, to: optimizer))
            }
        }

        func run() throws {
            let directory: String
            let result: Tuning.Result
            var scores: [(optimizer: String, area: Double, solved: Int, instances: Int)] = []
            let outcomes: [RunOutcome]
            do {
                let keyText: String
                var searchKeys: [String] = []
                var extra: [String: any Sendable] = ["tuning_criterion": criterion.rawValue, "tuning_search": search.rawValue]
                if search == .grid {
                    let g = try TuningGrid(parsing: grid!)
                    keyText = g.key
                    extra["tuning_grid"] = g.key + "=" + g.values.joined(separator: ",")
                } else {
                    let s = try SearchSpace(parsing: space!)
                    keyText = s.keys.joined(separator: ";")
                    searchKeys = s.keys
                    extra["tuning_space"] = s.description
                    extra["tuning_trials"] = trials!
                }
                let base = try options.plan(base: nil)
                var expanded = base
                expanded.groups = []
                var candidates: [TuningCandidate] = []
                let runner = Runner(grid: LoggingGrid(every: base.logEvery), threads: options.threads)
                for g in base.groups {
                    // Random draws come from the group's first seed (the run's seed).
                    let seed = g.seeds.first ?? 0
                    if search == .random { extra["tuning_random_seed"] = Int(seed) }
                    var specs: [[(String, String)]] = []
                    for o in g.optimizers {
                        let list = try trialSpecs(for: o, seed: seed)
                        for (_, spec) in list { _ = try OptimizerCatalog.shared.resolve(spec) }
                        specs.append(list)
                    }
                    // Candidates in (problem, optimizer, trial) order: tuning.csv reads top to bottom.
                    for p in g.problems {
                        for (o, tuned) in zip(g.optimizers, specs) {
                            for (v, spec) in tuned {
                                let ids = g.seeds.map { runner.identify(RunSpec(problem: p, optimizer: spec, seed: $0, budget: g.budget)).runID }
                                candidates.append(TuningCandidate(problem: p, baseOptimizer: o, value: v, optimizer: spec, runIDs: ids))
                            }
                        }
                    }
                    expanded.groups.append(RunGroup(problems: g.problems, optimizers: specs.flatMap { $0.map(\.1) }, seeds: g.seeds, budget: g.budget))
                }
                directory = options.outputDirectory(prefix: "tune-")
                outcomes = try options.execute(expanded, directory: directory, manifestExtra: extra)
                result = Tuning.select(candidates, key: keyText, outcomes: outcomes, criterion: criterion, searchKeys: searchKeys)
                try AtomicFile.write(result.csv, to: directory + "/tuning.csv")
                let chosen = result.choices.compactMap { c in
                    c.tuned.map { (problem: c.problem, optimizer: c.optimizer, spec: (try? OptimizerCatalog.shared.canonical($0)) ?? $0) }
                }
                scores = try TunedScore.areas(directory: directory, chosen: chosen)
                try Manifest.amend(directory: directory, with: [
                    "tuning_choices": result.choices.map { c -> [String: Any] in
                        ["problem": c.problem, "optimizer": c.optimizer,
                         "spec": c.tuned.map { (try? OptimizerCatalog.shared.canonical($0)) ?? $0 } ?? NSNull()]
                    },
                    "tuning_scores": Dictionary(scores.map { ($0.optimizer, $0.area) }, uniquingKeysWith: { a, _ in a }),
                    "tuning_score_definition": TunedScore.definition,
                ])
            } catch {
                throw fail(error)
            }
            for c in result.choices {
                let tuned = c.tuned.map { (try? OptimizerCatalog.shared.canonical($0)) ?? $0 } ?? "(every value failed)"
                print("\(c.problem)  \(c.optimizer)  →  \(tuned)")
            }
            if !scores.isEmpty {
                print("AlgoPerf-style score of the tuned specs (\(TunedScore.definition)):")
                for s in scores.sorted(by: { ($0.area, $1.optimizer) > ($1.area, $0.optimizer) }) {
                    print("  \(s.optimizer)  \(String(format: "%.3f", s.area))  (solved \(s.solved)/\(s.instances))")
                }
            }
            print("wrote \(directory)/tuning.csv (and the runs' traces.csv, summary.csv, manifest.json)")
            if let code = options.exitStatus(outcomes) { throw code }
        }
    }
}

