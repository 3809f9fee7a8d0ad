import Testing
import OptimizationCore
import Problems

/// The catalog lists a family's capabilities without building an instance
/// (`optlab list`); an instance's set is derived from its conformances. They
/// must agree at the family's default keys, so the listing cannot promise
/// what the type does not implement.
@Suite("Catalog capabilities agree with the derived ones")
struct CatalogCapabilityTests {
    @Test func defaultsAgree() throws {
        var checked = 0
        for descriptor in ProblemCatalog.shared.descriptors {
            let (problem, _) = try ProblemCatalog.shared.make(descriptor.name, seed: 0)
            #expect(problem.capabilities == descriptor.capabilities,
                    "\(descriptor.name): listed \(descriptor.capabilities), derived \(problem.capabilities)")
            checked += 1
        }
        #expect(checked == ProblemCatalog.shared.descriptors.count && checked > 10)
    }
}
