import Foundation
import OptimizationCore
import Problems
import Testing

/// `cnn` and `charlm` against float64 PyTorch models of the same
/// architecture (Tests/Reference/make_workload_reference.py): loss,
/// gradient and Hessian-vector product (double backward) at closed-form
/// weights x_i = 0.3·sin(0.7i + 0.2) along v_i = cos(1.1i + 0.5).
@Suite struct WorkloadReferenceTests {
    struct Case {
        let spec: String
        let starts: [Int]?
        let value: Double
        let gradient: [Double]
        let hvp: [Double]
    }

    static func load(_ name: String) throws -> Case {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Reference/workloads/\(name).json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func numbers(_ key: String) -> [Double] { (object[key] as! [Any]).map { ($0 as! NSNumber).doubleValue } }
        return Case(spec: object["spec"] as! String, starts: (object["starts"] as? [Any])?.map { ($0 as! NSNumber).intValue },
                    value: (object["value"] as! NSNumber).doubleValue, gradient: numbers("gradient"), hvp: numbers("hvp"))
    }

    static func closedForm(_ n: Int) -> (x: [Double], v: [Double]) {
        ((0..<n).map { 0.3 * sin(0.7 * Double($0) + 0.2) }, (0..<n).map { cos(1.1 * Double($0) + 0.5) })
    }

    @Test(arguments: ["cnn_0", "cnn_1", "charlm_0", "charlm_1"])
    func matchesPyTorch(name: String) throws {
        let reference = try Self.load(name)
        let problem = try makeProblem(reference.spec, as: NetworkObjective.self)
        if let starts = reference.starts { (problem as! CharacterLanguageModelProblem).useWindows(starts: starts) }
        #expect(problem.dimension == reference.gradient.count)
        let (x, v) = Self.closedForm(problem.dimension)
        let f = try problem.value(at: x)
        #expect(abs(f - reference.value) <= 1e-10 * abs(reference.value), "\(name): f \(f) vs \(reference.value)")
        var g: [Double] = []
        let fg = try problem.gradient(at: x, into: &g)
        #expect(fg == f)
        let gradientError = LearningTest.relativeError(g, reference.gradient)
        #expect(gradientError <= 1e-10, "\(name): gradient relative error \(gradientError)")
        var hv: [Double] = []
        try problem.hessianVectorProduct(at: x, v, into: &hv)
        let hvpError = LearningTest.relativeError(hv, reference.hvp)
        #expect(hvpError <= 1e-10, "\(name): HVP relative error \(hvpError)")
    }
}
