internal import CGSL

/// GSL's MT19937 generator (`gsl_rng_mt19937`) with uniform and Gaussian
/// draws, owning its C handle.
///
/// It is `~Copyable`: the handle is freed exactly once, in `deinit`, and a
/// generator cannot be shared by accident between runs or tasks. Seed 42
/// gives 0.37454011430963874 as its first uniform (the 32-bit sibling of
/// numpy's `RandomState(42).random_sample()` = 0.3745401188…).
///
///     var rng = MersenneTwister(seed: 42)
///     let u = rng.uniform()            // [0, 1)
///     let z = rng.gaussian(sigma: 2)   // N(0, 4)
public struct MersenneTwister: ~Copyable {
    private let handle: OpaquePointer

    public init(seed: UInt64) {
        GSLErrors.disableAbort()
        guard let h = gsl_rng_alloc(cgsl_rng_mt19937()) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        gsl_rng_set(h, UInt(truncatingIfNeeded: seed))
        handle = OpaquePointer(h)
    }

    deinit { gsl_rng_free(UnsafeMutablePointer<gsl_rng>(handle)) }

    private var rng: UnsafeMutablePointer<gsl_rng> { UnsafeMutablePointer<gsl_rng>(handle) }

    /// Uniform on [0, 1) (`gsl_rng_uniform`).
    public mutating func uniform() -> Double { gsl_rng_uniform(rng) }

    /// Uniform on (0, 1) (`gsl_rng_uniform_pos`).
    public mutating func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// Uniform on [a, b).
    public mutating func uniform(in a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Gaussian N(0, σ²) (`gsl_ran_gaussian`, Box–Muller polar method).
    public mutating func gaussian(sigma: Double = 1) -> Double { gsl_ran_gaussian(rng, sigma) }

    /// A uniform integer in 0..<n (`gsl_rng_uniform_int`).
    public mutating func integer(below n: Int) -> Int {
        precondition(n > 0, "integer(below:) needs n > 0")
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// Fills `x` with N(0, σ²) draws.
    public mutating func fillGaussian(_ x: inout [Double], sigma: Double = 1) {
        for i in x.indices { x[i] = gsl_ran_gaussian(rng, sigma) }
    }
}

/// GSL's default error handler calls `abort()`; the lab checks return codes instead.
enum GSLErrors {
    private static let off: Bool = { _ = gsl_set_error_handler_off(); return true }()
    static func disableAbort() { _ = off }
}
