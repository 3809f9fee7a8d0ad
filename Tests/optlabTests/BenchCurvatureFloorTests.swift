import Optimizers
import Testing
@testable import Benchmarks

/// The flop model behind `optlab bench curvature --floors`, checked against
/// counts worked out by hand for one 64 × 256 block (and one K-FAC layer).
struct BenchCurvatureFloorTests {
    static func flops(_ spec: String, shapes: [[Int]] = [[64, 256]], kronecker: [(a: Int, g: Int)] = [],
                      rows: Int = 0) throws -> Double? {
        CurvatureFloor.flops(try OptimizerCatalog.shared.resolve(spec), shapes: shapes,
                             kroneckerSides: kronecker, statisticsRows: rows)
    }

    @Test func muonCountsFiveNewtonSchulzIterations() throws {
        // k·(4m²n + 2m³) with m = 64, n = 256.
        let iteration: Double = 4 * 64 * 64 * 256 + 2 * 64 * 64 * 64
        let five: Double? = try Self.flops("muon")
        let three: Double? = try Self.flops("muon(ns_steps=3)")
        #expect(five == 5 * iteration)
        #expect(three == 3 * iteration)
    }

    @Test func soapCountsThreeProjectionPairsAndAmortisedRefresh() throws {
        let pair: Double = 2 * 64 * 256 * 320
        let cubes: Double = 64 * 64 * 64 + 256 * 256 * 256
        let refresh: Double = (2 + 8.0 / 3) * cubes + 2 * pair
        let expected: Double = 3 * pair + refresh / 10
        let counted: Double = try #require(try Self.flops("soap"))
        #expect(abs(counted - expected) <= 1e-9 * expected)
        // A side above max_precond_dim keeps the identity basis: no matrix work.
        let identity: Double? = try Self.flops("soap(max_precond_dim=100)")
        #expect(identity == 0)
    }

    @Test func shampooBlocksLikeDistributedShampoo() throws {
        // 64 × 256 at limit 1024 stays a matrix: sides 64 and 256, N = 16384.
        let n: Double = 64 * 256
        let perStep: Double = 4 * 64 * n + 4 * 256 * n
        let roots: Double = 5 * (64 * 64 * 64 + 256 * 256 * 256)
        let matrix: Double? = try Self.flops("shampoo")
        #expect(matrix == perStep + roots)
        // At limit 128 the 256-side is cut in two: two 64 × 128 blocks of N = 8192.
        let half: Double = 64 * 128
        let halfStep: Double = 4 * 64 * half + 4 * 128 * half
        let halfRoots: Double = 5 * (64 * 64 * 64 + 128 * 128 * 128)
        let cut: Double? = try Self.flops("shampoo(max_preconditioner_dim=128)")
        #expect(cut == 2 * (halfStep + halfRoots))
        // A 10 × 64 weight merges into one 640-vector at 1024 (one 640 × 640 factor).
        let vectorStep: Double = 4 * 640 * 640
        let vectorRoot: Double = 5 * 640 * 640 * 640
        let vector: Double? = try Self.flops("shampoo", shapes: [[10, 64]])
        #expect(vector == vectorStep + vectorRoot)
    }

    @Test func kfacCountsStatisticsPreconditioningAndInverses() throws {
        // a = 65 (with bias), g = 256, R = 1024 rows, defaults cov_every 1, inv_every 10.
        let (a, g, r): (Double, Double, Double) = (65, 256, 1024)
        let statistics: Double = r * (a * a + g * g)
        let preconditioning: Double = 2 * a * g * (a + g)
        let inverses: Double = (a * a * a + g * g * g) / 10
        let counted: Double? = try Self.flops("kfac", kronecker: [(65, 256)], rows: 1024)
        #expect(counted == statistics + preconditioning + inverses)
    }

    @Test func elementWiseMethodsAddNoFlopsAndUnknownOnesHaveNoFloor() throws {
        let adamw: Double? = try Self.flops("adamw")
        let sophia: Double? = try Self.flops("sophia")
        let mkor: Double? = try Self.flops("mkor")
        #expect(adamw == 0)
        #expect(sophia == 0)
        #expect(mkor == nil)
    }
}
