import ArgumentParser

extension OptLab {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a self-contained HTML report (and summary.md) for a run directory.")

        func run() throws {
            printError("optlab: error: 'report' is not implemented yet")
            throw ExitCode(2)
        }
    }
}
