import Optimizers

extension KernelAgreementTests {
    /// The torch.optim family (ReferenceLoopsTorchOptim.swift), default and
    /// non-default keys.
    static let torchOptimPairs: [Pair] = [
        Pair(description: "adagrad", fast: { Adagrad() }, reference: { _, _ in ReferenceAdagrad() }),
        Pair(description: "adagrad(lr=0.1,lr_decay=0.01,wd=0.01,init=0.1)",
             fast: { Adagrad(lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1) },
             reference: { _, _ in ReferenceAdagrad(lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1) }),
        Pair(description: "rmsprop(lr=1e-3)", fast: { RMSprop(lr: 1e-3) }, reference: { _, _ in ReferenceRMSprop(lr: 1e-3) }),
        Pair(description: "rmsprop(lr=1e-3,centered,mom=0.5,wd=0.01)",
             fast: { RMSprop(lr: 1e-3, weightDecay: 0.01, momentum: 0.5, centered: true) },
             reference: { _, _ in ReferenceRMSprop(lr: 1e-3, weightDecay: 0.01, momentum: 0.5, centered: true) }),
        Pair(description: "rmsprop(lr=1e-4,mom=0.9)", fast: { RMSprop(lr: 1e-4, momentum: 0.9) },
             reference: { _, _ in ReferenceRMSprop(lr: 1e-4, momentum: 0.9) }),
        Pair(description: "adadelta", fast: { Adadelta() }, reference: { _, _ in ReferenceAdadelta() }),
        Pair(description: "adadelta(lr=0.5,rho=0.95,wd=0.01)", fast: { Adadelta(lr: 0.5, rho: 0.95, weightDecay: 0.01) },
             reference: { _, _ in ReferenceAdadelta(lr: 0.5, rho: 0.95, weightDecay: 0.01) }),
        Pair(description: "adamax", fast: { Adamax() }, reference: { _, _ in ReferenceAdamax() }),
        Pair(description: "adamax(lr=0.01,wd=0.01)", fast: { Adamax(lr: 0.01, weightDecay: 0.01) },
             reference: { _, _ in ReferenceAdamax(lr: 0.01, weightDecay: 0.01) }),
        Pair(description: "nadam", fast: { NAdam() }, reference: { _, _ in ReferenceNAdam() }),
        Pair(description: "nadam(lr=3e-3,psi=0.01,wd=0.01)",
             fast: { NAdam(lr: 3e-3, weightDecay: 0.01, momentumDecay: 0.01) },
             reference: { _, _ in ReferenceNAdam(lr: 3e-3, weightDecay: 0.01, momentumDecay: 0.01) }),
        Pair(description: "nadam(decoupled,wd=0.1)", fast: { NAdam(weightDecay: 0.1, decoupledWeightDecay: true) },
             reference: { _, _ in ReferenceNAdam(weightDecay: 0.1, decoupled: true) }),
        Pair(description: "radam", fast: { RAdam() }, reference: { _, _ in ReferenceRAdam() }),
        Pair(description: "radam(lr=0.01,decoupled,wd=0.1)", fast: { RAdam(lr: 0.01, weightDecay: 0.1, decoupledWeightDecay: true) },
             reference: { _, _ in ReferenceRAdam(lr: 0.01, weightDecay: 0.1, decoupled: true) }),
        Pair(description: "adafactor(lr=3e-3)", fast: { Adafactor(lr: 3e-3) },
             reference: { ReferenceAdafactor(lr: 3e-3, rows: $0, matrix: $1) }),
        Pair(description: "adafactor(lr=5e-3,d=2,wd=0.01)", fast: { Adafactor(lr: 5e-3, d: 2, weightDecay: 0.01) },
             reference: { ReferenceAdafactor(lr: 5e-3, d: 2, weightDecay: 0.01, rows: $0, matrix: $1) }),
        Pair(description: "rprop", fast: { Rprop() }, reference: { _, _ in ReferenceRprop() }),
        Pair(description: "rprop(lr=1e-3,etas=0.3/1.5,steps=1e-4/1)",
             fast: { Rprop(lr: 1e-3, etaMinus: 0.3, etaPlus: 1.5, stepMin: 1e-4, stepMax: 1) },
             reference: { _, _ in ReferenceRprop(lr: 1e-3, etaMinus: 0.3, etaPlus: 1.5, stepMin: 1e-4, stepMax: 1) }),
    ]
}
