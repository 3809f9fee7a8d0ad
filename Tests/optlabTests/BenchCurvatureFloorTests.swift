import Optimizers
import Testing
@testable import optlab

/// The flop model behind `optlab bench curvature --floors`, checked against
/// counts worked out by hand for one 64 × 256 block (and one K-FAC layer).
struct BenchCurvatureFloorTests {
    static func flops(_ spec: String, kronecker: [(a: Int, g: Int)] = [], rows: Int = 0) throws -> Double? {
        CurvatureFloor.flops(try OptimizerCatalog.shared.resolve(spec), shapes: [[64, 256]],
                             kroneckerSides: kronecker, statisticsRows: rows)
    }

    @Test func muonCountsFiveNewtonSchulzIterations() throws {
        // k·(4m²n + 2m³) with m = 64, n = 256, k = 5.
        #expect(try Self.flops("muon") == 5 * (4 * 64 * 64 * 256 + 2 * 64 * 64 * 64))
        #expect(try Self.flops("muon(ns_steps=3)") == 3 * (4 * 64 * 64 * 256 + 2 * 64 * 64 * 64))
    }

    @Test func soapCountsThreeProjectionPairsAndAmortisedRefresh() throws {
        let pair = 2.0 * 64 * 256 * 320
        let sides = (2 + 8.0 / 3) * (64.0 * 64 * 64 + 256.0 * 256 * 256)
        let expected = 3 * pair + (sides + 2 * pair) / 10
        #expect(abs(try Self.flops("soap")! - expected) <= 1e-9 * expected)
        // A side above max_precond_dim keeps the identity basis: no matrix work.
        #expect(try Self.flops("soap(max_precond_dim=100)") == 0)
    }

    @Test func shampooBlocksLikeDistributedShampoo() throws {
        // 64 × 256 at limit 1024 stays a matrix: sides 64 and 256, N = 16384.
        let n = 64.0 * 256
        let matrix = 4 * 64 * n + 4 * 256 * n + 5 * (64.0 * 64 * 64 + 256.0 * 256 * 256)
        #expect(try Self.flops("shampoo") == matrix)
        // At limit 128 the 256-side is cut into two 64 × 128 blocks, N = 8192 each.
        let half = 64.0 * 128
        let cut = 2 * (4 * 64 * half + 4 * 128 * half + 5 * (64.0 * 64 * 64 + 128.0 * 128 * 128))
        #expect(try Self.flops("shampoo(max_preconditioner_dim=128)") == cut)
        // A 10 × 64 weight merges into one 640-vector at 1024 (one 640 × 640 factor).
        let vector = CurvatureFloor.flops(try OptimizerCatalog.shared.resolve("shampoo"), shapes: [[10, 64]],
                                          kroneckerSides: [], statisticsRows: 0)
        #expect(vector == 4 * 640 * 640 + 5 * 640.0 * 640 * 640)
    }

    @Test func kfacCountsStatisticsPreconditioningAndInverses() throws {
        // a = 65 (with bias), g = 256, R = 1024 rows, defaults cov_every 1, inv_every 10.
        let (a, g, r) = (65.0, 256.0, 1024.0)
        let expected = r * (a * a + g * g) + 2 * a * g * (a + g) + (a * a * a + g * g * g) / 10
        #expect(try Self.flops("kfac", kronecker: [(65, 256)], rows: 1024) == expected)
    }

    @Test func elementWiseMethodsAddNoFlopsAndUnknownOnesHaveNoFloor() throws {
        #expect(try Self.flops("adamw") == 0)
        #expect(try Self.flops("sophia") == 0)
        #expect(try Self.flops("mkor") == nil)
    }
}
