import ArgumentParser
import OptimizationCore
import Optimizers
import Problems

extension OptLab {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the optimizers or problems the lab knows, with their keys and defaults.")

        enum What: String, ExpressibleByArgument, CaseIterable {
            case optimizers, problems
        }

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, csv, markdown
        }

        @Argument(help: "What to list: optimizers or problems.")
        var what: What

        @Option(help: "Output format: table (for people), csv (for scripts) or markdown (the README's table).")
        var format: Format = .table

        func run() throws {
            switch (what, format) {
            case (.optimizers, .table): print(Listing.optimizerTable(), terminator: "")
            case (.optimizers, .csv): print(Listing.optimizerCSV(), terminator: "")
            case (.problems, .table): print(Listing.problemTable(), terminator: "")
            case (.problems, .csv): print(Listing.problemCSV(), terminator: "")
            case (.optimizers, .markdown): print(Listing.optimizerMarkdown(), terminator: "")
            case (.problems, .markdown):
                throw ValidationError("--format markdown lists optimizers only; use table or csv for problems")
            }
        }
    }
}

/// The text `optlab list` prints, kept apart from the command for tests.
enum Listing {
    static func keys(_ hs: [Hyperparameter]) -> String {
        hs.isEmpty ? "—" : hs.map { "\($0.name)=\($0.defaultDescription)" }.joined(separator: ", ")
    }

    /// What the optimizer needs with its default keys (sgd has a required
    /// key, so it falls back to the key-independent requirements).
    static func defaultRequirements(_ d: OptimizerDescriptor) -> Capabilities {
        (try? d.resolve([String: SpecValue]())).map(d.requirements(for:)) ?? d.requires
    }

    static func optimizerTable() -> String {
        var out = ""
        for d in OptimizerCatalog.shared.descriptors {
            out += "\(d.name)  [\(d.family.label)]  \(d.summary)\n"
            out += "    keys: \(keys(d.hyperparameters))\n"
            out += "    needs: \(defaultRequirements(d))\n"
            out += "    reference: \(d.reference)\n"
        }
        return out
    }

    /// The README's optimizer table (between its `optlab list optimizers
    /// --format markdown` markers; a test checks that the two agree).
    static func optimizerMarkdown() -> String {
        var out = "| optimizer | family | what it is | keys (schedule keys aside) | reference |\n|---|---|---|---|---|\n"
        // The schedule's keys (same name and doc) are the same for every scheduled method.
        let scheduleKeys = Set(LearningRateSchedule.hyperparameters.map { $0.name + "\u{0}" + $0.doc })
        for d in OptimizerCatalog.shared.descriptors {
            let own = d.hyperparameters.filter { !scheduleKeys.contains($0.name + "\u{0}" + $0.doc) }
            let cells = ["`\(d.name)`", d.family.label, d.summary, keys(own), d.reference]
            out += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func optimizerCSV() -> String {
        var out = "name,family,hyperparameters,requires,reference\n"
        for d in OptimizerCatalog.shared.descriptors {
            out += [d.name, d.family.rawValue, keys(d.hyperparameters), defaultRequirements(d).description, d.reference]
                .map(csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    /// A problem's default instance (seed 0), for the dimension and f* columns; nil if it cannot be built.
    static func defaultInstance(_ name: String) -> (any Objective)? {
        try? ProblemCatalog.shared.make(name, seed: 0).0
    }

    /// f* and its kind (`global`/`local`) of the default instance, or empty strings.
    static func minimumColumns(_ p: (any Objective)?) -> (String, String) {
        guard let m = p?.knownMinimum else { return ("", "") }
        return (formatNumber(m.value), m.kind.rawValue)
    }

    static func problemTable() -> String {
        var out = ""
        for d in ProblemCatalog.shared.descriptors {
            let p = defaultInstance(d.name)
            let (fStar, kind) = minimumColumns(p)
            out += "\(d.name)  [\(d.family)]  dim \(d.dimension)  \(d.summary)\n"
            out += "    keys: \(keys(d.hyperparameters))\n"
            out += "    provides: \(d.capabilities)\n"
            if !fStar.isEmpty {
                let locals = p?.knownMinimum?.otherLocalValues.map(formatNumber) ?? []
                out += "    f*: \(fStar) (\(kind))" + (locals.isEmpty ? "" : "; declared local: " + locals.joined(separator: ", ")) + "\n"
            }
        }
        return out
    }

    /// One row per problem at its default keys: `name,family,dim,capabilities,f_star,f_star_kind`.
    static func problemCSV() -> String {
        var out = "name,family,dim,capabilities,f_star,f_star_kind\n"
        for d in ProblemCatalog.shared.descriptors {
            let p = defaultInstance(d.name)
            let (fStar, kind) = minimumColumns(p)
            let dim = p.map { String($0.dimension) } ?? d.dimension
            out += [d.name, d.family, dim, (p?.capabilities ?? d.capabilities).description, fStar, kind]
                .map(csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
