import Foundation
import Testing
import OptimizationCore
import Optimizers
import Problems
@testable import Plotting

/// Issue 16 §9: random and mutated spec strings and CSV files (fixed seed)
/// through every parser — SpecString, both catalogs' resolve, the CSV
/// reader, the trace and summary readers. Nothing may crash, and every
/// rejection is one line (no line break in the message).
@Suite("parser fuzz: 10,000 spec strings and CSV files, fixed seed")
struct ParserFuzzTests {
    /// SplitMix64: a fixed, platform-independent stream.
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
    }

    /// Characters that matter to the parsers, plus a few that should not.
    static let alphabet: [Character] = Array("abcdefghijklmnopqrstuvwxyz_0123456789(),=.'\"-+e ;:/\\\n\r\t\u{0}é∞") + ["\u{2028}"]

    static func mutate(_ text: String, _ r: inout Stream, alphabet: [Character]) -> String {
        var chars = Array(text)
        for _ in 0..<(1 + r.below(4)) {
            switch r.below(5) {
            case 0 where !chars.isEmpty: chars.remove(at: r.below(chars.count))
            case 1: chars.insert(r.pick(alphabet), at: r.below(chars.count + 1))
            case 2 where !chars.isEmpty: chars[r.below(chars.count)] = r.pick(alphabet)
            case 3 where chars.count > 2:
                let a = r.below(chars.count), b = r.below(chars.count)
                chars.insert(contentsOf: chars[min(a, b)...max(a, b)], at: r.below(chars.count + 1))
            default:
                if !chars.isEmpty { chars.removeLast(r.below(min(chars.count, 8)) + 1) }
            }
        }
        return String(chars)
    }

    static func expectOneLine(_ error: any Error, _ input: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = "\(error)"
        let breaks = text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" }
        #expect(!breaks && !text.isEmpty, "input \(input.debugDescription) → \(text.debugDescription)",
                sourceLocation: sourceLocation)
    }

    /// Valid specs to mutate: every optimizer and problem name, some with keys.
    static var seedSpecs: [String] {
        var out = OptimizerCatalog.shared.names + ProblemCatalog.shared.names
        out += ["adam(lr=1e-3,beta1=0.9)", "sgd(lr=5e-4,momentum=0.9,nesterov=1)", "rosenbrock(d=6)",
                "logreg(data=breast_cancer,l2=1e-3)", "mlp(hidden=64x32,batch=32)", "kfac(fisher=ggn)",
                "damped_newton(rule=aicn,L=2)", "zo_sgd(q=4,direction=sphere)", "logreg(data='/tmp/a,b.csv')",
                "adam(schedule=cosine,total=100,warmup=10)"]
        return out
    }

    @Test func specStrings() {
        var r = Stream(state: 16)
        let seeds = Self.seedSpecs
        var accepted = 0
        for i in 0..<5_000 {
            let text: String
            if i % 4 == 0 {
                text = String((0..<r.below(24)).map { _ in r.pick(Self.alphabet) })
            } else if i % 4 == 1 {
                text = r.pick(seeds)   // valid: exercises the canonical round trip
            } else {
                text = Self.mutate(r.pick(seeds), &r, alphabet: Self.alphabet)
            }
            do {
                let spec = try SpecString(parsing: text)
                #expect(!spec.name.isEmpty)
            } catch {
                Self.expectOneLine(error, text)
            }
            for resolve in [{ try OptimizerCatalog.shared.resolve($0) }, { try ProblemCatalog.shared.resolve($0) }]
                as [(String) throws -> ResolvedParameters] {
                do {
                    let resolved = try resolve(text)
                    accepted += 1
                    // What resolves has a canonical form that resolves to itself.
                    #expect(try resolve(resolved.canonical).canonical == resolved.canonical, "\(text.debugDescription)")
                } catch {
                    Self.expectOneLine(error, text)
                }
            }
        }
        #expect(accepted > 500, "the mutations should keep a share of valid specs, got \(accepted)")
    }

    @Test func csvFilesAndTraceReaders() throws {
        var r = Stream(state: 9)
        let dir = Fixtures.temporaryDirectory("fuzz")
        try Fixtures.writeRunDirectory(dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let traces = try String(contentsOfFile: dir + "/traces.csv", encoding: .utf8)
        let summary = try String(contentsOfFile: dir + "/summary.csv", encoding: .utf8)
        // Short prefixes keep the 5,000 parses fast; the header and some rows stay.
        let traceLines = traces.split(separator: "\n", omittingEmptySubsequences: false)
        let summaryLines = summary.split(separator: "\n", omittingEmptySubsequences: false)
        let csvAlphabet: [Character] = Array(",\"\n\r0123456789.e-+naif x") + ["\u{0}", "é"]
        var parsed = 0
        for i in 0..<5_000 {
            let isSummary = i % 3 == 2
            let lines = isSummary ? summaryLines : traceLines
            let base = lines.prefix(1 + r.below(min(12, lines.count))).joined(separator: "\n") + "\n"
            let text: String
            switch i % 5 {
            case 0: text = String((0..<r.below(80)).map { _ in r.pick(csvAlphabet) })
            default: text = Self.mutate(base, &r, alphabet: csvAlphabet)
            }
            let table: CSVTable
            do {
                table = try CSV.parse(text, source: "fuzz.csv")
                parsed += 1
            } catch {
                Self.expectOneLine(error, text)
                continue
            }
            do {
                if isSummary {
                    _ = try RunSummary.read(table)
                } else {
                    _ = try RunDirectory.readTraces(table)
                    _ = try TraceSet.build(tables: [table], selection: TraceSelection())
                }
            } catch {
                Self.expectOneLine(error, text)
            }
        }
        #expect(parsed > 1_000, "parsed \(parsed)")
    }
}
