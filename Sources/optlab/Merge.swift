import ArgumentParser
import Benchmarks
import Harness

extension OptLab {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join shards or separate run sets into one directory.",
            discussion: """
            Reads DIR/traces.csv and DIR/summary.csv of every input and writes one
            run directory with each run once (by run_id; the first input that has a
            run wins), sorted by run id and step. Example, after a Slurm array:
              optlab merge results/sweep/shard-* --out results/sweep/all
            """)

        @Argument(help: "Run directories (shards or run sets).")
        var directories: [String] = []

        @Option(help: "The merged directory.")
        var out: String

        func run() throws {
            do {
                let n = try RunSetMerger.merge(directories, into: out, command: CommandLine.arguments)
                print("merged \(n) runs from \(directories.count) directories into \(out)/ (traces.csv, summary.csv, manifest.json)")
            } catch {
                throw fail(error)
            }
        }
    }
}
