import ArgumentParser

extension OptLab {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure an optimizer's update speed against a STREAM-triad loop.")

        func run() throws {
            printError("optlab: error: 'bench' is not implemented yet")
            throw ExitCode(2)
        }
    }
}
