internal import CGSL

/// GSL's derivative-free Nelder–Mead minimiser `gsl_multimin_fminimizer_nmsimplex2`
/// driven one iteration at a time, with f supplied by a Swift closure at each
/// call (so an optimizer can route every query through its counting oracle).
///
///     let m = GSLSimplexMinimizer(dimension: 2)
///     try m.start(at: [5, 7], stepSizes: [1, 1]) { x in … }   // n + 1 evaluations
///     let status = try m.iterate { x in … }                  // 1, 2 or n + 2 evaluations
///     m.size                                                 // GSL's simplex size
///
/// A class because it owns C memory (freed in `deinit`). GSL's abort-on-error
/// handler is switched off; failures come back as statuses or thrown errors.
public final class GSLSimplexMinimizer {
    /// f(x).
    public typealias Evaluate = (_ x: [Double]) throws -> Double

    /// Why the simplex could not be set up or advanced.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// f was not finite at a vertex of the initial simplex (GSL_EBADFUNC).
        case nonFiniteAtStart
        /// Another GSL status code.
        case gsl(status: Int32)

        public var description: String {
            switch self {
            case .nonFiniteAtStart: return "nelder_mead: f is not finite at a vertex of the initial simplex"
            case .gsl(let s): return "nelder_mead: GSL status \(s)"
            }
        }
    }

    /// The outcome of one iteration.
    public enum Status: Equatable, Sendable {
        case progress
        /// GSL_EBADFUNC: a shrink met a non-finite value (GSL finishes the shrink and reports it).
        case nonFiniteValue
        case failure(code: Int32)
    }

    public let dimension: Int
    private let minimizer: UnsafeMutablePointer<gsl_multimin_fminimizer>
    private let function: UnsafeMutablePointer<gsl_multimin_function>
    private let context = Context()
    private var point: [Double]

    private final class Context {
        var evaluate: Evaluate?
        var error: (any Error)?
        var point: [Double] = []
    }

    public init(dimension: Int) {
        precondition(dimension > 0, "GSLSimplexMinimizer needs dimension ≥ 1")
        self.dimension = dimension
        point = [Double](repeating: 0, count: dimension)
        context.point = point
        gsl_set_error_handler_off()
        minimizer = gsl_multimin_fminimizer_alloc(cgsl_f_nmsimplex2(), dimension)!
        function = .allocate(capacity: 1)
        function.initialize(to: gsl_multimin_function(
            f: { x, params in GSLSimplexMinimizer.call(params, x) },
            n: dimension,
            params: Unmanaged.passUnretained(context).toOpaque()))
    }

    deinit {
        gsl_multimin_fminimizer_free(minimizer)
        function.deinitialize(count: 1)
        function.deallocate()
    }

    private static func call(_ params: UnsafeMutableRawPointer?, _ x: UnsafePointer<gsl_vector>?) -> Double {
        let ctx = Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue()
        guard ctx.error == nil, let evaluate = ctx.evaluate, let x else { return .nan }
        let stride = x.pointee.stride
        for i in 0..<ctx.point.count { ctx.point[i] = x.pointee.data[i * stride] }
        do {
            return try evaluate(ctx.point)
        } catch {
            ctx.error = error
            return .nan
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

    /// `gsl_multimin_fminimizer_set`: the simplex x0, x0 + sᵢeᵢ (n + 1 evaluations).
    public func start(at x0: [Double], stepSizes: [Double], evaluate: Evaluate) throws {
        precondition(x0.count == dimension && stepSizes.count == dimension,
                     "GSLSimplexMinimizer.start: x0 has \(x0.count), steps \(stepSizes.count), dimension \(dimension)")
        let v = gsl_vector_alloc(dimension)!, s = gsl_vector_alloc(dimension)!
        defer { gsl_vector_free(v); gsl_vector_free(s) }
        for i in 0..<dimension {
            gsl_vector_set(v, i, x0[i])
            gsl_vector_set(s, i, stepSizes[i])
        }
        let status = try withEvaluator(evaluate) { gsl_multimin_fminimizer_set(minimizer, function, v, s) }
        if status == GSL_EBADFUNC { throw Failure.nonFiniteAtStart }
        if status != GSL_SUCCESS { throw Failure.gsl(status: status) }
    }

    /// One `gsl_multimin_fminimizer_iterate`.
    public func iterate(evaluate: Evaluate) throws -> Status {
        let status = try withEvaluator(evaluate) { gsl_multimin_fminimizer_iterate(minimizer) }
        if status == GSL_SUCCESS { return .progress }
        if status == GSL_EBADFUNC { return .nonFiniteValue }
        return .failure(code: status)
    }

    /// The best vertex.
    public var x: [Double] {
        let v = gsl_multimin_fminimizer_x(minimizer)!
        return (0..<dimension).map { gsl_vector_get(v, $0) }
    }
    /// f at the best vertex.
    public var value: Double { gsl_multimin_fminimizer_minimum(minimizer) }
    /// GSL's simplex size: the root-mean-square distance of the vertices from their centroid.
    public var size: Double { gsl_multimin_fminimizer_size(minimizer) }
}
