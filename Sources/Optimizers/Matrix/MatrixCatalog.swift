import OptimizationCore

extension OptimizerCatalog {
    /// Methods that treat 2-D blocks as matrices (Muon, …): gradient-only,
    /// listed after the element-wise first-order family.
    static let matrixMethods: [Registry.Entry] = [
        .init(Muon.descriptor) { p, _ in Muon(p) },
        .init(SOAP.descriptor) { p, _ in SOAP(p) },
    ]

    /// Names of the matrix methods, in display order.
    public static var matrixMethodNames: [String] { matrixMethods.map(\.descriptor.name) }
}
