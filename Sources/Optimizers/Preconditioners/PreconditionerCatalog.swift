import OptimizationCore

extension OptimizerCatalog {
    /// The preconditioners of issue 19 — matrix methods that treat 2-D
    /// blocks as matrices (Muon, SOAP, Shampoo) and the curvature-diagonal ones
    /// (AdaHessian, Sophia) — listed after the element-wise first-order family.
    static let preconditioners: [Registry.Entry] = [
        .init(Muon.descriptor.inSuites(demo: "muon(aux_lr=0.01,lr=0.01)", standard: "muon")) { p, _ in Muon(p) },
        .init(SOAP.descriptor.inSuites(demo: "soap(lr=0.01)", standard: "soap")) { p, _ in SOAP(p) },
        .init(AdaHessian.descriptor.inSuites(.everywhere("adahessian"))) { p, seed in AdaHessian(p, seed: seed) },
        .init(Sophia.descriptor.inSuites(demo: "sophia(lr=0.01)", standard: "sophia")) { p, seed in Sophia(p, seed: seed) },
        .init(Shampoo.descriptor) { p, _ in try Shampoo.make(p) },
    ]

    /// Names of the preconditioners, in display order.
    public static var preconditionerNames: [String] { preconditioners.map(\.descriptor.name) }
}
