/// Timing helpers shared by the `optlab bench` subcommands.
enum BenchClock {
    /// A `Duration` in seconds.
    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }

    /// The best (least) wall time of `repeats` runs of `body`: the least
    /// disturbed run on a shared machine, as in `timeit`'s advice.
    static func best(of repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t0 = clock.now
            try body()
            best = min(best, seconds(clock.now - t0))
        }
        return best
    }
}
