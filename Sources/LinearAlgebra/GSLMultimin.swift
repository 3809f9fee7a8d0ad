internal import CGSL

/// GSL's gradient-based multidimensional minimisers (`gsl_multimin_fdfminimizer_*`)
/// driven one iteration at a time, with f and ∇f supplied by a Swift closure
/// at each call (so an optimizer can route them through its counting oracle).
///
///     let m = GSLGradientMinimizer(method: .bfgs2, dimension: 2)
///     try m.start(at: [-1.2, 1], stepSize: 0.01, tolerance: 0.1) { x, wantsGradient in … }
///     let status = try m.iterate { x, wantsGradient in … }   // one GSL iteration
///
/// A class because it owns C memory (freed in `deinit`). GSL's abort-on-error
/// handler is switched off; failures come back as statuses or thrown errors.
public final class GSLGradientMinimizer {
    /// The GSL method.
    public enum Method: String, Sendable, CaseIterable {
        /// `vector_bfgs2` (Fletcher's line search, BFGS update).
        case bfgs2
        /// `conjugate_fr`, Fletcher–Reeves conjugate gradients.
        case conjugateFletcherReeves
        /// `conjugate_pr`, Polak–Ribière conjugate gradients.
        case conjugatePolakRibiere
        /// `steepest_descent` with GSL's step-doubling/halving rule.
        case steepestDescent
    }

    /// f(x), and ∇f(x) when `wantsGradient` (nil otherwise).
    public typealias Evaluate = (_ x: [Double], _ wantsGradient: Bool) throws -> (value: Double, gradient: [Double]?)

    /// The outcome of one iteration.
    public enum Status: Equatable, Sendable {
        case progress
        /// GSL_ENOPROG: the line search could not improve f (often: converged to round-off).
        case noProgress
        case failure(code: Int32)
    }

    public let dimension: Int
    private let minimizer: UnsafeMutablePointer<gsl_multimin_fdfminimizer>
    private let function: UnsafeMutablePointer<gsl_multimin_function_fdf>
    private let context = Context()

    private final class Context {
        var evaluate: Evaluate?
        var error: (any Error)?
    }

    public init(method: Method, dimension: Int) {
        precondition(dimension > 0, "GSLGradientMinimizer needs dimension ≥ 1")
        self.dimension = dimension
        gsl_set_error_handler_off()
        let type = switch method {
        case .bfgs2: cgsl_fdf_bfgs2()
        case .conjugateFletcherReeves: cgsl_fdf_conjugate_fr()
        case .conjugatePolakRibiere: cgsl_fdf_conjugate_pr()
        case .steepestDescent: cgsl_fdf_steepest_descent()
        }
        minimizer = gsl_multimin_fdfminimizer_alloc(type, dimension)!
        function = .allocate(capacity: 1)
        function.initialize(to: gsl_multimin_function_fdf(
            f: { x, params in
                GSLGradientMinimizer.call(params, x, nil).value
            },
            df: { x, params, df in
                _ = GSLGradientMinimizer.call(params, x, df)
            },
            fdf: { x, params, f, df in
                f?.pointee = GSLGradientMinimizer.call(params, x, df).value
            },
            n: dimension,
            params: Unmanaged.passUnretained(context).toOpaque()))
    }

    deinit {
        gsl_multimin_fdfminimizer_free(minimizer)
        function.deinitialize(count: 1)
        function.deallocate()
    }

    private static func copy(_ v: UnsafePointer<gsl_vector>) -> [Double] {
        let n = v.pointee.size, stride = v.pointee.stride
        return (0..<n).map { v.pointee.data[$0 * stride] }
    }

    private static func call(_ params: UnsafeMutableRawPointer?, _ x: UnsafePointer<gsl_vector>?,
                             _ df: UnsafeMutablePointer<gsl_vector>?) -> (value: Double, ok: Bool) {
        let ctx = Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue()
        guard ctx.error == nil, let evaluate = ctx.evaluate, let x else { return (.nan, false) }
        do {
            let (f, g) = try evaluate(copy(x), df != nil)
            if let df, let g {
                let stride = df.pointee.stride
                for i in 0..<g.count { df.pointee.data[i * stride] = g[i] }
            }
            return (f, true)
        } catch {
            ctx.error = error
            return (.nan, false)
        }
    }

    private func withEvaluator<T>(_ evaluate: Evaluate, _ body: () -> T) throws -> T {
        try withoutActuallyEscaping(evaluate) { e in
            context.evaluate = e
            context.error = nil
            defer { context.evaluate = nil }
            let result = body()
            if let error = context.error { throw error }
            return result
        }
    }

    /// `gsl_multimin_fdfminimizer_set`: evaluates f and ∇f at x0; `stepSize` is
    /// the first trial step, `tolerance` the line-search accuracy (GSL's `tol`).
    public func start(at x0: [Double], stepSize: Double, tolerance: Double, evaluate: Evaluate) throws {
        precondition(x0.count == dimension, "GSLGradientMinimizer.start: x0 has \(x0.count), dimension \(dimension)")
        let v = gsl_vector_alloc(dimension)!
        defer { gsl_vector_free(v) }
        for i in 0..<dimension { gsl_vector_set(v, i, x0[i]) }
        let status = try withEvaluator(evaluate) {
            gsl_multimin_fdfminimizer_set(minimizer, function, v, stepSize, tolerance)
        }
        if status != GSL_SUCCESS { throw BrentMinimizer.Failure.gsl(status: status) }
    }

    /// One `gsl_multimin_fdfminimizer_iterate`.
    public func iterate(evaluate: Evaluate) throws -> Status {
        let status = try withEvaluator(evaluate) { gsl_multimin_fdfminimizer_iterate(minimizer) }
        if status == GSL_SUCCESS { return .progress }
        if status == GSL_ENOPROG { return .noProgress }
        return .failure(code: status)
    }

    /// `gsl_multimin_fdfminimizer_restart`: the next iteration starts from −∇f.
    public func restart() { gsl_multimin_fdfminimizer_restart(minimizer) }

    /// The current iterate.
    public var x: [Double] { Self.copy(gsl_multimin_fdfminimizer_x(minimizer)) }
    /// f at the current iterate.
    public var value: Double { gsl_multimin_fdfminimizer_minimum(minimizer) }
}
