import LinearAlgebra
import OptimizationCore
import Optimizers
import Testing

/// Seeded Gaussian rows for the M-FAC window tests.
private func gaussianRows(_ count: Int, _ d: Int, seed: UInt64) -> [[Double]] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in (0..<d).map { _ in rng.gaussian() } }
}

/// (λI + (1/n) Σ g gᵀ)⁻¹x by dgesv on the dense d×d system (the oracle).
private func denseInverseFisher(_ rows: [[Double]], normalization n: Double, damping: Double, _ x: [Double]) throws -> [Double] {
    let d = x.count
    var f = Matrix(rows: d, columns: d)
    for i in 0..<d { f[i, i] = damping }
    for g in rows { for i in 0..<d { for j in 0..<d { f[i, j] += g[i] * g[j] / n } } }
    return try solveGeneral(f, x)
}

private func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    var num = 0.0, den = 0.0
    for i in a.indices { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i] }
    return (num / den).squareRoot()
}

/// The static M-FAC form (prun.py): v_i = λ⁻¹g_i − Σ_{j<i} (v_jᵀg_i/den_j) v_j,
/// den_i = n + g_iᵀv_i, F̂⁻¹x = λ⁻¹x − Σ_i (v_iᵀx/den_i) v_i.
private func staticInverseFisher(_ rows: [[Double]], normalization n: Double, damping: Double, _ x: [Double]) -> [Double] {
    var vs: [[Double]] = [], dens: [Double] = []
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    for g in rows {
        var v = g.map { $0 / damping }
        for (vj, dj) in zip(vs, dens) {
            let c = dot(vj, g) / dj
            for k in v.indices { v[k] -= c * vj[k] }
        }
        dens.append(n + dot(g, v))
        vs.append(v)
    }
    var r = x.map { $0 / damping }
    for (vj, dj) in zip(vs, dens) {
        let c = dot(vj, x) / dj
        for k in r.indices { r[k] -= c * vj[k] }
    }
    return r
}

@Test func mfacWindowMatchesDenseSolveAndStaticForm() throws {
    let (d, m, lambda) = (50, 8, 1e-2)
    let rows = gaussianRows(m + 1, d, seed: 11)
    let grads = Array(rows[0..<m]), x = rows[m]
    var window = GradientWindow(dimension: d, capacity: m, damping: lambda)
    for g in grads { window.push(g) }
    let woodbury = window.inverseFisherProduct(x)
    let dense = try denseInverseFisher(grads, normalization: Double(m), damping: lambda, x)
    let staticForm = staticInverseFisher(grads, normalization: Double(m), damping: lambda, x)
    #expect(relativeError(woodbury, dense) < 1e-10)
    #expect(relativeError(staticForm, dense) < 1e-10)
}

@Test func mfacSlidingWindowKeepsOnlyTheLastM() throws {
    let (d, m, lambda) = (30, 8, 1e-2)
    let rows = gaussianRows(2 * m + 4, d, seed: 12)
    let x = rows.last!
    var window = GradientWindow(dimension: d, capacity: m, damping: lambda)
    // 2m + 3 pushes: two from-scratch refreshes and rank-2 updates on both sides of them.
    for g in rows[0..<(2 * m + 3)] { window.push(g) }
    let last = Array(rows[(m + 3)..<(2 * m + 3)])
    let dense = try denseInverseFisher(last, normalization: Double(m), damping: lambda, x)
    #expect(relativeError(window.inverseFisherProduct(x), dense) < 1e-10)
    // m + 3 pushes: only rank-2 updates after the first refresh.
    var short = GradientWindow(dimension: d, capacity: m, damping: lambda)
    for g in rows[0..<(m + 3)] { short.push(g) }
    let denseShort = try denseInverseFisher(Array(rows[3..<(m + 3)]), normalization: Double(m), damping: lambda, x)
    #expect(relativeError(short.inverseFisherProduct(x), denseShort) < 1e-10)
}

@Test func mfacIsInvariantToTheOrderOfTheWindow() {
    let (d, m, lambda) = (20, 6, 1e-3)
    let rows = gaussianRows(m + 1, d, seed: 13)
    let grads = Array(rows[0..<m]), x = rows[m]
    var forward = GradientWindow(dimension: d, capacity: m, damping: lambda)
    var permuted = GradientWindow(dimension: d, capacity: m, damping: lambda)
    for g in grads { forward.push(g) }
    for i in [3, 0, 5, 1, 4, 2] { permuted.push(grads[i]) }
    #expect(relativeError(permuted.inverseFisherProduct(x), forward.inverseFisherProduct(x)) < 1e-12)
}

@Test func mfacRankOneWindowHasTheClosedForm() {
    let g = [0.5, -1.25, 2.0, 0.75]
    let lambda = 0.1
    let norm2 = g.reduce(0) { $0 + $1 * $1 }
    var window = GradientWindow(dimension: 4, capacity: 1, damping: lambda)
    window.push(g)
    let r = window.inverseFisherProduct(g)
    for i in g.indices { #expect(abs(r[i] - g[i] / (lambda + norm2)) < 1e-14) }
    // The optimizer with m = 1, lr = 1: θ₁ = θ₀ − g/(λ + ‖g‖²).
    var opt = MFAC(lr: 1, m: 1, damp: lambda)
    var x = [1.0, 2.0, 3.0, 4.0]
    opt.update(&x, gradient: g)
    for i in g.indices { #expect(abs(x[i] - (Double(i + 1) - g[i] / (lambda + norm2))) < 1e-14) }
}

@Test func mfacGrowingWindowNormalisesByTheNumberStored() throws {
    let (d, m, lambda) = (12, 8, 1e-2)
    let rows = gaussianRows(4, d, seed: 14)
    var window = GradientWindow(dimension: d, capacity: m, damping: lambda, warmStart: .growing)
    for g in rows[0..<3] { window.push(g) }
    let dense = try denseInverseFisher(Array(rows[0..<3]), normalization: 3, damping: lambda, rows[3])
    #expect(relativeError(window.inverseFisherProduct(rows[3]), dense) < 1e-10)
    // The zeros warm start normalises by m from the first push.
    var zeros = GradientWindow(dimension: d, capacity: m, damping: lambda)
    for g in rows[0..<3] { zeros.push(g) }
    let denseZeros = try denseInverseFisher(Array(rows[0..<3]), normalization: Double(m), damping: lambda, rows[3])
    #expect(relativeError(zeros.inverseFisherProduct(rows[3]), denseZeros) < 1e-10)
}

@Test func mfacMomentumAndWeightDecayFollowTheOfficialRule() {
    // m = 1: u = h/(λ + ‖h‖²) with h = g + wd·θ; v = μv + (1−μ)u; θ ← θ − lr·v.
    let (lambda, mu, wd, lr) = (0.5, 0.9, 0.1, 0.2)
    var opt = MFAC(lr: lr, m: 1, damp: lambda, momentum: mu, weightDecay: wd)
    var x = [1.0, -2.0]
    var reference = x, v = [0.0, 0.0]
    for g in [[0.3, 0.1], [-0.2, 0.4]] {
        let h = [g[0] + wd * reference[0], g[1] + wd * reference[1]]
        let s = lambda + h[0] * h[0] + h[1] * h[1]
        for i in 0..<2 {
            v[i] = mu * v[i] + (1 - mu) * h[i] / s
            reference[i] -= lr * v[i]
        }
        opt.update(&x, gradient: g)
    }
    for i in 0..<2 { #expect(abs(x[i] - reference[i]) < 1e-14) }
}

@Test(arguments: [("mfac(m=0)", "m"), ("mfac(damp=0)", "damp"), ("mfac(warm_start=ones)", "warm_start"),
                  ("mfac(momentum=1)", "momentum"), ("mfac(window=3)", "window")])
func mfacBadKeysAreRejected(_ spec: String, _ key: String) {
    do {
        _ = try OptimizerCatalog.shared.make(spec)
        Issue.record("\(spec) was accepted")
    } catch {
        #expect("\(error)".contains(key), "\(spec): \(error)")
        #expect(!"\(error)".contains("\n"))
    }
}

@Test func mfacLowersTheLossOfLogisticRegression() throws {
    let r = try runOptimizer("mfac(lr=0.1,m=16,damp=0.01)", on: "logreg(data=breast_cancer)", steps: 30)
    #expect(r.gaps.last! < 0.1 * r.gaps.first!)
    #expect(r.counts.gradient == 30 && r.counts.hessian == 0)
}
