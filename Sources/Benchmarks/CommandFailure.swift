import ArgumentParser
import Harness
import OptimizationCore

// Every optlab command, the benchmark commands included, reports bad input the
// same way: one line on stderr, exit status 2, never a crash or a stack trace.
// The CLI target imports these from here (it sits above Benchmarks).

/// Prints `optlab: error: <message>` on one line and returns exit status 2.
public func fail(_ error: any Error) -> ExitCode {
    printError("optlab: error: \(singleLine("\(error)"))")
    return ExitCode(2)
}

/// One line to stderr.
public func printError(_ line: String) {
    Terminal.writeError(line.hasSuffix("\n") ? line : line + "\n")
}
