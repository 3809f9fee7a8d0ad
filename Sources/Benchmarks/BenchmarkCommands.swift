import ArgumentParser

/// The speed and memory benchmarks behind `make bench`, one command per
/// family, in their own target so that the CLI (`optlab bench`, a thin
/// front) and the library modules do not carry their code.
public enum BenchmarkCommands {
    /// Every benchmark command, in `optlab bench --help` order; the first is the default.
    public static let all: [any ParsableCommand.Type] = [
        BenchUpdate.self, BenchNewton.self, BenchZeroth.self, BenchCurvature.self, BenchDeepZero.self, BenchProblems.self,
    ]
}
