import LinearAlgebra
import OptimizationCore
import Testing
@testable import Problems

/// Global functions: f* at x*, seeded starts inside the domain.
@Suite struct GlobalProblemTests {
    typealias S = AnalyticTestSupport

    static let minimizers: [(String, [Double], Double)] = [
        ("sphere(d=3)", [0, 0, 0], 0), ("rastrigin(d=4)", [0, 0, 0, 0], 0), ("ackley(d=3)", [0, 0, 0], 0),
        ("griewank(d=3)", [0, 0, 0], 0),
        ("schwefel(d=3)", [Double](repeating: 420.968746359982, count: 3), 0),
        ("styblinski_tang(d=3)", [Double](repeating: -2.903534027771178, count: 3), -39.16616570377142 * 3),
        ("levy(d=4)", [1, 1, 1, 1], 0), ("zakharov(d=3)", [0, 0, 0], 0),
        ("dixon_price(d=3)", [1, 0.7071067811865476, 0.5946035575013605], 0),
        ("trid(d=6)", [6, 10, 12, 12, 10, 6], -50), ("booth", [1, 3], 0), ("matyas", [0, 0], 0),
        ("himmelblau", [3, 2], 0), ("himmelblau", [-2.805118, 3.131313], 0),
        ("himmelblau", [-3.779310, -3.283186], 0), ("himmelblau", [3.584428, -1.848127], 0),
        ("three_hump_camel", [0, 0], 0), ("six_hump_camel", [0.0898420, -0.7126564], -1.0316285),
        ("six_hump_camel", [-0.0898420, 0.7126564], -1.0316285),
        ("branin", [-Double.pi, 12.275], 0.397887), ("branin", [Double.pi, 2.275], 0.397887),
        ("branin", [9.42478, 2.475], 0.397887), ("goldstein_price", [0, -1], 3), ("easom", [Double.pi, Double.pi], -1),
    ]

    @Test(arguments: minimizers)
    func valueAtTheGlobalMinimizer(_ spec: String, _ x: [Double], _ expected: Double) throws {
        let p = try S.make(spec)
        let f = try p.value(at: x)
        // Points given to 6–7 digits are checked to that precision.
        #expect(abs(f - expected) <= 1e-6 * max(1, abs(expected)), "\(spec) at \(x): \(f)")
        let km = try #require(p.knownMinimum)
        #expect(abs(km.value - expected) <= 1e-6 * max(1, abs(expected)), "\(spec): declared f* \(km.value)")
        if let xs = km.point {
            #expect(abs((try p.value(at: xs)) - km.value) <= 1e-11 * max(1, abs(km.value)), "\(spec): f(x*) ≠ f*")
            let g = try p.gradient(at: xs)
            #expect(spec.hasPrefix("ackley") || S.maxAbs(g) <= 1e-6, "\(spec): ∇f(x*) = \(g)")
        }
    }

    @Test func stationaryPointsWithoutStoredPoint() throws {
        for (spec, points) in [("himmelblau", Himmelblau.minimizers), ("six_hump_camel", SixHumpCamel.minimizers),
                               ("branin", Branin.minimizers)] {
            let p = try S.make(spec)
            for x in points {
                #expect(abs((try p.value(at: x)) - p.knownMinimum!.value) <= 1e-5, "\(spec) at \(x)")
            }
        }
    }

    @Test func seededStartsLieInTheDomainAndRepeat() throws {
        for d in ProblemCatalog.shared.descriptors where d.family == "global" {
            let a = try S.make(d.name, seed: 1), b = try S.make(d.name, seed: 1), c = try S.make(d.name, seed: 2)
            let box = try #require(a.bounds)
            #expect(zip(a.initialPoint, box).allSatisfy { $1.contains($0) }, "\(d.name): x0 outside the domain")
            #expect(a.initialPoint == b.initialPoint)
            if d.name == "trid" {
                #expect(a.initialPoint == [0, 0], "trid's customary start is 0")
            } else {
                #expect(a.initialPoint != c.initialPoint, "\(d.name): start does not depend on the seed")
            }
        }
    }
}
