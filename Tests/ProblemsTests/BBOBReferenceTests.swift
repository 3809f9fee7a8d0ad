import Foundation
import LinearAlgebra
import OptimizationCore
import Testing
@testable import Problems

/// The bbob suite against values computed by COCO's own `cocoex` 2.8.2
/// (Tests/Reference/bbob/make_bbob_reference.py): 24 functions × instances
/// 1–5 × d ∈ {2, 5, 10, 20}, 20 points each plus x*, all to ≤ 1e-12 relative.
@Suite struct BBOBReferenceTests {
    struct Case: Sendable, CustomStringConvertible {
        let function: Int, instance: Int, dimension: Int
        let valueAtOptimum: Double
        let optimum: [Double]
        let values: [Double]
        var description: String { "f\(function) i\(instance) d\(dimension)" }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Reference/bbob/bbob_reference.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("f,") }.map { line in
            let fields = line.split(separator: ",").map(String.init)
            let numbers: (String) -> [Double] = { $0.split(separator: " ").map { Double($0)! } }
            return Case(function: Int(fields[0])!, instance: Int(fields[1])!, dimension: Int(fields[2])!,
                        valueAtOptimum: Double(fields[3])!, optimum: numbers(fields[4]), values: numbers(fields[5]))
        }
    }()

    /// The points of a case, as the generator draws them (SplitMix64, [−5, 5] then [−6, 6]).
    static func points(_ c: Case) -> [[Double]] {
        var rng = SplitMix64(seed: UInt64(c.function * 1_000_000 + c.instance * 1_000 + c.dimension))
        return (0..<c.values.count).map { k in
            let half = k < c.values.count / 2 ? 5.0 : 6.0
            return (0..<c.dimension).map { _ in rng.uniform(in: -half, half) }
        }
    }

    static func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

    @Test func theReferenceFileCoversTheSuite() {
        #expect(Self.cases.count == 24 * 5 * 4)
        #expect(Set(Self.cases.map(\.function)) == Set(1...24))
    }

    @Test(arguments: 1...24)
    func valuesMatchCOCO(_ function: Int) throws {
        for c in Self.cases where c.function == function {
            let f = BBOBFunction(function: c.function, instance: c.instance, dimension: c.dimension)
            for (x, expected) in zip(Self.points(c), c.values) {
                let v = f.value(x)
                #expect(Self.relative(v, expected) <= 1e-12, "\(c) at \(x): \(v) vs cocoex \(expected)")
            }
        }
    }

    @Test(arguments: 1...24)
    func optimumMatchesCOCO(_ function: Int) throws {
        for c in Self.cases where c.function == function {
            let f = BBOBFunction(function: c.function, instance: c.instance, dimension: c.dimension)
            for (mine, theirs) in zip(f.bestParameter, c.optimum) {
                #expect(abs(mine - theirs) <= 1e-12 * max(1, abs(theirs)), "\(c): x* \(f.bestParameter) vs \(c.optimum)")
            }
            #expect(Self.relative(f.value(c.optimum), c.valueAtOptimum) <= 1e-12, "\(c): f(x*)")
            // f* (COCO's best_value) equals f(x*) to rounding and sits at or below every sampled value.
            #expect(abs(f.bestValue - c.valueAtOptimum) <= 1e-12 * max(1, abs(c.valueAtOptimum)), "\(c): f*")
            #expect(c.values.allSatisfy { $0 >= f.bestValue - 1e-12 }, "\(c): a sample below f*")
        }
    }

    @Test func legacyGeneratorMatchesCOCOsFirstDraws() {
        // x_opt of f1, instance 1, d = 2 is COCO's (0.2528, −1.1568), f_opt 79.48.
        let x = BBOBLegacy.optimum(2, seed: 1 + 10000)
        #expect(abs(x[0] - 0.2528) < 1e-12 && abs(x[1] + 1.1568) < 1e-12)
        #expect(BBOBLegacy.optimalValue(function: 1, instance: 1) == 79.48)
        // Rotations are orthogonal.
        let r = BBOBLegacy.rotation(5, seed: 12345)
        for i in 0..<5 {
            for j in 0..<5 {
                var dot = 0.0
                for k in 0..<5 { dot += r[k * 5 + i] * r[k * 5 + j] }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-14)
            }
        }
    }

    @Test func catalogEntry() throws {
        let (p, spec) = try ProblemCatalog.shared.make("bbob(f=7,instance=3,d=5)")
        #expect(spec.canonical == "bbob(d=5,f=7,instance=3)")
        #expect(p.dimension == 5)
        #expect(p.capabilities == [.value, .knownMinimum])
        #expect(p.initialPoint == [0, 0, 0, 0, 0])
        let km = try #require(p.knownMinimum)
        #expect(abs(try p.value(at: km.point!) - km.value) <= 1e-12 * abs(km.value))
        #expect(!(p is any DifferentiableObjective))   // value only: no gradient to call
        let (u, _) = try ProblemCatalog.shared.make("bbob(f=1,d=3,start=uniform)", seed: 4)
        #expect(u.initialPoint.allSatisfy { abs($0) <= 4 } && u.initialPoint != [0, 0, 0])
        #expect(throws: SpecError.self) { _ = try ProblemCatalog.shared.make("bbob(f=25)") }
        #expect(throws: SpecError.self) { _ = try ProblemCatalog.shared.make("bbob(d=1)") }
        #expect(BBOBFunction(function: 3, instance: 1, dimension: 2).value([.nan, 0]).isNaN)
        #expect(BBOBFunction(function: 24, instance: 12, dimension: 3).cocoID == "bbob_f024_i12_d03")
    }
}
