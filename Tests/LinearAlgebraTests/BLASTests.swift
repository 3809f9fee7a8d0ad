import Testing
@testable import LinearAlgebra

@Suite("BLAS wrappers and the CBLAS in the process")
struct BLASTests {
    @Test("cblas_ddot resolves to OpenBLAS, not GSL's reference CBLAS")
    func cblasIsOpenBLAS() {
        // Make sure libgsl (and with it libgslcblas) is loaded first.
        var rng = MersenneTwister(seed: 1)
        _ = rng.uniform()
        #expect(BLASRuntime.gslReferenceCBLASLoaded, "libgsl should pull in libgslcblas; the check below needs it loaded")
        #expect(BLASRuntime.cblasIsOpenBLAS)
        #expect(BLASRuntime.coreName != "unknown")
    }

    @Test func levelOne() {
        let x = [1.0, 2, 3], y = [4.0, -5, 6]
        #expect(BLAS.dot(x, y) == 12)
        var z = y
        BLAS.axpy(2, x, &z)
        #expect(z == [6, -1, 12])
        BLAS.scal(0.5, &z)
        #expect(z == [3, -0.5, 6])
        #expect(BLAS.nrm2([3, 4]) == 5)
    }

    @Test func gemvAndGemm() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(a * [1, 0, -1] == [-2, -2])
        var yt = [0.0, 0, 0]
        BLAS.gemv(a, [1, 1], into: &yt, transpose: true)
        #expect(yt == [5, 7, 9])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        #expect((a * b).storage == [58, 64, 139, 154])
        var c = Matrix(rows: 3, columns: 3)
        BLAS.gemm(a, a, into: &c, transposeA: true)
        #expect(c == a.transposed * a)
    }

    @Test func rankUpdates() {
        var a = Matrix(rows: 2, columns: 3)
        BLAS.ger(2, [1, 2], [1, 0, -1], &a)
        #expect(a.storage == [2, 0, -2, 4, 0, -4])
        var s = Matrix(rows: 2, columns: 2)
        BLAS.syr(1, [1, 2], &s)
        s.symmetrizeFromUpper()
        #expect(s.storage == [1, 2, 2, 4])
        let m = Matrix([[1, 2], [3, 4], [5, 6]])
        var k = Matrix(rows: 2, columns: 2)
        BLAS.syrk(m, into: &k)
        #expect(k == m.transposed * m)
        var k2 = Matrix(rows: 3, columns: 3)
        BLAS.syrk(m, into: &k2, transpose: false)
        #expect(k2 == m * m.transposed)
    }
}
