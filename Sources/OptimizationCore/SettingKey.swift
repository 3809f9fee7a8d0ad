/// A struct of hyperparameter values (`var`s with their defaults) plus a
/// table of its spec keys. Each key is declared once, in ``keys``: the spec
/// name, the property it sets, the valid range and the doc; the default is
/// the property's initial value, read from ``defaults``. The descriptor's
/// ``Hyperparameter`` list, the spec reader ``init(_:)`` and the values a
/// typed initialiser validates (``specValues``) all derive from that table.
///
///     public struct Settings: HyperparameterSettings {
///         public var lr = 1e-3
///         public var amsgrad = false
///         public static let defaults = Settings()
///         public static let keys: [SettingKey<Settings>] = [
///             .real("lr", \.lr, .positive, "learning rate η"),
///             .boolean("amsgrad", \.amsgrad, "use the running maximum of v"),
///         ]
///     }
public protocol HyperparameterSettings: Sendable {
    /// Every value at its default (the initial values of the properties).
    static var defaults: Self { get }
    /// The spec keys, in the order `optlab list` and `describe` print them.
    static var keys: [SettingKey<Self>] { get }
}

extension HyperparameterSettings {
    /// The keys as descriptor entries, defaults taken from ``defaults``.
    public static var hyperparameters: [Hyperparameter] {
        let d = defaults
        return keys.map { $0.declaration(d) }
    }

    /// Reads every key of a resolved spec (validated and defaulted by the
    /// descriptor, so each key is present unless it is `.unset`).
    public init(_ p: ResolvedParameters) {
        self = Self.defaults
        for key in Self.keys { key.read(&self, p) }
    }

    /// The values as spec values, keyed by spec name (for validating a typed
    /// initialiser against the descriptor: one validation path for both routes).
    public var specValues: [String: SpecValue] {
        var out: [String: SpecValue] = [:]
        for key in Self.keys { if let v = key.value(self) { out[key.name] = v } }
        return out
    }
}

/// One spec key of a ``HyperparameterSettings`` struct: its spec name, the
/// property it sets, its valid values and its doc (the default is the
/// property's initial value).
public struct SettingKey<Settings: HyperparameterSettings>: Sendable {
    /// The spec name (`weight_decay`).
    public let name: String
    let declaration: @Sendable (Settings) -> Hyperparameter
    let read: @Sendable (inout Settings, ResolvedParameters) -> Void
    let value: @Sendable (Settings) -> SpecValue?

    /// A real key with its default.
    public static func real(_ name: String, _ path: WritableKeyPath<Settings, Double> & Sendable,
                            _ range: ValueRange, _ doc: String) -> Self {
        SettingKey(name: name,
                   declaration: { .real(name, $0[keyPath: path], range, doc) },
                   read: { $0[keyPath: path] = $1.double(name) },
                   value: { .real($0[keyPath: path]) })
    }

    /// A real key the user must give (`sgd`'s `lr`); the property's initial
    /// value is a placeholder that is never used.
    public static func requiredReal(_ name: String, _ path: WritableKeyPath<Settings, Double> & Sendable,
                                    _ range: ValueRange, _ doc: String) -> Self {
        SettingKey(name: name,
                   declaration: { _ in .requiredReal(name, range, doc) },
                   read: { $0[keyPath: path] = $1.double(name) },
                   value: { .real($0[keyPath: path]) })
    }

    /// An integer key that may be left unset (`nil`); `meaning` says what
    /// unset means (printed as the default by `optlab list`).
    public static func optionalInteger(_ name: String, _ path: WritableKeyPath<Settings, Int?> & Sendable,
                                       _ range: ValueRange, unset meaning: String, _ doc: String) -> Self {
        SettingKey(name: name,
                   declaration: { _ in Hyperparameter(name, .integer(range), default: .unset(meaning), doc: doc) },
                   read: { $0[keyPath: path] = $1.optionalInt(name) },
                   value: { $0[keyPath: path].map { .integer($0) } })
    }

    /// A real key that may be left unset (`nil`); `meaning` says what unset means.
    public static func optionalReal(_ name: String, _ path: WritableKeyPath<Settings, Double?> & Sendable,
                                    _ range: ValueRange, unset meaning: String, _ doc: String) -> Self {
        SettingKey(name: name,
                   declaration: { _ in Hyperparameter(name, .real(range), default: .unset(meaning), doc: doc) },
                   read: { $0[keyPath: path] = $1.optionalDouble(name) },
                   value: { $0[keyPath: path].map { .real($0) } })
    }

    /// An integer key with its default.
    public static func integer(_ name: String, _ path: WritableKeyPath<Settings, Int> & Sendable,
                               _ range: ValueRange, _ doc: String) -> Self {
        SettingKey(name: name,
                   declaration: { .integer(name, $0[keyPath: path], range, doc) },
                   read: { $0[keyPath: path] = $1.int(name) },
                   value: { .integer($0[keyPath: path]) })
    }

    /// A true/false key with its default.
    public static func boolean(_ name: String, _ path: WritableKeyPath<Settings, Bool> & Sendable,
                               _ doc: String) -> Self {
        SettingKey(name: name,
                   declaration: { .boolean(name, $0[keyPath: path], doc) },
                   read: { $0[keyPath: path] = $1.bool(name) },
                   value: { .boolean($0[keyPath: path]) })
    }

    /// A key naming one case of a string enum; the choices are its cases in
    /// declaration order.
    public static func choice<E: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ path: WritableKeyPath<Settings, E> & Sendable, _ doc: String
    ) -> Self where E.RawValue == String {
        SettingKey(name: name,
                   declaration: { .choice(name, $0[keyPath: path].rawValue, E.allCases.map(\.rawValue), doc) },
                   read: { p, r in
                       guard let e = E(rawValue: r.string(name)) else { preconditionFailure("\(name): unknown choice") }
                       p[keyPath: path] = e
                   },
                   value: { .text($0[keyPath: path].rawValue) })
    }
}
