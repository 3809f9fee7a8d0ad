import LinearAlgebra
import OptimizationCore
import Problems
import Testing

/// Layer statistics: (1/N)·gᵀa reproduces the weight gradient (data part),
/// and sampled targets differ from the true labels only by one-hot vectors.
@Suite struct LearningLayerStatisticsTests {
    /// (1/N) gᵀa as [out, in+1].
    static func weightGradient(_ layer: LayerStatistics.Layer, batch: Int) -> Matrix {
        var product = Matrix(rows: layer.outputGradients.columns, columns: layer.inputs.columns)
        BLAS.gemm(layer.outputGradients, layer.inputs, into: &product, transposeA: true, alpha: 1 / Double(batch))
        return product
    }

    @Test(arguments: ["logreg(data=breast_cancer)", "softmax(data=wine)", "mlp(data=wine,hidden=5x4)",
                      "mlp(data=wine,hidden=6,activation=relu,batch=16)"])
    func empiricalStatisticsReproduceTheGradient(spec: String) throws {
        let p = try LearningTest.make(spec, seed: 4)
        let l2 = spec.hasPrefix("mlp") ? 1e-4 : 1e-3
        let x = LearningTest.randomPoint(p.dimension, seed: 61)
        p.beginStep(3)
        let g = try p.gradient(at: x)
        let stats = try p.layerStatistics(at: x, targets: .empirical, seed: 0)
        #expect(stats.layers.count == p.layout.blocks.count / 2)
        #expect(stats.batchSize == (p.schedule?.batchSize ?? p.split.trainingCount))
        for layer in stats.layers {
            let bias = try #require(layer.bias)
            let (out, inputs) = (layer.weight.shape[0], layer.weight.shape[1])
            #expect(layer.inputs.rows == stats.batchSize && layer.inputs.columns == inputs + 1)
            #expect(layer.outputGradients.rows == stats.batchSize && layer.outputGradients.columns == out)
            #expect(layer.inputs.column(inputs).allSatisfy { $0 == 1 })   // ones column last
            let product = Self.weightGradient(layer, batch: stats.batchSize)
            var fromStatistics: [Double] = [], fromGradient: [Double] = []
            for r in 0..<out {
                for c in 0..<inputs {
                    let k = layer.weight.offset + r * inputs + c
                    fromStatistics.append(product[r, c] + l2 * x[k])
                    fromGradient.append(g[k])
                }
                fromStatistics.append(product[r, inputs])
                fromGradient.append(g[bias.offset + r])
            }
            #expect(LearningTest.relativeError(fromStatistics, fromGradient) <= 1e-12, "\(spec) \(layer.name)")
        }
    }

    @Test("gradientAndLayerStatistics equals layerStatistics then gradient, bit for bit, and counts the same",
          arguments: ["logreg(data=breast_cancer)", "softmax(data=wine)", "mlp(data=wine,hidden=5x4)",
                      "mlp(data=wine,hidden=6,activation=relu,batch=16)"])
    func sharedPassEqualsSeparateCalls(spec: String) throws {
        let p = try LearningTest.make(spec, seed: 4)
        let x = LearningTest.randomPoint(p.dimension, seed: 62)
        for targets in [TargetMode.empirical, .sampled, .ggn] {
            p.beginStep(5)
            var separate = Oracle(p)
            let stats = try separate.layerStatistics(at: x, targets: targets, seed: 9)
            let (f, g) = try separate.gradient(at: x)
            var shared = Oracle(p)
            let both = try shared.gradientAndLayerStatistics(at: x, targets: targets, seed: 9)
            #expect(both.value == f && both.gradient == g, "\(spec) \(targets)")
            #expect(both.statistics.batchSize == stats.batchSize && both.statistics.passes == stats.passes)
            #expect(both.statistics.layers.count == stats.layers.count)
            for (a, b) in zip(both.statistics.layers, stats.layers) {
                #expect(a.inputs.storage == b.inputs.storage && a.outputGradients.storage == b.outputGradients.storage,
                        "\(spec) \(targets) \(a.name)")
                #expect(a.sharing == b.sharing && a.weight == b.weight)
            }
            #expect(shared.counts == separate.counts)
        }
    }

    @Test func layerNamesFollowTheLayout() throws {
        let mlp = try LearningTest.make("mlp(data=wine,hidden=5x4)")
        let names = try mlp.layerStatistics(at: mlp.initialPoint, targets: .empirical, seed: 0).layers.map(\.name)
        #expect(names == ["layer1", "layer2", "layer3"])
        #expect(mlp.layout.blocks.map(\.name) == ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias",
                                                  "layer3.weight", "layer3.bias"])
        #expect(mlp.layout.blocks.map(\.shape) == [[5, 13], [5], [4, 5], [4], [3, 4], [3]])
    }

    @Test(arguments: ["softmax(data=digits)", "logreg(data=breast_cancer)"])
    func sampledTargetsAreSeededDrawsFromTheModel(spec: String) throws {
        let p = try LearningTest.make(spec)
        let x = LearningTest.randomPoint(p.dimension, seed: 71, scale: 0.05)
        let empirical = try p.layerStatistics(at: x, targets: .empirical, seed: 0).layers[0].outputGradients
        let a = try p.layerStatistics(at: x, targets: .sampled, seed: 5).layers[0].outputGradients
        let b = try p.layerStatistics(at: x, targets: .sampled, seed: 5).layers[0].outputGradients
        let c = try p.layerStatistics(at: x, targets: .sampled, seed: 6).layers[0].outputGradients
        #expect(a == b)
        #expect(a != c)
        // g = p − onehot(ỹ): g_sampled − g_empirical = onehot(y) − onehot(ỹ).
        let n = a.rows, k = a.columns
        var drawnMinusModel = [Double](repeating: 0, count: k)
        for i in 0..<n {
            var rowSum = 0.0
            for j in 0..<k {
                let d = a[i, j] - empirical[i, j]
                #expect(abs(d) < 1e-12 || abs(abs(d) - 1) < 1e-12)
                rowSum += d
                drawnMinusModel[j] -= a[i, j]          // onehot(ỹ) − p = −g
            }
            if k > 1 { #expect(abs(rowSum) < 1e-12) }
        }
        // The draws follow p: the mean of onehot(ỹ) − p is within sampling error.
        for j in 0..<k { #expect(abs(drawnMinusModel[j] / Double(n)) < 0.06) }
    }
}
