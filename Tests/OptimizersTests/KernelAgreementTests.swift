import OptimizationCore
import OptimizerTestTable
import Optimizers
import Testing

/// Every fast kernel against its plain reference loop (ReferenceLoops.swift):
/// 200 steps on the three problems, every iterate to 1e-12 relative (∞-norm).
/// Variants are well-conditioned ones: e.g. adam(amsgrad=1,lr=0.01) on
/// rayleigh turns a 1e-14 change of x₀ into 4e-11 (measured with torch), so
/// ulp-level differences of operation order cannot be held to 1e-12 there.
struct KernelAgreementTests {
    struct Pair: CustomStringConvertible, Sendable {
        let description: String
        let fast: @Sendable () -> any GradientOptimizer
        /// The reference, given the block's rows and whether it is a matrix.
        let reference: @Sendable (_ rows: Int, _ matrix: Bool) -> any ReferenceLoop
    }

    static let pairs: [Pair] = [
        Pair(description: "adam", fast: { Adam() }, reference: { _, _ in ReferenceAdam() }),
        Pair(description: "adam(amsgrad,wd=0.01)", fast: { Adam(weightDecay: 0.01, amsgrad: true) },
             reference: { _, _ in ReferenceAdam(weightDecay: 0.01, amsgrad: true) }),
        Pair(description: "adamw", fast: { AdamW() }, reference: { _, _ in ReferenceAdam(weightDecay: 1e-2, decoupled: true) }),
        Pair(description: "adamw(lr=0.01,wd=0.1)", fast: { AdamW(lr: 0.01, weightDecay: 0.1) },
             reference: { _, _ in ReferenceAdam(lr: 0.01, weightDecay: 0.1, decoupled: true) }),
        Pair(description: "adan", fast: { Adan() }, reference: { _, _ in ReferenceAdan() }),
        Pair(description: "adan(lr=0.01,wd=0.02,clip=1000)", fast: { Adan(lr: 0.01, weightDecay: 0.02, maxGradNorm: 1000) },
             reference: { _, _ in ReferenceAdan(lr: 0.01, weightDecay: 0.02, maxGradNorm: 1000) }),
        Pair(description: "lion", fast: { Lion() }, reference: { _, _ in ReferenceLion() }),
        Pair(description: "lion(lr=1e-3,wd=0.1)", fast: { Lion(lr: 1e-3, weightDecay: 0.1) },
             reference: { _, _ in ReferenceLion(lr: 1e-3, weightDecay: 0.1) }),
        Pair(description: "grams", fast: { Grams() }, reference: { _, _ in ReferenceGrams() }),
        Pair(description: "grams(lr=0.01,wd=0.1)", fast: { Grams(lr: 0.01, weightDecay: 0.1) },
             reference: { _, _ in ReferenceGrams(lr: 0.01, weightDecay: 0.1) }),
        Pair(description: "exadam", fast: { EXAdam() }, reference: { _, _ in ReferenceEXAdam() }),
        Pair(description: "exadam(lr=0.005,wd=0.01)", fast: { EXAdam(lr: 0.005, weightDecay: 0.01) },
             reference: { _, _ in ReferenceEXAdam(lr: 0.005, weightDecay: 0.01) }),
        Pair(description: "adamp", fast: { AdamP() }, reference: { ReferenceAdamP(rows: $0, matrix: $1) }),
        Pair(description: "adamp(lr=0.01,wd=0.01,nesterov)", fast: { AdamP(lr: 0.01, weightDecay: 0.01, nesterov: true) },
             reference: { ReferenceAdamP(lr: 0.01, weightDecay: 0.01, nesterov: true, rows: $0, matrix: $1) }),
        Pair(description: "sgdp(lr=1e-4)", fast: { SGDP(lr: 1e-4) }, reference: { ReferenceSGDP(lr: 1e-4, rows: $0, matrix: $1) }),
        Pair(description: "sgdp(lr=1e-4,wd=0.01,nesterov)", fast: { SGDP(lr: 1e-4, weightDecay: 0.01, nesterov: true) },
             reference: { ReferenceSGDP(lr: 1e-4, weightDecay: 0.01, nesterov: true, rows: $0, matrix: $1) }),
        Pair(description: "sgd(lr=1e-4)", fast: { SGD(lr: 1e-4) }, reference: { _, _ in ReferenceSGD(lr: 1e-4) }),
        Pair(description: "sgd(lr=1e-4,mom=0.9,nesterov,wd=0.01)",
             fast: { SGD(lr: 1e-4, momentum: 0.9, nesterov: true, weightDecay: 0.01) },
             reference: { _, _ in ReferenceSGD(lr: 1e-4, momentum: 0.9, nesterov: true, weightDecay: 0.01) }),
        Pair(description: "cadamw", fast: { CautiousAdamW() }, reference: { _, _ in ReferenceCautiousAdamW() }),
        Pair(description: "cadamw(lr=0.01,wd=0.1)", fast: { CautiousAdamW(lr: 0.01, weightDecay: 0.1) },
             reference: { _, _ in ReferenceCautiousAdamW(lr: 0.01, weightDecay: 0.1) }),
        Pair(description: "clion", fast: { CautiousLion() }, reference: { _, _ in ReferenceLion(cautious: true) }),
        Pair(description: "clion(lr=1e-3,wd=0.1)", fast: { CautiousLion(lr: 1e-3, weightDecay: 0.1) },
             reference: { _, _ in ReferenceLion(lr: 1e-3, weightDecay: 0.1, cautious: true) }),
    ] + torchOptimPairs + adaptivePairs

    /// The adaptive methods of issue 18.
    static let adaptivePairs: [Pair] = [
        Pair(description: "adopt", fast: { ADOPT() }, reference: { _, _ in ReferenceADOPT() }),
        Pair(description: "adopt(lr=0.01,wd=0.01)", fast: { ADOPT(lr: 0.01, weightDecay: 0.01) },
             reference: { _, _ in ReferenceADOPT(lr: 0.01, weightDecay: 0.01) }),
        Pair(description: "adopt(decouple,lr=0.01,wd=0.1)", fast: { ADOPT(lr: 0.01, weightDecay: 0.1, decouple: true) },
             reference: { _, _ in ReferenceADOPT(lr: 0.01, weightDecay: 0.1, decouple: true) }),
        Pair(description: "ademamix", fast: { AdEMAMix() }, reference: { _, _ in ReferenceAdEMAMix() }),
        Pair(description: "ademamix(alpha=5,lr=0.01,wd=0.01)", fast: { AdEMAMix(lr: 0.005, alpha: 5, weightDecay: 0.01) },
             reference: { _, _ in ReferenceAdEMAMix(lr: 0.005, alpha: 5, weightDecay: 0.01) }),
        Pair(description: "mars", fast: { MARS() }, reference: { ReferenceMARS(matrix: $1) }),
        Pair(description: "mars(lr=0.01,wd=0.01)", fast: { MARS(lr: 0.01, weightDecay: 0.01) },
             reference: { ReferenceMARS(lr: 0.01, weightDecay: 0.01, matrix: $1) }),
        Pair(description: "mars(variant=lion,lr=1e-3,wd=0.1)", fast: { MARS(lr: 1e-3, weightDecay: 0.1, variant: .lion) },
             reference: { ReferenceMARS(lr: 1e-3, weightDecay: 0.1, lion: true, matrix: $1) }),
        Pair(description: "mars(optimize_1d)", fast: { MARS(optimize1D: true) }, reference: { _, _ in ReferenceMARS(matrix: true) }),
        Pair(description: "schedulefree_adamw", fast: { ScheduleFreeAdamW() },
             reference: { _, _ in ReferenceScheduleFree(lr: 0.0025, adam: (0.999, 1e-8)) }),
        Pair(description: "schedulefree_adamw(lr=0.01,warmup_steps=20,wd=0.01,r=1)",
             fast: { ScheduleFreeAdamW(lr: 0.01, weightDecay: 0.01, warmupSteps: 20, r: 1) },
             reference: { _, _ in ReferenceScheduleFree(lr: 0.01, weightDecay: 0.01, warmupSteps: 20, r: 1, adam: (0.999, 1e-8)) }),
        Pair(description: "schedulefree_sgd(lr=1e-4)", fast: { ScheduleFreeSGD(lr: 1e-4) },
             reference: { _, _ in ReferenceScheduleFree(lr: 1e-4) }),
        Pair(description: "schedulefree_sgd(lr=1e-4,momentum=0.5,warmup_steps=10,wd=0.01)",
             fast: { ScheduleFreeSGD(lr: 1e-4, momentum: 0.5, weightDecay: 0.01, warmupSteps: 10) },
             reference: { _, _ in ReferenceScheduleFree(lr: 1e-4, beta: 0.5, weightDecay: 0.01, warmupSteps: 10) }),
        Pair(description: "prodigy", fast: { Prodigy() }, reference: { _, _ in ReferenceProdigy() }),
        Pair(description: "prodigy(bias_correction,wd=0.01)", fast: { Prodigy(weightDecay: 0.01, useBiasCorrection: true) },
             reference: { _, _ in ReferenceProdigy(weightDecay: 0.01, biasCorrection: true) }),
    ]

    @Test func everyOptimizerIsCovered() {
        let covered = Set(Self.pairs.map { String($0.description.prefix { $0 != "(" }) })
        #expect(covered == OptimizerTable.names(.kernelAgreement))
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
