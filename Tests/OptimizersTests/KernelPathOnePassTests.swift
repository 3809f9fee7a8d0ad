import Optimizers
import Testing

/// The one-pass methods of issue 18 whose element loops moved to CKernels:
/// every instruction-set path against the former Swift loop
/// (KernelPathOnePassLoops.swift), bit for bit, on 1 and 2 threads. In the
/// KernelPathTests suite (an extension) so that it runs serialized with the
/// other path-switching tests. The configurations cover every specialised C
/// loop: weight decay on/off (L2 or decoupled), both branches of torch's lerp
/// (weight below or above ½), RMSprop's centred and momentum variants,
/// RAdam's steps before and after ρ_t > 5, ADOPT's first step, and
/// Schedule-Free's c = 1 (first step) then c < ½.
extension KernelPathTests {
    /// The optimizer as the catalog builds it from `spec` (so these cases
    /// follow the spec keys, not the initialisers' argument lists).
    static func onePass(_ spec: String, _ plain: @escaping @Sendable () -> any PlainLoop) -> Case {
        Case(description: spec,
             fast: { try! OptimizerCatalog.shared.make(spec).0 as! any GradientOptimizer },
             plain: plain)
    }

    static let onePassCases: [Case] = [
        onePass("adagrad") { PlainAdagrad() },
        onePass("adagrad(weight_decay=0.01,lr_decay=0.01,initial_accumulator_value=0.1)") {
            PlainAdagrad(lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1)
        },
        onePass("rmsprop") { PlainRMSprop() },
        onePass("rmsprop(weight_decay=0.01)") { PlainRMSprop(weightDecay: 0.01) },
        onePass("rmsprop(centered=true)") { PlainRMSprop(centered: true) },
        onePass("rmsprop(momentum=0.9)") { PlainRMSprop(momentum: 0.9) },
        onePass("rmsprop(centered=true,momentum=0.9,weight_decay=0.01)") {
            PlainRMSprop(weightDecay: 0.01, momentum: 0.9, centered: true)
        },
        onePass("rmsprop(alpha=0.3,centered=true,lr=0.001)") { PlainRMSprop(lr: 0.001, alpha: 0.3, centered: true) },
        onePass("adadelta") { PlainAdadelta() },
        onePass("adadelta(weight_decay=0.01,rho=0.5)") { PlainAdadelta(rho: 0.5, weightDecay: 0.01) },
        onePass("adamax") { PlainAdamax() },
        onePass("adamax(beta1=0.3,weight_decay=0.01)") { PlainAdamax(beta1: 0.3, weightDecay: 0.01) },
        onePass("nadam") { PlainNAdam() },
        onePass("nadam(weight_decay=0.01)") { PlainNAdam(weightDecay: 0.01) },
        onePass("nadam(weight_decay=0.01,decoupled_weight_decay=true,beta1=0.3)") {
            PlainNAdam(beta1: 0.3, weightDecay: 0.01, decoupledWeightDecay: true)
        },
        onePass("radam") { PlainRAdam() },
        onePass("radam(weight_decay=0.01,beta1=0.3)") { PlainRAdam(beta1: 0.3, weightDecay: 0.01) },
        onePass("radam(weight_decay=0.01,decoupled_weight_decay=true)") {
            PlainRAdam(weightDecay: 0.01, decoupledWeightDecay: true)
        },
        onePass("schedulefree_adamw") { PlainScheduleFreeAdamW() },
        onePass("schedulefree_adamw(weight_decay=0.01,warmup_steps=5,r=1)") {
            PlainScheduleFreeAdamW(weightDecay: 0.01, warmupSteps: 5, r: 1)
        },
        onePass("schedulefree_sgd(lr=0.01)") { PlainScheduleFreeSGD(lr: 0.01) },
        onePass("schedulefree_sgd(lr=0.01,weight_decay=0.01,warmup_steps=3)") {
            PlainScheduleFreeSGD(lr: 0.01, weightDecay: 0.01, warmupSteps: 3)
        },
        onePass("rprop") { PlainRprop() },
        onePass("rprop(eta_minus=0.3,eta_plus=1.5,step_min=0.001,step_max=0.1)") {
            PlainRprop(etaMinus: 0.3, etaPlus: 1.5, stepMin: 0.001, stepMax: 0.1)
        },
        onePass("adopt") { PlainADOPT() },
        onePass("adopt(weight_decay=0.01)") { PlainADOPT(weightDecay: 0.01) },
        onePass("adopt(weight_decay=0.01,decouple=true,beta1=0.3)") {
            PlainADOPT(beta1: 0.3, weightDecay: 0.01, decouple: true)
        },
        onePass("ademamix") { PlainAdEMAMix() },
        onePass("ademamix(weight_decay=0.01,alpha=5)") { PlainAdEMAMix(alpha: 5, weightDecay: 0.01) },
    ]

    @Test(arguments: onePassCases)
    func everyPathMatchesTheFormerSwiftLoop(_ c: Case) {
        let before = KernelPath.active
        defer { KernelPath.select(before) }
        for path in KernelPath.available {
            // 1037: not a multiple of any vector width, so the loop tails run too.
            let step = Self.firstMismatch(c, path: path, n: 1037, steps: 25, threads: 1)
            #expect(step == nil, "\(c) on \(path): parameters differ from the former Swift loop at step \(step ?? 0)")
        }
    }

    /// Above ParallelLoop's threshold: 2 threads split the range at an index
    /// that is not a multiple of the vector width.
    @Test(arguments: [onePassCases[6], onePassCases[13], onePassCases[19], onePassCases[23], onePassCases[26]])
    func onePassTwoThreadsMatchTheFormerSwiftLoop(_ c: Case) {
        let before = KernelPath.active
        defer { KernelPath.select(before) }
        for path in KernelPath.available {
            let step = Self.firstMismatch(c, path: path, n: 70_001, steps: 3, threads: 2)
            #expect(step == nil, "\(c) on \(path), 2 threads: parameters differ from the former Swift loop at step \(step ?? 0)")
        }
    }
}
