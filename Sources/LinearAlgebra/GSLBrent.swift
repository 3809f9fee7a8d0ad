internal import CGSL

/// One-dimensional minimisation on a bracket with GSL's Brent minimiser
/// (`gsl_min_fminimizer_brent`): golden-section steps safeguarding
/// parabolic interpolation.
///
///     let t = try BrentMinimizer.minimize(lower: 0, upper: 1, guess: 0.5) { t in (t - 0.3) * (t - 0.3) }
///
/// The function is called back from C; an error it throws stops the search
/// and is rethrown. GSL's abort-on-error handler is switched off: failures
/// come back as ``BrentMinimizer/Failure``.
public enum BrentMinimizer {
    /// Why the search did not start or finish.
    public enum Failure: Error, CustomStringConvertible {
        /// f(guess) is not below both f(lower) and f(upper) (GSL_EINVAL).
        case notBracketed
        /// A GSL status code other than success.
        case gsl(status: Int32)

        public var description: String {
            switch self {
            case .notBracketed: return "Brent: the guess is not a bracketed minimum"
            case .gsl(let s): return "Brent: GSL status \(s)"
            }
        }
    }

    private final class Context {
        let f: (Double) throws -> Double
        var error: (any Error)?
        init(_ f: @escaping (Double) throws -> Double) { self.f = f }
    }

    /// The minimiser of f on [lower, upper], given guess with f(guess) < f(lower), f(upper).
    /// Stops when the bracket is shorter than `absoluteTolerance` + `relativeTolerance`·|t|
    /// (`gsl_min_test_interval`) or after `maxIterations` Brent iterations.
    /// When the three values are known already, pass them as `values` (f(guess), f(lower),
    /// f(upper)) to save three evaluations (`gsl_min_fminimizer_set_with_values`).
    public static func minimize(lower: Double, upper: Double, guess: Double,
                                values: (guess: Double, lower: Double, upper: Double)? = nil,
                                absoluteTolerance: Double = 1e-10, relativeTolerance: Double = 0,
                                maxIterations: Int = 100,
                                _ f: (Double) throws -> Double) throws -> Double {
        try withoutActuallyEscaping(f) { f in
            let context = Context(f)
            let unmanaged = Unmanaged.passRetained(context)
            defer { unmanaged.release() }
            gsl_set_error_handler_off()
            var function = gsl_function(
                function: { t, params in
                    let ctx = Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue()
                    if ctx.error != nil { return .nan }
                    do { return try ctx.f(t) } catch {
                        ctx.error = error
                        return .nan
                    }
                },
                params: unmanaged.toOpaque())
            guard let s = gsl_min_fminimizer_alloc(cgsl_min_brent()) else { throw Failure.gsl(status: -1) }
            defer { gsl_min_fminimizer_free(s) }
            let status = if let v = values {
                gsl_min_fminimizer_set_with_values(s, &function, guess, v.guess, lower, v.lower, upper, v.upper)
            } else {
                gsl_min_fminimizer_set(s, &function, guess, lower, upper)
            }
            if let e = context.error { throw e }
            if status == GSL_EINVAL { throw Failure.notBracketed }
            if status != GSL_SUCCESS { throw Failure.gsl(status: status) }
            for _ in 0..<maxIterations {
                let st = gsl_min_fminimizer_iterate(s)
                if let e = context.error { throw e }
                if st != GSL_SUCCESS { throw Failure.gsl(status: st) }
                let a = gsl_min_fminimizer_x_lower(s), b = gsl_min_fminimizer_x_upper(s)
                if gsl_min_test_interval(a, b, absoluteTolerance, relativeTolerance) == GSL_SUCCESS { break }
            }
            return gsl_min_fminimizer_x_minimum(s)
        }
    }
}
