import ArgumentParser

extension OptLab {
    struct Tune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tune hyperparameters on a grid and print the tuned specs.")

        func run() throws {
            printError("optlab: error: 'tune' is not implemented yet")
            throw ExitCode(2)
        }
    }
}
