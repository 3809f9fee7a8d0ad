import Foundation
import OptimizationCore
@testable import Optimizers
import Problems
import Testing

/// Hand-checkable pieces of Shampoo and of the per-block layer it is built
/// on (its trajectories against DistributedShampoo are in MatrixMethodTrajectoryTests).
struct ShampooTests {
    /// Distributed Shampoo's `merge_small_dims` (target dimensionality 1).
    @Test func mergedShapes() {
        #expect(TensorBlocking.mergedShape([10, 64], limit: 1024) == [640])
        #expect(TensorBlocking.mergedShape([32, 64], limit: 1024) == [32, 64])
        #expect(TensorBlocking.mergedShape([1, 2, 5, 1], limit: 10) == [10])
        #expect(TensorBlocking.mergedShape([1, 2, 5, 1], limit: 1) == [2, 5])
        #expect(TensorBlocking.mergedShape([32, 3, 64, 64], limit: 8192) == [96, 4096])
        #expect(TensorBlocking.mergedShape([1, 1], limit: 4) == [1])
    }

    /// `multi_dim_split`: row-major order of the chunks, each a rectangle of the parameter.
    @Test func blocksCoverTheParameterOnceInRowMajorChunkOrder() {
        let layout = ParameterLayout([("b", [7]), ("W", [5, 3])])
        let w = TensorBlocking.blocks(of: layout.blocks[1], limit: 2)
        #expect(w.map(\.shape) == [[2, 2], [2, 1], [2, 2], [2, 1], [1, 2], [1, 1]])
        let flat = (0..<layout.dimension).map(Double.init)
        var seen: [Double] = []
        for block in TensorBlocking.blocks(of: layout.blocks[0], limit: 2) + w {
            var local = [Double](repeating: -1, count: block.view.count)
            flat.withUnsafeBufferPointer { f in
                local.withUnsafeMutableBufferPointer { block.view.gather(f.baseAddress!, into: $0.baseAddress!) }
            }
            seen += local
        }
        // b is 0…6; W (offset 7) row-major 5 × 3: the first block is rows 0–1, columns 0–1.
        #expect(Array(seen[0..<7]) == [0, 1, 2, 3, 4, 5, 6])
        #expect(Array(seen[7..<11]) == [7, 8, 10, 11])
        #expect(Array(seen[11..<13]) == [9, 12])
        #expect(seen.sorted() == flat)
        // Scatter is the inverse of gather.
        var back = [Double](repeating: 0, count: flat.count)
        var offset = 0
        for block in TensorBlocking.blocks(of: layout.blocks[0], limit: 2) + w {
            let n = block.view.count
            Array(seen[offset..<(offset + n)]).withUnsafeBufferPointer { local in
                back.withUnsafeMutableBufferPointer { block.view.scatter(1, local.baseAddress!, into: $0.baseAddress!) }
            }
            offset += n
        }
        #expect(back == flat)
    }

    /// K-FAC's [W | b] view: each row d_in weights, then the bias.
    @Test func layerViewInterleavesTheBias() {
        let layout = ParameterLayout([("W", [2, 3]), ("b", [2])])
        let view = BlockView(weight: layout.blocks[0], bias: layout.blocks[1])
        var local = [Double](repeating: 0, count: view.count)
        let flat: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
        flat.withUnsafeBufferPointer { f in
            local.withUnsafeMutableBufferPointer { view.gather(f.baseAddress!, into: $0.baseAddress!) }
        }
        #expect(local == [1, 2, 3, 7, 4, 5, 6, 8])
    }

    /// One 1-D block, β₁ = 0, no grafting: L = ggᵀ, X = (ggᵀ + εI)^(−1/2), so
    /// the first step is θ − η·g/√(‖g‖² + ε).
    @Test func firstStepIsTheNormalisedGradient() {
        let g = [0.3, -1.2, 2.5, 0.1]
        var x = [1.0, 2.0, 3.0, 4.0]
        var opt = Shampoo(lr: 0.125, beta1: 0, epsilon: 1e-3)   // 0.125: exact in float32 (see below)
        opt.update(&x, gradient: g)
        let scale = 0.125 / (g.reduce(0) { $0 + $1 * $1 } + 1e-3).squareRoot()
        for (i, xi) in x.enumerated() { #expect(abs(xi - ([1.0, 2, 3, 4][i] - scale * g[i])) <= 1e-14) }
        #expect(opt.lastRefreshes == 1)
    }

    /// Refreshes fall on (t mod f = 0 and t > s) or t = s, and each costs
    /// one `hess_evals` through the harness.
    @Test func refreshScheduleAndCounting() throws {
        let (problem, _) = try ProblemCatalog.shared.make("softmax(data=digits)")
        var (opt, _) = try OptimizerCatalog.shared.make(
            "shampoo(precondition_frequency=3,start_preconditioning_step=4,max_preconditioner_dim=16)")
        var oracle = Oracle(problem)
        var x = problem.initialPoint
        var refreshedAt: [Int] = []
        for t in 1...9 {
            let before = oracle.counts.hessian
            try opt.step(&x, oracle: &oracle)
            if oracle.counts.hessian > before { refreshedAt.append(t) }
        }
        #expect(refreshedAt == [4, 6, 9])
        #expect(oracle.counts.hessian == 3)
    }

    /// Before `start_preconditioning_step` the step is the grafting method's:
    /// with sgd grafting and β₁ = 0 that is plain gradient descent.
    @Test func graftingAloneBeforeTheStart() {
        let g = [0.5, -0.25, 1.0, 2.0]
        var x = [1.0, 1.0, 1.0, 1.0]
        var opt = Shampoo(lr: 0.125, beta1: 0, preconditionFrequency: 5, grafting: .sgd)
        for _ in 0..<4 { opt.update(&x, gradient: g) }
        for (i, xi) in x.enumerated() { #expect(abs(xi - (1 - 4 * 0.125 * g[i])) <= 1e-15) }
        #expect(opt.lastRefreshes == 0)
    }

    /// The reference holds lr in a float32 tensor; the step uses lr rounded to float32.
    @Test func learningRateIsRoundedToFloat32() {
        let g = [0.5, -0.25, 1.0, 2.0]
        var x = [1.0, 1.0, 1.0, 1.0]
        var opt = Shampoo(lr: 0.1, beta1: 0, preconditionFrequency: 5, grafting: .sgd)
        opt.update(&x, gradient: g)
        let lr32 = Double(Float(0.1))
        #expect(lr32 != 0.1)
        for (i, xi) in x.enumerated() { #expect(xi == 1 + -lr32 * g[i]) }
    }

    /// Grafting keeps Shampoo's direction and takes the grafting step's norm.
    @Test func graftedStepHasTheGraftingNorm() {
        // Rank 1: G = u vᵀ with u = (1, −2), v = (0.5, 1, −1.5).
        let g = [0.5, 1, -1.5, -1, -2, 3]
        let layout = ParameterLayout([("W", [2, 3])])
        var x = [Double](repeating: 0, count: 6)
        var opt = Shampoo(lr: 1, beta1: 0, epsilon: 1e-6, grafting: .adagrad)
        opt.update(&x, gradient: g, layout: layout)
        // AdaGrad's first step is g/(|g| + ε) elementwise: norm √6 up to ε.
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let expected = g.map { $0 / (abs($0) + 1e-10) }.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - expected) <= 1e-12)
        // …in Shampoo's direction: L^(−1/4) G R^(−1/4) = U Vᵀ of G's SVD, ∝ G for rank 1.
        let ratio = x[0] / g[0]
        for i in 0..<6 { #expect(abs(x[i] - ratio * g[i]) <= 1e-7 * abs(ratio)) }
    }

    /// Bad key combinations are one clear error, not a crash.
    @Test func startBeforeTheFirstRefreshIsRejected() {
        #expect(throws: SpecError.self) {
            _ = try OptimizerCatalog.shared.make("shampoo(precondition_frequency=10,start_preconditioning_step=5)")
        }
        #expect(throws: (any Error).self) { _ = try OptimizerCatalog.shared.make("shampoo(grafting=lamb)") }
    }

    /// grafting_beta2 defaults by method, as the reference's configs do.
    @Test func graftingBeta2DefaultsByMethod() throws {
        let rms = try #require(try OptimizerCatalog.shared.make("shampoo(grafting=rmsprop)").0 as? Shampoo)
        let adam = try #require(try OptimizerCatalog.shared.make("shampoo(grafting=adam)").0 as? Shampoo)
        let set = try #require(try OptimizerCatalog.shared.make("shampoo(grafting=adam,grafting_beta2=0.9)").0 as? Shampoo)
        #expect(rms.graftingBeta2 == 0.99 && adam.graftingBeta2 == 0.999 && set.graftingBeta2 == 0.9)
        #expect(rms.startPreconditioningStep == 1)
    }
}
