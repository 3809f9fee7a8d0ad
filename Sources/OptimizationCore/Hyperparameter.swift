/// An interval of allowed real (or integer) values, with open or closed ends.
public struct ValueRange: Sendable, Hashable, CustomStringConvertible {
    public var lower: Double
    public var lowerClosed: Bool
    public var upper: Double
    public var upperClosed: Bool

    public init(lower: Double, lowerClosed: Bool, upper: Double, upperClosed: Bool) {
        self.lower = lower
        self.lowerClosed = lowerClosed
        self.upper = upper
        self.upperClosed = upperClosed
    }

    /// (0, ∞)
    public static let positive = ValueRange(lower: 0, lowerClosed: false, upper: .infinity, upperClosed: false)
    /// [0, ∞)
    public static let nonNegative = ValueRange(lower: 0, lowerClosed: true, upper: .infinity, upperClosed: false)
    /// [0, 1)
    public static let unitHalfOpen = ValueRange(lower: 0, lowerClosed: true, upper: 1, upperClosed: false)
    /// [0, 1]
    public static let unitClosed = ValueRange(lower: 0, lowerClosed: true, upper: 1, upperClosed: true)
    /// (0, 1)
    public static let unitOpen = ValueRange(lower: 0, lowerClosed: false, upper: 1, upperClosed: false)
    /// (−∞, ∞)
    public static let any = ValueRange(lower: -.infinity, lowerClosed: false, upper: .infinity, upperClosed: false)
    /// [a, b]
    public static func closed(_ a: Double, _ b: Double) -> ValueRange { .init(lower: a, lowerClosed: true, upper: b, upperClosed: true) }
    /// [a, ∞)
    public static func atLeast(_ a: Double) -> ValueRange { .init(lower: a, lowerClosed: true, upper: .infinity, upperClosed: false) }
    /// (a, ∞)
    public static func greaterThan(_ a: Double) -> ValueRange { .init(lower: a, lowerClosed: false, upper: .infinity, upperClosed: false) }

    /// True for finite values inside the interval (NaN and ±∞ are never accepted).
    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        let aboveLower = lowerClosed ? x >= lower : x > lower
        let belowUpper = upperClosed ? x <= upper : x < upper
        return aboveLower && belowUpper
    }

    public var description: String {
        (lowerClosed ? "[" : "(") + formatNumber(lower) + ", " + formatNumber(upper) + (upperClosed ? "]" : ")")
    }
}

/// One tunable key of an optimizer or problem: its type, default, valid
/// values and a one-line doc.
public struct Hyperparameter: Sendable {
    /// The value type and its valid range.
    public enum Kind: Sendable, Equatable {
        case real(ValueRange)
        case integer(ValueRange)
        case boolean
        /// One of a fixed set of identifiers.
        case choice([String])
        /// Free text: a data-set name or a file path.
        case text
    }

    /// How a missing key is treated.
    public enum Default: Sendable, Equatable {
        /// Used when the key is absent.
        case value(SpecValue)
        /// The key must be given (e.g. `sgd`'s `lr`).
        case required
        /// Absent means "not set" (e.g. `total` defaults to the run's step budget).
        case unset(String)
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: Default
    public let doc: String

    public init(_ name: String, _ kind: Kind, default defaultValue: Default, doc: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.doc = doc
    }

    public static func real(_ name: String, _ value: Double, _ range: ValueRange, _ doc: String) -> Hyperparameter {
        Hyperparameter(name, .real(range), default: .value(.real(value)), doc: doc)
    }
    public static func requiredReal(_ name: String, _ range: ValueRange, _ doc: String) -> Hyperparameter {
        Hyperparameter(name, .real(range), default: .required, doc: doc)
    }
    public static func integer(_ name: String, _ value: Int, _ range: ValueRange, _ doc: String) -> Hyperparameter {
        Hyperparameter(name, .integer(range), default: .value(.integer(value)), doc: doc)
    }
    public static func boolean(_ name: String, _ value: Bool, _ doc: String) -> Hyperparameter {
        Hyperparameter(name, .boolean, default: .value(.boolean(value)), doc: doc)
    }
    public static func choice(_ name: String, _ value: String, _ options: [String], _ doc: String) -> Hyperparameter {
        Hyperparameter(name, .choice(options), default: .value(.text(value)), doc: doc)
    }
    public static func text(_ name: String, _ value: String, _ doc: String) -> Hyperparameter {
        Hyperparameter(name, .text, default: .value(.text(value)), doc: doc)
    }

    /// What the key accepts, for error messages and `optlab list`.
    public var accepted: String {
        switch kind {
        case .real(let r): return "a number in \(r)"
        case .integer(let r): return "an integer in \(r)"
        case .boolean: return "true/false/1/0"
        case .choice(let options): return "one of " + options.joined(separator: "|")
        case .text: return "a name or a path"
        }
    }

    /// The default as printed by `optlab list` (`required`, or the value).
    public var defaultDescription: String {
        switch defaultValue {
        case .value(let v): return v.description
        case .required: return "required"
        case .unset(let meaning): return meaning
        }
    }

    /// Parses and validates a raw spec value for this key.
    public func parse(_ raw: String, owner: String) throws(SpecError) -> SpecValue {
        func bad(_ why: String) -> SpecError {
            .invalidValue(owner: owner, key: name, value: raw, reason: why, accepted: accepted)
        }
        switch kind {
        case .real(let range):
            guard let x = parseSpecNumber(raw) else { throw bad("is not a number") }
            guard x.isFinite else { throw bad("is not a finite number") }
            guard range.contains(x) else { throw bad("is out of range") }
            return .real(x)
        case .integer(let range):
            guard let x = parseSpecNumber(raw) else { throw bad("is not an integer") }
            guard x.isFinite, x == x.rounded(), abs(x) < 1e15 else { throw bad("is not an integer") }
            guard range.contains(x) else { throw bad("is out of range") }
            return .integer(Int(x))
        case .boolean:
            switch raw.lowercased() {
            case "true", "1": return .boolean(true)
            case "false", "0": return .boolean(false)
            default: throw bad("is not a boolean")
            }
        case .choice(let options):
            guard options.contains(raw) else {
                throw bad("is not a valid choice" + (nearest(raw, in: options).map { " — did you mean '\($0)'?" } ?? ""))
            }
            return .text(raw)
        case .text:
            guard !raw.isEmpty else { throw bad("is empty") }
            return .text(raw)
        }
    }
}

/// Parses `1e-3`, `0.9`, `100`, `-2`, `nan`, `inf` (the latter two so that
/// they can be rejected with a clear message instead of "not a number").
func parseSpecNumber(_ raw: String) -> Double? {
    switch raw.lowercased() {
    case "nan", "+nan", "-nan": return .nan
    case "inf", "+inf", "infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    default: break
    }
    guard raw.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
    return Double(raw)
}
