/// A registry: name → descriptor + factory, built from spec strings.
///
/// `Optimizers.OptimizerCatalog` and `Problems.ProblemCatalog` are instances.
/// Lookup errors name the bad token and suggest the nearest valid one.
public struct Catalog<Descriptor: ComponentDescriptor, Product>: Sendable {
    public typealias Factory = @Sendable (ResolvedParameters, _ seed: UInt64) throws -> Product

    /// One name: its descriptor and the factory that builds it.
    public struct Entry: Sendable {
        public let descriptor: Descriptor
        public let make: Factory
        public init(_ descriptor: Descriptor, make: @escaping Factory) {
            self.descriptor = descriptor
            self.make = make
        }
    }

    public let entries: [Entry]

    public init(_ entries: [Entry]) {
        var seen = Set<String>()
        for e in entries { precondition(seen.insert(e.descriptor.name).inserted, "duplicate catalog name \(e.descriptor.name)") }
        self.entries = entries
    }

    public var names: [String] { entries.map(\.descriptor.name) }
    public var descriptors: [Descriptor] { entries.map(\.descriptor) }

    public func entry(named name: String) throws(SpecError) -> Entry {
        if let e = entries.first(where: { $0.descriptor.name == name }) { return e }
        throw .unknownName(kind: Descriptor.kind, name: name, suggestion: nearest(name, in: names))
    }

    /// Parses and validates a spec string without building anything.
    public func resolve(_ text: String) throws(SpecError) -> ResolvedParameters {
        let spec = try SpecString(parsing: text)
        return try entry(named: spec.name).descriptor.resolve(spec)
    }

    /// Builds the product a spec string names; `seed` feeds seeded pieces
    /// (random starts, network initialisation, data order).
    public func make(_ text: String, seed: UInt64 = 0) throws -> (Product, ResolvedParameters) {
        let spec = try SpecString(parsing: text)
        let entry = try entry(named: spec.name)
        let resolved = try entry.descriptor.resolve(spec)
        return (try entry.make(resolved, seed), resolved)
    }

    /// The canonical form of a spec string (validated).
    public func canonical(_ text: String) throws(SpecError) -> String { try resolve(text).canonical }
}
