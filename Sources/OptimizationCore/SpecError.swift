/// A problem with a spec string or its values. Every case prints as one
/// line that names the bad token and says what is accepted.
public enum SpecError: Error, Equatable, CustomStringConvertible {
    /// Syntax error at a 1-based column.
    case malformed(spec: String, column: Int, message: String)
    /// An unknown optimizer / problem name.
    case unknownName(kind: String, name: String, suggestion: String?)
    /// An unknown key for a known name.
    case unknownKey(owner: String, key: String, suggestion: String?, validKeys: [String])
    /// A value of the wrong type or outside its range.
    case invalidValue(owner: String, key: String, value: String, reason: String, accepted: String)
    /// A key that has no default was not given.
    case missingRequired(owner: String, key: String, accepted: String)
    /// A combination of values that does not work together.
    case invalidCombination(owner: String, message: String)
    /// An optimizer needs a capability the problem lacks.
    case missingCapability(optimizer: String, needs: String, problem: String, provides: String)

    public var description: String { singleLine(text) }

    private var text: String {
        switch self {
        case let .malformed(spec, column, message):
            return "malformed spec '\(spec)', column \(column): \(message)"
        case let .unknownName(kind, name, suggestion):
            return "unknown \(kind) '\(name)'" + (suggestion.map { " — did you mean '\($0)'?" } ?? "")
                + " (see `optlab list \(kind)s`)"
        case let .unknownKey(owner, key, suggestion, valid):
            let hint = suggestion.map { " — did you mean '\($0)'?" } ?? ""
            let keys = valid.isEmpty ? "it takes no keys" : "valid keys: " + valid.joined(separator: ", ")
            return "unknown key '\(key)' for '\(owner)'\(hint) (\(keys))"
        case let .invalidValue(owner, key, value, reason, accepted):
            return "\(owner): \(key)=\(value) \(reason); \(key) must be \(accepted)"
        case let .missingRequired(owner, key, accepted):
            return "\(owner): missing required key '\(key)' (\(accepted)), e.g. \(owner)(\(key)=0.01)"
        case let .invalidCombination(owner, message):
            return "\(owner): \(message)"
        case let .missingCapability(optimizer, needs, problem, provides):
            return "\(optimizer) needs \(needs); '\(problem)' provides \(provides)"
        }
    }
}

/// The nearest candidate by edit distance, if it is close enough to be a
/// plausible typo (distance ≤ max(2, len/3)), or a candidate that starts with `word`.
public func nearest(_ word: String, in candidates: [String]) -> String? {
    let w = Array(word.lowercased())
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(w, Array(c.lowercased()))
        if best == nil || d < best!.1 { best = (c, d) }
    }
    guard let (candidate, distance) = best else { return nil }
    if distance <= max(2, w.count / 3) { return candidate }
    return candidates.first { $0.hasPrefix(word.lowercased()) && !word.isEmpty }
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            }
        }
        (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
}
