import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems
import Testing

private func denseInverse(_ m: Matrix) throws -> Matrix {
    let n = m.rows
    var r = Matrix(rows: n, columns: n)
    for j in 0..<n {
        let col = try solveGeneral(m, (0..<n).map { $0 == j ? 1.0 : 0.0 })
        for i in 0..<n { r[i, j] = col[i] }
    }
    return r
}

private func addOuter(_ m: inout Matrix, _ v: [Double], _ w: Double) {
    for i in v.indices { for j in v.indices { m[i, j] += w * v[i] * v[j] } }
}

private func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
    zip(a.storage, b.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

private func vectors(_ k: Int, _ n: Int, seed: UInt64) -> [[Double]] {
    var rng = SplitMix64(seed: seed)
    return (0..<k).map { _ in (0..<n).map { _ in rng.gaussian() } }
}

@Test func mkorShermanMorrisonInvertsTheRankOneUpdate() throws {
    let n = 5
    var rng = SplitMix64(seed: 51)
    let b = Matrix(rows: n, columns: n, elements: (0..<(n * n)).map { _ in rng.gaussian() })
    var p = Matrix(rows: n, columns: n)
    BLAS.gemm(b, b, into: &p, transposeB: true)
    for i in 0..<n { p[i, i] += 1 }
    let v = vectors(1, n, seed: 52)[0]
    var factor = RankOneInverseFactor(size: n)
    factor.setInverse(p)
    factor.shermanMorrison(v)
    var expected = try denseInverse(p)
    addOuter(&expected, v, 1)
    expected = try denseInverse(expected)
    #expect(maxDifference(factor.inverse, expected) < 1e-12)
}

@Test func mkorExactEMAVariantInvertsTheEMA() throws {
    let (n, k, gamma) = (4, 6, 0.9)
    let vs = vectors(k, n, seed: 53)
    var factor = RankOneInverseFactor(size: n)
    for v in vs { factor.emaUpdate(v, decay: gamma) }
    // P_k = (γ^k I + Σ_j (1−γ) γ^{k−j} v_j v_jᵀ)⁻¹.
    var j = Matrix.identity(n)
    for i in 0..<n { j[i, i] = Double.pow(gamma, Double(k)) }
    for (idx, v) in vs.enumerated() { addOuter(&j, v, (1 - gamma) * Double.pow(gamma, Double(k - idx - 1))) }
    #expect(maxDifference(factor.inverse, try denseInverse(j)) < 1e-12)
}

@Test func mkorOfficialVariantFollowsTheDenseIteration() throws {
    let (n, k) = (4, 5)
    let vs = vectors(k, n, seed: 54)
    var factor = RankOneInverseFactor(size: n)
    var dense = Matrix.identity(n)
    for v in vs {
        factor.blendAndUpdate(v)
        // P_t = ((0.95 P_{t−1} + 0.05 I)⁻¹ + v vᵀ)⁻¹.
        var blended = dense
        for i in 0..<n { for c in 0..<n { blended[i, c] = 0.95 * dense[i, c] + (i == c ? 0.05 : 0) } }
        var m = try denseInverse(blended)
        addOuter(&m, v, 1)
        dense = try denseInverse(m)
    }
    #expect(maxDifference(factor.inverse, dense) < 1e-12)
    #expect(maxDifference(factor.inverse, .identity(n)) > 0.1)
}

@Test func mkorRescalesEachLayerToTheGradientNorm() throws {
    let problem = try catalogProblem("mlp(data=digits,hidden=8)", as: (any DifferentiableObjective).self)
    let (made, _) = try OptimizerCatalog.make("mkor(lr=0.5,momentum=0,inv_freq=1)", for: problem.capabilities,
                                               problemName: problem.name)
    var opt = made as! MKOR
    var oracle = Oracle(problem)
    var x = problem.initialPoint
    for step in 0..<3 {
        let g = try problem.gradient(at: x)
        let before = x
        try opt.step(&x, oracle: &oracle)
        let blocks = problem.layout.blocks
        var preconditioned = false
        for l in stride(from: 0, to: blocks.count, by: 2) {
            func norm(_ r: Range<Int>, _ v: [Double]) -> Double { r.reduce(0.0) { $0 + v[$1] * v[$1] }.squareRoot() }
            let dx = zip(x, before).map { ($1 - $0) / 0.5 }
            let (w, b) = (blocks[l].range, blocks[l + 1].range)
            let stepNorm = norm(w, dx) + norm(b, dx), gradNorm = norm(w, g) + norm(b, g)
            #expect(abs(stepNorm - gradNorm) < 1e-12 * gradNorm, "step \(step) layer \(l / 2)")
            // From the second step on the factors are no longer I: the direction is not the gradient.
            if zip(w, w).contains(where: { i, _ in abs(dx[i] - g[i]) > 1e-9 * gradNorm }) { preconditioned = true }
        }
        if step == 0 { #expect(!preconditioned) } else { #expect(preconditioned) }
    }
    // Three statistics passes + three gradients; the three rank-1 factor
    // refreshes make no oracle call and are not charged as dense Hessians.
    #expect(oracle.counts == EvaluationCounts(gradient: 6))
}

@Test func mkorStabilizerSetsTheResetFlag() throws {
    let problem = try catalogProblem("mlp(data=digits,hidden=8)", as: (any DifferentiableObjective).self)
    let (made, _) = try OptimizerCatalog.make("mkor(inv_freq=1,reset_threshold=0.5)", for: problem.capabilities,
                                               problemName: problem.name)
    var opt = made as! MKOR
    var oracle = Oracle(problem)
    var x = problem.initialPoint
    try opt.step(&x, oracle: &oracle)
    #expect(opt.layers.allSatisfy { !$0.resetFlag })       // the first refresh only resets
    try opt.step(&x, oracle: &oracle)
    #expect(opt.layers.allSatisfy { $0.resetFlag })        // max|P| ≈ 1 > 0.5
    let before = opt.layers[0].a.inverse
    try opt.step(&x, oracle: &oracle)                      // reset: P ← 0.9P + 0.1I
    var expected = before
    for i in 0..<expected.rows { for j in 0..<expected.columns { expected[i, j] = 0.9 * before[i, j] + (i == j ? 0.1 : 0) } }
    #expect(maxDifference(opt.layers[0].a.inverse, expected) < 1e-15)
}

@Test func mkorTrainsAnMLP() throws {
    let r = try runOptimizer("mkor(lr=0.1)", on: "mlp(data=digits,hidden=16)", steps: 20)
    #expect(r.gaps.last! < 0.5 * r.gaps.first!)
    #expect(r.counts == EvaluationCounts(gradient: 22))
}

@Test(arguments: [("mkor(variant=exact)", "variant"), ("mkor(inv_freq=0)", "inv_freq"), ("mkor(stabilization=2)", "stabilization"),
                  ("mkor(hybrid=maybe)", "hybrid"), ("mkor(stat_decay=1)", "stat_decay"), ("mkor(lr=-1)", "lr")])
func mkorBadKeysAreRejected(_ spec: String, _ key: String) {
    do {
        _ = try OptimizerCatalog.shared.make(spec)
        Issue.record("\(spec) was accepted")
    } catch {
        #expect("\(error)".contains(key), "\(spec): \(error)")
        #expect(!"\(error)".contains("\n"))
    }
}

@Test func mkorHybridSwitchesToTheFirstOrderStepForGood() throws {
    let r = try runOptimizer("mkor(lr=0.1,inv_freq=2,hybrid=true,hybrid_window=5,hybrid_ratio=0.9)",
                             on: "mlp(data=digits,hidden=16)", steps: 40)
    let switchStep = try #require(r.events.firstIndex { $0?.contains("hybrid_switch") == true })
    #expect(switchStep > 5)
    // After the switch: no statistics pass, no refresh.
    #expect(r.events[(switchStep + 1)...].allSatisfy { $0 == nil })
    let refreshes = r.events.filter { $0?.contains("factor_refresh") == true }.count
    #expect(r.counts == EvaluationCounts(gradient: 40 + refreshes))
    #expect(r.gaps.last! < r.gaps[switchStep])
}
