import ArgumentParser
import Benchmarks
import Foundation
import OptimizationCore
import Problems

extension OptLab {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a problem at the points of a CSV file; prints f (and the gradient) with 17 significant digits.",
            discussion: """
            One point per row: d comma-separated numbers, with or without a header
            row (any names, e.g. x1,…,xd). Output: a header `f` (`f,g1,…,gd` with
            --gradient), then one row per point. A row that is not d numbers stops
            with its line number and exit status 2.
            """)

        @Option(help: "The problem spec, e.g. 'bbob(f=3,instance=2,d=5)'.")
        var problem: String

        @Option(help: "CSV file with one point per row (headerless or with a header row).")
        var points: String

        @Flag(help: "Also print ∇f (the problem must provide gradients).")
        var gradient = false

        @Option(help: "Seed for seeded pieces of the problem.")
        var seed: UInt64 = 0

        func run() throws {
            do {
                print(try PointEvaluation.csv(problem: problem, pointsFile: points, gradient: gradient, seed: seed),
                      terminator: "")
            } catch {
                throw fail(error)
            }
        }
    }
}

/// What `optlab eval` computes, apart from the command.
enum PointEvaluation {
    struct BadInput: Error, CustomStringConvertible {
        let description: String
    }

    /// The points of a CSV text: rows of `dimension` numbers; a first row
    /// that does not parse as numbers is a header.
    static func points(_ text: String, dimension: Int, source: String) throws -> [[Double]] {
        var result: [[Double]] = []
        var sawHeader = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = fields.map { CSV.parseDouble($0) }
            if result.isEmpty && !sawHeader && numbers.allSatisfy({ $0 == nil }) {
                sawHeader = true
                guard fields.count == dimension else {
                    throw BadInput(description: "\(source):\(index + 1): header has \(fields.count) columns, the problem has dimension \(dimension)")
                }
                continue
            }
            guard fields.count == dimension else {
                throw BadInput(description: "\(source):\(index + 1): row has \(fields.count) fields, expected \(dimension) numbers (the problem's dimension)")
            }
            if let bad = numbers.firstIndex(where: { $0 == nil }) {
                throw BadInput(description: "\(source):\(index + 1): field \(bad + 1) is not a number: '\(fields[bad])'")
            }
            result.append(numbers.map { $0! })
        }
        return result
    }

    /// `%.17g`: enough digits to give back the same double.
    static func format(_ x: Double) -> String { String(format: "%.17g", x) }

    static func csv(problem spec: String, pointsFile: String, gradient: Bool, seed: UInt64) throws -> String {
        let (objective, _) = try ProblemCatalog.shared.make(spec, seed: seed)
        let differentiable = objective as? any DifferentiableObjective
        if gradient && differentiable == nil {
            throw BadInput(description: "'\(objective.name)' does not provide gradients; run without --gradient")
        }
        guard let data = FileManager.default.contents(atPath: pointsFile), let text = String(data: data, encoding: .utf8) else {
            throw BadInput(description: "cannot read points file '\(pointsFile)'")
        }
        let d = objective.dimension
        let rows = try points(text, dimension: d, source: pointsFile)
        var out = gradient ? "f," + (1...d).map { "g\($0)" }.joined(separator: ",") + "\n" : "f\n"
        var g = [Double](repeating: 0, count: d)
        for x in rows {
            if gradient, let differentiable {
                let f = try differentiable.gradient(at: x, into: &g)
                out += ([format(f)] + g.map(format)).joined(separator: ",") + "\n"
            } else {
                out += format(try objective.value(at: x)) + "\n"
            }
        }
        return out
    }
}
