import Foundation
import LinearAlgebra
import OptimizationCore
import Problems
import Testing

/// Values at x0, layouts, split, test metric and catalog errors of the learning problems.
@Suite struct LearningObjectiveTests {
    @Test func logisticRegressionStartsAtLn2() throws {
        let p = try LearningTest.make("logreg")
        #expect(p.name == "logreg")
        #expect(p.dimension == 31)
        #expect(p.layout.blocks.map(\.name) == ["weight", "bias"])
        #expect(p.layout.blocks.map(\.shape) == [[1, 30], [1]])
        #expect(p.initialPoint.allSatisfy { $0 == 0 })
        let f0 = try p.value(at: p.initialPoint)
        #expect(abs(f0 - Foundation.log(2.0)) <= 1e-14, "f(x0) − ln 2 = \(f0 - Foundation.log(2.0))")
    }

    @Test func softmaxRegressionStartsAtLn10() throws {
        let p = try LearningTest.make("softmax(data=digits,l2=1e-3,batch=0)")
        #expect(p.name == "softmax")
        #expect(p.dimension == 650)
        #expect(p.layout.blocks.map(\.shape) == [[10, 64], [10]])
        let f0 = try p.value(at: p.initialPoint)
        #expect(abs(f0 - Foundation.log(10.0)) <= 1e-14, "f(x0) − ln 10 = \(f0 - Foundation.log(10.0))")
    }

    @Test func mlpUsesGlorotWeightsFromTheSeedAndZeroBiases() throws {
        let a = try LearningTest.make("mlp", seed: 1), b = try LearningTest.make("mlp", seed: 1)
        let c = try LearningTest.make("mlp", seed: 2)
        #expect(a.dimension == 2410)
        #expect(a.initialPoint == b.initialPoint)
        #expect(a.initialPoint != c.initialPoint)
        for block in a.layout.blocks {
            let values = a.initialPoint[block.range]
            if block.name.hasSuffix(".bias") {
                #expect(values.allSatisfy { $0 == 0 })
            } else {
                let limit = (6 / Double(block.shape[0] + block.shape[1])).squareRoot()
                #expect(values.allSatisfy { abs($0) <= limit })
                #expect(values.max()! > 0.8 * limit && values.min()! < -0.8 * limit)
            }
        }
        let deep = try LearningTest.make("mlp(hidden=64x32,activation=relu)")
        #expect(deep.layout.blocks.map(\.shape) == [[64, 64], [64], [32, 64], [32], [10, 32], [10]])
    }

    @Test func splitAndStandardisation() throws {
        let p = try LearningTest.make("softmax(data=digits)")
        let s = p.split
        #expect(s.trainingCount == 1438 && s.testCount == 359)
        #expect(StandardizedSplit.isTestRow(4) && !StandardizedSplit.isTestRow(5))
        let n = Double(s.trainingCount)
        var constantColumns = 0
        for j in 0..<s.featureCount {
            let column = (0..<s.trainingCount).map { s.trainingFeatures[$0 * s.featureCount + j] }
            let mean = column.reduce(0, +) / n
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
            #expect(abs(mean) < 1e-12)
            if s.standardDeviation[j] == 0 {
                constantColumns += 1
                #expect(column.allSatisfy { $0 == 0 })
            } else {
                #expect(abs(variance - 1) < 1e-12)
            }
        }
        #expect(constantColumns >= 1)   // digits has always-blank pixels
    }

    @Test func testMetricIsTestAccuracy() throws {
        let p = try LearningTest.make("logreg")
        // At x0 every logit is 0, predicted class 0: accuracy = share of label 0.
        let zeros = p.split.testLabels.filter { $0 == 0 }.count
        #expect(p.testMetric(at: p.initialPoint) == Double(zeros) / Double(p.split.testCount))
        #expect(p.split.testCount == 113)
        // A few gradient steps reach a good classifier.
        var x = p.initialPoint
        for _ in 0..<50 {
            let g = try p.gradient(at: x)
            x = LearningTest.axpy(x, -1, g)
        }
        #expect(p.testMetric(at: x)! > 0.9)
    }

    @Test(arguments: [
        ("logreg(data=digits)", "logreg: data=digits has 10 classes; logreg needs labels 0/1 (use softmax)"),
        ("mlp(hidden=32x0)", "mlp: hidden=32x0 is not a list of widths; hidden must be positive widths joined by 'x', e.g. 32 or 64x32"),
        ("softmax(batch=5000)", "softmax: batch=5000 exceeds the 1438 training rows of data=digits; batch must be 0 (full batch) or an integer in [1, 1438]"),
        ("softmax(data=no_such_set)", "softmax: data=no_such_set is neither a bundled data set nor a readable CSV file; data must be breast_cancer|digits|wine or a path to a CSV file (header row, label last)"),
    ])
    func badSpecsAreOneLineErrors(spec: String, message: String) throws {
        do {
            _ = try ProblemCatalog.shared.make(spec, seed: 0)
            Issue.record("\(spec) should fail")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func capabilitiesPerModel() throws {
        let logreg = try LearningTest.make("logreg")
        #expect(logreg.capabilities == [.value, .gradient, .hessian, .hessianVectorProduct, .layerStatistics, .layered, .knownMinimum, .curvature, .fisher, .sampledLabels])
        let minibatch = try LearningTest.make("softmax(batch=64)")
        #expect(minibatch.capabilities.contains(.minibatches))
        let custom = try LearningTest.make("softmax(data=wine)")
        #expect(custom.knownMinimum == nil && !custom.capabilities.contains(.knownMinimum))
    }
}

@Suite struct LearningActivationTests {
    /// The MLP's tanh matches libm's to 1e-15 relative, across both branches.
    @Test func fastTanhMatchesLibm() {
        var x = -25.0
        while x <= 25 {
            let reference = Foundation.tanh(x)
            let value = Activation.tanh.evaluate(x)
            #expect(abs(value - reference) <= 1e-15 * max(abs(reference), 1e-300), "x = \(x)")
            x += 0.0137
        }
        for tiny in [1e-300, 1e-20, 1e-9, -1e-9, 0.5499999, 0.55, -0.55] {
            #expect(abs(Activation.tanh.evaluate(tiny) - Foundation.tanh(tiny)) <= 1e-15 * abs(Foundation.tanh(tiny)))
        }
        #expect(Activation.tanh.evaluate(0) == 0)
        #expect(Activation.tanh.evaluate(.infinity) == 1 && Activation.tanh.evaluate(-.infinity) == -1)
        #expect(Activation.tanh.evaluate(.nan).isNaN)
        #expect(Activation.relu.evaluate(-2) == 0 && Activation.relu.evaluate(3) == 3)
    }
}
