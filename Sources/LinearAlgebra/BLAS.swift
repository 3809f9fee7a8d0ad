internal import COpenBLAS

/// Level 1–3 BLAS on OpenBLAS, for `[Double]` vectors and row-major ``Matrix``.
///
/// Each function is a thin, bounds-checked wrapper over one CBLAS routine
/// (named in its doc comment). Sizes are checked with `precondition`: a
/// mismatch is a programming error inside the lab, never user input.
public enum BLAS {
    /// xᵀy (`cblas_ddot`).
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot: lengths \(x.count) and \(y.count) differ")
        return cblas_ddot(Int32(x.count), x, 1, y, 1)
    }

    /// xᵀy on raw buffers (`cblas_ddot`).
    public static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == y.count, "dot: lengths differ")
        return cblas_ddot(Int32(x.count), x.baseAddress, 1, y.baseAddress, 1)
    }

    /// y ← αx + y (`cblas_daxpy`).
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy: lengths \(x.count) and \(y.count) differ")
        cblas_daxpy(Int32(x.count), alpha, x, 1, &y, 1)
    }

    /// x ← αx (`cblas_dscal`).
    public static func scal(_ alpha: Double, _ x: inout [Double]) {
        cblas_dscal(Int32(x.count), alpha, &x, 1)
    }

    /// ‖x‖₂ (`cblas_dnrm2`, overflow-safe).
    public static func nrm2(_ x: [Double]) -> Double {
        cblas_dnrm2(Int32(x.count), x, 1)
    }

    /// ‖x‖₂ on a raw buffer (`cblas_dnrm2`).
    public static func nrm2(_ x: UnsafeBufferPointer<Double>) -> Double {
        cblas_dnrm2(Int32(x.count), x.baseAddress, 1)
    }

    /// y ← α·op(A)·x + β·y (`cblas_dgemv`), op(A) = A or Aᵀ.
    public static func gemv(_ a: Matrix, _ x: [Double], into y: inout [Double],
                            transpose: Bool = false, alpha: Double = 1, beta: Double = 0) {
        let (m, n) = transpose ? (a.columns, a.rows) : (a.rows, a.columns)
        precondition(x.count == n && y.count == m,
                     "gemv: op(A) is \(m)x\(n), x has \(x.count), y has \(y.count)")
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
                    Int32(a.rows), Int32(a.columns), alpha, a.storage, Int32(max(1, a.columns)),
                    x, 1, beta, &y, 1)
    }

    /// C ← α·op(A)·op(B) + β·C (`cblas_dgemm`).
    public static func gemm(_ a: Matrix, _ b: Matrix, into c: inout Matrix,
                            transposeA: Bool = false, transposeB: Bool = false,
                            alpha: Double = 1, beta: Double = 0) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb && c.rows == m && c.columns == n,
                     "gemm: op(A) \(m)x\(k), op(B) \(kb)x\(n), C \(c.rows)x\(c.columns)")
        c.storage.withUnsafeMutableBufferPointer { cp in
            gemm(m: m, n: n, k: k, alpha: alpha,
                 a: a.storage, lda: a.columns, transposeA: transposeA,
                 b: b.storage, ldb: b.columns, transposeB: transposeB,
                 beta: beta, c: cp.baseAddress!, ldc: c.columns)
        }
    }

    /// Raw row-major `cblas_dgemm` on pointers, for kernels that keep their
    /// own workspaces (learning problems, K-FAC).
    public static func gemm(m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
                            b: UnsafePointer<Double>, ldb: Int, transposeB: Bool,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(1, lda)),
                    b, Int32(max(1, ldb)), beta, c, Int32(max(1, ldc)))
    }

    /// Raw row-major `cblas_dgemv` on pointers: y ← α·op(A)·x + β·y, A is
    /// m × n with leading dimension `lda` (kernels with their own workspaces).
    public static func gemv(m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int, transpose: Bool,
                            x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>) {
        guard m > 0, n > 0 else { return }
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha,
                    a, Int32(max(1, lda)), x, 1, beta, y, 1)
    }

    /// A ← A + α·x·yᵀ (`cblas_dger`).
    public static func ger(_ alpha: Double, _ x: [Double], _ y: [Double], _ a: inout Matrix) {
        precondition(x.count == a.rows && y.count == a.columns, "ger: sizes differ")
        cblas_dger(CblasRowMajor, Int32(a.rows), Int32(a.columns), alpha, x, 1, y, 1,
                   &a.storage, Int32(max(1, a.columns)))
    }

    /// A ← A + α·x·xᵀ on the upper triangle (`cblas_dsyr`); call
    /// ``Matrix/symmetrizeFromUpper()`` to fill the lower one.
    public static func syr(_ alpha: Double, _ x: [Double], _ a: inout Matrix) {
        precondition(a.isSquare && x.count == a.rows, "syr: sizes differ")
        cblas_dsyr(CblasRowMajor, CblasUpper, Int32(a.rows), alpha, x, 1, &a.storage, Int32(max(1, a.columns)))
    }

    /// C ← α·AᵀA + β·C (`transpose: true`) or α·AAᵀ + β·C, upper triangle
    /// (`cblas_dsyrk`), then mirrored so that C is fully symmetric.
    public static func syrk(_ a: Matrix, into c: inout Matrix, transpose: Bool = true,
                            alpha: Double = 1, beta: Double = 0) {
        let n = transpose ? a.columns : a.rows
        let k = transpose ? a.rows : a.columns
        precondition(c.rows == n && c.columns == n, "syrk: C must be \(n)x\(n)")
        cblas_dsyrk(CblasRowMajor, CblasUpper, transpose ? CblasTrans : CblasNoTrans,
                    Int32(n), Int32(k), alpha, a.storage, Int32(max(1, a.columns)),
                    beta, &c.storage, Int32(max(1, n)))
        c.symmetrizeFromUpper()
    }
}
