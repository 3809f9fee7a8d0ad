import Foundation
import OptimizationCore
import OptimizerTestTable
import Optimizers
import Problems
import Testing

/// Matrix methods (Muon, …) against their reference implementations in
/// float64 over 200 steps on softmax(data=digits) and mlp(data=digits)
/// (regenerate with Tests/Reference/make_reference_matrix.py).
struct MatrixMethodTrajectoryTests {
    typealias Case = OfficialTrajectoryTests.Case

    static let cases = OfficialTrajectoryTests.parse(matrixReferenceTrajectoryText)

    /// The script's start for the mlp (its Glorot draw is the lab's own); softmax starts at 0.
    static func start(_ problem: any Objective) -> [Double] {
        problem.name.hasPrefix("mlp")
            ? (0..<problem.dimension).map { 0.1 * sin(0.7 * Double($0) + 0.3) }
            : problem.initialPoint
    }

    /// 1e-9 everywhere except where the method itself magnifies rounding:
    /// - SOAP on softmax: its left factor has one null direction (the softmax
    ///   gradient's rows sum to zero), where Adam divides rounding noise by ε
    ///   and the eigenvector solver's last bits decide the noise. Measured
    ///   against torch: loss 5.2e-9; the point drifts by 3.4e-5 of its largest
    ///   entry along the direction the loss does not see (equal shifts of
    ///   every class's weights), so only the loss is compared there.
    /// - Sophia: until the first estimate h = 0, so |m|/(ρBh + 1e-15) divides
    ///   the rounding noise of near-zero momentum coordinates by 1e-15 and
    ///   sign(m) may differ. Measured: softmax loss 1.3e-7 (point 6.4e-4 of its
    ///   largest entry), mlp loss ≤ 1e-9, point 2.3e-8.
    /// - Shampoo with its default epsilon 1e-12: the factors are rank-deficient
    ///   (a 640 × 640 factor from rank-1 gradients on softmax; zero feature
    ///   columns and small singular values on the mlp), so eigenvalues near ε sit
    ///   below the rounding level of the decomposition (1e-16·‖L‖ ≫ 1e-12), and
    ///   the inverse root multiplies each LAPACK's own noise by up to ε^(−1/2).
    ///   Measured against torch's eigh over 200 steps: loss 9.8e-10 (mlp), 2.9e-8
    ///   (softmax), 1.9e-7 (grafting=adam), 4.9e-7 (grafting=sgd with momentum);
    ///   the point up to 4.7e-5 of its largest entry, so only the loss is compared
    ///   (at 1e-7, and at 1e-6 for the two grafted cases).
    ///   The reference disagrees with itself as much: grafting=adam on the mlp with
    ///   numpy's eigh in place of torch's differs from torch's run by 7.1e-8 (loss)
    ///   and 6.0e-6 (point).
    ///   With epsilon ≥ 1e-8 (merging and blocking, every grafting kind, momentum,
    ///   weight decay, β₂ < 1) the agreement is ≤ 1.2e-12 (loss), ≤ 1e-10 (point),
    ///   except rmsprop on softmax (ε = 1e-6, refreshed every 5 steps: a new
    ///   gradient direction outside the rank-t factor meets ε^(−1/2) = 1e3 between
    ///   refreshes): loss 4.9e-9 to 2.0e-8 and point 9.1e-9 to 3.3e-8 across runs
    ///   (OpenBLAS splits the 640 × 640 products differently when tests run in
    ///   parallel, and this case magnifies that rounding), so 1e-7.
    static func tolerances(_ c: Case) -> (loss: Double, point: Double) {
        let softmax = c.problem.hasPrefix("softmax")
        if c.spec.hasPrefix("shampoo") {
            // Default epsilon: the 1e-7 where the measured difference
            // allows it (mlp 9.8e-10, softmax 2.9e-8); 1e-6 for the two grafted
            // cases (1.9e-7, 4.9e-7), which are beyond the reference's own
            // reproducibility (7.1e-8 between torch's and numpy's eigh).
            if !c.spec.contains("epsilon=") { return (c.spec.contains("grafting=") ? 1e-6 : 1e-7, .infinity) }
            if softmax && c.spec.contains("precondition_frequency=5") { return (1e-7, 1e-7) }
        }
        if c.spec.hasPrefix("soap") && softmax { return (1e-7, .infinity) }
        if c.spec.hasPrefix("sophia") { return softmax ? (1e-6, .infinity) : (1e-9, 1e-7) }
        return (1e-9, 1e-9)
    }

    @Test func everyMatrixMethodHasReferenceCases() {
        let names = Set(Self.cases.map { String($0.spec.prefix { $0 != "(" }) })
        #expect(names == OptimizerTable.names(.matrixTrajectories))
        #expect(Set(Self.cases.map(\.problem)) == ["softmax(data=digits)", "mlp(data=digits)"])
    }

    /// The probe the reference script injects into AdaHessian (its Rademacher draw replaced).
    static let injectedProbe: @Sendable (Int, Int, Int) -> Double = { step, _, i in
        ((i * 7919 + step * 104729) % 1009) % 2 == 0 ? 1 : -1
    }

    @Test(arguments: cases)
    func agreesWithReference(_ c: Case) throws {
        let (problem, _) = try ProblemCatalog.shared.make(c.problem)
        var (opt, _) = try OptimizerCatalog.shared.make(c.spec)
        if var adahessian = opt as? AdaHessian {
            adahessian.injectProbes(Self.injectedProbe)
            opt = adahessian
        }
        var oracle = Oracle(problem)
        var x = Self.start(problem)
        var losses = [try problem.value(at: x)]
        for _ in 0..<200 {
            try opt.step(&x, oracle: &oracle)
            losses.append(try problem.value(at: x))
        }
        let lossError = maxRelativeDifference(losses, c.losses)
        let scale = c.finalPoint.map(abs).max()!
        let pointError = zip(x, c.finalPoint).map { abs($0 - $1) }.max()! / scale
        let (lossTolerance, pointTolerance) = Self.tolerances(c)
        #expect(lossError <= lossTolerance, "loss trajectory differs by \(lossError)")
        #expect(pointError <= pointTolerance, "final point differs by \(pointError) relative to its largest entry")
    }
}
