import LinearAlgebra
import OptimizationCore

/// Keys and start-point rules shared by the analytic and global problems.
enum ProblemKeys {
    static let noise = Hyperparameter.real(
        "noise", 0, .nonNegative,
        "relative value noise σ: the optimizer sees f·(1 + σu), u ~ U(−1, 1) per call; traces log the noise-free f")

    static let instance = Hyperparameter.choice(
        "instance", "x0", ["x0", "10x0", "random"],
        "start: the standard x0, 10·x0 (Moré–Wild), or x0 + 0.1·‖x0‖·N(0, I)/√n drawn from the run's seed")

    static func count(_ name: String, _ value: Int, min: Int, max: Int, _ doc: String) -> Hyperparameter {
        .integer(name, value, .closed(Double(min), Double(max)), doc)
    }

    /// The start for `instance`: x0, 10·x0, or x0 + 0.1·‖x0‖·N(0, I)/√n.
    /// When x0 = 0 (Watson) the random instance uses ‖x0‖ := 1, so that it
    /// still differs from x0.
    static func start(_ x0: [Double], instance: String, seed: UInt64) -> [Double] {
        switch instance {
        case "10x0": return x0.map { 10 * $0 }
        case "random":
            let n = x0.count
            var norm = BLAS.nrm2(x0)
            if norm == 0 { norm = 1 }
            let scale = 0.1 * norm / Double(n).squareRoot()
            var rng = SplitMix64(seed: SplitMix64.derive(seed, 0x5354_4152_54))
            return x0.map { $0 + scale * rng.gaussian() }
        default: return x0
        }
    }

    /// A point drawn uniformly in `domain` from the run's seed.
    static func uniformStart(in domain: [ClosedRange<Double>], seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: SplitMix64.derive(seed, 0x554E_4946))
        return domain.map { rng.uniform(in: $0.lowerBound, $0.upperBound) }
    }

    static func invalid(_ owner: String, _ message: String) -> SpecError {
        .invalidCombination(owner: owner, message: message)
    }
}
