/// A parsed spec string `name` or `name(key=value,key=value)`, before its
/// values are checked against a descriptor.
///
/// Grammar (whitespace allowed around tokens):
///
///     spec  := name [ "(" [ arg { "," arg } ] ")" ]
///     name  := letter { letter | digit | "_" | "-" | "." }
///     arg   := key "=" value
///     value := bare | '"' { any but '"' } '"'
///     bare  := one or more characters other than , ( ) = " and whitespace
///
/// Values stay raw text here: `1`, `true` and `digits` are typed by the
/// hyperparameter they are given to. Paths with commas or parentheses are
/// written in double quotes.
public struct SpecString: Sendable, Hashable, CustomStringConvertible {
    /// One `key=value` pair as written.
    public struct Argument: Sendable, Hashable {
        public let key: String
        public let value: String
        /// 1-based column of the key, for error messages.
        public let column: Int
    }

    public let name: String
    public let arguments: [Argument]
    /// The text as given.
    public let source: String

    public init(name: String, arguments: [(String, String)]) {
        self.name = name
        self.arguments = arguments.map { Argument(key: $0.0, value: $0.1, column: 0) }
        self.source = SpecString.format(name: name, arguments: arguments)
    }

    /// Parses `text`, throwing ``SpecError/malformed(spec:column:message:)``
    /// with the column of the first problem. Never traps, whatever the input.
    public init(parsing text: String) throws(SpecError) {
        var p = Parser(text)
        (name, arguments) = try p.parse()
        source = text
    }

    public func value(of key: String) -> String? { arguments.first { $0.key == key }?.value }

    /// `name(k=v,...)` with the arguments in the given order.
    public var description: String { SpecString.format(name: name, arguments: arguments.map { ($0.key, $0.value) }) }

    static func format(name: String, arguments: [(String, String)]) -> String {
        arguments.isEmpty ? name : name + "(" + arguments.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + ")"
    }

    /// Wraps a text value in double quotes when it would not survive as a bare token.
    public static func quoteIfNeeded(_ s: String) -> String {
        let special: Set<Character> = [",", "(", ")", "=", "\""]
        if s.isEmpty || s.contains(where: { special.contains($0) || $0.isWhitespace }) { return "\"" + s + "\"" }
        return s
    }
}

private struct Parser {
    let text: String
    let chars: [Character]
    var i = 0

    init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    func fail(_ message: String, at index: Int? = nil) -> SpecError {
        .malformed(spec: text, column: (index ?? i) + 1, message: message)
    }

    var atEnd: Bool { i >= chars.count }

    mutating func skipSpace() { while !atEnd && chars[i].isWhitespace { i += 1 } }

    static func isNameStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
    static func isNameChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-" || c == ".") }
    static func isBare(_ c: Character) -> Bool { !(",()=\"".contains(c) || c.isWhitespace) }

    mutating func identifier(what: String) throws(SpecError) -> String {
        skipSpace()
        guard !atEnd else { throw fail("missing \(what)") }
        guard Parser.isNameStart(chars[i]) else { throw fail("expected \(what), found '\(chars[i])'") }
        let start = i
        while !atEnd && Parser.isNameChar(chars[i]) { i += 1 }
        return String(chars[start..<i])
    }

    mutating func parse() throws(SpecError) -> (String, [SpecString.Argument]) {
        skipSpace()
        if atEnd { throw fail("empty spec; expected a name such as adam or adam(lr=1e-3)") }
        let name = try identifier(what: "a name")
        skipSpace()
        var args: [SpecString.Argument] = []
        if !atEnd && chars[i] == "(" {
            let open = i
            i += 1
            skipSpace()
            if !atEnd && chars[i] == ")" {
                i += 1
            } else {
                var seen: [String: Int] = [:]
                while true {
                    skipSpace()
                    if atEnd { throw fail("unbalanced parenthesis: '(' at column \(open + 1) is never closed") }
                    let keyStart = i
                    let key = try identifier(what: "a key")
                    if let first = seen[key] {
                        throw fail("duplicate key '\(key)' (first given at column \(first + 1))", at: keyStart)
                    }
                    seen[key] = keyStart
                    skipSpace()
                    guard !atEnd, chars[i] == "=" else {
                        throw fail("missing '=' and value after key '\(key)'")
                    }
                    i += 1
                    skipSpace()
                    let value = try self.value(for: key, open: open)
                    args.append(.init(key: key, value: value, column: keyStart + 1))
                    skipSpace()
                    if atEnd { throw fail("unbalanced parenthesis: '(' at column \(open + 1) is never closed") }
                    if chars[i] == "," { i += 1; continue }
                    if chars[i] == ")" { i += 1; break }
                    throw fail("expected ',' or ')', found '\(chars[i])'")
                }
            }
        }
        skipSpace()
        if !atEnd {
            if chars[i] == ")" { throw fail("unbalanced parenthesis: ')' without '('") }
            throw fail("unexpected '\(chars[i])' after the spec")
        }
        return (name, args)
    }

    mutating func value(for key: String, open: Int) throws(SpecError) -> String {
        if atEnd { throw fail("missing value for key '\(key)'") }
        if chars[i] == "\"" {
            let start = i
            i += 1
            while !atEnd && chars[i] != "\"" { i += 1 }
            guard !atEnd else { throw fail("unterminated quote", at: start) }
            let v = String(chars[(start + 1)..<i])
            i += 1
            return v
        }
        let start = i
        while !atEnd && Parser.isBare(chars[i]) { i += 1 }
        if i == start {
            if chars[i] == "(" { throw fail("unexpected '(' in the value of '\(key)'") }
            throw fail("missing value for key '\(key)'")
        }
        return String(chars[start..<i])
    }
}
