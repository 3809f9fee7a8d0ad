import RealModule
internal import CLAPACKE

/// Why a factorization or solve did not succeed. LAPACK's `info` is kept so
/// that a caller (modified Newton, say) can react instead of crashing.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// Cholesky found a non-positive pivot at this (1-based) leading minor.
    case notPositiveDefinite(minor: Int)
    /// LU found an exactly zero pivot at this (1-based) position.
    case singular(pivot: Int)
    /// An eigensolver did not converge (LAPACK `info > 0`).
    case noConvergence(info: Int)
    /// An argument had an illegal value (LAPACK `info < 0`) — a bug in the caller.
    case illegalArgument(info: Int)
    /// Sizes that do not fit together.
    case dimensionMismatch(String)

    public var description: String {
        switch self {
        case .notPositiveDefinite(let k): return "matrix is not positive definite (leading minor \(k))"
        case .singular(let p): return "matrix is singular (zero pivot \(p))"
        case .noConvergence(let i): return "eigensolver did not converge (info \(i))"
        case .illegalArgument(let i): return "LAPACK argument \(-i) had an illegal value"
        case .dimensionMismatch(let s): return "dimension mismatch: \(s)"
        }
    }
}

private func ascii(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

/// A Cholesky factorization A = LLᵀ of a symmetric positive-definite matrix
/// (`LAPACKE_dpotrf`, lower triangle), reused for any number of solves.
///
///     let chol = try Cholesky(a)        // throws .notPositiveDefinite
///     let x = try chol.solve(b)         // A x = b by dpotrs
public struct Cholesky: Sendable {
    /// The factor: L in the lower triangle (the strict upper triangle is zeroed).
    public private(set) var factor: Matrix

    public var dimension: Int { factor.rows }

    /// Factors `a` (only its lower triangle is read).
    public init(_ a: Matrix) throws(LinearAlgebraError) {
        guard a.isSquare else { throw .dimensionMismatch("Cholesky needs a square matrix, got \(a.rows)x\(a.columns)") }
        var f = a
        let n = a.rows
        let info = f.storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, ascii("L"), Int32(n), p.baseAddress, Int32(max(1, n)))
        }
        if info > 0 { throw .notPositiveDefinite(minor: Int(info)) }
        if info < 0 { throw .illegalArgument(info: Int(info)) }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { f.storage[i * n + j] = 0 } }
        factor = f
    }

    /// Solves A x = b (`LAPACKE_dpotrs`).
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        var x = b
        try solve(inPlace: &x)
        return x
    }

    /// Overwrites `b` with A⁻¹b.
    public func solve(inPlace b: inout [Double]) throws(LinearAlgebraError) {
        let n = dimension
        guard b.count == n else { throw .dimensionMismatch("Cholesky.solve: b has \(b.count), A is \(n)x\(n)") }
        let info = b.withUnsafeMutableBufferPointer { bp in
            LAPACKE_dpotrs(LAPACK_ROW_MAJOR, ascii("L"), Int32(n), 1, factor.storage, Int32(max(1, n)),
                           bp.baseAddress, 1)
        }
        if info != 0 { throw .illegalArgument(info: Int(info)) }
    }

    /// A⁻¹ as a full symmetric matrix (`LAPACKE_dpotri` on the factor, n³·2/3 flops).
    public func inverse() throws(LinearAlgebraError) -> Matrix {
        let n = dimension
        var r = factor
        let info = r.storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotri(LAPACK_ROW_MAJOR, ascii("L"), Int32(n), p.baseAddress, Int32(max(1, n)))
        }
        if info > 0 { throw .singular(pivot: Int(info)) }
        if info < 0 { throw .illegalArgument(info: Int(info)) }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { r.storage[i * n + j] = r.storage[j * n + i] } }
        return r
    }

    /// log det A = 2 Σ log Lᵢᵢ.
    public var logDeterminant: Double {
        (0..<dimension).reduce(0) { $0 + 2 * _log(factor[$1, $1]) }
    }

    /// ‖L⁻¹v‖² = vᵀA⁻¹v, the squared dual norm, by one triangular solve
    /// (`cblas_dtrsv` through LAPACKE's dtrtrs).
    public func inverseQuadraticForm(_ v: [Double]) throws(LinearAlgebraError) -> Double {
        let n = dimension
        guard v.count == n else { throw .dimensionMismatch("inverseQuadraticForm: v has \(v.count), A is \(n)x\(n)") }
        var w = v
        let info = w.withUnsafeMutableBufferPointer { wp in
            LAPACKE_dtrtrs(LAPACK_ROW_MAJOR, ascii("L"), ascii("N"), ascii("N"), Int32(n), 1,
                           factor.storage, Int32(max(1, n)), wp.baseAddress, 1)
        }
        if info != 0 { throw .singular(pivot: Int(info)) }
        return w.reduce(0) { $0 + $1 * $1 }
    }
}

/// The eigendecomposition A = V diag(λ) Vᵀ of a symmetric matrix
/// (`LAPACKE_dsyevd`, divide and conquer), eigenvalues ascending.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Eigenvectors as the *columns* of this matrix (row-major storage).
    public let vectors: Matrix

    /// Decomposes `a` (its upper triangle is read). With `vectors: false`
    /// only the eigenvalues are computed and `vectors` is empty.
    public init(_ a: Matrix, vectors computeVectors: Bool = true) throws(LinearAlgebraError) {
        guard a.isSquare else { throw .dimensionMismatch("dsyevd needs a square matrix, got \(a.rows)x\(a.columns)") }
        let n = a.rows
        var v = a
        var w = [Double](repeating: 0, count: n)
        let info = v.storage.withUnsafeMutableBufferPointer { vp in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dsyevd(LAPACK_ROW_MAJOR, ascii(computeVectors ? "V" : "N"), ascii("U"),
                               Int32(n), vp.baseAddress, Int32(max(1, n)), wp.baseAddress)
            }
        }
        if info > 0 { throw .noConvergence(info: Int(info)) }
        if info < 0 { throw .illegalArgument(info: Int(info)) }
        values = w
        vectors = computeVectors ? v : Matrix(rows: 0, columns: 0)
    }
}

/// Solves a general square system A X = B by LU with partial pivoting
/// (`LAPACKE_dgesv`). `b` holds one right-hand side.
public func solveGeneral(_ a: Matrix, _ b: [Double]) throws(LinearAlgebraError) -> [Double] {
    guard a.isSquare, b.count == a.rows else {
        throw .dimensionMismatch("dgesv: A is \(a.rows)x\(a.columns), b has \(b.count)")
    }
    let n = a.rows
    var lu = a
    var x = b
    var pivots = [Int32](repeating: 0, count: n)
    let info = lu.storage.withUnsafeMutableBufferPointer { ap in
        x.withUnsafeMutableBufferPointer { xp in
            pivots.withUnsafeMutableBufferPointer { pp in
                LAPACKE_dgesv(LAPACK_ROW_MAJOR, Int32(n), 1, ap.baseAddress, Int32(max(1, n)),
                              pp.baseAddress, xp.baseAddress, 1)
            }
        }
    }
    if info > 0 { throw .singular(pivot: Int(info)) }
    if info < 0 { throw .illegalArgument(info: Int(info)) }
    return x
}

@inline(__always) private func _log(_ x: Double) -> Double { Double.log(x) }
