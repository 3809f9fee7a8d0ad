/// Dolan & Moré (2002) performance profile of solvers on a set of instances.
///
/// For instance p and solver s with cost t(p,s) > 0 (nil = failed), the
/// ratio is r(p,s) = t(p,s) / min over solvers of t(p,·). The profile
/// ρ_s(τ) = |{p : r(p,s) ≤ τ}| / n_p. Failures get r_M, which is larger
/// than every ratio; we take r_M = 2 × the largest finite ratio (at least 2),
/// as BenDFO does, and plot τ ∈ [1, r_M). In ρ and in the area score a
/// failure never counts (it is treated as r = ∞), so ρ_s(τ) → fraction
/// solved as τ → r_M, and ρ_s(1) is the fraction where s was fastest.
public struct PerformanceProfile: Sendable, Equatable {
    public let solvers: [String]
    /// ratios[s][p]; `.infinity` marks a failure.
    public let ratios: [[Double]]
    /// The ratio given to failures when drawing.
    public let failureRatio: Double

    /// `costs[p][s]`: the cost of solver s on instance p, nil when it failed.
    /// Costs below `minimumCost` are raised to it, so a run solved at its
    /// starting point (cost 0) still has a ratio.
    public init(solvers: [String], costs: [[Double?]], minimumCost: Double = 0) {
        self.solvers = solvers
        var ratios = [[Double]](repeating: [], count: solvers.count)
        for row in costs {
            let t = row.map { $0.map { Swift.max($0, minimumCost) } }
            let best = t.compactMap { $0 }.filter { $0 > 0 }.min()
            for s in solvers.indices {
                if let v = t[s], let best, v > 0 { ratios[s].append(v / best) }
                else if let v = t[s], v == 0 { ratios[s].append(1) }  // zero cost: tied fastest
                else { ratios[s].append(.infinity) }
            }
        }
        self.ratios = ratios
        let maxFinite = ratios.flatMap { $0 }.filter(\.isFinite).max() ?? 1
        self.failureRatio = Swift.max(2, 2 * maxFinite)
    }

    public var instanceCount: Int { ratios.first?.count ?? 0 }

    /// ρ_s(τ): the fraction of instances with r(p,s) ≤ τ.
    public func rho(_ s: Int, _ tau: Double) -> Double {
        guard instanceCount > 0 else { return 0 }
        return Double(ratios[s].filter { $0 <= tau }.count) / Double(instanceCount)
    }

    /// The step points of ρ_s: sorted distinct finite ratios with ρ after each.
    public func steps(_ s: Int) -> [(tau: Double, rho: Double)] {
        let finite = ratios[s].filter(\.isFinite).sorted()
        var out: [(Double, Double)] = []
        for (i, r) in finite.enumerated() where i + 1 == finite.count || finite[i + 1] != r {
            out.append((r, Double(i + 1) / Double(instanceCount)))
        }
        return out
    }

    /// AlgoPerf-style score: (1 / (r_max − 1)) ∫₁^{r_max} ρ_s(τ) dτ, in [0, 1].
    /// Exact for the step function: each instance contributes (r_max − r)
    /// when r ≤ r_max, so the score is Σ_p max(0, r_max − r(p,s)) / ((r_max − 1)·n_p).
    public func areaScore(_ s: Int, rMax: Double = 4) -> Double {
        guard instanceCount > 0 else { return 0 }
        let total = ratios[s].reduce(0.0) { $0 + ($1.isFinite ? Swift.max(0, rMax - $1) : 0) }
        return total / ((rMax - 1) * Double(instanceCount))
    }

    /// Number of instances solver s solved.
    public func solved(_ s: Int) -> Int { ratios[s].filter(\.isFinite).count }
}

/// Moré & Wild (2009) data profile: d_s(α) = |{p : t(p,s) / (n_p + 1) ≤ α}| / n_p,
/// where t is the cost to pass the convergence test and n_p the dimension;
/// α is the budget in simplex gradients (n + 1 evaluations each).
public struct DataProfile: Sendable, Equatable {
    public let solvers: [String]
    /// alphas[s][p] = t(p,s)/(n_p + 1); `.infinity` for a failure.
    public let alphas: [[Double]]

    /// `costs[p][s]` (nil = never passed) and `dimensions[p]`.
    public init(solvers: [String], costs: [[Double?]], dimensions: [Int]) {
        self.solvers = solvers
        var alphas = [[Double]](repeating: [], count: solvers.count)
        for (p, row) in costs.enumerated() {
            for s in solvers.indices {
                alphas[s].append(row[s].map { $0 / Double(dimensions[p] + 1) } ?? .infinity)
            }
        }
        self.alphas = alphas
    }

    public var instanceCount: Int { alphas.first?.count ?? 0 }

    /// d_s(α).
    public func d(_ s: Int, _ alpha: Double) -> Double {
        guard instanceCount > 0 else { return 0 }
        return Double(alphas[s].filter { $0 <= alpha }.count) / Double(instanceCount)
    }

    /// Step points: sorted distinct finite α with d after each.
    public func steps(_ s: Int) -> [(alpha: Double, d: Double)] {
        let finite = alphas[s].filter(\.isFinite).sorted()
        var out: [(Double, Double)] = []
        for (i, a) in finite.enumerated() where i + 1 == finite.count || finite[i + 1] != a {
            out.append((a, Double(i + 1) / Double(instanceCount)))
        }
        return out
    }
}

/// The Moré–Wild convergence test on one run: the first logged point where
/// best_loss ≤ f_L + τ·(f₀ − f_L). Returns the row index or nil. This is
/// `RuntimeToTarget.firstIndex` at that level, the definition the runtime
/// ECDFs use too.
public func firstPassing(bestLoss: [Double], f0: Double, fL: Double, tau: Double) -> Int? {
    let cutoff = f0.isFinite && f0 > fL ? fL + tau * (f0 - fL) : fL
    return RuntimeToTarget.firstIndex(bestLoss: bestLoss, level: cutoff)
}
