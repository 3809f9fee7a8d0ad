import ArgumentParser
import Benchmarks

extension OptLab {
    /// `optlab bench`: the speed and memory benchmarks behind `make bench`
    /// (target `Benchmarks`), one subcommand per family. Each prints a table
    /// (or CSV rows) with ratios to a reference measured in the same process.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Speed and memory benchmarks (what `make bench` runs).",
            subcommands: BenchmarkCommands.all,
            defaultSubcommand: BenchmarkCommands.all.first)
    }
}
