import ArgumentParser

extension OptLab {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run optimizers on problems and write traces.csv, summary.csv and manifest.json.")

        func run() throws {
            printError("optlab: error: 'run' is not implemented yet")
            throw ExitCode(2)
        }
    }
}
