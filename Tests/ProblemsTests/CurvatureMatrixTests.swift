import LinearAlgebra
import OptimizationCore
import Problems
import Testing

/// Dense Gauss–Newton and empirical-Fisher matrices against independent formulas.
@Suite struct CurvatureMatrixTests {
    private func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
        zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test func rosenbrockResidualsSumToTheValue() throws {
        let f = ChainedRosenbrock(dimension: 7)
        let x = [-1.2, 1, 0.3, -0.7, 2, 0.5, 1.1]
        let r = f.residualVector(x)
        #expect(r.count == 12)
        #expect(abs(r.reduce(0) { $0 + $1 * $1 } - f.value(x)) <= 1e-13 * f.value(x))
    }

    /// H − 2JᵀJ = 2Σ rᵢ∇²rᵢ, and only r₂ᵢ = 10(xᵢ₊₁ − xᵢ²) is curved
    /// (∇²r₂ᵢ = −20 eᵢeᵢᵀ): the difference is diag(−400(xᵢ₊₁ − xᵢ²)).
    @Test func rosenbrockGaussNewtonDiffersFromTheHessianByTheResidualTerm() throws {
        let problem = try makeProblem("rosenbrock(d=7)", seed: 0, as: (any HessianObjective & CurvatureMatrixObjective).self)
        #expect(problem.capabilities.contains(.curvature))
        #expect(!problem.capabilities.contains(.fisher))
        let x = [-1.2, 1, 0.3, -0.7, 2, 0.5, 1.1]
        let ggn = try problem.curvatureMatrix(.ggn, at: x)
        var expected = try problem.hessian(at: x)
        for i in 0..<6 { expected[i, i] += 400 * (x[i + 1] - x[i] * x[i]) }
        #expect(maxDifference(ggn, expected) <= 1e-10)
        // At the zero-residual minimum both coincide.
        let ones = [Double](repeating: 1, count: 7)
        #expect(maxDifference(try problem.curvatureMatrix(.ggn, at: ones), try problem.hessian(at: ones)) <= 1e-12)
    }

    @Test func mghProblemsProvideGaussNewtonNotFisher() throws {
        let problem = try makeProblem("beale", seed: 0, as: (any HessianObjective & CurvatureMatrixObjective).self)
        #expect(problem.capabilities.contains(.curvature))
        #expect(throws: ObjectiveError.self) { try problem.curvatureMatrix(.fisher, at: problem.initialPoint) }
        let quadratic = try makeProblem("quadratic(d=4)", seed: 0, as: (any Objective).self)
        #expect(!quadratic.capabilities.contains(.curvature))
    }

    /// Canonical link: the logits are linear in the parameters, so GGN = Hessian.
    @Test(arguments: ["logreg(data=breast_cancer)", "softmax(data=wine)"])
    func linearModelGaussNewtonIsTheHessian(_ spec: String) throws {
        let problem = try makeProblem(spec, seed: 0, as: (any HessianObjective & CurvatureMatrixObjective).self)
        #expect(problem.capabilities.isSuperset(of: [.curvature, .fisher]))
        var rng = SplitMix64(seed: 3)
        let x = (0..<problem.dimension).map { _ in rng.uniform(in: -0.3, 0.3) }
        #expect(maxDifference(try problem.curvatureMatrix(.ggn, at: x), try problem.hessian(at: x)) == 0)
    }

    /// With one row per batch and l2 = 0 the empirical Fisher is g gᵀ.
    @Test func softmaxFisherOfOneRowIsTheGradientOuterProduct() throws {
        let problem = try makeProblem("softmax(data=wine,batch=1,l2=0)", seed: 5, as: (any HessianObjective & CurvatureMatrixObjective).self)
        var rng = SplitMix64(seed: 4)
        let x = (0..<problem.dimension).map { _ in rng.uniform(in: -0.5, 0.5) }
        let g = try problem.gradient(at: x)
        let fisher = try problem.curvatureMatrix(.fisher, at: x)
        var outer = Matrix(rows: g.count, columns: g.count)
        for i in g.indices { for j in g.indices { outer[i, j] = g[i] * g[j] } }
        #expect(maxDifference(fisher, outer) <= 1e-14)
        #expect(g.contains { abs($0) > 1e-3 })
    }

    /// At x = 0 every logistic row has p = ½, so rᵢ² = pᵢ(1 − pᵢ) = ¼: Fisher = Hessian.
    @Test func logisticFisherEqualsTheHessianAtZero() throws {
        let problem = try makeProblem("logreg(data=breast_cancer)", seed: 0, as: (any HessianObjective & CurvatureMatrixObjective).self)
        let zero = [Double](repeating: 0, count: problem.dimension)
        #expect(maxDifference(try problem.curvatureMatrix(.fisher, at: zero), try problem.hessian(at: zero)) <= 1e-15)
        let x = [Double](repeating: 0.1, count: problem.dimension)
        #expect(maxDifference(try problem.curvatureMatrix(.fisher, at: x), try problem.hessian(at: x)) > 1e-4)
    }
}
