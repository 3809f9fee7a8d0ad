import Testing
@testable import OptimizationCore

/// A descriptor with one key of every kind, shared by the tests below.
let sampleDescriptor = OptimizerDescriptor(
    name: "adam", family: .firstOrder, summary: "test", reference: "test",
    hyperparameters: [
        .real("lr", 1e-3, .positive, "learning rate"),
        .real("beta1", 0.9, .unitHalfOpen, "first-moment decay"),
        .real("eps", 1e-8, .positive, "epsilon"),
        .integer("every", 10, .atLeast(1), "period"),
        .boolean("nesterov", false, "Nesterov"),
        .choice("schedule", "constant", ["constant", "cosine"], "schedule"),
        .text("data", "digits", "data set"),
    ],
    requires: [.gradient])

let sampleCatalog = Catalog<OptimizerDescriptor, Int>([
    .init(sampleDescriptor) { _, _ in 1 },
    .init(OptimizerDescriptor(name: "sgd", family: .firstOrder, summary: "", reference: "",
                              hyperparameters: [.requiredReal("lr", .positive, "learning rate")],
                              requires: [.gradient])) { _, _ in 2 },
    .init(OptimizerDescriptor(name: "lion", family: .firstOrder, summary: "", reference: "",
                              hyperparameters: [], requires: [.gradient])) { _, _ in 3 },
])

@Suite("Spec strings")
struct SpecStringTests {
    @Test("parses names, numbers, booleans, identifiers, paths and quoted values")
    func parsing() throws {
        let s = try SpecString(parsing: " sgd( lr = 5e-4 , momentum=0.9,nesterov=1, data=path/to.csv, name=\"a,b (c)\" ) ")
        #expect(s.name == "sgd")
        #expect(s.arguments.map(\.key) == ["lr", "momentum", "nesterov", "data", "name"])
        #expect(s.arguments.map(\.value) == ["5e-4", "0.9", "1", "path/to.csv", "a,b (c)"])
        #expect(try SpecString(parsing: "rosenbrock").arguments.isEmpty)
        #expect(try SpecString(parsing: "rosenbrock()").arguments.isEmpty)
        #expect(try SpecString(parsing: "logreg(data=../x-y_z.csv)").value(of: "data") == "../x-y_z.csv")
    }

    @Test("canonical form: keys sorted, defaults omitted, numbers tidy; it round-trips")
    func canonicalRoundTrip() throws {
        let cases: [(String, String)] = [
            ("adam", "adam"),
            ("adam()", "adam"),
            ("adam(lr=1e-3)", "adam"),
            ("adam(lr=0.01,beta1=0.95)", "adam(beta1=0.95,lr=0.01)"),
            ("adam(beta1=0.95, lr=1E-2)", "adam(beta1=0.95,lr=0.01)"),
            ("adam(eps=1e-08)", "adam"),
            ("adam(eps=1e-12,every=100)", "adam(eps=1e-12,every=100)"),
            ("adam(nesterov=1)", "adam(nesterov=true)"),
            ("adam(nesterov=true)", "adam(nesterov=true)"),
            ("adam(nesterov=0)", "adam"),
            ("adam(every=1e2)", "adam(every=100)"),
            ("adam(lr=2.5e20)", "adam(lr=2.5e20)"),
            ("adam(data=my/file.csv)", "adam(data=my/file.csv)"),
            ("adam(data=\"a b.csv\")", "adam(data=\"a b.csv\")"),
            ("adam(schedule=cosine)", "adam(schedule=cosine)"),
        ]
        for (input, expected) in cases {
            let canonical = try sampleCatalog.canonical(input)
            #expect(canonical == expected, "\(input)")
            // Canonical forms are fixed points.
            #expect(try sampleCatalog.canonical(canonical) == canonical)
        }
    }

    @Test func numberFormatting() {
        #expect(formatNumber(0.001) == "0.001")
        #expect(formatNumber(1e-8) == "1e-8")
        #expect(formatNumber(100) == "100")
        #expect(formatNumber(-2) == "-2")
        #expect(formatNumber(1.5e300) == "1.5e300")
        #expect(formatNumber(.nan) == "nan")
        #expect(formatNumber(-.infinity) == "-inf")
        for x in [0.1, 1.0 / 3, .leastNonzeroMagnitude, 123456.789, 6.02214076e23, -2.5e-7] {
            #expect(Double(formatNumber(x)) == x)
        }
    }

    @Test("unknown names and keys suggest the nearest valid one")
    func unknownNamesAndKeys() {
        #expect(throws: SpecError.unknownName(kind: "optimizer", name: "adamm", suggestion: "adam")) {
            try sampleCatalog.resolve("adamm")
        }
        let e1 = SpecError.unknownName(kind: "optimizer", name: "adamm", suggestion: "adam")
        #expect(e1.description.hasPrefix("unknown optimizer 'adamm' — did you mean 'adam'?"))
        #expect(throws: SpecError.unknownName(kind: "optimizer", name: "zzzzzz", suggestion: nil)) {
            try sampleCatalog.resolve("zzzzzz")
        }
        do {
            _ = try sampleCatalog.resolve("adam(betaa1=0.9)")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("unknown key 'betaa1' for 'adam' — did you mean 'beta1'?"))
            #expect(error.description.contains("valid keys: lr, beta1"))
        }
    }

    @Test("values outside their range name the key, the value and the valid range")
    func outOfRange() {
        let cases: [(String, String)] = [
            ("adam(lr=-1)", "adam: lr=-1 is out of range; lr must be a number in (0, inf)"),
            ("adam(beta1=1.5)", "adam: beta1=1.5 is out of range; beta1 must be a number in [0, 1)"),
            ("adam(eps=nan)", "adam: eps=nan is not a finite number; eps must be a number in (0, inf)"),
            ("adam(lr=inf)", "adam: lr=inf is not a finite number; lr must be a number in (0, inf)"),
            ("adam(lr=fast)", "adam: lr=fast is not a number; lr must be a number in (0, inf)"),
            ("adam(every=2.5)", "adam: every=2.5 is not an integer; every must be an integer in [1, inf)"),
            ("adam(every=0)", "adam: every=0 is out of range; every must be an integer in [1, inf)"),
            ("adam(nesterov=yes)", "adam: nesterov=yes is not a boolean; nesterov must be true/false/1/0"),
            ("adam(schedule=cosin)", "adam: schedule=cosin is not a valid choice — did you mean 'cosine'?; schedule must be one of constant|cosine"),
        ]
        for (spec, message) in cases {
            do {
                _ = try sampleCatalog.resolve(spec)
                Issue.record("expected an error for \(spec)")
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test("a required key without default must be given")
    func requiredKey() {
        do {
            _ = try sampleCatalog.resolve("sgd")
            Issue.record("expected an error")
        } catch {
            #expect(error == .missingRequired(owner: "sgd", key: "lr", accepted: "a number in (0, inf)"))
            #expect(error.description.contains("missing required key 'lr'"))
        }
        #expect(throws: Never.self) { try sampleCatalog.resolve("sgd(lr=0.1)") }
        #expect(throws: SpecError.self) { try sampleCatalog.resolve("lion(lr=0.1)") }
    }

    @Test("malformed specs say where")
    func malformed() {
        let cases: [(String, Int, String)] = [
            ("adam(lr=1e-3", 13, "unbalanced parenthesis: '(' at column 5 is never closed"),
            ("adam(lr=1e-3))", 14, "unbalanced parenthesis: ')' without '('"),
            ("adam lr=1e-3)", 6, "unexpected 'l' after the spec"),
            ("adam(lr=1e-3,lr=2e-3)", 14, "duplicate key 'lr' (first given at column 6)"),
            ("adam(lr=)", 9, "missing value for key 'lr'"),
            ("adam(lr)", 8, "missing '=' and value after key 'lr'"),
            ("adam(lr=1,)", 11, "expected a key, found ')'"),
            ("adam(=1)", 6, "expected a key, found '='"),
            ("", 1, "empty spec; expected a name such as adam or adam(lr=1e-3)"),
            ("(lr=1)", 1, "expected a name, found '('"),
            ("adam(lr=1 2)", 11, "expected ',' or ')', found '2'"),
            ("adam(data=\"abc)", 11, "unterminated quote"),
            ("adam(lr=(1))", 9, "unexpected '(' in the value of 'lr'"),
        ]
        for (text, column, message) in cases {
            #expect(throws: SpecError.malformed(spec: text, column: column, message: message), "\(text)") {
                try SpecString(parsing: text)
            }
        }
        #expect(SpecError.malformed(spec: "adam(", column: 6, message: "x").description == "malformed spec 'adam(', column 6: x")
    }

    @Test("10,000 random byte strings never crash the parser")
    func fuzz() {
        var rng = FuzzRandom(state: 12345)
        let alphabet = Array("adm(),=\"lr0123456789.e-+ _x/\t\u{0}é🙂)(".unicodeScalars)
        var parsed = 0
        for i in 0..<10_000 {
            let length = Int(rng.next() % 24)
            var s = ""
            for _ in 0..<length {
                if i % 2 == 0 {
                    s.unicodeScalars.append(alphabet[Int(rng.next() % UInt64(alphabet.count))])
                } else {
                    // Raw bytes, decoded leniently (invalid UTF-8 becomes U+FFFD).
                    s += String(decoding: [UInt8(truncatingIfNeeded: rng.next())], as: UTF8.self)
                }
            }
            do {
                _ = try sampleCatalog.resolve(s)
                parsed += 1
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(parsed < 10_000)
    }
}

/// A tiny LCG so the fuzz test does not depend on other modules' generators.
struct FuzzRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 17
    }
}
