import LinearAlgebra

/// One block's SOAP state: a Kronecker factor and an eigenbasis per
/// preconditioned side, Adam's moments (m kept in the rotated basis), and
/// the scratch the rotations need. See ``SOAP`` for the rule.
struct SOAPBlock {
    struct AdamConstants {
        var beta1: Double
        var beta2: Double
        var eps: Double
        var stepSize: Double
        /// −ηλ when λ > 0.
        var decay: Double?
        var normalize: Bool
    }

    let range: Range<Int>
    /// The (merged) tensor shape the factors act on.
    let shape: [Int]
    /// Lₖ per side (nil: identity basis on that side).
    private var factors: [Matrix?]
    /// Qₖ per side (nil before the first call and on identity sides).
    private var bases: [Matrix?]
    private(set) var hasBasis = false
    private var m: [Double]
    private var v: [Double]
    private var scratch: [Double]
    private var work: [Double]
    /// One side's Gram matrix G₍ₖ₎G₍ₖ₎ᵀ (size of the largest side).
    private var gram: [Double]

    init(range: Range<Int>, shape: [Int], preconditioned: [Bool]) {
        self.range = range
        self.shape = shape
        factors = zip(shape, preconditioned).map { side, on in on ? Matrix(rows: side, columns: side) : nil }
        bases = shape.map { _ in nil }
        isRotated = preconditioned.contains(true)
        let n = range.count
        m = [Double](repeating: 0, count: n)
        v = [Double](repeating: 0, count: n)
        scratch = [Double](repeating: 0, count: n)
        work = [Double](repeating: 0, count: n)
        let largest = zip(shape, preconditioned).filter(\.1).map(\.0).max() ?? 0
        gram = [Double](repeating: 0, count: largest * largest)
    }

    /// True when some side has a factor (stored: `contains` allocates in debug builds).
    private let isRotated: Bool

    /// First call: the factors from G, their eigenbases (descending
    /// eigenvalues). Returns the number of eigendecompositions.
    mutating func initialize(_ g: [Double], factorWeight: Double) -> Int {
        accumulateFactors(g, factorWeight: factorWeight)
        var count = 0
        for k in factors.indices {
            guard var l = factors[k] else { continue }
            for i in 0..<l.rows { l[i, i] += 1e-30 }
            let eigen = try? SymmetricEigen(l)
            var q = Matrix(rows: l.rows, columns: l.rows)
            if let eigen {
                // Columns reversed: eigenvalues descending, as torch.flip(Q, [1]).
                for i in 0..<l.rows { for j in 0..<l.rows { q[i, j] = eigen.vectors[i, l.rows - 1 - j] } }
            } else {
                q = .identity(l.rows)
            }
            bases[k] = q
            count += 1
        }
        hasBasis = true
        return count
    }

    /// Adam in the rotated basis and the step on θ.
    mutating func adamStep(_ x: inout [Double], _ g: [Double], _ c: AdamConstants) {
        let (lower, n, rotated) = (range.lowerBound, range.count, isRotated)
        scratch.withUnsafeMutableBufferPointer { s in
            work.withUnsafeMutableBufferPointer { w in
                m.withUnsafeMutableBufferPointer { mp in
                    v.withUnsafeMutableBufferPointer { vp in
                        g.withUnsafeBufferPointer { gp in
                            for i in 0..<n { s[i] = gp[lower + i] }
                            if rotated {
                                ModeProduct.rotate(s.baseAddress!, work: w.baseAddress!, shape: shape, count: n,
                                                   matrices: bases, transpose: false)
                            }
                            let (b1, b2, c1, c2, eps) = (c.beta1, c.beta2, 1 - c.beta1, 1 - c.beta2, c.eps)
                            for i in 0..<n {
                                let gi = s[i]
                                let mi = mp[i] * b1 + c1 * gi
                                let vi = vp[i] * b2 + c2 * (gi * gi)
                                mp[i] = mi
                                vp[i] = vi
                                s[i] = mi / (vi.squareRoot() + eps)
                            }
                            if rotated {
                                ModeProduct.rotate(s.baseAddress!, work: w.baseAddress!, shape: shape, count: n,
                                                   matrices: bases, transpose: true)
                            }
                            var scale = 1.0
                            if c.normalize {
                                var sum = 0.0
                                for i in 0..<n { sum += s[i] * s[i] }
                                scale = 1 / (1e-30 + (sum / Double(n)).squareRoot())
                            }
                            x.withUnsafeMutableBufferPointer { xp in
                                let step = -c.stepSize
                                for i in 0..<n {
                                    let u = c.normalize ? s[i] * scale : s[i]
                                    xp[lower + i] = xp[lower + i] + step * u
                                }
                                if let decay = c.decay {
                                    for i in 0..<n { xp[lower + i] = xp[lower + i] + decay * xp[lower + i] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// After the step: the factors updated and, when due, m back to the
    /// original basis, the bases refreshed, m into the new basis. Returns the
    /// number of bases refreshed. Between refreshes the basis does not
    /// change, so m stays where it is (as in soap.py, which moves exp_avg only
    /// inside its QR refresh): rotating it back and forth every step cost four
    /// extra mode products per block, 40 % of SOAP's matrix work on charlm.
    mutating func updateFactors(_ g: [Double], factorWeight: Double, refresh: Bool) -> Int {
        guard isRotated else { return 0 }
        accumulateFactors(g, factorWeight: factorWeight)
        guard refresh else { return 0 }
        rotateMomentum(back: true)
        var count = 0
        for k in factors.indices where factors[k] != nil {
            refreshBasis(k)
            count += 1
        }
        rotateMomentum(back: false)
        return count
    }

    private mutating func rotateMomentum(back: Bool) {
        let shape = shape
        m.withUnsafeMutableBufferPointer { mp in
            work.withUnsafeMutableBufferPointer { w in
                ModeProduct.rotate(mp.baseAddress!, work: w.baseAddress!, shape: shape, count: mp.count, matrices: bases,
                                   transpose: back)
            }
        }
    }

    /// Lₖ ← lerp(Lₖ, G₍ₖ₎G₍ₖ₎ᵀ, w) for every preconditioned side k.
    private mutating func accumulateFactors(_ g: [Double], factorWeight: Double) {
        let (lower, n, shape) = (range.lowerBound, range.count, shape)
        scratch.withUnsafeMutableBufferPointer { s in
            work.withUnsafeMutableBufferPointer { w in
                gram.withUnsafeMutableBufferPointer { gr in
                    g.withUnsafeBufferPointer { gp in
                        for i in 0..<n { s[i] = gp[lower + i] }
                        var (source, target) = (s.baseAddress!, w.baseAddress!)
                        for k in 0..<shape.count {
                            let (side, rest) = (shape[k], n / shape[k])
                            if factors[k] != nil {
                                // The mode-k unfolding is `source` seen as side × rest.
                                BLAS.gemm(m: side, n: side, k: rest, alpha: 1, a: source, lda: rest, transposeA: false,
                                          b: source, ldb: rest, transposeB: true, beta: 0, c: gr.baseAddress!, ldc: side)
                                factors[k]!.storage.withUnsafeMutableBufferPointer { lp in
                                    for i in 0..<(side * side) { lp[i] = torchLerp(lp[i], gr[i], factorWeight) }
                                }
                            }
                            ModeProduct.step(source, first: side, rest: rest, matrix: nil, transposeMatrix: false,
                                             into: target)
                            swap(&source, &target)
                        }
                    }
                }
            }
        }
    }

    /// One power iteration and a QR on side k, with Qₖ's columns and v's
    /// slices first ordered by the estimated eigenvalues diag(QₖᵀLₖQₖ).
    private mutating func refreshBasis(_ k: Int) {
        guard let l = factors[k], let q = bases[k] else { return }
        let side = l.rows
        var lq = Matrix(rows: side, columns: side)
        BLAS.gemm(l, q, into: &lq)
        var estimate = [Double](repeating: 0, count: side)
        for j in 0..<side { for i in 0..<side { estimate[j] += q[i, j] * lq[i, j] } }
        let order = (0..<side).sorted { estimate[$0] > estimate[$1] }
        var power = Matrix(rows: side, columns: side)
        for i in 0..<side { for j in 0..<side { power[i, j] = lq[i, order[j]] } }
        bases[k] = (try? QRDecomposition(power).q) ?? q
        permuteSlices(of: &v, axis: k, order: order)
    }

    /// t[…, j, …] ← t[…, order[j], …] along `axis` of the block's shape.
    private func permuteSlices(of t: inout [Double], axis: Int, order: [Int]) {
        let outer = shape[..<axis].reduce(1, *)
        let side = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        let old = t
        for o in 0..<outer {
            for j in 0..<side {
                let (to, from) = ((o * side + j) * inner, (o * side + order[j]) * inner)
                for i in 0..<inner { t[to + i] = old[from + i] }
            }
        }
    }
}
