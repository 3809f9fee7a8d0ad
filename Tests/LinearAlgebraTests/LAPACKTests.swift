import RealModule
import Testing
@testable import LinearAlgebra

@Suite("LAPACK factorizations")
struct LAPACKTests {
    static let tridiagonal3 = Matrix([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])

    @Test("dsyevd on tridiag(−1, 2, −1) of size 3 gives 2−√2, 2, 2+√2")
    func tridiagonalEigenvalues() throws {
        let e = try SymmetricEigen(Self.tridiagonal3)
        let s = 2.0.squareRoot()
        let expected = [2 - s, 2, 2 + s]
        for (a, b) in zip(e.values, expected) { #expect(abs(a - b) <= 1e-14) }
        // A v = λ v for every eigenpair (vectors are columns).
        for k in 0..<3 {
            let v = e.vectors.column(k)
            let av = Self.tridiagonal3 * v
            for i in 0..<3 { #expect(abs(av[i] - e.values[k] * v[i]) <= 1e-14) }
        }
    }

    @Test func eigenvaluesOnly() throws {
        let e = try SymmetricEigen(Self.tridiagonal3, vectors: false)
        #expect(abs(e.values[1] - 2) <= 1e-14)
        #expect(e.vectors.rows == 0)
    }

    @Test("Cholesky solves SPD systems and reports failure on indefinite ones")
    func cholesky() throws {
        let chol = try Cholesky(Self.tridiagonal3)
        let x = try chol.solve([1, 0, 1])
        #expect(x.enumerated().allSatisfy { abs($0.element - 1) <= 1e-14 })
        // L Lᵀ = A
        let l = chol.factor
        let llt = l * l.transposed
        for i in 0..<9 { #expect(abs(llt.storage[i] - Self.tridiagonal3.storage[i]) <= 1e-14) }
        // vᵀA⁻¹v through the factor equals v·x.
        #expect(abs(try chol.inverseQuadraticForm([1, 0, 1]) - 2) <= 1e-14)
        #expect(abs(chol.logDeterminant - Double.log(4)) <= 1e-14)

        let indefinite = Matrix([[1, 2], [2, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 2)) { try Cholesky(indefinite) }
        #expect(throws: LinearAlgebraError.self) { try Cholesky(Matrix(rows: 2, columns: 3)) }
    }

    @Test func generalSolve() throws {
        let a = Matrix([[0, 2], [3, 1]])   // needs pivoting
        let x = try solveGeneral(a, [4, 5])
        #expect(abs(x[0] - 1) <= 1e-15 && abs(x[1] - 2) <= 1e-15)
        #expect(throws: LinearAlgebraError.singular(pivot: 2)) {
            try solveGeneral(Matrix([[1, 2], [2, 4]]), [1, 1])
        }
    }
}
