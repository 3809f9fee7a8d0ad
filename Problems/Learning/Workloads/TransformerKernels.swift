import LinearAlgebra
import RealModule

/// A fully connected layer y = x·Wᵀ + b on row-major batches (W is
/// [out, in], as in the layout), with the four passes the R-operator needs:
/// forward, tangent forward, backward and tangent backward. Parameter
/// gradients accumulate (β = 1) into a zeroed gradient vector, so a tied
/// weight can collect from two uses.
struct LinearMap: Sendable {
    let inputs: Int
    let outputs: Int
    let weightOffset: Int
    /// nil: no bias (the language-model head).
    let biasOffset: Int?

    typealias Pointer = UnsafeMutablePointer<Double>

    /// y ← x·Wᵀ + b (`accumulate`: y += x·Wᵀ + b, a residual connection).
    func forward(_ w: UnsafePointer<Double>, _ x: UnsafePointer<Double>, rows: Int, accumulate: Bool = false,
                 into y: Pointer) {
        var beta = accumulate ? 1.0 : 0.0
        if let biasOffset {
            let b = w + biasOffset
            if accumulate {
                for r in 0..<rows { let row = y + r * outputs; for k in 0..<outputs { row[k] += b[k] } }
            } else {
                for r in 0..<rows { (y + r * outputs).update(from: b, count: outputs) }
            }
            beta = 1
        }
        BLAS.gemm(m: rows, n: outputs, k: inputs, alpha: 1, a: x, lda: inputs, transposeA: false,
                  b: w + weightOffset, ldb: inputs, transposeB: true, beta: beta, c: y, ldc: outputs)
    }

    /// R{y} ← R{x}·Wᵀ + x·Vᵀ + v_b (`rx` nil: the input does not depend on
    /// the parameters; `accumulate`: R{y} +=).
    func tangentForward(_ w: UnsafePointer<Double>, _ v: UnsafePointer<Double>, _ x: UnsafePointer<Double>,
                        _ rx: UnsafePointer<Double>?, rows: Int, accumulate: Bool = false, into ry: Pointer) {
        forward(v, x, rows: rows, accumulate: accumulate, into: ry)
        if let rx {
            BLAS.gemm(m: rows, n: outputs, k: inputs, alpha: 1, a: rx, lda: inputs, transposeA: false,
                      b: w + weightOffset, ldb: inputs, transposeB: true, beta: 1, c: ry, ldc: outputs)
        }
    }

    /// g_W += scale·δᵀx, g_b += scale·Σ δ.
    func accumulateGradient(delta: UnsafePointer<Double>, _ x: UnsafePointer<Double>, rows: Int, scale: Double,
                            into g: Pointer) {
        BLAS.gemm(m: outputs, n: inputs, k: rows, alpha: scale, a: delta, lda: outputs, transposeA: true,
                  b: x, ldb: inputs, transposeB: false, beta: 1, c: g + weightOffset, ldc: inputs)
        if let biasOffset { Self.addColumnSums(delta, rows: rows, columns: outputs, scale: scale, into: g + biasOffset) }
    }

    /// H·v contribution: scale·(R{δ}ᵀx + δᵀR{x}) and scale·Σ R{δ}.
    func accumulateTangentGradient(delta: UnsafePointer<Double>, rDelta: UnsafePointer<Double>,
                                   _ x: UnsafePointer<Double>, _ rx: UnsafePointer<Double>?, rows: Int, scale: Double,
                                   into hv: Pointer) {
        accumulateGradient(delta: rDelta, x, rows: rows, scale: scale, into: hv)
        if let rx {
            BLAS.gemm(m: outputs, n: inputs, k: rows, alpha: scale, a: delta, lda: outputs, transposeA: true,
                      b: rx, ldb: inputs, transposeB: false, beta: 1, c: hv + weightOffset, ldc: inputs)
        }
    }

    /// dx ← δ·W + β·dx.
    func inputGradient(_ w: UnsafePointer<Double>, delta: UnsafePointer<Double>, rows: Int, beta: Double, into dx: Pointer) {
        BLAS.gemm(m: rows, n: inputs, k: outputs, alpha: 1, a: delta, lda: outputs, transposeA: false,
                  b: w + weightOffset, ldb: inputs, transposeB: false, beta: beta, c: dx, ldc: inputs)
    }

    /// R{dx} ← R{δ}·W + δ·V + β·R{dx}.
    func tangentInputGradient(_ w: UnsafePointer<Double>, _ v: UnsafePointer<Double>, delta: UnsafePointer<Double>,
                              rDelta: UnsafePointer<Double>, rows: Int, beta: Double, into rdx: Pointer) {
        inputGradient(w, delta: rDelta, rows: rows, beta: beta, into: rdx)
        inputGradient(v, delta: delta, rows: rows, beta: 1, into: rdx)
    }

    static func addColumnSums(_ m: UnsafePointer<Double>, rows: Int, columns: Int, scale: Double, into out: Pointer) {
        for r in 0..<rows {
            let row = m + r * columns
            for k in 0..<columns { out[k] += scale * row[k] }
        }
    }
}

/// LayerNorm over the last dimension (biased variance, ε = 1e-5, as
/// `torch.nn.LayerNorm`): y = x̂·γ + β, x̂ = (x − μ)·ρ, ρ = (σ² + ε)^(−1/2).
/// The normalisation's Jacobian ρ(I − 11ᵀ/d − x̂x̂ᵀ/d) is symmetric, so the
/// backward pass and the tangent forward pass apply the same map.
enum LayerNormKernel {
    static let epsilon = 1e-5
    typealias Pointer = UnsafeMutablePointer<Double>

    static func forward(_ x: UnsafePointer<Double>, rows: Int, width d: Int, gamma: UnsafePointer<Double>,
                        beta: UnsafePointer<Double>, hat: Pointer, rstd: Pointer, out: Pointer) {
        let inv = 1 / Double(d)
        for r in 0..<rows {
            let xr = x + r * d, h = hat + r * d, y = out + r * d
            var mean = 0.0
            for j in 0..<d { mean += xr[j] }
            mean *= inv
            var variance = 0.0
            for j in 0..<d { let c = xr[j] - mean; variance += c * c }
            let rho = 1 / (variance * inv + epsilon).squareRoot()
            rstd[r] = rho
            for j in 0..<d {
                h[j] = (xr[j] - mean) * rho
                y[j] = h[j] * gamma[j] + beta[j]
            }
        }
    }

    /// out ← ρ(u − mean(u) − x̂·mean(x̂⊙u)) per row (`accumulate`: out +=).
    @inline(__always)
    static func normalisationJacobian(_ u: UnsafePointer<Double>, hat: UnsafePointer<Double>, rho: Double, width d: Int,
                                      accumulate: Bool, into out: Pointer) {
        var a = 0.0, b = 0.0
        for j in 0..<d { a += u[j]; b += hat[j] * u[j] }
        a /= Double(d)
        b /= Double(d)
        if accumulate {
            for j in 0..<d { out[j] += rho * (u[j] - a - hat[j] * b) }
        } else {
            for j in 0..<d { out[j] = rho * (u[j] - a - hat[j] * b) }
        }
    }

    /// R{x̂} = J·R{x}, R{ρ} = −ρ²·mean(x̂⊙R{x}), R{y} = R{x̂}γ + x̂·v_γ + v_β.
    static func tangentForward(hat: UnsafePointer<Double>, rstd: UnsafePointer<Double>, _ rx: UnsafePointer<Double>,
                               rows: Int, width d: Int, gamma: UnsafePointer<Double>, vGamma: UnsafePointer<Double>,
                               vBeta: UnsafePointer<Double>, rHat: Pointer, rRstd: Pointer, rOut: Pointer) {
        for r in 0..<rows {
            let h = hat + r * d, u = rx + r * d, rh = rHat + r * d, ry = rOut + r * d
            normalisationJacobian(u, hat: h, rho: rstd[r], width: d, accumulate: false, into: rh)
            var b = 0.0
            for j in 0..<d { b += h[j] * u[j] }
            rRstd[r] = -rstd[r] * rstd[r] * b / Double(d)
            for j in 0..<d { ry[j] = rh[j] * gamma[j] + h[j] * vGamma[j] + vBeta[j] }
        }
    }

    /// dx += J·(dy⊙γ); g_γ += scale·Σ dy⊙x̂; g_β += scale·Σ dy. `scratch` holds d values.
    static func backward(hat: UnsafePointer<Double>, rstd: UnsafePointer<Double>, dy: UnsafePointer<Double>,
                         rows: Int, width d: Int, gamma: UnsafePointer<Double>, scale: Double,
                         gGamma: Pointer, gBeta: Pointer, scratch: Pointer, dx: Pointer) {
        for r in 0..<rows {
            let h = hat + r * d, g = dy + r * d
            for j in 0..<d {
                scratch[j] = g[j] * gamma[j]
                gGamma[j] += scale * g[j] * h[j]
                gBeta[j] += scale * g[j]
            }
            normalisationJacobian(scratch, hat: h, rho: rstd[r], width: d, accumulate: true, into: dx + r * d)
        }
    }

    /// The R-operator of ``backward``: with u = dy⊙γ, R{u} = R{dy}⊙γ + dy⊙v_γ,
    /// a = mean u, b = mean x̂⊙u:
    /// R{dx} += R{ρ}(u − a − x̂b) + ρ(R{u} − R{a} − R{x̂}b − x̂R{b});
    /// h_γ += scale·Σ(R{dy}⊙x̂ + dy⊙R{x̂}); h_β += scale·Σ R{dy}.
    static func tangentBackward(hat: UnsafePointer<Double>, rstd: UnsafePointer<Double>, rHat: UnsafePointer<Double>,
                                rRstd: UnsafePointer<Double>, dy: UnsafePointer<Double>, rdy: UnsafePointer<Double>,
                                rows: Int, width d: Int, gamma: UnsafePointer<Double>, vGamma: UnsafePointer<Double>,
                                scale: Double, hGamma: Pointer, hBeta: Pointer, rdx: Pointer) {
        let inv = 1 / Double(d)
        for r in 0..<rows {
            let h = hat + r * d, rh = rHat + r * d, g = dy + r * d, rg = rdy + r * d, out = rdx + r * d
            var a = 0.0, b = 0.0, ra = 0.0, rb = 0.0
            for j in 0..<d {
                let u = g[j] * gamma[j], ru = rg[j] * gamma[j] + g[j] * vGamma[j]
                a += u
                b += h[j] * u
                ra += ru
                rb += rh[j] * u + h[j] * ru
                hGamma[j] += scale * (rg[j] * h[j] + g[j] * rh[j])
                hBeta[j] += scale * rg[j]
            }
            a *= inv
            b *= inv
            ra *= inv
            rb *= inv
            let rho = rstd[r], rRho = rRstd[r]
            for j in 0..<d {
                let u = g[j] * gamma[j], ru = rg[j] * gamma[j] + g[j] * vGamma[j]
                out[j] += rRho * (u - a - h[j] * b) + rho * (ru - ra - rh[j] * b - h[j] * rb)
            }
        }
    }
}

/// GELU, tanh form (`torch.nn.functional.gelu(approximate="tanh")`):
/// g(u) = ½u(1 + tanh k(u)), k(u) = √(2/π)(u + 0.044715u³).
enum GELU {
    static let c = (2 / Double.pi).squareRoot()
    static let a = 0.044715

    /// tanh k(u), through ``Activation/fastTanh(_:)`` (exp-based, within 1e-15 of libm's tanh).
    @inline(__always) static func tanhOfK(_ u: Double) -> Double {
        Activation.fastTanh(c * (u + a * u * u * u))
    }

    /// g(u) from t = tanh k(u).
    @inline(__always) static func value(_ u: Double, tanh t: Double) -> Double { 0.5 * u * (1 + t) }

    /// (g′(u), g″(u)) from t = tanh k(u): g′ = ½(1 + t) + ½u(1 − t²)k′,
    /// g″ = (1 − t²)(k′ − u·t·k′² + ½u·k″), k′ = c(1 + 3au²), k″ = 6acu.
    @inline(__always) static func derivatives(_ u: Double, tanh t: Double) -> (Double, Double) {
        let s = 1 - t * t
        let k1 = c * (1 + 3 * a * u * u), k2 = 6 * a * c * u
        return (0.5 * (1 + t) + 0.5 * u * s * k1, s * (k1 - u * t * k1 * k1 + 0.5 * u * k2))
    }
}

/// Causal softmax attention of one (sequence, head): S = s·QKᵀ with
/// s = 1/√d_head, P = softmax over j ≤ i (zero above the diagonal), O = P·V.
/// Q, K, V are strided views into the fused QKV rows (leading dimension 3d);
/// O is a view into the attention output rows (leading dimension d).
struct CausalAttentionHead {
    let length: Int
    let headWidth: Int
    /// Leading dimension of Q/K/V (3d) and of O (d).
    let qkvStride: Int
    let outStride: Int
    var scale: Double { 1 / Double(headWidth).squareRoot() }
    typealias Pointer = UnsafeMutablePointer<Double>

    /// P (length × length) and O.
    func forward(q: UnsafePointer<Double>, k: UnsafePointer<Double>, v: UnsafePointer<Double>,
                 probabilities p: Pointer, out o: Pointer) {
        let t = length
        BLAS.gemm(m: t, n: t, k: headWidth, alpha: scale, a: q, lda: qkvStride, transposeA: false,
                  b: k, ldb: qkvStride, transposeB: true, beta: 0, c: p, ldc: t)
        for i in 0..<t {
            let row = p + i * t
            var m = row[0]
            for j in 0...i where row[j] > m { m = row[j] }
            var sum = 0.0
            for j in 0...i { row[j] = Double.exp(row[j] - m); sum += row[j] }
            let inv = 1 / sum
            for j in 0...i { row[j] *= inv }
            for j in (i + 1)..<t { row[j] = 0 }
        }
        BLAS.gemm(m: t, n: headWidth, k: t, alpha: 1, a: p, lda: t, transposeA: false,
                  b: v, ldb: qkvStride, transposeB: false, beta: 0, c: o, ldc: outStride)
    }

    /// R{S} = s(R{Q}Kᵀ + QR{K}ᵀ); R{P} = P⊙(R{S} − rowsum(P⊙R{S})); R{O} = R{P}V + P·R{V}.
    func tangentForward(q: UnsafePointer<Double>, k: UnsafePointer<Double>, v: UnsafePointer<Double>,
                        probabilities p: UnsafePointer<Double>, rq: UnsafePointer<Double>, rk: UnsafePointer<Double>,
                        rv: UnsafePointer<Double>, rProbabilities rp: Pointer, rOut ro: Pointer) {
        let t = length
        BLAS.gemm(m: t, n: t, k: headWidth, alpha: scale, a: rq, lda: qkvStride, transposeA: false,
                  b: k, ldb: qkvStride, transposeB: true, beta: 0, c: rp, ldc: t)
        BLAS.gemm(m: t, n: t, k: headWidth, alpha: scale, a: q, lda: qkvStride, transposeA: false,
                  b: rk, ldb: qkvStride, transposeB: true, beta: 1, c: rp, ldc: t)
        for i in 0..<t {
            let row = rp + i * t, pr = p + i * t
            var dot = 0.0
            for j in 0...i { dot += pr[j] * row[j] }
            for j in 0...i { row[j] = pr[j] * (row[j] - dot) }
            for j in (i + 1)..<t { row[j] = 0 }
        }
        BLAS.gemm(m: t, n: headWidth, k: t, alpha: 1, a: rp, lda: t, transposeA: false,
                  b: v, ldb: qkvStride, transposeB: false, beta: 0, c: ro, ldc: outStride)
        BLAS.gemm(m: t, n: headWidth, k: t, alpha: 1, a: p, lda: t, transposeA: false,
                  b: rv, ldb: qkvStride, transposeB: false, beta: 1, c: ro, ldc: outStride)
    }

    /// From dO: dV = PᵀdO, dS = P⊙(dP − rowsum(P⊙dP)) with dP = dO·Vᵀ,
    /// dQ = s·dS·K, dK = s·dSᵀQ (written, not accumulated). `scores` holds length² values.
    func backward(q: UnsafePointer<Double>, k: UnsafePointer<Double>, v: UnsafePointer<Double>,
                  probabilities p: UnsafePointer<Double>, dOut: UnsafePointer<Double>,
                  dq: Pointer, dk: Pointer, dv: Pointer, scores ds: Pointer) {
        let t = length
        BLAS.gemm(m: t, n: t, k: headWidth, alpha: 1, a: dOut, lda: outStride, transposeA: false,
                  b: v, ldb: qkvStride, transposeB: true, beta: 0, c: ds, ldc: t)
        BLAS.gemm(m: t, n: headWidth, k: t, alpha: 1, a: p, lda: t, transposeA: true,
                  b: dOut, ldb: outStride, transposeB: false, beta: 0, c: dv, ldc: qkvStride)
        for i in 0..<t {
            let row = ds + i * t, pr = p + i * t
            var dot = 0.0
            for j in 0...i { dot += pr[j] * row[j] }
            for j in 0...i { row[j] = pr[j] * (row[j] - dot) }
            for j in (i + 1)..<t { row[j] = 0 }
        }
        BLAS.gemm(m: t, n: headWidth, k: t, alpha: scale, a: ds, lda: t, transposeA: false,
                  b: k, ldb: qkvStride, transposeB: false, beta: 0, c: dq, ldc: qkvStride)
        BLAS.gemm(m: t, n: headWidth, k: t, alpha: scale, a: ds, lda: t, transposeA: true,
                  b: q, ldb: qkvStride, transposeB: false, beta: 0, c: dk, ldc: qkvStride)
    }

    /// ``backward`` and its R-operator together (tangents `r…`); `scores`
    /// and `rScores` hold length² values each.
    func tangentBackward(q: UnsafePointer<Double>, k: UnsafePointer<Double>, v: UnsafePointer<Double>,
                         probabilities p: UnsafePointer<Double>, dOut: UnsafePointer<Double>,
                         rq: UnsafePointer<Double>, rk: UnsafePointer<Double>, rv: UnsafePointer<Double>,
                         rProbabilities rp: UnsafePointer<Double>, rdOut: UnsafePointer<Double>,
                         dq: Pointer, dk: Pointer, dv: Pointer, rdq: Pointer, rdk: Pointer, rdv: Pointer,
                         scores ds: Pointer, rScores rds: Pointer) {
        let t = length, w = headWidth
        // dP = dO·Vᵀ; R{dP} = R{dO}·Vᵀ + dO·R{V}ᵀ.
        BLAS.gemm(m: t, n: t, k: w, alpha: 1, a: dOut, lda: outStride, transposeA: false,
                  b: v, ldb: qkvStride, transposeB: true, beta: 0, c: ds, ldc: t)
        BLAS.gemm(m: t, n: t, k: w, alpha: 1, a: rdOut, lda: outStride, transposeA: false,
                  b: v, ldb: qkvStride, transposeB: true, beta: 0, c: rds, ldc: t)
        BLAS.gemm(m: t, n: t, k: w, alpha: 1, a: dOut, lda: outStride, transposeA: false,
                  b: rv, ldb: qkvStride, transposeB: true, beta: 1, c: rds, ldc: t)
        // dV = PᵀdO; R{dV} = R{P}ᵀdO + PᵀR{dO}.
        BLAS.gemm(m: t, n: w, k: t, alpha: 1, a: p, lda: t, transposeA: true,
                  b: dOut, ldb: outStride, transposeB: false, beta: 0, c: dv, ldc: qkvStride)
        BLAS.gemm(m: t, n: w, k: t, alpha: 1, a: rp, lda: t, transposeA: true,
                  b: dOut, ldb: outStride, transposeB: false, beta: 0, c: rdv, ldc: qkvStride)
        BLAS.gemm(m: t, n: w, k: t, alpha: 1, a: p, lda: t, transposeA: true,
                  b: rdOut, ldb: outStride, transposeB: false, beta: 1, c: rdv, ldc: qkvStride)
        // dS = P⊙(dP − c), c = rowsum(P⊙dP); R{dS} = R{P}⊙(dP − c) + P⊙(R{dP} − R{c}).
        for i in 0..<t {
            let row = ds + i * t, rrow = rds + i * t, pr = p + i * t, rpr = rp + i * t
            var c = 0.0, rc = 0.0
            for j in 0...i {
                c += pr[j] * row[j]
                rc += rpr[j] * row[j] + pr[j] * rrow[j]
            }
            for j in 0...i {
                let e = row[j] - c
                rrow[j] = rpr[j] * e + pr[j] * (rrow[j] - rc)
                row[j] = pr[j] * e
            }
            for j in (i + 1)..<t { row[j] = 0; rrow[j] = 0 }
        }
        let s = scale
        // dQ = s·dS·K; R{dQ} = s(R{dS}·K + dS·R{K}).
        BLAS.gemm(m: t, n: w, k: t, alpha: s, a: ds, lda: t, transposeA: false,
                  b: k, ldb: qkvStride, transposeB: false, beta: 0, c: dq, ldc: qkvStride)
        BLAS.gemm(m: t, n: w, k: t, alpha: s, a: rds, lda: t, transposeA: false,
                  b: k, ldb: qkvStride, transposeB: false, beta: 0, c: rdq, ldc: qkvStride)
        BLAS.gemm(m: t, n: w, k: t, alpha: s, a: ds, lda: t, transposeA: false,
                  b: rk, ldb: qkvStride, transposeB: false, beta: 1, c: rdq, ldc: qkvStride)
        // dK = s·dSᵀQ; R{dK} = s(R{dS}ᵀQ + dSᵀR{Q}).
        BLAS.gemm(m: t, n: w, k: t, alpha: s, a: ds, lda: t, transposeA: true,
                  b: q, ldb: qkvStride, transposeB: false, beta: 0, c: dk, ldc: qkvStride)
        BLAS.gemm(m: t, n: w, k: t, alpha: s, a: rds, lda: t, transposeA: true,
                  b: q, ldb: qkvStride, transposeB: false, beta: 0, c: rdk, ldc: qkvStride)
        BLAS.gemm(m: t, n: w, k: t, alpha: s, a: ds, lda: t, transposeA: true,
                  b: rq, ldb: qkvStride, transposeB: false, beta: 1, c: rdk, ldc: qkvStride)
    }
}
