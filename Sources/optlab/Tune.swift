import ArgumentParser
import Harness
import OptimizationCore
import Optimizers

extension TuningCriterion: ExpressibleByArgument {}

extension OptLab {
    struct Tune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tune hyperparameters on a grid and print the tuned specs.",
            discussion: """
            Runs every optimizer with every grid value of one key on every problem
            (same flags and budgets as `run`), picks per problem and optimizer the value
            with the lowest best loss within the budget (mean over seeds; `--criterion
            final` uses the loss at the end of the budget instead, so that a value that
            diverges after a good start loses; runs that end in error disqualify a
            value, and the exit status is 1 when any run ended in error), writes DIR/tuning.csv (both means, per value) next to the traces and
            prints the tuned specs. Grids: key=a..b:n (n log-spaced values, ends
            included) or key=v1,v2,…  Example:
              optlab tune --problem rosenbrock --optimizer adam --optimizer adan --grid lr=1e-4..1:17 --steps 500
            """)

        @OptionGroup var options: RunOptions

        @Option(help: "The grid, e.g. lr=1e-4..1:17 (log) or momentum=0,0.9,0.99.")
        var grid: String

        @Option(help: "What to minimise, as a mean over seeds: best (the best loss within the budget) or final (the loss at its end).")
        var criterion: TuningCriterion = .best

        func run() throws {
            let directory: String
            let result: Tuning.Result
            let outcomes: [RunOutcome]
            do {
                let grid = try TuningGrid(parsing: grid)
                let base = try options.plan(base: nil)
                var expanded = base
                expanded.groups = []
                var candidates: [TuningCandidate] = []
                let runner = Runner(grid: LoggingGrid(every: base.logEvery), threads: options.threads)
                for g in base.groups {
                    // Candidates in (problem, optimizer, value) order: tuning.csv reads top to bottom.
                    var specs: [[String]] = []
                    for o in g.optimizers {
                        specs.append(try grid.values.map { v in
                            let spec = try grid.apply(v, to: o)
                            _ = try OptimizerCatalog.shared.resolve(spec)
                            return spec
                        })
                    }
                    for p in g.problems {
                        for (o, tuned) in zip(g.optimizers, specs) {
                            for (v, spec) in zip(grid.values, tuned) {
                                let ids = g.seeds.map { runner.identify(RunSpec(problem: p, optimizer: spec, seed: $0, budget: g.budget)).runID }
                                candidates.append(TuningCandidate(problem: p, baseOptimizer: o, value: v, optimizer: spec, runIDs: ids))
                            }
                        }
                    }
                    expanded.groups.append(RunGroup(problems: g.problems, optimizers: specs.flatMap { $0 }, seeds: g.seeds, budget: g.budget))
                }
                directory = options.outputDirectory(prefix: "tune-")
                outcomes = try options.execute(expanded, directory: directory,
                                                   manifestExtra: ["tuning_grid": grid.key + "=" + grid.values.joined(separator: ","),
                                                                   "tuning_criterion": criterion.rawValue])
                result = Tuning.select(candidates, key: grid.key, outcomes: outcomes, criterion: criterion)
                try AtomicFile.write(result.csv, to: directory + "/tuning.csv")
            } catch {
                throw fail(error)
            }
            for c in result.choices {
                let tuned = c.tuned.map { (try? OptimizerCatalog.shared.canonical($0)) ?? $0 } ?? "(every value failed)"
                print("\(c.problem)  \(c.optimizer)  →  \(tuned)")
            }
            print("wrote \(directory)/tuning.csv (and the runs' traces.csv, summary.csv, manifest.json)")
            if let code = options.exitStatus(outcomes) { throw code }
        }
    }
}
