import ArgumentParser
import Harness
import OptimizationCore

/// Prints one line to stderr (`optlab: <message>`) and exits with status 2:
/// bad input never produces a crash or a stack trace.
func fail(_ error: any Error) -> ExitCode {
    printError("optlab: error: \(singleLine("\(error)"))")
    return ExitCode(2)
}

func printError(_ line: String) {
    Terminal.writeError(line.hasSuffix("\n") ? line : line + "\n")
}
