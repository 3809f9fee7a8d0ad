import LinearAlgebra
import OptimizationCore

/// GSL's gradient-based minimisers as lab optimizers: `gsl_bfgs2`
/// (`vector_bfgs2`), `gsl_cg_fr` (`conjugate_fr`), `gsl_cg_pr` (`conjugate_pr`)
/// and `gsl_steepest_descent`. One trace step is one GSL iteration (which
/// may evaluate f and ∇f several times in its line search); every f and ∇f
/// GSL asks for goes through the run's `Oracle` and is counted.
///
/// Keys: `step_size` (GSL's first trial step, default 0.01) and `tol` (GSL's
/// line-search accuracy: 0.1 for bfgs2 and steepest descent, 1e-4 for the
/// conjugate-gradient methods, as in the GSL manual's examples). When GSL
/// reports no progress (GSL_ENOPROG, usually round-off at the minimum) the
/// iterate stays, the trace `event` says `no_progress` and the method is
/// restarted from −∇f.
///
/// The GSL state is created at the first step, so a copy of a fresh
/// optimizer is a fresh optimizer; copies made after the first step share it.
///
///     optlab run --problem 'rosenbrock(d=6)' --optimizer gsl_bfgs2 --optimizer gsl_cg_pr --steps 500
///
/// Reference: GSL manual, "Multidimensional Minimization"; Fletcher,
/// "Practical Methods of Optimization" (bfgs2 line search).
public struct GSLMultiminOptimizer: Optimizer {
    public typealias Method = GSLGradientMinimizer.Method

    /// The descriptor of each wrapped method.
    public static func descriptor(for method: Method) -> OptimizerDescriptor {
        let (name, what, tol): (String, String, Double) = switch method {
        case .bfgs2: ("gsl_bfgs2", "GSL vector_bfgs2 (BFGS with Fletcher's line search)", 0.1)
        case .conjugateFletcherReeves: ("gsl_cg_fr", "GSL conjugate_fr (Fletcher–Reeves conjugate gradients)", 1e-4)
        case .conjugatePolakRibiere: ("gsl_cg_pr", "GSL conjugate_pr (Polak–Ribière conjugate gradients)", 1e-4)
        case .steepestDescent: ("gsl_steepest_descent", "GSL steepest_descent (step doubling/halving)", 0.1)
        }
        return OptimizerDescriptor(
            name: name, family: .baseline, summary: what + "; one GSL iteration per step",
            reference: "GSL manual, Multidimensional Minimization (gsl_multimin_fdfminimizer)",
            hyperparameters: [
                .real("step_size", 0.01, .positive, "size of GSL's first trial step"),
                .real("tol", tol, .positive, "GSL line-search tolerance"),
            ],
            requires: [.value, .gradient])
    }

    /// Required by `Optimizer`: the bfgs2 descriptor (each method has its own, see ``descriptor(for:)``).
    public static var descriptor: OptimizerDescriptor { descriptor(for: .bfgs2) }

    public let method: Method
    public let stepSize: Double
    public let tolerance: Double
    private var minimizer: GSLGradientMinimizer?
    public private(set) var lastEvent: String?

    public init(method: Method, stepSize: Double = 0.01, tolerance: Double? = nil) {
        var values: [String: SpecValue] = ["step_size": .real(stepSize)]
        if let tolerance { values["tol"] = .real(tolerance) }
        self.init(method: method, Self.descriptor(for: method).validated(values))
    }

    /// From validated spec values (the catalog's path).
    public init(method: Method, _ p: ResolvedParameters) {
        self.method = method
        stepSize = p.double("step_size")
        tolerance = p.double("tol")
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        lastEvent = nil
        let evaluate: GSLGradientMinimizer.Evaluate = { point, wantsGradient in
            if wantsGradient {
                let (f, g) = try oracle.gradient(at: point)
                return (f, g)
            }
            return (try oracle.value(at: point), nil)
        }
        let m: GSLGradientMinimizer
        if let existing = minimizer, existing.dimension == x.count {
            m = existing
        } else {
            m = GSLGradientMinimizer(method: method, dimension: x.count)
            try m.start(at: x, stepSize: stepSize, tolerance: tolerance, evaluate: evaluate)
            minimizer = m
        }
        switch try m.iterate(evaluate: evaluate) {
        case .progress:
            x = m.x
        case .noProgress:
            lastEvent = "no_progress"
            m.restart()
        case .failure(let code):
            lastEvent = "gsl_status=\(code)"
            m.restart()
        }
    }
}
