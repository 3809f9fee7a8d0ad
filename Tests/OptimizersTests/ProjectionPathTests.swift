import OptimizationCore
import Optimizers
import OptimizerTestTable
import Testing

/// AdamP/SGDP take three paths after the cosine pre-pass: one fused pass for
/// unprojected blocks, a cache-resident fused pass per row for channel
/// projection with rows of at most 16,384 elements, and two full passes for
/// layer projection or longer rows. Each path against the plain reference
/// loop, with gradients built to force each branch.
struct ProjectionPathTests {
    /// g = noise with its component along each row of W removed (channel
    /// branch), or noise plus a multiple of W (no projection).
    static func gradient(_ x: [Double], rows: Int, orthogonal: Bool, rng: inout SplitMixForTests) -> [Double] {
        var g = x.map { _ in rng.nextSigned() }
        let length = x.count / rows
        for r in 0..<rows {
            let range = (r * length)..<((r + 1) * length)
            if orthogonal {
                var gw = 0.0, ww = 0.0
                for i in range { gw += g[i] * x[i]; ww += x[i] * x[i] }
                for i in range { g[i] -= gw / ww * x[i] }
            } else {
                for i in range { g[i] += 2 * x[i] }
            }
        }
        return g
    }

    @Test("AdamP: fused, fused-row and two-pass paths agree with the reference loop",
          arguments: [(40, 50), (3, 20_000)], [true, false])
    func adampPaths(shape: (Int, Int), orthogonal: Bool) {
        let (rows, length) = shape
        let layout = ParameterLayout([("W", [rows, length])])
        var rng = SplitMixForTests(seed: 11)
        let x0 = (0..<(rows * length)).map { _ in rng.nextSigned() }
        var fast = AdamP(lr: 0.01, weightDecay: 0.01)
        var reference = ReferenceAdamP(lr: 0.01, weightDecay: 0.01, rows: rows, matrix: true)
        var (x, y) = (x0, x0)
        for _ in 0..<5 {
            let g = Self.gradient(x, rows: rows, orthogonal: orthogonal, rng: &rng)
            fast.update(&x, gradient: g, layout: layout)
            reference.step(&y, g)
            #expect(fast.lastBranches == [orthogonal ? "channel" : "none"])
        }
        #expect(normwiseRelativeDifference(x, y) <= 1e-13)
        #expect(x != x0)
    }
}
