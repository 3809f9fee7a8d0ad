import ArgumentParser
import Benchmarks
import Foundation
import LinearAlgebra
import OptimizationCore
import Problems

extension OptLab {
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe one problem: dimension, layout, capabilities, x0, f(x0), ‖∇f(x0)‖, f*.")

        @Argument(help: "A problem spec, e.g. rosenbrock(d=6) or quadratic(d=50,rotate=true).")
        var spec: String

        @Option(help: "Seed for seeded pieces (random starts, rotations, initialisations).")
        var seed: UInt64 = 0

        func run() throws {
            do {
                print(try ProblemDescription.text(spec, seed: seed), terminator: "")
            } catch {
                throw fail(error)
            }
        }
    }
}

/// The text `optlab describe` prints, kept apart from the command.
enum ProblemDescription {
    /// At most `head` leading and `tail` trailing entries, with an ellipsis between.
    static func abbreviated(_ x: [Double], head: Int = 6, tail: Int = 2) -> String {
        let shown = x.count <= head + tail
            ? x.map(formatNumber)
            : x.prefix(head).map(formatNumber) + ["…"] + x.suffix(tail).map(formatNumber)
        return "[" + shown.joined(separator: ", ") + "]" + (x.count > head + tail ? " (\(x.count) entries)" : "")
    }

    static func text(_ spec: String, seed: UInt64) throws -> String {
        let (problem, resolved) = try ProblemCatalog.shared.make(spec, seed: seed)
        let descriptor = try ProblemCatalog.shared.entry(named: resolved.descriptorName).descriptor
        let x0 = problem.initialPoint
        var g = [Double](repeating: 0, count: problem.dimension)
        problem.beginStep(0)
        let differentiable = problem as? any DifferentiableObjective
        let hasGradient = differentiable != nil
        if let differentiable { _ = try differentiable.gradient(at: x0, into: &g) }
        let f0 = try problem.fullValue(at: x0)   // the full objective, as traces log it
        var out = "problem: \(problem.name)  [\(descriptor.family)]  \(descriptor.summary)\n"
        out += "dimension: \(problem.dimension)\n"
        out += "layout: \(problem.layout)\n"
        out += "capabilities: \(problem.capabilities)\n"
        out += "x0: \(abbreviated(x0))\n"
        out += "f(x0): \(formatNumber(f0))\n"
        let batchNote = problem.capabilities.contains(.minibatches) ? " (on step 0's minibatch)" : ""
        if hasGradient { out += "‖∇f(x0)‖\(batchNote): \(formatNumber(BLAS.nrm2(g)))\n" }
        if let m = problem.knownMinimum {
            out += "f*: \(formatNumber(m.value)) (\(m.kind.rawValue))"
            if let xs = m.point { out += " at x* = \(abbreviated(xs))" }
            out += "\n"
            if !m.otherLocalValues.isEmpty {
                out += "declared local minima: \(m.otherLocalValues.map(formatNumber).joined(separator: ", "))\n"
            }
        } else {
            out += "f*: unknown\n"
        }
        if let bbob = problem as? BBOBProblem {
            out += "coco: \(bbob.function.cocoID) (group \(BBOBFunction.group(of: bbob.function.function))), domain [-5, 5]^\(bbob.dimension)\n"
        }
        if let analytic = problem as? AnalyticProblem {
            if let box = analytic.bounds {
                let first = box[0]
                let same = box.allSatisfy { $0 == first }
                out += "domain: " + (same ? "[\(formatNumber(first.lowerBound)), \(formatNumber(first.upperBound))]^\(box.count)"
                    : box.map { "[\(formatNumber($0.lowerBound)), \(formatNumber($0.upperBound))]" }.joined(separator: " × ")) + "\n"
            }
            if analytic.relativeNoise > 0 {
                out += "noise: the optimizer sees f·(1 + σu), σ = \(formatNumber(analytic.relativeNoise)); traces log f\n"
            }
        }
        if let lm = problem as? CharacterLanguageModelProblem {
            let v = lm.vocabularySize
            out += "vocabulary: \(v) characters (uniform prediction: ln V = \(formatNumber(log(Double(v)))) nats, "
                + "log2 V = \(formatNumber(log2(Double(v)))) bits); text: \(lm.corpus.trainingCount) training, "
                + "\(lm.corpus.testCount) test characters\n"
            out += "f(x0) is the loss on \(lm.configuration.evalWindows) fixed training windows; "
                + "test metric: held-out bits per character\n"
        }
        out += "reference: \(descriptor.reference)\n"
        return out
    }
}
