import LinearAlgebra
import OptimizationCore
import Testing
@testable import Problems

/// Quadratic, Rayleigh, noise and spec-string handling of the analytic problems.
@Suite struct AnalyticSpecTests {
    typealias S = AnalyticTestSupport

    @Test func quadraticSpectrumAndMinimum() throws {
        let p = try S.make("quadratic(d=5,cond=16)")
        let h = try p.hessian(at: p.initialPoint)
        #expect((0..<5).map { h[$0, $0] } == [1, 2, 4, 8, 16])
        #expect(try p.value(at: p.initialPoint) == 15.5)
        #expect(p.knownMinimum == KnownMinimum(value: 0, point: [0, 0, 0, 0, 0]))
        #expect(p.initialPoint == [1, 1, 1, 1, 1])
    }

    @Test func rotatedQuadraticIsSeededWithTheSameSpectrum() throws {
        let p = try S.make("quadratic(d=20,cond=1000,rotate=true)", seed: 4)
        let q = try S.make("quadratic(d=20,cond=1000,rotate=true)", seed: 4)
        let other = try S.make("quadratic(d=20,cond=1000,rotate=true)", seed: 5)
        let xs = try #require(p.knownMinimum?.point)
        #expect(try p.value(at: xs) == 0)
        #expect(S.maxAbs(try p.gradient(at: xs)) <= 1e-12)
        #expect(try p.hessian(at: xs) == (try q.hessian(at: xs)))
        #expect(try p.hessian(at: xs) != (try other.hessian(at: xs)))
        let eig = try SymmetricEigen(p.hessian(at: xs), vectors: false).values
        let expected = (0..<20).map { Double.pow(1000, Double($0) / 19) }
        #expect(S.maxAbs(zip(eig, expected).map { ($0 - $1) / $1 }) <= 1e-10)
    }

    @Test func randomOrthogonalIsOrthogonal() throws {
        var rng = SplitMix64(seed: 1)
        var g = Matrix(rows: 7, columns: 7)
        for k in 0..<49 { g.storage[k] = rng.gaussian() }
        let q = try QRDecomposition.randomOrthogonal(fromGaussian: g)
        var qtq = Matrix(rows: 7, columns: 7)
        BLAS.gemm(q, q, into: &qtq, transposeA: true)
        #expect(S.maxAbs(zip(qtq.storage, Matrix.identity(7).storage).map { $0 - $1 }) <= 1e-13)
    }

    @Test func rayleighLayoutAndMinimum() throws {
        let p = try S.make("rayleigh")
        #expect(p.layout.blocks.count == 1)
        #expect(p.layout.blocks[0].name == "weight" && p.layout.blocks[0].shape == [1, 16])
        let fStar = 2 - 2 * Double.cos(Double.pi / 17)
        #expect(p.knownMinimum?.value == fStar)
        // The minimiser is the first Laplacian eigenvector sin(iπ/(d+1)).
        let v = (1...16).map { Double.sin(Double($0) * Double.pi / 17) }
        #expect(abs((try p.value(at: v)) - fStar) <= 1e-14)
        #expect(S.maxAbs(try p.gradient(at: v)) <= 1e-14)
        // f(ones) = (2d − 2(d − 1))/d = 2/d.
        #expect(abs((try p.value(at: p.initialPoint)) - 2.0 / 16) <= 1e-15)
    }

    @Test func noiseIsAppliedByTheOracleAndNotByTheProblem() throws {
        let p = try S.make("rosenbrock(noise=0.1)")
        #expect(p.relativeNoise == 0.1)
        #expect(p.name == "rosenbrock(noise=0.1)")
        let clean = try p.value(at: p.initialPoint)
        #expect(clean == 24.199999999999996)
        var oracle = Oracle(p, seed: 3)
        var seen = Set<Double>()
        for _ in 0..<20 {
            let f = try oracle.value(at: p.initialPoint)
            #expect(abs(f - clean) <= 0.1 * clean)
            seen.insert(f)
        }
        #expect(seen.count == 20)
        #expect(try p.fullValue(at: p.initialPoint) == clean)
        #expect((try S.make("sphere(noise=0.5)")).relativeNoise == 0.5)
    }

    @Test(arguments: [
        ("rosenbrock(n=3)", "unknown key 'n' for 'rosenbrock'"),
        ("rosenbrock(d=1)", "rosenbrock: d=1 is out of range"),
        ("sphere(d=0)", "sphere: d=0 is out of range"),
        ("watson(n=40)", "watson: n=40 is out of range"),
        ("quadratic(cond=0.5)", "quadratic: cond=0.5 is out of range"),
        ("wood(instance=5x0)", "wood: instance=5x0 is not a valid choice"),
        ("booth(d=3)", "unknown key 'd' for 'booth'"),
        ("rosenbrok", "unknown problem 'rosenbrok' — did you mean 'rosenbrock'?"),
        ("sphere(noise=-1)", "sphere: noise=-1 is out of range"),
    ])
    func badSpecsAreRejectedWithAClearMessage(_ spec: String, _ message: String) {
        #expect(throws: SpecError.self) { _ = try ProblemCatalog.shared.make(spec) }
        do {
            _ = try ProblemCatalog.shared.make(spec)
        } catch {
            #expect("\(error)".hasPrefix(message), "\(spec): \(error)")
        }
    }

    @Test(arguments: [
        ("extended_rosenbrock(n=7)", "extended_rosenbrock: n=7 must be even"),
        ("extended_powell(n=6)", "extended_powell: n=6 must be a multiple of 4"),
        ("linear_full_rank(n=10,m=5)", "linear_full_rank: m=5 must be at least n=10"),
        ("chebyquad(n=8,m=4)", "chebyquad: m=4 must be at least n=8"),
        ("quadratic(d=6000,rotate=true)", "quadratic: d=6000 is too large with rotate=true"),
    ])
    func inconsistentKeysAreRejected(_ spec: String, _ message: String) {
        do {
            _ = try ProblemCatalog.shared.make(spec)
            Issue.record("\(spec) was accepted")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(spec): \(error)")
        }
    }

    @Test func canonicalNamesOmitDefaults() throws {
        #expect(try S.make("rosenbrock(d=2)").name == "rosenbrock")
        #expect(try S.make("quadratic(rotate=true, d=50)").name == "quadratic(d=50,rotate=true)")
        #expect(try S.make("jennrich_sampson(m=10)").name == "jennrich_sampson")
    }
}
