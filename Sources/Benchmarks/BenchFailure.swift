import ArgumentParser
import Harness
import OptimizationCore

// The benchmark commands run as `optlab bench …`, so bad input reads as it
// does for every optlab command: one line on stderr, exit status 2 (the CLI's
// Failure.swift says the same for the commands it defines itself).

/// Prints `optlab: error: <message>` on one line and returns exit status 2.
func fail(_ error: any Error) -> ExitCode {
    printError("optlab: error: \(singleLine("\(error)"))")
    return ExitCode(2)
}

/// One line to stderr.
func printError(_ line: String) {
    Terminal.writeError(line.hasSuffix("\n") ? line : line + "\n")
}
