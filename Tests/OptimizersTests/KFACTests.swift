import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems
import Testing

/// One linear layer with squared loss, f = (1/n) Σ ½‖W̄āᵢ − yᵢ‖², whose exact
/// GGN statistics (unit-variance Gaussian: S = I) make A ⊗ G the Hessian.
final class LinearLeastSquares: LayerStatisticsObjective {
    let features: Matrix      // n × p
    let targets: Matrix       // n × q
    let name = "linear_least_squares"
    let layout: ParameterLayout
    var dimension: Int { layout.dimension }
    var initialPoint: [Double] { [Double](repeating: 0, count: dimension) }
    var p: Int { features.columns }
    var q: Int { targets.columns }
    var n: Int { features.rows }

    init(samples: Int, inputs: Int, outputs: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        features = Matrix(rows: samples, columns: inputs, elements: (0..<(samples * inputs)).map { _ in rng.gaussian() })
        targets = Matrix(rows: samples, columns: outputs, elements: (0..<(samples * outputs)).map { _ in rng.gaussian() })
        layout = ParameterLayout([("weight", [outputs, inputs]), ("bias", [outputs])])
    }

    /// Residuals rᵢ = W aᵢ + b − yᵢ, n × q.
    func residuals(_ x: [Double]) -> Matrix {
        var r = Matrix(rows: n, columns: q)
        for i in 0..<n {
            for o in 0..<q {
                var s = x[p * q + o] - targets[i, o]
                for j in 0..<p { s += x[o * p + j] * features[i, j] }
                r[i, o] = s
            }
        }
        return r
    }

    func value(at x: [Double]) throws -> Double {
        residuals(x).storage.reduce(0) { $0 + 0.5 * $1 * $1 } / Double(n)
    }

    func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
        let r = residuals(x)
        g = [Double](repeating: 0, count: dimension)
        for i in 0..<n {
            for o in 0..<q {
                for j in 0..<p { g[o * p + j] += r[i, o] * features[i, j] / Double(n) }
                g[p * q + o] += r[i, o] / Double(n)
            }
        }
        return r.storage.reduce(0) { $0 + 0.5 * $1 * $1 } / Double(n)
    }

    func layerStatistics(at x: [Double], targets mode: TargetMode, seed: UInt64) throws -> LayerStatistics {
        guard mode == .ggn else { throw ObjectiveError.unsupported("only ggn statistics", problem: name) }
        // One row per (sample, output column): a repeated, g = e_k; sharing q.
        var a = Matrix(rows: n * q, columns: p + 1)
        var g = Matrix(rows: n * q, columns: q)
        for i in 0..<n {
            for k in 0..<q {
                for j in 0..<p { a[i * q + k, j] = features[i, j] }
                a[i * q + k, p] = 1
                g[i * q + k, k] = 1
            }
        }
        let layer = LayerStatistics.Layer(name: "linear", weight: layout.blocks[0], bias: layout.blocks[1],
                                          inputs: a, outputGradients: g, sharing: q)
        return LayerStatistics(layers: [layer], batchSize: n)
    }
}

private func randomSPD(_ n: Int, seed: UInt64) -> Matrix {
    var rng = SplitMix64(seed: seed)
    let b = Matrix(rows: n, columns: n, elements: (0..<(n * n)).map { _ in rng.gaussian() })
    var s = Matrix(rows: n, columns: n)
    BLAS.gemm(b, b, into: &s, transposeB: true)
    for i in 0..<n { s[i, i] += 0.5 }
    return s
}

/// kron(X, Y)[(i·p + j), (k·p + l)] = X[i,k] Y[j,l] (Y is p × p).
private func kron(_ x: Matrix, _ y: Matrix) -> Matrix {
    let (m, p) = (x.rows, y.rows)
    var r = Matrix(rows: m * p, columns: m * p)
    for i in 0..<m { for k in 0..<m { for j in 0..<p { for l in 0..<p { r[i * p + j, k * p + l] = x[i, k] * y[j, l] } } } }
    return r
}

private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

@Test func kfacWithExactGGNSolvesLinearLeastSquaresInOneStep() throws {
    let problem = LinearLeastSquares(samples: 40, inputs: 5, outputs: 3, seed: 21)
    for mode in ["eigen", "factored"] {
        let spec = "kfac(lr=1,momentum=0,damping=0,kl_clip=0,inv_every=1,fisher=ggn,damping_mode=\(mode))"
        let (opt, _) = try OptimizerCatalog.make(spec, for: problem.capabilities, problemName: problem.name)
        var optimizer = opt
        var oracle = Oracle(problem)
        var x = problem.initialPoint
        let g0 = try problem.gradient(at: x)
        try optimizer.step(&x, oracle: &oracle)
        let g1 = try problem.gradient(at: x)
        #expect(BLAS.nrm2(g0) > 0.1)
        #expect(BLAS.nrm2(g1) < 1e-10, "\(mode): ‖∇f(W̄₁)‖ = \(BLAS.nrm2(g1))")
        // One statistics pass and one gradient (two gradient evaluations), one inverse refresh.
        #expect(oracle.counts == EvaluationCounts(gradient: 2, hessian: 1))
    }
}

@Test func kroneckerInverseMatchesTheDenseSolve() throws {
    let a = randomSPD(4, seed: 31), g = randomSPD(3, seed: 32)
    var rng = SplitMix64(seed: 33)
    let v = Matrix(rows: 3, columns: 4, elements: (0..<12).map { _ in rng.gaussian() })
    let dense = kron(g, a)
    // Undamped: vec_row(G⁻¹VA⁻¹) = (G ⊗ A)⁻¹ vec_row(V) (dgesv on the 12×12 system).
    let exact = try solveGeneral(dense, v.storage)
    for mode in KroneckerDamping.allCases {
        let step = try KroneckerLayer.apply(a: a, g: g, to: v, damping: 0, mode: mode)
        #expect(maxDifference(step.storage, exact) < 1e-10, "\(mode)")
    }
    // Eigen mode with λ = 0.1: (G ⊗ A + λI)⁻¹ vec_row(V).
    var damped = dense
    for i in 0..<12 { damped[i, i] += 0.1 }
    let eigenStep = try KroneckerLayer.apply(a: a, g: g, to: v, damping: 0.1, mode: .eigen)
    #expect(maxDifference(eigenStep.storage, try solveGeneral(damped, v.storage)) < 1e-10)
    // Factored mode with λ = 0.1: ((G + √λ/π I) ⊗ (A + π√λ I))⁻¹ vec_row(V).
    let (da, dg, _) = KroneckerDamping.dampedFactors(a, g, damping: 0.1)
    let factored = try KroneckerLayer.apply(a: a, g: g, to: v, damping: 0.1, mode: .factored)
    #expect(maxDifference(factored.storage, try solveGeneral(kron(dg, da), v.storage)) < 1e-10)
}

@Test func piDampingIdentity() {
    let a = randomSPD(4, seed: 41), g = randomSPD(3, seed: 42)
    let lambda = 0.3, r = lambda.squareRoot()
    let (da, dg, pi) = KroneckerDamping.dampedFactors(a, g, damping: lambda)
    // π = √((tr A/4)/(tr G/3)).
    let ta = (0..<4).reduce(0.0) { $0 + a[$1, $1] } / 4, tg = (0..<3).reduce(0.0) { $0 + g[$1, $1] } / 3
    #expect(abs(pi - (ta / tg).squareRoot()) < 1e-14)
    // (G + √λ/π I) ⊗ (A + π√λ I) = G⊗A + λI + √λ(π G⊗I + π⁻¹ I⊗A).
    let lhs = kron(dg, da)
    var rhs = kron(g, a)
    let gi = kron(g, .identity(4)), ia = kron(.identity(3), a)
    for i in 0..<12 {
        rhs[i, i] += lambda
        for j in 0..<12 { rhs[i, j] += r * (pi * gi[i, j] + ia[i, j] / pi) }
    }
    #expect(maxDifference(lhs.storage, rhs.storage) < 1e-12)
    // π = 1 when the average diagonals agree.
    var scaledG = g
    for i in 0..<3 { for j in 0..<3 { scaledG[i, j] *= ta / tg } }
    #expect(abs(KroneckerDamping.pi(a, scaledG) - 1) < 1e-14)
    // kfac-jax's form: u_i = F_i/c_i, c = √(c_A c_G), d = √λ/c, û_i = (u_i + dI)·c; same Kronecker product.
    let c = (ta * tg).squareRoot(), d = r / c
    var ua = a, ug = g
    for i in 0..<4 { for j in 0..<4 { ua[i, j] = a[i, j] / ta * c + (i == j ? d * c : 0) } }
    for i in 0..<3 { for j in 0..<3 { ug[i, j] = g[i, j] / tg * c + (i == j ? d * c : 0) } }
    #expect(maxDifference(kron(ug, ua).storage, lhs.storage) < 1e-12)
}

@Test func kfacTrainsAnMLPAndCountsItsWork() throws {
    let r = try runOptimizer("kfac(inv_every=5)", on: "mlp(data=digits,hidden=16)", steps: 10)
    #expect(r.gaps.last! < 0.5 * r.gaps.first!)
    // cov_every 1: a statistics pass and a gradient per step; inverses at steps 0 and 5.
    #expect(r.counts == EvaluationCounts(gradient: 20, hessian: 2))
    #expect(r.events[0] == "inverse_refresh")
}

@Test func kfacPassesOnAProblemsRefusalAndNeedsLayerStatistics() throws {
    // The test objective provides only ggn statistics: sampled targets are refused with its message.
    let problem = LinearLeastSquares(samples: 10, inputs: 2, outputs: 2, seed: 5)
    var optimizer = KFAC(fisher: .sampled)
    var oracle = Oracle(problem)
    var x = problem.initialPoint
    #expect(throws: ObjectiveError.self) { try optimizer.step(&x, oracle: &oracle) }
    do {
        _ = try OptimizerCatalog.make("kfac", for: [.value, .gradient], problemName: "rosenbrock")
        Issue.record("accepted")
    } catch {
        #expect("\(error)".contains("layer_statistics"), "\(error)")
    }
}

@Test(arguments: [("kfac(fisher=true)", "fisher"), ("kfac(damping=-1)", "damping"), ("kfac(inv_every=0)", "inv_every"),
                  ("kfac(stat_decay=1)", "stat_decay"), ("kfac(damping_mode=pi)", "damping_mode"), ("kfac(tcov=3)", "tcov")])
func kfacBadKeysAreRejected(_ spec: String, _ key: String) {
    do {
        _ = try OptimizerCatalog.shared.make(spec)
        Issue.record("\(spec) was accepted")
    } catch {
        #expect("\(error)".contains(key), "\(spec): \(error)")
        #expect(!"\(error)".contains("\n"))
    }
}

/// (1/N) Σ_rows vec(g aᵀ) vec(g aᵀ)ᵀ in the problem's flat order (weight rows, then bias).
private func denseCurvature(_ layer: LayerStatistics.Layer, batchSize n: Int, dimension d: Int) -> Matrix {
    let (inW, out) = (layer.inputs.columns - 1, layer.outputGradients.columns)
    var m = Matrix(rows: d, columns: d)
    var u = [Double](repeating: 0, count: d)
    for r in 0..<layer.inputs.rows {
        for o in 0..<out {
            let go = layer.outputGradients[r, o]
            for j in 0..<inW { u[layer.weight.offset + o * inW + j] = go * layer.inputs[r, j] }
            u[layer.bias!.offset + o] = go
        }
        for i in 0..<d { for j in 0..<d { m[i, j] += u[i] * u[j] / Double(n) } }
    }
    return m
}

@Test func ggnStatisticsOfSoftmaxRegressionReproduceItsHessian() throws {
    // A linear model with cross-entropy: the exact GGN is the Hessian (l2 = 0).
    let problem = try catalogProblem("softmax(data=wine,l2=0)", as: (any HessianObjective & LayerStatisticsObjective).self)
    var rng = SplitMix64(seed: 61)
    let x = (0..<problem.dimension).map { _ in 0.3 * rng.gaussian() }
    let stats = try problem.layerStatistics(at: x, targets: .ggn, seed: 0)
    let layer = try #require(stats.layers.first)
    #expect(layer.sharing == 3 && layer.inputs.rows == 3 * stats.batchSize)
    let ggn = denseCurvature(layer, batchSize: stats.batchSize, dimension: problem.dimension)
    let hessian = try problem.hessian(at: x)
    let scale = hessian.storage.reduce(0) { max($0, abs($1)) }
    #expect(zip(ggn.storage, hessian.storage).allSatisfy { abs($0 - $1) < 1e-12 * scale })
}

@Test func kfacWithGGNTrainsAnMLP() throws {
    let r = try runOptimizer("kfac(fisher=ggn,inv_every=5)", on: "mlp(data=digits,hidden=16)", steps: 10)
    #expect(r.gaps.last! < 0.5 * r.gaps.first!)
    // Per step: one gradient plus ten backward passes (one per class) for the statistics.
    #expect(r.counts == EvaluationCounts(gradient: 110, hessian: 2))
}

@Test(arguments: ["kfac(inv_every=3)", "mkor(lr=0.1,inv_freq=2)", "mfac(m=8,momentum=0.5)"])
func curvatureMethodsAreDeterministic(_ spec: String) throws {
    let a = try runOptimizer(spec, on: "mlp(data=digits,hidden=8,batch=64)", steps: 6, seed: 3)
    let b = try runOptimizer(spec, on: "mlp(data=digits,hidden=8,batch=64)", steps: 6, seed: 3)
    #expect(a.x == b.x)
    #expect(a.x != a.iterates[0])
}
