import LinearAlgebra

/// The quintic Newton–Schulz iteration that maps a matrix G = USVᵀ to
/// approximately U·S'·Vᵀ with S' ≈ I (Muon's "zeroth power"):
///
///     X ← G (transposed when it has more rows than columns, so X is m × n, m ≤ n)
///     X ← X / max(‖X‖_F, ε)
///     repeat k times:  A ← XXᵀ;  B ← b·A + c·A²;  X ← a·X + B·X
///     return X (transposed back)
///
/// It owns the matrix it works on (`matrix`, rows × columns, row-major: the
/// caller fills it with G and reads the result back from it) and its
/// workspaces, sized once for one shape, so a step allocates nothing. Cost
/// per call: k·(4m²n + 2m³) flops in three `dgemm`s per iteration.
///
/// torch.optim.Muon (and KellerJordan/Muon) run this iteration in bfloat16;
/// the lab runs it in float64 — an emulated bfloat16 could not reproduce a
/// GPU's or MKL's bfloat16 GEMM accumulation anyway, and in float64 the
/// iteration is the map the papers describe.
struct NewtonSchulz {
    let rows: Int
    let columns: Int
    /// m = min(rows, columns), n = max(rows, columns).
    let m: Int
    let n: Int
    /// G in, the orthogonalised matrix out (rows × columns, row-major).
    var matrix: [Double]
    private var x: [Double]
    private var next: [Double]
    private var gram: [Double]
    private var polynomial: [Double]

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        m = min(rows, columns)
        n = max(rows, columns)
        // Separate allocations: shared storage would be copied on the first step.
        matrix = [Double](repeating: 0, count: rows * columns)
        x = [Double](repeating: 0, count: rows * columns)
        next = [Double](repeating: 0, count: rows * columns)
        gram = [Double](repeating: 0, count: m * m)
        polynomial = [Double](repeating: 0, count: m * m)
    }

    /// Replaces `matrix` by its orthogonalised form.
    mutating func run(steps: Int, a: Double, b: Double, c: Double, eps: Double) {
        let (m, n, rows, columns) = (m, n, rows, columns)
        let transposes = rows > columns
        matrix.withUnsafeMutableBufferPointer { gb in
            x.withUnsafeMutableBufferPointer { xb in
                next.withUnsafeMutableBufferPointer { yb in
                    gram.withUnsafeMutableBufferPointer { ab in
                        polynomial.withUnsafeMutableBufferPointer { bb in
                            let g = gb.baseAddress!
                            var xp = xb.baseAddress!, yp = yb.baseAddress!
                            let (ap, bp) = (ab.baseAddress!, bb.baseAddress!)
                            if transposes {
                                for i in 0..<rows { for j in 0..<columns { xp[j * n + i] = g[i * columns + j] } }
                            } else {
                                xp.update(from: g, count: m * n)
                            }
                            var sumOfSquares = 0.0
                            for i in 0..<(m * n) { sumOfSquares += xp[i] * xp[i] }
                            let norm = Swift.max(sumOfSquares.squareRoot(), eps)
                            for i in 0..<(m * n) { xp[i] /= norm }
                            for _ in 0..<steps {
                                // A = XXᵀ; B = b·A + c·A·A; X' = a·X + B·X
                                BLAS.gemm(m: m, n: m, k: n, alpha: 1, a: xp, lda: n, transposeA: false,
                                          b: xp, ldb: n, transposeB: true, beta: 0, c: ap, ldc: m)
                                bp.update(from: ap, count: m * m)
                                BLAS.gemm(m: m, n: m, k: m, alpha: c, a: ap, lda: m, transposeA: false,
                                          b: ap, ldb: m, transposeB: false, beta: b, c: bp, ldc: m)
                                yp.update(from: xp, count: m * n)
                                BLAS.gemm(m: m, n: n, k: m, alpha: 1, a: bp, lda: m, transposeA: false,
                                          b: xp, ldb: n, transposeB: false, beta: a, c: yp, ldc: n)
                                swap(&xp, &yp)
                            }
                            if transposes {
                                for i in 0..<rows { for j in 0..<columns { g[i * columns + j] = xp[j * n + i] } }
                            } else {
                                g.update(from: xp, count: m * n)
                            }
                        }
                    }
                }
            }
        }
    }
}
