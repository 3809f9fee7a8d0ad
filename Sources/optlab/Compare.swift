import ArgumentParser

extension OptLab {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run, then rank the optimizers and write plots and report.html.")

        func run() throws {
            printError("optlab: error: 'compare' is not implemented yet")
            throw ExitCode(2)
        }
    }
}
