import Foundation
import LinearAlgebra
import OptimizationCore

/// CMA-ES, the (μ/μ_w, λ) covariance matrix adaptation evolution strategy
/// with Hansen's tutorial defaults (positive weights only, spec §9.2).
///
/// One step is one generation g (constants in ``CMAESConstants``):
///
///     zₖ ~ N(0, I),  yₖ = B·D·zₖ,  xₖ = m + σ·yₖ               k = 1 … λ   (λ queries)
///     sort by f (non-finite values rank last); y_w = Σᵢ wᵢ·y_{i:λ}
///     m ← m + σ·y_w
///     p_σ ← (1 − c_σ)p_σ + √(c_σ(2 − c_σ)μ_eff) · B·D⁻¹·Bᵀ·y_w
///     h_σ = [‖p_σ‖/√(1 − (1 − c_σ)^{2(g+1)}) < (1.4 + 2/(n+1))·E‖N‖]
///     p_c ← (1 − c_c)p_c + h_σ·√(c_c(2 − c_c)μ_eff) · y_w
///     C ← (1 − c₁ − c_μ)C + c₁(p_c p_cᵀ + (1 − h_σ)c_c(2 − c_c)C) + c_μ Σᵢ wᵢ y_{i:λ} y_{i:λ}ᵀ
///     σ ← σ·exp((c_σ/d_σ)(‖p_σ‖/E‖N‖ − 1))
///     C = B·D²·Bᵀ refreshed when λ/((c₁ + c_μ)·n·10) generations' worth of queries have passed
///
/// When σ·max(D) falls below 1e-15·max(1, ‖m‖∞) (the mean can no longer
/// move in floating point: Hansen's TolX) or the state is not finite, the
/// iterate becomes the best point queried and stays there; later steps make
/// no queries and the trace `event` says `stagnated`.
///
/// The iterate the trace logs is the mean m. zₖ is element i of Philox4x32
/// Gaussian stream (step g, tag 0) at index k·n + i, keyed by the run's seed.
///
/// Defaults: sigma (σ₀) 0.5, popsize (λ) 4 + ⌊3 ln n⌋.
///
/// Cost per step: λ value queries; O(λn²) arithmetic (gemm/syrk) plus an
/// O(n³) eigendecomposition every O(n/λ) generations; memory O(n² + λn).
///
///     optlab run --problem 'rosenbrock(d=6)' --optimizer 'cmaes(sigma=0.3)'
///
/// Reference: Hansen, "The CMA Evolution Strategy: A Tutorial",
/// arXiv:1604.00772; Hansen & Ostermeier, Evol. Comput. 9(2) 2001.
public struct CMAES: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "cmaes", family: .zerothOrder,
        summary: "CMA-ES (μ/μ_w, λ) with Hansen's default constants; one generation per step",
        reference: "Hansen, arXiv:1604.00772 (tutorial defaults, positive weights)",
        hyperparameters: [
            .real("sigma", 0.5, .positive, "initial step size σ₀"),
            Hyperparameter("popsize", .integer(.atLeast(2)), default: .unset("4 + ⌊3 ln n⌋"),
                           doc: "population size λ (≥ 2)"),
        ],
        requires: [.value])

    public let initialSigma: Double
    public let populationSize: Int?
    public let seed: UInt64
    /// The strategy constants (set at the first step).
    public private(set) var constants: CMAESConstants?
    /// The current step size σ.
    public private(set) var sigma: Double
    /// Generations so far.
    public private(set) var generation = 0
    public private(set) var lastEvent: String?
    public var currentLearningRate: Double? { sigma }

    private let philox: Philox4x32
    private var mean: [Double] = []
    private var covariance = Matrix(rows: 0, columns: 0)
    private var basis = Matrix(rows: 0, columns: 0)        // B (eigenvectors as columns)
    private var scales: [Double] = []                      // D (square roots of the eigenvalues)
    private var basisScaled = Matrix(rows: 0, columns: 0)  // B·D
    private var pathSigma: [Double] = []
    private var pathC: [Double] = []
    private var z = Matrix(rows: 0, columns: 0)            // λ×n
    private var y = Matrix(rows: 0, columns: 0)            // λ×n
    private var selected = Matrix(rows: 0, columns: 0)     // μ×n, rows √wᵢ·y_{i:λ}
    private var fitness: [Double] = []
    private var order: [Int] = []
    private var candidate: [Double] = []
    private var work: [Double] = []
    private var work2: [Double] = []
    /// Set once the distribution stopped moving: later steps make no queries.
    public private(set) var isStagnant = false
    private var bestPoint: [Double] = []
    private var bestValue = Double.infinity
    private var queriesAtEigen = 0
    private var queries = 0

    /// From validated spec values (the catalog's path); `seed` drives the samples.
    public init(_ p: ResolvedParameters, seed: UInt64) {
        initialSigma = p.double("sigma")
        populationSize = p.optionalInt("popsize")
        self.seed = seed
        sigma = initialSigma
        philox = Philox4x32(seed: SplitMix64.derive(seed, 0x636D_6165_73))
    }

    public init(sigma: Double = 0.5, popsize: Int? = nil, seed: UInt64 = 0) {
        var values: [String: SpecValue] = ["sigma": .real(sigma)]
        if let popsize { values["popsize"] = .integer(popsize) }
        self.init(Self.descriptor.validated(values), seed: seed)
    }

    private mutating func start(_ x: [Double]) {
        let n = x.count
        let k = CMAESConstants(dimension: n, lambda: populationSize)
        constants = k
        mean = x
        covariance = .identity(n)
        basis = .identity(n)
        scales = [Double](repeating: 1, count: n)
        basisScaled = .identity(n)
        pathSigma = [Double](repeating: 0, count: n)
        pathC = pathSigma
        z = Matrix(rows: k.lambda, columns: n)
        y = z
        selected = Matrix(rows: k.mu, columns: n)
        fitness = [Double](repeating: 0, count: k.lambda)
        order = Array(0..<k.lambda)
        candidate = pathSigma
        isStagnant = false
        bestValue = .infinity
        bestPoint = x
        work = pathSigma
        work2 = pathSigma
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        if constants?.dimension != x.count { start(x) }
        if isStagnant {
            lastEvent = "stagnated"
            x = mean
            return
        }
        let k = constants!
        let (n, lambda) = (x.count, k.lambda)
        lastEvent = nil
        // Sample: Z ~ N(0, I), Y = Z·(BD)ᵀ.
        let (p, g) = (philox, UInt32(truncatingIfNeeded: generation))
        z.storage.withUnsafeMutableBufferPointer { p.fillGaussians($0, first: 0, step: g, tag: 0) }
        BLAS.gemm(z, basisScaled, into: &y, transposeB: true)
        for member in 0..<lambda {
            for i in 0..<n { candidate[i] = mean[i] + sigma * y.storage[member * n + i] }
            let f = try oracle.value(at: candidate)
            fitness[member] = f.isFinite ? f : .infinity
            if f < bestValue {
                bestValue = f
                for i in 0..<n { bestPoint[i] = candidate[i] }
            }
        }
        queries += lambda
        let values = fitness
        order.sort { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        // Recombination: y_w = Σ wᵢ y_{i:λ}; rows √wᵢ·y_{i:λ} for the rank-μ update.
        for i in 0..<n { work[i] = 0 }
        for r in 0..<k.mu {
            let row = order[r] * n, w = k.weights[r], sw = w.squareRoot()
            for i in 0..<n {
                let v = y.storage[row + i]
                work[i] += w * v
                selected.storage[r * n + i] = sw * v
            }
        }
        for i in 0..<n { mean[i] += sigma * work[i] }
        // p_σ with C^{-1/2}·y_w = B·D⁻¹·Bᵀ·y_w.
        BLAS.gemv(basis, work, into: &work2, transpose: true)
        for i in 0..<n { work2[i] /= scales[i] }
        BLAS.gemv(basis, work2, into: &candidate)
        let cs = k.cSigma
        let csFactor = (cs * (2 - cs) * k.muEff).squareRoot()
        for i in 0..<n { pathSigma[i] = (1 - cs) * pathSigma[i] + csFactor * candidate[i] }
        let psNorm = BLAS.nrm2(pathSigma)
        let gen = Double(generation + 1)
        let hSigma = psNorm / (1 - pow(1 - cs, 2 * gen)).squareRoot() < (1.4 + 2 / (Double(n) + 1)) * k.chiN
        let cc = k.cC
        let ccFactor = hSigma ? (cc * (2 - cc) * k.muEff).squareRoot() : 0
        for i in 0..<n { pathC[i] = (1 - cc) * pathC[i] + ccFactor * work[i] }
        // C ← (1 − c₁ − c_μ + c₁δ)C + c_μ·Σ wᵢ yᵢyᵢᵀ + c₁·p_c p_cᵀ.
        let delta = hSigma ? 0 : cc * (2 - cc)
        BLAS.syrk(selected, into: &covariance, transpose: true, alpha: k.cMu, beta: 1 - k.c1 - k.cMu + k.c1 * delta)
        BLAS.syr(k.c1, pathC, &covariance)
        covariance.symmetrizeFromUpper()
        sigma *= exp((cs / k.dSigma) * (psNorm / k.chiN - 1))
        generation += 1
        if stagnated() {
            if !mean.allSatisfy(\.isFinite) || bestValue < .infinity { mean = bestPoint }
            isStagnant = true
            lastEvent = "stagnated"
            x = mean
            return
        }
        if Double(queries - queriesAtEigen) > Double(lambda) / ((k.c1 + k.cMu) * Double(n) * 10) {
            try refreshEigen()
        }
        x = mean
    }

    /// True when the search distribution no longer moves the mean in floating
    /// point (Hansen's TolX-type stop) or its state is not finite.
    private func stagnated() -> Bool {
        let spread = sigma * (scales.max() ?? 0)
        let scale = max(1, mean.reduce(0) { max($0, abs($1)) })
        return !spread.isFinite || spread < 1e-15 * scale || !mean.allSatisfy(\.isFinite)
            || !covariance.storage.allSatisfy(\.isFinite)
    }

    private mutating func refreshEigen() throws {
        queriesAtEigen = queries
        let n = mean.count
        let eigen = try SymmetricEigen(covariance)
        basis = eigen.vectors
        for i in 0..<n { scales[i] = max(eigen.values[i], 0).squareRoot() }
        if scales.contains(where: { $0 == 0 || !$0.isFinite }) {
            lastEvent = "degenerate_covariance"
            for i in 0..<n where scales[i] == 0 || !scales[i].isFinite { scales[i] = 1e-300 }
        }
        for r in 0..<n { for c in 0..<n { basisScaled.storage[r * n + c] = basis.storage[r * n + c] * scales[c] } }
    }
}
