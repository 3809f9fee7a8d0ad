import OptimizationCore
import Optimizers
import Testing

/// Issue 15 §2: the bytes `optlab bench update` counts per step come from
/// the descriptors (they used to be a switch over names in the bench).
@Suite("memory traffic: declared by each first-order descriptor")
struct MemoryTrafficTests {
    /// Spec → least bytes per parameter of one update (the values of the
    /// bench's former switch, 8 bytes per array read or written).
    static let expected: [(String, Int)] = [
        ("sgd(lr=0.1)", 24), ("sgd(lr=0.1,momentum=0.9)", 40), ("adam", 56), ("adam(amsgrad=true)", 72),
        ("adamw", 56), ("adamw(amsgrad=true)", 72), ("adan", 88), ("lion", 40), ("grams", 56), ("exadam", 56),
        ("adamp", 56), ("sgdp(lr=0.1)", 40), ("cadamw", 56), ("clion", 40), ("adagrad", 40), ("rmsprop", 40),
        ("rmsprop(momentum=0.5)", 56), ("rmsprop(momentum=0.5,centered=true)", 72), ("adadelta", 56),
        ("adamax", 56), ("nadam", 56), ("radam", 56), ("adafactor", 24), ("rprop", 56), ("adopt", 56),
        ("ademamix", 72), ("mars", 72), ("mars(variant=lion)", 56), ("schedulefree_adamw", 56),
        ("schedulefree_sgd", 40), ("prodigy", 80), ("prodigy(beta1=0)", 64),
    ]

    @Test func bytesPerParameterMatchTheBenchTable() throws {
        for (spec, bytes) in Self.expected {
            let p = try OptimizerCatalog.shared.resolve(spec)
            let d = try OptimizerCatalog.shared.entry(named: p.descriptorName).descriptor
            #expect(d.traffic?.bytesPerParameter(p) == bytes, "\(spec)")
        }
    }

    @Test func everyFirstOrderMethodDeclaresItsTraffic() throws {
        let named = Set(try Self.expected.map { try SpecString(parsing: $0.0).name })
        for name in OptimizerCatalog.firstOrderNames {
            #expect(try OptimizerCatalog.shared.entry(named: name).descriptor.traffic != nil, "\(name)")
            #expect(named.contains(name), "\(name) has no row in the expected table")
        }
    }
}
