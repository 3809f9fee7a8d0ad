import Foundation
import Harness
import OptimizationCore
import Optimizers

/// f(x) = ½‖x‖² from x0 = (3, −4), f* = 0 known (or not, for `plain_bowl`);
/// `nan_bowl` answers NaN from step 5 on (selected through beginStep).
final class Bowl: TrainingObjective, DifferentiableObjective {
    let variant: String
    var currentStep = 0
    init(_ variant: String) { self.variant = variant }
    var name: String { variant }
    var dimension: Int { 2 }
    var layout: ParameterLayout { .flat(2) }
    var initialPoint: [Double] { [3, -4] }
    var knownMinimum: KnownMinimum? { variant == "plain_bowl" ? nil : KnownMinimum(value: 0, point: [0, 0]) }
    var poisoned: Bool { variant == "nan_bowl" && currentStep >= 5 }
    func beginStep(_ step: Int) { currentStep = step }
    func value(at x: [Double]) throws -> Double { poisoned ? .nan : 0.5 * (x[0] * x[0] + x[1] * x[1]) }
    func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
        g = poisoned ? [.nan, .nan] : x
        return try value(at: x)
    }
}

/// Gradient descent x ← x − lr·∇f; `thrower` throws on its third step.
struct GradientDescent: GradientOptimizer {
    static let descriptor = OptimizerDescriptor(name: "gd", family: .firstOrder, summary: "", reference: "",
                                                hyperparameters: [], requires: [.gradient])
    var lr: Double
    var throwAt: Int?
    var taken = 0
    struct Boom: Error, CustomStringConvertible { var description: String { "boom at step 3" } }

    mutating func update(_ x: inout [Double], gradient: [Double], layout: ParameterLayout?) {
        for i in x.indices { x[i] -= lr * gradient[i] }
    }
    mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        taken += 1
        let (_, g) = try oracle.gradient(at: x)
        update(&x, gradient: g, layout: nil)
        if let t = throwAt, taken >= t { throw Boom() }   // after touching x: the runner must restore it
    }
    var currentLearningRate: Double? { lr }
}

/// Gradient descent (lr 0.1) that reports its `threads` as the learning
/// rate, so a trace shows whether the runner handed `--threads` on.
struct ThreadProbe: GradientOptimizer, ThreadedUpdate {
    static let descriptor = OptimizerDescriptor(name: "thread_probe", family: .firstOrder, summary: "", reference: "",
                                                hyperparameters: [], requires: [.gradient])
    var threads = 1
    mutating func update(_ x: inout [Double], gradient: [Double], layout: ParameterLayout?) {
        for i in x.indices { x[i] -= 0.1 * gradient[i] }
    }
    var currentLearningRate: Double? { Double(threads) }
}

struct ConstructionFailure: Error, CustomStringConvertible { var description: String { "no such test component" } }

/// Problems `bowl`, `plain_bowl`, `nan_bowl`; optimizers `gd` (lr 0.1),
/// `gd(lr=…)`, `thrower`, `thread_probe`.
let testSource = ComponentSource(
    makeProblem: { spec, _ in
        guard ["bowl", "plain_bowl", "nan_bowl"].contains(spec) else { throw ConstructionFailure() }
        return (Bowl(spec), spec, "test")
    },
    makeOptimizer: { spec, _, _ in
        if spec == "thrower" { return (GradientDescent(lr: 0.1, throwAt: 3), spec, "first") }
        if spec == "thread_probe" { return (ThreadProbe(), spec, "first") }
        if spec == "gd" { return (GradientDescent(lr: 0.1), spec, "first") }
        if spec.hasPrefix("gd(lr="), let lr = Double(spec.dropFirst(6).dropLast()) {
            return (GradientDescent(lr: lr), spec, "first")
        }
        throw ConstructionFailure()
    })

/// A fresh, empty temporary directory.
func temporaryDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "optlab-harness-\(name)-\(getpid())-\(UInt64.random(in: 0..<UInt64.max))"
    try? FileManager.default.removeItem(atPath: path)
    return path
}

/// A CSV file's rows with the named columns blanked (time columns differ between runs).
func rows(_ path: String, blanking columns: [String] = ["time_s", "time_to_target"]) throws -> [[String]] {
    let t = try CSV.read(path: path)
    let blank = columns.compactMap { t.header.firstIndex(of: $0) }
    return [t.header] + t.rows.map { r in var r = r; for c in blank { r[c] = "" }; return r }
}
