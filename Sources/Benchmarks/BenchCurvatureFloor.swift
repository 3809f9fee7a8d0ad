import Foundation
import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems

/// The floor of `optlab bench curvature --floors`: what a method's step must
/// cost at least, as the reference's (first spec's) measured step plus
///
/// * the oracle work the method adds to one gradient, timed on the problem
///   itself (Sophia's sampled-label gradient every k steps, AdaHessian's
///   Hessian-vector product, K-FAC's statistics backward pass), and
/// * its dense linear algebra, counted in flops and divided by the best
///   single-call `dgemm` rate measured here (square sizes 128–512): the same
///   hard floor Benchmarks/README.md sets for MKOR.
///
/// Element-wise work (moments, clipping, the step) is left out: it is the
/// reference's too. The flop counts follow each reference's algorithm, not
/// the lab's code, so a step that does more than its reference shows up as
/// a ratio above the floor.
struct CurvatureFloor {
    /// Oracle call times on the problem, in seconds (best of a few calls).
    let gradient: Double
    let gradientAndStatistics: Double?
    let sampledLabelGradient: Double?
    let hessianVectorProduct: Double?
    /// Best `dgemm` rate, flops per second.
    let gemmRate: Double
    let layout: ParameterLayout
    /// (A side, G side) of every layer K-FAC preconditions, and the rows of its statistics.
    let kroneckerSides: [(a: Int, g: Int)]
    let statisticsRows: Int

    init(problem: String, clock: CurvatureClock, repeats: Int = 5) throws {
        let (objective, _) = try ProblemCatalog.shared.make(problem, seed: 0)
        layout = objective.layout
        let x = objective.initialPoint
        var g = [Double](repeating: 0, count: x.count)
        var v = g
        for i in v.indices { v[i] = i % 2 == 0 ? 1 : -1 }
        objective.beginStep(0)
        guard let differentiable = objective as? any DifferentiableObjective else {
            throw BenchInputError("bench curvature needs a problem with gradients ('\(problem)' has none)")
        }
        gradient = try clock.best(of: repeats) { _ = try differentiable.gradient(at: x, into: &g) }
        var sides: [(Int, Int)] = []
        var rows = 0
        if let layered = objective as? any LayerStatisticsObjective {
            var stats: LayerStatistics?
            gradientAndStatistics = try clock.best(of: repeats) {
                stats = try layered.gradientAndLayerStatistics(at: x, into: &g, targets: .sampled, seed: 1).statistics
            }
            sides = stats!.layers.map { ($0.inputs.columns, $0.outputGradients.columns) }
            rows = stats!.layers.first?.inputs.rows ?? 0
        } else {
            gradientAndStatistics = nil
        }
        kroneckerSides = sides
        statisticsRows = rows
        sampledLabelGradient = try (objective as? any SampledLabelObjective).map { sampled in
            try clock.best(of: repeats) { _ = try sampled.sampledLabelGradient(at: x, seed: 1, into: &g) }
        }
        hessianVectorProduct = try (objective as? any HessianVectorObjective).map { hvp in
            try clock.best(of: repeats) { try hvp.hessianVectorProduct(at: x, v, into: &g) }
        }
        gemmRate = [128, 256, 512].map { n in
            let a = Matrix(rows: n, columns: n, repeating: 0.5)
            var c = Matrix(rows: n, columns: n)
            let t = clock.best(of: repeats) { BLAS.gemm(a, a, into: &c) }
            return 2 * Double(n * n * n) / t
        }.max()!
    }


    /// Seconds per step a method cannot go below, given the reference's
    /// measured step; nil for a method this model does not know.
    func seconds(_ spec: String, reference: Double) throws -> Double? {
        let p = try OptimizerCatalog.shared.resolve(spec)
        let shapes = layout.blocks.filter { $0.count > 0 }.map { $0.shape.isEmpty ? [1] : $0.shape }
        guard let flops = Self.flops(p, shapes: shapes, kroneckerSides: kroneckerSides, statisticsRows: statisticsRows)
        else { return nil }
        var extra = 0.0    // oracle seconds beyond one gradient
        switch p.descriptorName {
        case "kfac":
            guard let stats = gradientAndStatistics else { return nil }
            extra = max(0, stats - gradient) / Double(p.int("cov_every"))
        case "sophia":
            let probe = p.string("estimator") == "hutchinson" ? hessianVectorProduct : sampledLabelGradient
            guard let probe else { return nil }
            extra = probe / Double(p.int("k"))
        case "adahessian":
            guard let hvp = hessianVectorProduct else { return nil }
            extra = hvp * Double(p.int("n_samples")) / Double(p.int("update_each"))
        default:
            break
        }
        return reference + extra + flops / gemmRate
    }

    /// Dense flops per step beyond the element-wise work, by each reference's
    /// algorithm; nil for a method the model does not know.
    static func flops(_ p: ResolvedParameters, shapes: [[Int]], kroneckerSides: [(a: Int, g: Int)],
                      statisticsRows: Int) -> Double? {
        let matrices = shapes.filter { $0.count == 2 }.map { (r: $0[0], c: $0[1]) }
        var flops = 0.0
        switch p.descriptorName {
        case "adam", "adamw", "nadam", "lion", "adan", "schedulefree_adamw", "sgd", "sophia", "adahessian":
            break
        case "muon":
            // Newton–Schulz: k·(4m²n + 2m³) per block, m ≤ n.
            let k = Double(p.int("ns_steps"))
            for (r, c) in matrices {
                let (m, n) = (Double(min(r, c)), Double(max(r, c)))
                flops += k * (4 * m * m * n + 2 * m * m * m)
            }
        case "soap":
            // soap.py per step: project G (QₗᵀGQᵣ), project the update back,
            // GGᵀ and GᵀG — three pairs of 2·r·c·(r+c); every f steps per
            // side s: LQ (2s³) and a QR with Q formed (≈ 8/3 s³), and exp_avg
            // projected back and forth (two more pairs).
            let f = Double(p.int("precondition_frequency"))
            let limit = p.int("max_precond_dim")
            for (r, c) in matrices where r <= limit && c <= limit {
                let pair: Double = 2 * Double(r * c) * Double(r + c)
                let cubes = Double(r * r * r + c * c * c)
                let refresh: Double = (2 + 8.0 / 3) * cubes + 2 * pair
                flops += 3 * pair + refresh / f
            }
        case "shampoo":
            // DistributedShampoo's blocks (small sides merged, then cut at the
            // limit: Shampoo's own TensorBlocking); per block of N elements and
            // side n: the Gram update and the preconditioning, 2·n·N each, every step; a dsyevd (≈ 4n³)
            // and the root Q·Λ·Qᵀ (≈ n³) every precondition_frequency steps.
            let (limit, f) = (p.int("max_preconditioner_dim"), Double(p.int("precondition_frequency")))
            for shape in shapes {
                for block in TensorBlocking.blockShapes(shape, limit: limit) {
                    let n = Double(block.reduce(1, *))
                    for side in block.map(Double.init) {
                        let perStep: Double = 4 * side * n
                        let refresh: Double = 5 * side * side * side
                        flops += perStep + refresh / f
                    }
                }
            }
        case "kfac":
            // Two dsyrk per layer every cov_every steps (R·n² each), P_G·V·P_A
            // every step, dpotrf + dpotri (≈ n³) per factor every inv_every steps.
            let (cov, inv) = (Double(p.int("cov_every")), Double(p.int("inv_every")))
            for (a, g) in kroneckerSides {
                let (da, dg) = (Double(a), Double(g))
                flops += Double(statisticsRows) * (da * da + dg * dg) / cov
                flops += 2 * da * dg * (da + dg)
                flops += (da * da * da + dg * dg * dg) / inv
            }
        default:
            return nil
        }
        return flops
    }
}

/// The clock of `optlab bench curvature`: wall time, or with `--cpu-time`
/// the process's CPU time (`CLOCK_PROCESS_CPUTIME_ID`), which on a loaded
/// machine leaves out the time the process waits for a core (with 1 OpenBLAS
/// thread every flop runs on the calling thread, so nothing is lost).
enum CurvatureClock {
    case wall, cpu

    func best(of repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        guard self == .cpu else { return try BenchClock.best(of: repeats, body) }
        func now() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
        }
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t0 = now()
            try body()
            best = min(best, now() - t0)
        }
        return best
    }
}
