import CAllocationCounter
import OptimizationCore
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
    /// paths (momentum, Nesterov, decay, AMSGrad, schedules, projection).
    static let specs: [String] = OptimizerCatalog.firstOrderNames.map { $0.hasPrefix("sgd") ? "\($0)(lr=0.01)" : $0 } + [
        "sgd(lr=0.01,momentum=0.9,nesterov=true,weight_decay=0.01)", "adam(amsgrad=true,weight_decay=0.1)",
        "adamw(schedule=cosine,warmup=3)", "adan(max_grad_norm=1,weight_decay=0.02)", "lion(weight_decay=0.1)",
        "adamp(nesterov=true,weight_decay=0.1)", "sgdp(lr=0.01,nesterov=true,weight_decay=0.1)",
    ] + [
        // Matrix methods. SOAP's basis refreshes call LAPACK (which allocates), so none falls in the
        // counted steps; merge_dims is left out because its 1000 × 1000 factor makes OpenBLAS split
        // the products over threads, which allocates inside OpenBLAS (0 with OPENBLAS_NUM_THREADS=1).
        "muon", "muon(nesterov=false,adjust_lr=match_rms_adamw)", "soap(precondition_frequency=1000)",
        "soap(precondition_frequency=1000,normalize_grads=true)", "soap(precondition_frequency=1000,precondition_1d=true)",
    ]

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
