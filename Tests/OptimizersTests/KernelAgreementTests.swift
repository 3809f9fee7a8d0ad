import OptimizationCore
import Optimizers
import OptimizerTestTable
import Testing

/// Every fast kernel against its plain reference loop (ReferenceLoops.swift):
/// 200 steps on the three problems, every iterate to 1e-12 relative (∞-norm).
/// Variants are well-conditioned ones: e.g. adam(amsgrad=1,lr=0.01) on
/// rayleigh turns a 1e-14 change of x₀ into 4e-11 (measured with torch), so
/// ulp-level differences of operation order cannot be held to 1e-12 there.
struct KernelAgreementTests {
    typealias Pair = KernelCase

    /// The pairs sit on the methods' ``FirstOrderTable`` rows (`kernel`).
    static let pairs: [Pair] = FirstOrderTable.rows.flatMap(\.kernel)

    @Test func everyOptimizerIsCovered() {
        let covered = Set(Self.pairs.map { String($0.description.prefix { $0 != "(" }) })
        #expect(covered == OptimizerTable.names(.kernelAgreement))
        // A row carries its own method's pairs only.
        for row in FirstOrderTable.rows {
            #expect(row.kernel.allSatisfy { $0.description.prefix { $0 != "(" } == row.name }, "\(row.name)")
        }
    }

    @Test(arguments: pairs)
    func fastKernelMatchesReferenceLoop(_ pair: Pair) {
        for problem in TestProblem.all {
            let block = problem.layout.blocks[0]
            var fast = pair.fast()
            var reference = pair.reference(block.rows, block.isMultiDimensional)
            var x = problem.initialPoint, y = problem.initialPoint
            var worst = 0.0
            for _ in 0..<200 {
                fast.update(&x, gradient: problem.evaluate(x).1, layout: problem.layout)
                reference.step(&y, problem.evaluate(y).1)
                worst = max(worst, normwiseRelativeDifference(x, y))
            }
            #expect(worst <= 1e-12, "\(pair) on \(problem.name): worst relative difference \(worst)")
            #expect(x != problem.initialPoint, "\(pair) on \(problem.name) did not move")
        }
    }
}
