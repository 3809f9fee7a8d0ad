/// The family an optimizer belongs to (what it needs from the objective).
public enum OptimizerFamily: String, Sendable, CaseIterable {
    case firstOrder = "first"
    case secondOrder = "second"
    case zerothOrder = "zeroth"
    case baseline

    /// How listings print the family: "first-order", …, "baseline".
    public var label: String { self == .baseline ? rawValue : rawValue + "-order" }
}

/// Name, family, reference, hyperparameters and requirements of an optimizer.
public struct OptimizerDescriptor: Sendable, ComponentDescriptor {
    public let name: String
    public let family: OptimizerFamily
    /// One line: what it is.
    public let summary: String
    /// Paper (arXiv id) and the implementation the lab matches.
    public let reference: String
    public let hyperparameters: [Hyperparameter]
    /// Capabilities the objective must provide whatever the keys.
    public let requires: Capabilities
    /// Extra capabilities some key values need (e.g. `cubic(solver=exact)`
    /// needs a dense Hessian, `solver=lanczos` only products).
    public let keyRequirements: @Sendable (ResolvedParameters) -> Capabilities
    /// The least memory traffic of one update, for element-wise methods
    /// (`optlab bench update` reports bytes per step from it); nil for others.
    public let traffic: MemoryTraffic?
    /// How the suites budget it; by default derived from `family` and
    /// `requires` (``BudgetClass/derived(family:requires:)``). The family
    /// itself is a display label and decides nothing.
    public let budgetClass: BudgetClass
    /// The built-in suites it runs in (set on its catalog line with ``inSuites(_:)``).
    public private(set) var suites: SuiteMembership = .none

    public init(name: String, family: OptimizerFamily, summary: String, reference: String,
                hyperparameters: [Hyperparameter], requires: Capabilities,
                keyRequirements: @escaping @Sendable (ResolvedParameters) -> Capabilities = { _ in [] },
                traffic: MemoryTraffic? = nil, budgetClass: BudgetClass? = nil) {
        self.name = name
        self.family = family
        self.summary = summary
        self.reference = reference
        self.hyperparameters = hyperparameters
        self.requires = requires
        self.keyRequirements = keyRequirements
        self.traffic = traffic
        self.budgetClass = budgetClass ?? .derived(family: family, requires: requires)
    }

    /// This descriptor with its suite membership declared (used on catalog lines).
    public func inSuites(_ membership: SuiteMembership) -> OptimizerDescriptor {
        var copy = self
        copy.suites = membership
        return copy
    }

    /// The same, spelled out on the catalog line:
    /// `Adam.descriptor.inSuites(demo: "adam(lr=0.01)", standard: "adam", workloads: true)`.
    public func inSuites(smoke: String? = nil, demo: String? = nil, standard: String? = nil, workloads: Bool = false,
                         bbob: [String] = [], bbobRank: Int = 0) -> OptimizerDescriptor {
        inSuites(SuiteMembership(smoke: smoke, demo: demo, standard: standard, workloads: workloads,
                                 bbob: bbob, bbobRank: bbobRank))
    }

    /// Everything an objective must provide for this optimizer with these keys.
    public func requirements(for parameters: ResolvedParameters) -> Capabilities {
        requires.union(keyRequirements(parameters))
    }

    public static var kind: String { "optimizer" }
}

/// Name, family, reference, keys and capabilities of a test problem.
public struct ProblemDescriptor: Sendable, ComponentDescriptor {
    public let name: String
    /// e.g. `mgh`, `quadratic`, `global`, `learning`.
    public let family: String
    public let summary: String
    public let reference: String
    public let hyperparameters: [Hyperparameter]
    /// Capabilities of an instance made with the default keys.
    public let capabilities: Capabilities
    /// The dimension, or how it follows from the keys (e.g. `d`).
    public let dimension: String
    /// Whether the `full` suite runs it at its default keys (and at `10x0`
    /// where it has instances). By default every family but `learning`,
    /// whose problems `full` lists with their data sets instead; the family
    /// itself is a label and decides nothing.
    public let inFullSuite: Bool
    /// The built-in suites it runs in, with the specs (set on its catalog line with ``inSuites(_:)``).
    public private(set) var suites: ProblemSuiteMembership = .none

    public init(name: String, family: String, summary: String, reference: String,
                hyperparameters: [Hyperparameter], capabilities: Capabilities, dimension: String,
                inFullSuite: Bool? = nil) {
        self.name = name
        self.family = family
        self.summary = summary
        self.reference = reference
        self.hyperparameters = hyperparameters
        self.capabilities = capabilities
        self.dimension = dimension
        self.inFullSuite = inFullSuite ?? (family != "learning")
    }

    /// This descriptor with its suite membership declared (used on catalog lines).
    public func inSuites(_ membership: ProblemSuiteMembership) -> ProblemDescriptor {
        var copy = self
        copy.suites = membership
        return copy
    }

    public static var kind: String { "problem" }
}

/// What both catalogs need of a descriptor.
public protocol ComponentDescriptor: Sendable {
    var name: String { get }
    var hyperparameters: [Hyperparameter] { get }
    /// "optimizer" or "problem", for messages.
    static var kind: String { get }
}

extension ComponentDescriptor {
    public func hyperparameter(_ key: String) -> Hyperparameter? { hyperparameters.first { $0.name == key } }

    /// Checks a parsed spec against this descriptor: every key known, every
    /// value valid, every required key present; fills in defaults.
    public func resolve(_ spec: SpecString) throws(SpecError) -> ResolvedParameters {
        var given: [String: SpecValue] = [:]
        for arg in spec.arguments {
            guard let h = hyperparameter(arg.key) else {
                let keys = hyperparameters.map(\.name)
                throw .unknownKey(owner: name, key: arg.key, suggestion: nearest(arg.key, in: keys), validKeys: keys)
            }
            given[arg.key] = try h.parse(arg.value, owner: name)
        }
        return try resolve(given)
    }

    /// Checks typed values (from a typed initialiser) against this descriptor.
    public func resolve(_ given: [String: SpecValue]) throws(SpecError) -> ResolvedParameters {
        var values: [String: SpecValue] = [:]
        for h in hyperparameters {
            if let v = given[h.name] {
                try check(v, against: h)
                values[h.name] = v
            } else {
                switch h.defaultValue {
                case .value(let v): values[h.name] = v
                case .required: throw .missingRequired(owner: name, key: h.name, accepted: h.accepted)
                case .unset: break
                }
            }
        }
        for key in given.keys where hyperparameter(key) == nil {
            let keys = hyperparameters.map(\.name)
            throw .unknownKey(owner: name, key: key, suggestion: nearest(key, in: keys), validKeys: keys)
        }
        return ResolvedParameters(descriptorName: name, hyperparameters: hyperparameters, values: values)
    }

    private func check(_ v: SpecValue, against h: Hyperparameter) throws(SpecError) {
        // Re-parse the canonical spelling: one validation path for both routes.
        let raw: String
        if case .text(let s) = v { raw = s } else { raw = v.description }
        _ = try h.parse(raw, owner: name)
    }
}

/// Validated, defaulted hyperparameter values, with typed accessors and the
/// canonical spec string (keys sorted, defaults omitted).
public struct ResolvedParameters: Sendable, CustomStringConvertible {
    public let descriptorName: String
    public let hyperparameters: [Hyperparameter]
    public let values: [String: SpecValue]

    public func double(_ key: String) -> Double {
        guard let x = values[key]?.doubleValue else { preconditionFailure("\(descriptorName): no numeric '\(key)'") }
        return x
    }
    public func optionalDouble(_ key: String) -> Double? { values[key]?.doubleValue }
    public func int(_ key: String) -> Int {
        switch values[key] {
        case .integer(let n): return n
        case .real(let x): return Int(x)
        default: preconditionFailure("\(descriptorName): no integer '\(key)'")
        }
    }
    public func optionalInt(_ key: String) -> Int? { values[key] == nil ? nil : int(key) }
    public func bool(_ key: String) -> Bool {
        guard case .boolean(let b) = values[key] else { preconditionFailure("\(descriptorName): no boolean '\(key)'") }
        return b
    }
    public func string(_ key: String) -> String {
        guard case .text(let s) = values[key] else { preconditionFailure("\(descriptorName): no text '\(key)'") }
        return s
    }
    public func optionalString(_ key: String) -> String? {
        if case .text(let s) = values[key] { return s }
        return nil
    }

    /// Values that differ from their defaults, sorted by key.
    public var nonDefault: [(String, SpecValue)] {
        values.filter { key, v in
            guard let h = hyperparameters.first(where: { $0.name == key }) else { return true }
            if case .value(let d) = h.defaultValue { return !SpecValue.same(d, v) }
            return true
        }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The canonical spec string: name, then the non-default keys sorted,
    /// values in canonical spelling. Example: `adam(beta1=0.95,lr=0.01)`.
    public var canonical: String {
        SpecString.format(name: descriptorName, arguments: nonDefault.map { ($0.0, $0.1.description) })
    }

    public var description: String { canonical }
}

extension SpecValue {
    /// Equality that treats `.integer(1)` and `.real(1)` as the same number.
    static func same(_ a: SpecValue, _ b: SpecValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return a == b
    }
}
