import LinearAlgebra
import Testing

@Test func choleskyInverseTimesMatrixIsIdentity() throws {
    let a = Matrix([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]])
    let inv = try Cholesky(a).inverse()
    let product = a * inv
    for i in 0..<3 {
        for j in 0..<3 {
            let expected: Double = i == j ? 1 : 0
            #expect(abs(product[i, j] - expected) < 1e-14)
        }
    }
    #expect(inv[0, 2] == inv[2, 0])
}

@Test func rawGemvMatchesTheMatrixProduct() {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])
    var y = [10.0, 20.0], yt = [1.0, 1.0, 1.0]
    a.storage.withUnsafeBufferPointer { ap in
        [1.0, -1.0, 2.0].withUnsafeBufferPointer { x in
            BLAS.gemv(m: 2, n: 3, alpha: 2, a: ap.baseAddress!, lda: 3, transpose: false, x: x.baseAddress!,
                      beta: 1, y: &y)
        }
        [1.0, 2.0].withUnsafeBufferPointer { x in
            BLAS.gemv(m: 2, n: 3, alpha: 1, a: ap.baseAddress!, lda: 3, transpose: true, x: x.baseAddress!,
                      beta: 0, y: &yt)
        }
    }
    let expectedY: [Double] = [20, 42], expectedT: [Double] = [9, 12, 15]
    #expect(y == expectedY)
    #expect(yt == expectedT)
}
