import ArgumentParser

extension OptLab {
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe one problem: dimension, layout, capabilities, x0, f(x0), ‖∇f(x0)‖, f*.")

        func run() throws {
            printError("optlab: error: 'describe' is not implemented yet")
            throw ExitCode(2)
        }
    }
}
