import Testing
@testable import OptimizationCore

@Suite("Parameter layout and capabilities")
struct LayoutTests {
    @Test func blocksTileTheVector() {
        let layout = ParameterLayout([("layer1.weight", [32, 64]), ("layer1.bias", [32]), ("out.weight", [10, 32])])
        #expect(layout.dimension == 32 * 64 + 32 + 320)
        #expect(layout.blocks.map(\.offset) == [0, 2048, 2080])
        #expect(layout.block(named: "layer1.bias")?.range == 2048..<2080)
        #expect(layout.blocks[0].rows == 32 && layout.blocks[0].rowLength == 64)
        #expect(layout.blocks[0].isMultiDimensional && !layout.blocks[1].isMultiDimensional)
        #expect(ParameterLayout.flat(5).blocks.count == 1)
        #expect(layout.description.hasPrefix("layer1.weight [32, 64], layer1.bias [32]"))
    }

    @Test func capabilityNames() {
        let c: Capabilities = [.value, .gradient, .hessian]
        #expect(c.names == ["value", "gradient", "hessian"])
        #expect(c.description == "value gradient hessian")
    }

    @Test func ranges() {
        #expect(ValueRange.unitHalfOpen.contains(0) && !ValueRange.unitHalfOpen.contains(1))
        #expect(!ValueRange.positive.contains(0) && !ValueRange.positive.contains(.nan))
        #expect(ValueRange.unitHalfOpen.description == "[0, 1)")
        #expect(ValueRange.closed(-1, 2.5).description == "[-1, 2.5]")
    }
}
