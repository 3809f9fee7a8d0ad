import OptimizationCore
@testable import Optimizers
import Testing

/// Hand-checkable properties of Muon's pieces (the trajectories against
/// torch.optim.Muon are in MatrixMethodTrajectoryTests).
struct MuonTests {
    /// On a rectangular "diagonal" matrix every singular value follows the
    /// scalar map s ← a·s + b·s³ + c·s⁵ after the Frobenius normalisation.
    @Test(arguments: [(2, 3), (3, 2)])
    func newtonSchulzActsOnSingularValues(shape: (Int, Int)) {
        let (rows, columns) = shape
        let singular = [3.0, 0.5]
        var ns = NewtonSchulz(rows: rows, columns: columns)
        for (i, s) in singular.enumerated() { ns.matrix[i * columns + i] = s }
        let (a, b, c) = (3.4445, -4.775, 2.0315)
        ns.run(steps: 5, a: a, b: b, c: c, eps: 1e-7)
        let norm = (singular.map { $0 * $0 }.reduce(0, +)).squareRoot()
        for (i, s0) in singular.enumerated() {
            var s = s0 / norm
            for _ in 0..<5 { s = a * s + (b * s * s + c * s * s * s * s) * s }
            #expect(abs(ns.matrix[i * columns + i] - s) <= 1e-14, "σ\(i): \(ns.matrix[i * columns + i]) vs \(s)")
        }
        let offDiagonal = ns.matrix.enumerated().filter { $0.offset / columns != $0.offset % columns }
        #expect(offDiagonal.allSatisfy { $0.element == 0 })
    }

    /// Without 2-D blocks Muon is torch's AdamW with the aux_ keys.
    @Test func withoutMatricesMuonIsAdamW() {
        let g = [0.3, -1.2, 2.5, 0.0, -0.7]
        var x = [1.0, -2.0, 0.5, 3.0, -1.0]
        var y = x
        var muon = Muon(auxLr: 0.01, auxBeta1: 0.8, auxBeta2: 0.9, auxEps: 1e-6, auxWeightDecay: 0.1)
        var adamw = AdamW(lr: 0.01, beta1: 0.8, beta2: 0.9, eps: 1e-6, weightDecay: 0.1)
        for _ in 0..<3 {
            muon.update(&x, gradient: g)
            adamw.update(&y, gradient: g)
        }
        #expect(x == y)
    }

    /// One hand-computed step on a 1×2 block (then NS on a row vector is the
    /// scalar map on its norm, and the direction stays g/‖g‖).
    @Test func firstStepOnARowVector() {
        let layout = ParameterLayout([("W", [1, 2])])
        var x = [1.0, 1.0]
        let g = [3.0, 4.0]
        var muon = Muon(lr: 0.1, weightDecay: 0.5, nesterov: false)
        muon.update(&x, gradient: g, layout: layout)
        // B = 0.05·g; U = B; U/‖U‖ = (0.6, 0.8), σ = 1 → five steps of the quintic map.
        var s = 1.0
        for _ in 0..<5 { s = 3.4445 * s + (-4.775 * s * s + 2.0315 * s * s * s * s) * s }
        let expected = [1.0 * (1 - 0.1 * 0.5) - 0.1 * 0.6 * s, 1.0 * (1 - 0.1 * 0.5) - 0.1 * 0.8 * s]
        #expect(abs(x[0] - expected[0]) <= 1e-14 && abs(x[1] - expected[1]) <= 1e-14, "\(x) vs \(expected)")
    }
}
