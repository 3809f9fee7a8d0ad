import ArgumentParser

extension OptLab {
    struct Plot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw convergence plots (SVG) from trace CSV files.")

        func run() throws {
            printError("optlab: error: 'plot' is not implemented yet")
            throw ExitCode(2)
        }
    }
}
