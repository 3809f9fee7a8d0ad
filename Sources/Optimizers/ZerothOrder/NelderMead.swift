import LinearAlgebra
import OptimizationCore

/// Nelder–Mead simplex search, GSL's `nmsimplex2`: one GSL iteration per
/// step, every query through the run's `Oracle`.
///
/// Iteration (P = n + 1 vertices, c the centroid of all vertices, a vertex
/// x_h moved to x(κ) = (1 − κ)·P/(P − 1)·c + (Pκ − 1)/(P − 1)·x_h):
///
///     reflect x_r = x(−1)
///     if f_r < f_lo:           expand x_e = x(−2); keep x_e if f_e < f_lo else x_r
///     elif f_r > f_second:     (x_h ← x_r if f_r ≤ f_hi); contract x_c = x(½);
///                              keep x_c if f_c ≤ f_hi else shrink all towards x_lo
///     else:                    keep x_r
///
/// The simplex size sqrt(Σ‖x_j − c‖²/P) is GSL's convergence measure; once it
/// is below `tol` the trace `event` says `converged` (the iterations go on
/// while the budget lasts).
///
/// Restarts (`restarts=R`, default 0): when the simplex size falls below
/// `tol` or the best value has not decreased for 10(n + 1) iterations (f
/// values that differ only in their last bits, as near a large f*), a fresh simplex of edge `step` is built around the best vertex (the
/// classic remedy for Nelder–Mead's false convergence), at most R times; the
/// restart is the trace event `restart:<k>`. After the last one the simplex
/// keeps iterating as without restarts.
///
/// Defaults: step 1 (initial simplex x0, x0 + step·eᵢ), tol 1e-8, restarts 0.
///
/// Cost per step: 1, 2 or n + 2 value queries (n + 1 more at the first step
/// for the initial simplex); O(n) arithmetic (O(n²) after a shrink); memory
/// O(n²). Use for small n (≲ 20).
///
///     optlab run --problem 'rosenbrock(d=2)' --optimizer 'nelder_mead(step=0.5)'
///
/// Reference: Nelder & Mead, "A simplex method for function minimization",
/// Computer Journal 7 (1965); GSL manual, `gsl_multimin_fminimizer_nmsimplex2`
/// (no arXiv id).
public struct NelderMead: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "nelder_mead", family: .zerothOrder,
        summary: "Nelder–Mead simplex (GSL nmsimplex2); one GSL iteration per step",
        reference: "Nelder & Mead 1965; GSL gsl_multimin_fminimizer_nmsimplex2",
        hyperparameters: [
            .real("step", 1, .positive, "edge of the initial simplex (x0 + step·eᵢ)"),
            .real("tol", 1e-8, .positive, "simplex size below which the event says converged (or a restart begins)"),
            .integer("restarts", 0, .closed(0, 1_000_000), "restarts from the best vertex with a fresh simplex once the size is below tol"),
        ],
        requires: [.value])

    public let stepSize: Double
    public let tolerance: Double
    public let maxRestarts: Int
    public private(set) var restartCount = 0
    private var bestSeen = Double.infinity
    private var iterationsWithoutProgress = 0
    private var minimizer: GSLSimplexMinimizer?
    public private(set) var lastEvent: String?

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        stepSize = p.double("step")
        tolerance = p.double("tol")
        maxRestarts = p.int("restarts")
    }

    public init(step: Double = 1, tol: Double = 1e-8, restarts: Int = 0) {
        self.init(Self.descriptor.validated(["step": .real(step), "tol": .real(tol), "restarts": .integer(restarts)]))
    }

    /// GSL's simplex size after the last step (nil before the first).
    public var simplexSize: Double? { minimizer?.size }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        let evaluate: GSLSimplexMinimizer.Evaluate = { point in try oracle.value(at: point) }
        let m: GSLSimplexMinimizer
        if let existing = minimizer, existing.dimension == x.count {
            m = existing
        } else {
            m = GSLSimplexMinimizer(dimension: x.count)
            try m.start(at: x, stepSizes: [Double](repeating: stepSize, count: x.count), evaluate: evaluate)
            minimizer = m
        }
        let stalled = iterationsWithoutProgress >= 10 * (x.count + 1)
        if (m.size < tolerance || stalled) && restartCount < maxRestarts {
            restartCount += 1
            iterationsWithoutProgress = 0
            try m.start(at: m.x, stepSizes: [Double](repeating: stepSize, count: x.count), evaluate: evaluate)
            lastEvent = "restart:\(restartCount)"
            x = m.x
            return
        }
        defer {
            if m.value < bestSeen { bestSeen = m.value; iterationsWithoutProgress = 0 } else { iterationsWithoutProgress += 1 }
        }
        switch try m.iterate(evaluate: evaluate) {
        case .progress: lastEvent = m.size < tolerance ? "converged" : nil
        case .nonFiniteValue: lastEvent = "nonfinite_shrink"
        case .failure(let code): lastEvent = "gsl_status=\(code)"
        }
        x = m.x
    }
}
