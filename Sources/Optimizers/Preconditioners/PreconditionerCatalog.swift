import OptimizationCore

extension OptimizerCatalog {
    /// The preconditioners of issue 19 — matrix methods that treat 2-D
    /// blocks as matrices (Muon, SOAP) and the curvature-diagonal ones
    /// (AdaHessian, Sophia) — listed after the element-wise first-order family.
    static let preconditioners: [Registry.Entry] = [
        .init(Muon.descriptor) { p, _ in Muon(p) },
        .init(SOAP.descriptor) { p, _ in SOAP(p) },
        .init(AdaHessian.descriptor) { p, seed in AdaHessian(p, seed: seed) },
        .init(Sophia.descriptor) { p, seed in Sophia(p, seed: seed) },
    ]

    /// Names of the preconditioners, in display order.
    public static var preconditionerNames: [String] { preconditioners.map(\.descriptor.name) }
}
