import Foundation
import LinearAlgebra
import OptimizationCore
import Problems
import Testing

/// `cnn` and `charlm` on tiny configurations: derivatives against finite
/// differences, layer statistics against the gradient, batches and
/// determinism, metrics, and bad keys.
@Suite struct WorkloadDerivativeTests {
    static let tinyLM = "charlm(d=8,layers=2,heads=2,context=8,batch=2)"
    static let tinyCNN = "cnn(channels=3x4,batch=64)"
    static let specs = [tinyLM, "charlm(d=6,layers=1,heads=3,context=5,batch=3,mlp=2,tie=true,l2=0.01)",
                        tinyCNN, "cnn(channels=2x2x2,kernel=5,l2=0.01,batch=32)"]

    static func make(_ spec: String, seed: UInt64 = 0) throws -> NetworkObjective {
        try makeProblem(spec, seed: seed, as: NetworkObjective.self)
    }

    /// A point near x0 (x0 + N(0, 0.05²)): away from the symmetric start, same scale.
    static func point(_ p: any Objective, seed: UInt64) -> [Double] {
        zip(p.initialPoint, LearningTest.randomPoint(p.dimension, seed: seed, scale: 0.05)).map { $0 + $1 }
    }

    @Test(arguments: specs)
    func gradientMatchesCentralDifferences(spec: String) throws {
        let p = try Self.make(spec, seed: 2)
        let x = Self.point(p, seed: 31)
        let g = try p.gradient(at: x)
        let indices = Array(stride(from: 0, to: p.dimension, by: max(1, p.dimension / 150))) + [p.dimension - 1]
        // ReLU and max-pool kinks: a smaller step keeps the differences on one linear piece.
        let h = spec.hasPrefix("cnn") ? 1e-6 : 1e-5
        let fd = try LearningTest.finiteDifferenceGradient(p, at: x, indices: indices, h: h)
        let error = LearningTest.relativeError(indices.map { g[$0] }, fd)
        #expect(error <= 1e-6, "\(spec): relative error \(error)")
    }

    @Test(arguments: specs)
    func hessianVectorProductMatchesDifferencesOfTheGradient(spec: String) throws {
        let p = try Self.make(spec, seed: 2)
        let x = Self.point(p, seed: 32)
        let v = LearningTest.randomPoint(p.dimension, seed: 33, scale: 1)
        var hv: [Double] = []
        try p.hessianVectorProduct(at: x, v, into: &hv)
        // cnn: the step must stay on one linear piece of ReLU and max-pool along v (1e-4 crosses kinks).
        let fd = try LearningTest.finiteDifferenceHVP(p, at: x, v, h: spec.hasPrefix("cnn") ? 1e-6 : 1e-4)
        let error = LearningTest.relativeError(hv, fd)
        #expect(error <= 1e-6, "\(spec): relative error \(error)")
        // Symmetry: uᵀ(Hv) = vᵀ(Hu).
        let u = LearningTest.randomPoint(p.dimension, seed: 34, scale: 1)
        var hu: [Double] = []
        try p.hessianVectorProduct(at: x, u, into: &hu)
        let (a, b) = (zip(u, hv).reduce(0) { $0 + $1.0 * $1.1 }, zip(v, hu).reduce(0) { $0 + $1.0 * $1.1 })
        #expect(abs(a - b) <= 1e-10 * max(abs(a), 1), "\(spec): uᵀHv \(a) vs vᵀHu \(b)")
    }

    /// (1/N)·gᵀa of every layer equals the gradient's weight and bias blocks
    /// (minus the L2 term), with N = ``LayerStatistics/batchSize``.
    @Test(arguments: specs)
    func empiricalStatisticsReproduceTheGradient(spec: String) throws {
        let p = try Self.make(spec, seed: 4)
        let x = Self.point(p, seed: 41)
        let l2 = spec.contains("l2=0.01") ? 0.01 : (spec.hasPrefix("cnn") ? 1e-4 : 0)
        let stats = try p.layerStatistics(at: x, targets: .empirical, seed: 0)
        let g = try p.gradient(at: x)
        let tied = spec.contains("tie=true")
        #expect(stats.layers.count == (spec.hasPrefix("cnn") ? spec.split(separator: "x").count + 1 : 0)
                || spec.hasPrefix("charlm"))
        for layer in stats.layers {
            #expect(layer.inputs.rows == layer.outputGradients.rows)
            var product = Matrix(rows: layer.outputGradients.columns, columns: layer.inputs.columns)
            BLAS.gemm(layer.outputGradients, layer.inputs, into: &product, transposeA: true,
                      alpha: 1 / Double(stats.batchSize))
            let width = layer.weight.rowLength
            var fromStatistics: [Double] = [], fromGradient: [Double] = []
            for o in 0..<layer.weight.rows {
                for i in 0..<width {
                    fromStatistics.append(product[o, i])
                    let k = layer.weight.offset + o * width + i
                    fromGradient.append(g[k] - l2 * x[k])
                }
                if let bias = layer.bias {
                    fromStatistics.append(product[o, width])
                    fromGradient.append(g[bias.offset + o])
                }
            }
            // A tied head shares its block with the token embedding, whose gradient has a second part.
            if tied && layer.name == "head" { continue }
            let error = LearningTest.relativeError(fromStatistics, fromGradient)
            #expect(error <= 1e-12, "\(spec) \(layer.name): \(error)")
        }
    }

    @Test(arguments: specs)
    func sharedPassEqualsSeparateCallsBitForBit(spec: String) throws {
        let p = try Self.make(spec, seed: 4)
        let x = Self.point(p, seed: 42)
        for mode in [TargetMode.empirical, .sampled] {
            let separate = try p.layerStatistics(at: x, targets: mode, seed: 9)
            var g0: [Double] = []
            let f0 = try p.gradient(at: x, into: &g0)
            var g1: [Double] = []
            let (f1, shared) = try p.gradientAndLayerStatistics(at: x, into: &g1, targets: mode, seed: 9)
            #expect(f0 == f1 && g0 == g1)
            for (a, b) in zip(separate.layers, shared.layers) {
                #expect(a.inputs.storage == b.inputs.storage && a.outputGradients.storage == b.outputGradients.storage)
            }
        }
        let sampled = try p.layerStatistics(at: x, targets: .sampled, seed: 9)
        let empirical = try p.layerStatistics(at: x, targets: .empirical, seed: 9)
        let last = sampled.layers.count - 1
        #expect(sampled.layers[last].outputGradients.storage != empirical.layers[last].outputGradients.storage)
        #expect(throws: ObjectiveError.self) { try p.layerStatistics(at: x, targets: .ggn, seed: 0) }
    }

    @Test func charlmLayoutStatisticsAndStart() throws {
        let p = try Self.make(Self.tinyLM)
        #expect(p.layout.blocks.first?.name == "embed.token.weight")
        #expect(p.layout.block(named: "block1.attn.qkv.weight")?.shape == [24, 8])
        #expect(p.layout.block(named: "block0.mlp.proj.weight")?.shape == [8, 32])
        #expect(p.layout.block(named: "head.weight")?.shape == [73, 8])
        #expect(p.dimension == 2 * 73 * 8 + 8 * 8 + 2 * (4 * 8 + 24 * 8 + 24 + 8 * 8 + 8 + 32 * 8 + 32 + 32 * 8 + 8) + 16)
        let stats = try p.layerStatistics(at: p.initialPoint, targets: .sampled, seed: 1)
        #expect(stats.layers.map(\.name) == ["block0.attn.qkv", "block0.attn.proj", "block0.mlp.fc", "block0.mlp.proj",
                                             "block1.attn.qkv", "block1.attn.proj", "block1.mlp.fc", "block1.mlp.proj", "head"])
        #expect(stats.batchSize == 16 && stats.layers.allSatisfy { $0.inputs.rows == 16 })
        #expect(stats.layers.last!.bias == nil && stats.layers.last!.inputs.columns == 8)
        // GPT-2 init: near-uniform predictions, f(x0) ≈ ln V; metric in bits.
        let f0 = try p.value(at: p.initialPoint)
        #expect(abs(f0 - log(73)) < 0.01)
        let bits = try #require(p.testMetric(at: p.initialPoint))
        #expect(abs(bits - log2(73)) < 0.02)
        #expect(abs(try p.fullValue(at: p.initialPoint) - log(73)) < 0.01)
    }

    @Test func charlmWindowsComeFromSeedAndStep() throws {
        let a = try Self.make(Self.tinyLM, seed: 5) as! CharacterLanguageModelProblem
        let b = try Self.make(Self.tinyLM, seed: 5) as! CharacterLanguageModelProblem
        let c = try Self.make(Self.tinyLM, seed: 6) as! CharacterLanguageModelProblem
        a.beginStep(7); b.beginStep(3); b.beginStep(7); c.beginStep(7)
        #expect(a.currentWindowStarts == b.currentWindowStarts)
        #expect(a.currentWindowStarts != c.currentWindowStarts)
        let x = a.initialPoint
        #expect(try a.value(at: x) == (try b.value(at: x)))
        a.beginStep(8)
        #expect(a.currentWindowStarts != b.currentWindowStarts)
        #expect(a.currentWindowStarts.allSatisfy { $0 + 9 <= a.corpus.trainingCount })
        #expect(a.initialPoint == b.initialPoint && a.initialPoint != c.initialPoint)
    }

    @Test func corpusVocabularyAndSplit() throws {
        let corpus = try CharacterCorpus.load("shakespeare", owner: "charlm")
        #expect(corpus.count == 1_182_407 && corpus.vocabulary.count == 73)
        #expect(corpus.trainingCount == 1_182_407 * 9 / 10)
        #expect(corpus.vocabulary.map(\.value) == corpus.vocabulary.map(\.value).sorted())
        let path = try #require(CharacterCorpus.bundledPath("shakespeare"))
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(SHA256.hex(Array(bytes)) == "2d8824f024e29c9a9cb533d089dd0752f978f98098fe09d928253aace53eaecc")
    }

    @Test func charlmReadsAnyUTF8Text() throws {
        let text = String(repeating: "héllo wörld — ", count: 40)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("charlm-\(getpid()).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let p = try Self.make("charlm(data=\(path),d=4,layers=1,heads=1,context=4,batch=2,eval_windows=3)")
            as! CharacterLanguageModelProblem
        #expect(p.corpus.vocabulary.map { String($0) }.joined() == " dhlorwéö—")
        #expect(p.corpus.count == text.unicodeScalars.count && p.vocabularySize == 10)
        #expect(p.layout.block(named: "head.weight")?.shape == [10, 4])
        let g = try p.gradient(at: p.initialPoint)
        #expect(g.allSatisfy(\.isFinite) && (p.testMetric(at: p.initialPoint) ?? 0) > 0)
    }

    @Test func cnnIsDeterministicPerSeed() throws {
        let (a, b, c) = (try Self.make(Self.tinyCNN, seed: 3), try Self.make(Self.tinyCNN, seed: 3),
                         try Self.make(Self.tinyCNN, seed: 4))
        #expect(a.initialPoint == b.initialPoint && a.initialPoint != c.initialPoint)
        a.beginStep(11); b.beginStep(11); c.beginStep(11)
        let x = a.initialPoint
        #expect(try a.gradient(at: x) == (try b.gradient(at: x)))
        #expect(try a.value(at: x) != (try c.value(at: x)))
    }

    @Test func cnnLayoutAndMetric() throws {
        let p = try Self.make("cnn")
        #expect(p.dimension == 6090)
        #expect(p.layout.blocks.map(\.name) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                                "linear.weight", "linear.bias"])
        #expect(p.layout.blocks[2].shape == [32, 16, 3, 3])
        let accuracy = try #require(p.testMetric(at: p.initialPoint))
        #expect(accuracy >= 0 && accuracy <= 0.35)
        let stats = try p.layerStatistics(at: p.initialPoint, targets: .sampled, seed: 0)
        #expect(stats.batchSize == 1438)
        #expect(stats.layers.map(\.sharing) == [64, 16, 1])
        #expect(stats.layers[1].inputs.rows == 1438 * 16 && stats.layers[1].inputs.columns == 16 * 9 + 1)
    }

    @Test(arguments: [
        ("charlm(d=10,heads=4)", "multiple of heads"),
        ("charlm(data=/nonexistent.txt)", "data"),
        ("cnn(channels=4x4x4x4)", "at most 3"),
        ("cnn(kernel=4)", "odd"),
        ("cnn(channels=4xq)", "channels"),
        ("cnn(data=wine)", "square"),
    ])
    func badKeysGetOneClearLine(spec: String, fragment: String) {
        do {
            _ = try Self.make(spec)
            Issue.record("\(spec) should be refused")
        } catch {
            let text = String(describing: error)
            #expect(text.contains(fragment) && !text.contains("\n"), "\(spec): \(text)")
        }
    }
}
