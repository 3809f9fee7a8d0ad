import LinearAlgebra
import OptimizationCore
import Problems
import Testing

/// The block-sequential view of the learning problems: one block per dense
/// layer, and a block-by-block forward pass that reproduces `value` bitwise.
@Suite struct LearningBlockSequentialTests {
    @Test(arguments: [
        "mlp(hidden=16x8,l2=1e-3)", "mlp(hidden=12,activation=relu,batch=40)", "mlp(hidden=10,l2=0)",
        "logreg", "softmax(batch=25)",
    ])
    func blockwiseForwardEqualsValueBitwise(spec: String) throws {
        let p = try LearningTest.make(spec, seed: 3)
        #expect(p.capabilities.contains(.layered))
        let objective: any BlockSequentialObjective = p
        let a = objective.makeActivation(), b = objective.makeActivation()
        for step in 0..<3 {
            p.beginStep(step)
            let x = LearningTest.randomPoint(p.dimension, seed: UInt64(10 + step))
            let f = try p.value(at: x)
            let g = x.withUnsafeBufferPointer { objective.blockwiseValue(at: $0, using: a, b) }
            #expect(g.bitPattern == f.bitPattern, "\(spec) step \(step): \(g) vs \(f)")
        }
    }

    @Test func blocksAreTheLayersWeightsThenBias() throws {
        let p = try LearningTest.make("mlp(hidden=16x8)")
        // digits: 64 features, 10 classes → layers 64→16, 16→8, 8→10.
        #expect(p.sequentialBlocks == [0..<1040, 1040..<1176, 1176..<1266])
        #expect(p.dimension == 1266)
        let names = p.layout.blocks.map(\.name)
        #expect(names == ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias", "layer3.weight", "layer3.bias"])
        // The initial point block by block is x0.
        var out = [Double](repeating: .nan, count: 136)
        out.withUnsafeMutableBufferPointer { p.initialBlock(1, into: $0) }
        #expect(out == Array(p.initialPoint[1040..<1176]))
    }

    /// Feature reuse: restarting at layer l from the cached activation h_l
    /// with a perturbed block l gives the full pass of the perturbed point.
    @Test func restartFromCachedActivationEqualsFullPass() throws {
        let p = try LearningTest.make("mlp(hidden=16x8,l2=1e-3)", seed: 1)
        let x = LearningTest.randomPoint(p.dimension, seed: 5)
        let blocks = p.sequentialBlocks
        let cache = (0...blocks.count).map { _ in p.makeActivation() }
        x.withUnsafeBufferPointer { xp in
            p.begin(into: cache[0])
            for (l, r) in blocks.enumerated() {
                p.apply(block: l, parameters: UnsafeBufferPointer(rebasing: xp[r]), input: cache[l], output: cache[l + 1])
            }
        }
        #expect(p.loss(cache[blocks.count]).bitPattern == (try p.value(at: x)).bitPattern)
        let tmp = [p.makeActivation(), p.makeActivation()]
        for i in [0, 1100, 1265] {
            var y = x
            y[i] += 1e-3
            let l = blocks.firstIndex { $0.contains(i) }!
            var input = cache[l]
            y.withUnsafeBufferPointer { yp in
                for k in l..<blocks.count {
                    let out = tmp[(k - l) % 2]
                    p.apply(block: k, parameters: UnsafeBufferPointer(rebasing: yp[blocks[k]]), input: input, output: out)
                    input = out
                }
            }
            #expect(p.loss(input).bitPattern == (try p.value(at: y)).bitPattern, "coordinate \(i)")
        }
    }
}

/// The feature-reuse helpers of OptimizationCore on the mlp.
@Suite struct LearningFeatureReuseTests {
    @Test func resumingAtABlockEqualsTheFullPassAtTheModifiedPoint() throws {
        let p = try LearningTest.make("mlp(hidden=16x8,l2=1e-3,batch=50)", seed: 6)
        p.beginStep(2)
        let x = LearningTest.randomPoint(p.dimension, seed: 8)
        let blocks = p.sequentialBlocks
        let cache = (0...blocks.count).map { _ in p.makeActivation() }
        let (a, b) = (p.makeActivation(), p.makeActivation())
        let f = x.withUnsafeBufferPointer { p.cacheActivations(at: $0, into: cache) }
        #expect(f.bitPattern == (try p.value(at: x)).bitPattern)
        for i in [3, 1045, 1200, 1265] {
            let l = blocks.firstIndex { $0.contains(i) }!
            var modified = x
            modified[i] -= 5e-3
            var block = Array(modified[blocks[l]])
            let g = x.withUnsafeBufferPointer { theta in
                block.withUnsafeMutableBufferPointer { bp in
                    p.loss(resumingAt: l, from: cache[l], firstParameters: UnsafeBufferPointer(bp), theta: theta, using: a, b)
                }
            }
            #expect(g.bitPattern == (try p.value(at: modified)).bitPattern, "coordinate \(i) in block \(l)")
            #expect(g != f)
        }
    }
}

/// x₀ of the block-wise initialiser is the sequential Glorot stream.
@Suite struct LearningInitialBlockTests {
    @Test func blockwiseInitialPointEqualsTheSequentialGlorotStream() throws {
        let p = try LearningTest.make("mlp(hidden=16x8)", seed: 4)
        var rng = SplitMix64(seed: SplitMix64.derive(4, 0x676C_6F72_6F74))
        var expected: [Double] = []
        for (fanIn, fanOut) in [(64, 16), (16, 8), (8, 10)] {
            let limit = (6 / Double(fanIn + fanOut)).squareRoot()
            expected += (0..<(fanIn * fanOut)).map { _ in rng.uniform(in: -limit, limit) }
            expected += [Double](repeating: 0, count: fanOut)
        }
        #expect(p.initialPoint == expected)
        #expect(try LearningTest.make("softmax").initialPoint.allSatisfy { $0 == 0 })
    }
}
