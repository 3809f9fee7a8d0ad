import OptimizationCore
import OptimizerTestTable
import Optimizers
import Testing

extension StepAllocationTests {
    @Test("adafactor on a 3-D block and a scalar makes no allocation per step")
    func adafactorStackDoesNotAllocate() throws {
        let layout = ParameterLayout([("stack", [3, 20, 30]), ("s", [])])
        let n = layout.dimension
        var opt = Adafactor()
        var x = (0..<n).map { Double($0 % 7) * 0.1 - 0.3 }
        let g = (0..<n).map { Double($0 % 5) * 0.2 - 0.4 }
        opt.update(&x, gradient: g, layout: layout)
        opt.update(&x, gradient: g, layout: layout)
        let counted = Self.allocations {
            for _ in 0..<10 { opt.update(&x, gradient: g, layout: layout) }
        }
        #expect(counted == 0, "\(counted) allocations in 10 steps")
    }

    /// Without a layout (one flat block), as `update(_:gradient:)` is called
    /// in a plain training loop.
    @Test("the torch.optim family makes no allocation per step without a layout",
          arguments: AllocationCases.all(\.flat))
    func torchOptimWithoutLayoutDoesNotAllocate(spec: String) throws {
        let (made, _) = try OptimizerCatalog.shared.make(spec)
        var opt = try #require(made as? any GradientOptimizer)
        var x = (0..<500).map { Double($0 % 7) * 0.1 - 0.3 }
        let g = (0..<500).map { Double($0 % 5) * 0.2 - 0.4 }
        opt.update(&x, gradient: g)
        opt.update(&x, gradient: g)
        let counted = Self.allocations {
            for _ in 0..<10 { opt.update(&x, gradient: g) }
        }
        #expect(counted == 0, "\(spec): \(counted) allocations in 10 steps")
    }
}
