internal import CLAPACKE

/// The QR factorisation A = QR of an m×n matrix with m ≥ n
/// (`LAPACKE_dgeqrf`, then `LAPACKE_dorgqr` for the explicit Q).
///
/// Used for seeded random orthogonal bases: the Q of a Gaussian matrix,
/// with column signs fixed by sign(Rᵢᵢ), is Haar-distributed.
public struct QRDecomposition: Sendable {
    /// Q, m×n with orthonormal columns.
    public let q: Matrix
    /// The diagonal of R.
    public let rDiagonal: [Double]

    public init(_ a: Matrix) throws(LinearAlgebraError) {
        let m = a.rows, n = a.columns
        guard m >= n else { throw .dimensionMismatch("QR needs rows ≥ columns, got \(m)x\(n)") }
        var work = a
        var tau = [Double](repeating: 0, count: n)
        var diagonal = [Double](repeating: 0, count: n)
        let info = work.storage.withUnsafeMutableBufferPointer { ap in
            tau.withUnsafeMutableBufferPointer { tp -> Int32 in
                let lda = Int32(max(1, n))
                let f = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), ap.baseAddress, lda, tp.baseAddress)
                guard f == 0 else { return f }
                for i in 0..<n { diagonal[i] = ap[i * n + i] }
                return LAPACKE_dorgqr(LAPACK_ROW_MAJOR, Int32(m), Int32(n), Int32(n), ap.baseAddress, lda, tp.baseAddress)
            }
        }
        if info < 0 { throw .illegalArgument(info: Int(info)) }
        q = work
        rDiagonal = diagonal
    }

    /// A Haar-random n×n orthogonal matrix from a Gaussian matrix `g`
    /// (the caller supplies g so that the random stream stays its own).
    public static func randomOrthogonal(fromGaussian g: Matrix) throws(LinearAlgebraError) -> Matrix {
        let qr = try QRDecomposition(g)
        var q = qr.q
        let n = q.columns
        for j in 0..<n where qr.rDiagonal[j] < 0 {
            for i in 0..<q.rows { q.storage[i * n + j] = -q.storage[i * n + j] }
        }
        return q
    }
}
