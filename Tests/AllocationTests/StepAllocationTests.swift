import CAllocationCounter
import OptimizationCore
import OptimizerTestTable
import Optimizers
import Testing

/// Optimizer steps must not touch the heap once their state exists (issue 5:
/// "no allocation per step"). The test binary counts the calling thread's
/// malloc-family calls (Tests/CAllocationCounter).
@Suite("No heap allocation per step")
struct StepAllocationTests {
    /// Allocations made by `body` on this thread.
    static func allocations(_ body: () -> Void) -> Int {
        optlab_allocations_start()
        body()
        return optlab_allocations_stop()
    }

    @Test("the counter sees an allocation, so a zero below means something")
    func counterWorks() {
        var sink = 0
        let counted = Self.allocations {
            let a = [Double](repeating: 1, count: 1000 + sink)
            sink = a.count
        }
        #expect(counted >= 1 && sink == 1000)
    }

    /// Every first-order optimizer, with the keys that switch on its other
    /// paths (momentum, Nesterov, decay, AMSGrad, schedules, projection), and
    /// the matrix methods: read from the optimizer test table (each row's
    /// ``AllocationCases``), which `OptimizersTests` reads too.
    static var specs: [String] { AllocationCases.all(\.update) }

    /// A quadratic ½Σ(i+1)xᵢ² whose gradient call writes into the caller's buffer.
    final class Bowl: DifferentiableObjective {
        let name = "bowl"
        let layout: ParameterLayout
        let initialPoint: [Double]
        var dimension: Int { layout.dimension }
        init(_ layout: ParameterLayout) {
            self.layout = layout
            initialPoint = (0..<layout.dimension).map { Double($0 % 7) * 0.1 - 0.3 }
        }
        func value(at x: [Double]) throws -> Double { 0 }
        func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
            if g.count != x.count { g = [Double](repeating: 0, count: x.count) }
            x.withUnsafeBufferPointer { xp in
                g.withUnsafeMutableBufferPointer { gp in for i in 0..<xp.count { gp[i] = Double(i % 5 + 1) * xp[i] } }
            }
            return 0
        }
    }

    /// The harness path (`step` with an oracle: mars(approx=false) evaluates two
    /// gradients) and the Schedule-Free and ASGD evaluation points allocate nothing either
    /// (asgd with t0 = −1 averages from step 2, so its point buffer exists before the counted steps).
    @Test("step(oracle:) and evaluationPoint(into:) make no allocation after the first step",
          arguments: AllocationCases.all(\.oracle))
    func stepWithOracleDoesNotAllocate(spec: String) throws {
        let layout = ParameterLayout([("W", [40, 25]), ("b", [40])])
        let objective = Bowl(layout)
        var oracle = Oracle(objective)
        var (opt, _) = try OptimizerCatalog.shared.make(spec)
        try opt.prepare(RunContext(layout: layout, totalSteps: 100))
        var x = objective.initialPoint
        var point: [Double] = []
        for _ in 0..<2 {
            try opt.step(&x, oracle: &oracle)
            _ = opt.evaluationPoint(x, into: &point)
        }
        let before = oracle.counts.gradient
        var failure: (any Error)?
        let counted = Self.allocations {
            do {
                for _ in 0..<10 {
                    try opt.step(&x, oracle: &oracle)
                    _ = opt.evaluationPoint(x, into: &point)
                }
            } catch { failure = error }
        }
        #expect(failure == nil)
        #expect(counted == 0, "\(spec): \(counted) allocations in 10 steps")
        #expect(oracle.counts.gradient - before == (spec.hasPrefix("mars") ? 20 : 10))
        #expect(x.allSatisfy { $0.isFinite })
    }

    @Test("update makes no allocation after the first step, on 1 thread", arguments: specs)
    func updateDoesNotAllocate(spec: String) throws {
        // A matrix block (AdamP/SGDP project it), a vector block (they skip it).
        let layout = ParameterLayout([("W", [40, 25]), ("b", [40])])
        let n = layout.blocks.reduce(0) { $0 + $1.count }
        let (made, _) = try OptimizerCatalog.shared.make(spec)
        var opt = try #require(made as? any GradientOptimizer)
        try opt.prepare(RunContext(layout: layout, totalSteps: 100))
        var x = (0..<n).map { Double($0 % 7) * 0.1 - 0.3 }
        let g = (0..<n).map { Double($0 % 5) * 0.2 - 0.4 }
        opt.update(&x, gradient: g, layout: layout)   // allocates the state
        opt.update(&x, gradient: g, layout: layout)
        let counted = Self.allocations {
            for _ in 0..<10 { opt.update(&x, gradient: g, layout: layout) }
        }
        #expect(counted == 0, "\(spec): \(counted) allocations in 10 steps")
        #expect(x.allSatisfy { $0.isFinite })
    }
}
