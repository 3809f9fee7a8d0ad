import LinearAlgebra

/// Products of a tensor with one square matrix per dimension, one mode at a
/// time: SOAP's (and Shampoo's) rotations into and out of the eigenbases of
/// their Kronecker factors.
///
/// The tensor is stored row-major with shape [n₀, n₁, …]. One mode step sees
/// it as an n₀ × R matrix A (R = the product of the other sides) and writes
/// the R × n₀ matrix C = Aᵀ·M (or Aᵀ·Mᵀ, or Aᵀ when there is no matrix):
/// the first axis is contracted with M and the new axis goes last — torch's
/// `tensordot(t, M, dims=[[0], [0]])`. After one step per dimension the axes
/// are back in their original order. The same rotation lists the mode-k
/// unfoldings for the Gram matrices G₍ₖ₎G₍ₖ₎ᵀ of Kronecker factors.
enum ModeProduct {
    /// C (R × n₀) = Aᵀ·M, Aᵀ·Mᵀ (`transposeMatrix`), or Aᵀ (no matrix).
    static func step(_ a: UnsafePointer<Double>, first n0: Int, rest r: Int, matrix: Matrix?,
                     transposeMatrix: Bool, into c: UnsafeMutablePointer<Double>) {
        guard let matrix else {
            for i in 0..<n0 { for j in 0..<r { c[j * n0 + i] = a[i * r + j] } }
            return
        }
        matrix.storage.withUnsafeBufferPointer { mp in
            BLAS.gemm(m: r, n: n0, k: n0, alpha: 1, a: a, lda: r, transposeA: true,
                      b: mp.baseAddress!, ldb: n0, transposeB: transposeMatrix, beta: 0, c: c, ldc: n0)
        }
    }

    /// Rotates `tensor` (shape `shape`) through every mode, using `work` as
    /// scratch (both hold `count` = the product of `shape` elements); the result ends in `tensor`.
    /// `matrices[k]` nil leaves mode k as it is.
    static func rotate(_ tensor: UnsafeMutablePointer<Double>, work: UnsafeMutablePointer<Double>, shape: [Int],
                       count: Int, matrices: [Matrix?], transpose: Bool) {
        var (source, target) = (tensor, work)
        for k in 0..<shape.count {
            step(source, first: shape[k], rest: count / shape[k], matrix: matrices[k], transposeMatrix: transpose,
                 into: target)
            swap(&source, &target)
        }
        if source != tensor { tensor.update(from: source, count: count) }
    }
}
