import ArgumentParser

extension OptLab {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join shards or separate run sets into one directory.")

        func run() throws {
            printError("optlab: error: 'merge' is not implemented yet")
            throw ExitCode(2)
        }
    }
}
