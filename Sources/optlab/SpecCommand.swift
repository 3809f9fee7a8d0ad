import ArgumentParser
import Benchmarks
import OptimizationCore
import Optimizers
import Problems

extension OptLab {
    struct SpecCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "spec",
            abstract: "Check a spec string and print its canonical form and resolved values.",
            discussion: """
            The canonical form (name, then the non-default keys sorted, values in
            canonical spelling) is what traces record in their problem/optimizer
            columns. Example: `optlab spec 'adam(lr=1e-2, beta1=0.95)'`.
            """)

        enum Kind: String, ExpressibleByArgument, CaseIterable { case optimizer, problem }

        @Argument(help: "A spec string such as adam(lr=1e-3) or rosenbrock(d=6).")
        var spec: String

        @Option(help: "Which catalog to look in (default: whichever knows the name).")
        var kind: Kind?

        func run() throws {
            do {
                print(try SpecReport.render(spec, kind: kind), terminator: "")
            } catch {
                throw fail(error)
            }
        }
    }
}

/// The text `optlab spec` prints, kept apart from the command for tests.
enum SpecReport {
    static func render(_ text: String, kind: OptLab.SpecCommand.Kind?) throws -> String {
        let parsed = try SpecString(parsing: text)
        let resolvedKind = kind ?? guessKind(parsed.name)
        let resolved: ResolvedParameters
        switch resolvedKind {
        case .optimizer: resolved = try OptimizerCatalog.shared.resolve(text)
        case .problem: resolved = try ProblemCatalog.shared.resolve(text)
        }
        // Build it too: the constructor checks what keys alone cannot (an
        // even dimension, hidden widths, a data file that exists and parses).
        switch resolvedKind {
        case .optimizer: _ = try OptimizerCatalog.shared.make(text, seed: 0)
        case .problem: _ = try ProblemCatalog.shared.make(text, seed: 0)
        }
        var out = "\(resolvedKind.rawValue): \(resolved.canonical)\n"
        let changed = Set(resolved.nonDefault.map(\.0))
        for h in resolved.hyperparameters {
            let value = resolved.values[h.name].map(\.description) ?? h.defaultDescription
            out += "  \(h.name) = \(value)\(changed.contains(h.name) ? "" : "  (default)")  — \(h.doc)\n"
        }
        return out
    }

    /// The catalog that knows `name`, else the one with the closer suggestion.
    static func guessKind(_ name: String) -> OptLab.SpecCommand.Kind {
        if OptimizerCatalog.shared.names.contains(name) { return .optimizer }
        if ProblemCatalog.shared.names.contains(name) { return .problem }
        if nearest(name, in: OptimizerCatalog.shared.names) == nil,
           nearest(name, in: ProblemCatalog.shared.names) != nil { return .problem }
        return .optimizer
    }
}
