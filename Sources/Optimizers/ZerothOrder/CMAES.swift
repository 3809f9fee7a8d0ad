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
/// Stopping and restarts (`stop`, `restarts`, `max_restarts`, `incpopsize`):
/// with `stop=hansen` (the default when `restarts` is not `none`) a run ends
/// on the termination criteria of Hansen's reference implementation pycma
/// 4.x with its defaults: tolfun 1e-11 (range of this generation's values
/// and of the last 10 + ⌊30n/λ⌋ best values), tolfunhist 1e-12, tolx 1e-11
/// (σ√Cᵢᵢ and σ|p_c,ᵢ| for all i), noeffectaxis, noeffectcoord, condition
/// number of C above 1e14, tolupsigma 1e20, tolflatfitness (best = 75th
/// percentile twice), tolstagnation (no improvement of the medians of best
/// and median values over 100 + 100n^1.5/λ generations) and maxiter
/// 100 + ⌊150(n+3)²/√λ⌋. `restarts=ipop` (Auger & Hansen, CEC 2005) then
/// restarts from x0 with σ₀ and λ·incpopsize^k; `restarts=bipop` (Hansen,
/// GECCO BBOB 2009) alternates that large-population regime with runs of
/// λ_s = ⌊λ₀·(incpopsize^k)^{U²}⌋, σ₀·0.01^{U'} and at most half the large
/// regime's evaluations, choosing the regime that has used fewer
/// evaluations (as pycma's `fmin(..., restarts=9, bipop=True)`, where the
/// first run counts as small). At most `max_restarts` large-regime restarts;
/// then the iterate stays at the best point (event `stagnated`). Each
/// restart is a trace event `restart:<run>:<regime>:popsize=<λ>:<criterion>`.
/// With `stop=tolx` (the default without restarts) only the TolX-type stop
/// above applies.
///
/// Cost per step: λ value queries; O(λn²) arithmetic (gemm/syrk) plus an
/// O(n³) eigendecomposition every O(n/λ) generations; memory O(n² + λn).
///
///     optlab run --problem 'rosenbrock(d=6)' --optimizer 'cmaes(sigma=0.3)'
///
///     optlab run --problem 'bbob(f=15,d=10)' --optimizer 'cmaes(restarts=bipop,sigma=2)' --max-evals-per-dim 10000
///
/// Reference: Hansen, "The CMA Evolution Strategy: A Tutorial",
/// arXiv:1604.00772; Hansen & Ostermeier, Evol. Comput. 9(2) 2001; Auger &
/// Hansen, "A restart CMA evolution strategy with increasing population
/// size", CEC 2005; Hansen, "Benchmarking a BI-population CMA-ES on the
/// BBOB-2009 function testbed", GECCO 2009. Stopping rules and the restart
/// loop follow pycma 4.5.0 (`cma.evolution_strategy`, `_CMAStopDict._update`
/// and `fmin`); pycma's default active covariance update is the key
/// `active=true` (the tutorial's negative weights; off by default, where the
/// lab keeps positive weights only).
public struct CMAES: Optimizer {
    /// What happens when a run stops (the `restarts` key).
    public enum RestartStrategy: String, Sendable, CaseIterable {
        /// One run: the iterate stays at the best point once it stops.
        case none
        /// IPOP: restart from x0 with σ₀ and λ·incpopsize^k.
        case ipop
        /// BIPOP: IPOP's large-population runs alternated with small-population ones.
        case bipop
    }

    /// Which termination criteria end a run (the `stop` key).
    public enum StopCriteria: String, Sendable, CaseIterable {
        /// `hansen` with restarts, `tolx` without.
        case auto
        /// pycma's criteria (tolfun, tolx, conditioncov, tolstagnation, …).
        case hansen
        /// Only σ·max(D) < 1e-15·max(1, ‖m‖∞) (the mean can no longer move).
        case tolx
    }

    public static let descriptor = OptimizerDescriptor(
        name: "cmaes", family: .zerothOrder,
        summary: "CMA-ES (μ/μ_w, λ) with Hansen's default constants; one generation per step",
        reference: "Hansen, arXiv:1604.00772 (tutorial defaults, positive weights)",
        hyperparameters: [
            .real("sigma", 0.5, .positive, "initial step size σ₀"),
            Hyperparameter("popsize", .integer(.atLeast(2)), default: .unset("4 + ⌊3 ln n⌋"),
                           doc: "population size λ (≥ 2)"),
            .choice("restarts", "none", RestartStrategy.allCases.map(\.rawValue), "restart strategy (IPOP: λ·incpopsize per restart; BIPOP: also small-population runs)"),
            .integer("max_restarts", 9, .closed(0, 1000), "restarts with increased population (BIPOP's small runs do not count)"),
            .real("incpopsize", 2, .greaterThan(1), "population factor per restart"),
            .boolean("active", false, "active covariance update: negative weights for the λ − μ worst (tutorial eq. 46–53; pycma's default)"),
            .choice("stop", "auto", StopCriteria.allCases.map(\.rawValue),
                    "termination: pycma's criteria (hansen), or only σ·max(D) < 1e-15·max(1, ‖m‖∞) (tolx); auto = hansen with restarts, tolx without"),
        ],
        requires: [.value])

    public let initialSigma: Double
    public let populationSize: Int?
    public let seed: UInt64
    public let restartMode: RestartStrategy
    public let maxRestarts: Int
    public let populationFactor: Double
    public let usesHansenStops: Bool
    public let active: Bool
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
    private var rejected = Matrix(rows: 0, columns: 0)     // (λ−μ)×n, rows √|wᵢ°|·y_{i:λ} (active)
    private var negative: [Double] = []
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
    // Restarts.
    private var regimeRandom: SplitMix64
    private var startPoint: [Double] = []
    private var defaultLambda = 0
    /// Finished runs, runs in BIPOP's small regime, evaluations per regime.
    public private(set) var finishedRuns = 0
    private var smallRuns = 0
    private var smallEvaluations = 0
    private var largeEvaluations = 0
    private var runIsSmall = true
    private var runStartQueries = 0
    private var runGeneration = 0
    private var runMaxIterations = Int.max
    // pycma's termination bookkeeping (newest first).
    private var recentBest: [Double] = []
    private var longBest: [Double] = []
    private var longMedian: [Double] = []
    private var medianScratch: [Double] = []
    private var runBest = Double.infinity
    private var runBestQueries = 0
    private var flatIterations = 0

    /// From validated spec values (the catalog's path); `seed` drives the samples.
    public init(_ p: ResolvedParameters, seed: UInt64) {
        initialSigma = p.double("sigma")
        populationSize = p.optionalInt("popsize")
        self.seed = seed
        restartMode = RestartStrategy(rawValue: p.string("restarts"))!
        maxRestarts = p.int("max_restarts")
        populationFactor = p.double("incpopsize")
        let stop = StopCriteria(rawValue: p.string("stop"))!
        usesHansenStops = stop == .hansen || (stop == .auto && restartMode != .none)
        active = p.bool("active")
        sigma = initialSigma
        philox = Philox4x32(seed: SplitMix64.derive(seed, 0x636D_6165_73))
        regimeRandom = SplitMix64(seed: SplitMix64.derive(seed, 0x6269_706F_70))
    }

    public init(sigma: Double = 0.5, popsize: Int? = nil, restarts: RestartStrategy = .none, maxRestarts: Int = 9,
                incpopsize: Double = 2, active: Bool = false, stop: StopCriteria = .auto, seed: UInt64 = 0) {
        var values: [String: SpecValue] = ["sigma": .real(sigma), "restarts": .text(restarts.rawValue),
                                           "max_restarts": .integer(maxRestarts), "incpopsize": .real(incpopsize),
                                           "active": .boolean(active), "stop": .text(stop.rawValue)]
        if let popsize { values["popsize"] = .integer(popsize) }
        self.init(Self.descriptor.validated(values), seed: seed)
    }

    private mutating func start(_ x: [Double]) {
        startPoint = x
        defaultLambda = CMAESConstants(dimension: x.count, lambda: populationSize).lambda
        finishedRuns = 0
        smallRuns = 0
        smallEvaluations = 0
        largeEvaluations = 0
        startRun(mean: x, lambda: defaultLambda, sigma: initialSigma, small: true, iterationCap: nil)
        bestValue = .infinity
        bestPoint = x
    }

    /// A fresh search distribution: C = I, paths 0, the given mean, λ, σ.
    private mutating func startRun(mean x: [Double], lambda: Int, sigma s: Double, small: Bool, iterationCap: Double?) {
        let n = x.count
        let k = CMAESConstants(dimension: n, lambda: lambda)
        constants = k
        sigma = s
        runIsSmall = small
        runStartQueries = queries
        queriesAtEigen = queries
        runGeneration = 0
        let defaultCap = 100 + (150 * Double((n + 3) * (n + 3)) / Double(lambda).squareRoot()).rounded(.down)
        runMaxIterations = Int(min(defaultCap, iterationCap ?? .infinity))
        let histLimit = 10 + 30 * n / lambda + 2
        recentBest.removeAll(keepingCapacity: true)
        recentBest.reserveCapacity(histLimit)
        longBest.removeAll(keepingCapacity: true)
        longMedian.removeAll(keepingCapacity: true)
        longBest.reserveCapacity(runMaxIterations / 5 + 2)
        longMedian.reserveCapacity(runMaxIterations / 5 + 2)
        medianScratch = [Double](repeating: 0, count: runMaxIterations / 5 + 2)
        runBest = .infinity
        runBestQueries = queries
        flatIterations = 0
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
        negative = active ? k.negativeWeights : []
        rejected = Matrix(rows: negative.count, columns: n)
        fitness = [Double](repeating: 0, count: k.lambda)
        order = Array(0..<k.lambda)
        candidate = pathSigma
        isStagnant = false
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
        if fitness[order[0]] < runBest {
            runBest = fitness[order[0]]
            runBestQueries = queries
        }
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
        // Active update: the worst λ − μ directions with wᵢ° = wᵢ·n/‖C^{-1/2}yᵢ‖² = wᵢ·n/‖zᵢ‖² (< 0);
        // the decay term becomes 1 − c₁ − c_μ·Σwⱼ over all λ weights.
        var negativeSum = 0.0
        if !negative.isEmpty {
            for (r, w) in negative.enumerated() {
                let row = order[k.mu + r] * n
                var z2 = 0.0
                for i in 0..<n { z2 += z.storage[row + i] * z.storage[row + i] }
                let scaled = abs(w) * Double(n) / max(z2, 1e-300)
                let sw = scaled.squareRoot()
                for i in 0..<n { rejected.storage[r * n + i] = sw * y.storage[row + i] }
                negativeSum += w
            }
        }
        BLAS.syrk(selected, into: &covariance, transpose: true, alpha: k.cMu,
                  beta: 1 - k.c1 - k.cMu * (1 + negativeSum) + k.c1 * delta)
        if !negative.isEmpty { BLAS.syrk(rejected, into: &covariance, transpose: true, alpha: -k.cMu, beta: 1) }
        BLAS.syr(k.c1, pathC, &covariance)
        covariance.symmetrizeFromUpper()
        sigma *= exp((cs / k.dSigma) * (psNorm / k.chiN - 1))
        generation += 1
        runGeneration += 1
        if usesHansenStops, let criterion = hansenStop() {
            if try restart(after: criterion) {
                x = mean
                return
            }
            if bestValue < .infinity { mean = bestPoint }
            isStagnant = true
            lastEvent = "stagnated:\(criterion)"
            x = mean
            return
        }
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

    /// Starts the next run when the restart strategy allows one (pycma's `fmin` loop); false when done.
    private mutating func restart(after criterion: String) throws -> Bool {
        guard restartMode != .none else { return false }
        let used = queries - runStartQueries
        if runIsSmall { smallEvaluations += used } else { largeEvaluations += used }
        finishedRuns += 1
        guard finishedRuns - smallRuns <= maxRestarts else { return false }
        let exponent = Double(finishedRuns - smallRuns)
        if restartMode == .bipop && smallEvaluations < max(1, largeEvaluations) {
            smallRuns += 1
            let u1 = regimeRandom.uniform(), u2 = regimeRandom.uniform()
            let s = initialSigma * pow(0.01, u1)
            let multiplier = pow(populationFactor, Double(finishedRuns - smallRuns))
            let lambda = max(2, Int(Double(defaultLambda) * pow(multiplier, u2 * u2)))
            startRun(mean: startPoint, lambda: lambda, sigma: s, small: true,
                     iterationCap: 0.5 * Double(largeEvaluations) / Double(lambda))
            lastEvent = "restart:\(finishedRuns):small:popsize=\(lambda):\(criterion)"
        } else {
            let lambda = Int(Double(defaultLambda) * pow(populationFactor, exponent))
            startRun(mean: startPoint, lambda: lambda, sigma: initialSigma, small: false, iterationCap: nil)
            lastEvent = "restart:\(finishedRuns):\(restartMode == .bipop ? "large" : "ipop"):popsize=\(lambda):\(criterion)"
        }
        return true
    }

    /// pycma's termination criteria after a generation (the first that holds), or nil.
    private mutating func hansenStop() -> String? {
        let k = constants!
        let n = mean.count, lambda = k.lambda
        let best = fitness[order[0]], worst = fitness[order[lambda - 1]]
        // Histories: the last 10 + 30n/λ best values; every 5th generation the best and the median.
        recentBest.insert(best, at: 0)
        if Double(recentBest.count) > 10 + 30 * Double(n) / Double(lambda) { recentBest.removeLast() }
        if runGeneration % 5 == 0 {
            let i = lambda / 2
            let median = lambda % 2 == 1 ? fitness[order[i]] : (fitness[order[i - 1]] + fitness[order[i]]) / 2
            longBest.insert(best, at: 0)
            longMedian.insert(median, at: 0)
        }
        if runGeneration >= runMaxIterations { return "maxiter" }
        if !sigma.isFinite || !mean.allSatisfy(\.isFinite) || !covariance.storage.allSatisfy(\.isFinite) { return "nonfinite" }
        var historyLow = Double.infinity, historyHigh = -Double.infinity
        for v in recentBest { historyLow = min(historyLow, v); historyHigh = max(historyHigh, v) }
        let historyRange = historyHigh - historyLow
        // tolx: σ√Cᵢᵢ and σ|p_c,ᵢ| below 1e-11 in every coordinate.
        var allSmall = true
        for i in 0..<n where !(sigma * covariance.storage[i * n + i].squareRoot() < 1e-11 && sigma * abs(pathC[i]) < 1e-11) {
            allSmall = false
            break
        }
        if allSmall { return "tolx" }
        if worst - best < 1e-11 && historyRange < 1e-11 { return "tolfun" }
        if recentBest.count > 9 && historyRange < 1e-12 { return "tolfunhist" }
        // tolstagnation.
        let tolStagnation = Int(100 + 100 * pow(Double(n), 1.5) / Double(lambda))
        let l = Int(max(Double(tolStagnation) / 5 / 2, Double(longBest.count) / 10))
        if l <= runGeneration && runGeneration > Int(Double(n) * (5 + 100 / Double(lambda)))
            && Double(queries - runBestQueries) / Double(lambda) > Double(tolStagnation) / 2
            && longBest.count > 100 && 2 * l < longBest.count
            && median(longMedian, 0, l) >= median(longMedian, l, 2 * l)
            && median(longBest, 0, l) >= median(longBest, l, 2 * l) {
            return "tolstagnation"
        }
        let maxScale = scales.max() ?? 0, minScale = scales.min() ?? 0
        if sigma / maxScale > initialSigma * 1e20 { return "tolupsigma" }
        // noeffectcoord: m + 0.2σ√Cᵢᵢ·eᵢ == m for some i.
        for i in 0..<n where mean[i] == mean[i] + 0.2 * sigma * covariance.storage[i * n + i].squareRoot() { return "noeffectcoord" }
        // noeffectaxis: m + 0.1σ·D_j·b_j == m with j = generation mod n.
        let j = runGeneration % n
        var axisNoEffect = true
        for i in 0..<n where mean[i] != mean[i] + 0.1 * sigma * scales[j] * basis.storage[i * n + j] {
            axisNoEffect = false
            break
        }
        if axisNoEffect { return "noeffectaxis" }
        if maxScale > 1e7 * minScale { return "tolconditioncov" }
        if fitness[order[0]] < fitness[order[Int(0.75 * Double(lambda))]] { flatIterations = 0 } else {
            flatIterations += 1
            if flatIterations > 1 { return "tolflatfitness" }
        }
        if stagnated() { return "tolx_machine" }
        return nil
    }

    /// The median of values[from..<to] (numpy's convention for even counts).
    private mutating func median(_ values: [Double], _ from: Int, _ to: Int) -> Double {
        let count = to - from
        guard count > 0 else { return .nan }
        if medianScratch.count < count { medianScratch = [Double](repeating: 0, count: count) }
        for i in 0..<count { medianScratch[i] = values[from + i] }
        medianScratch[0..<count].sort()
        return count % 2 == 1 ? medianScratch[count / 2] : (medianScratch[count / 2 - 1] + medianScratch[count / 2]) / 2
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
