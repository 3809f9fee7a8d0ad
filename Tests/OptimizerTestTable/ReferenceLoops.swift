import Foundation

/// Deliberately plain, Array-based transcriptions of each update rule, written
/// from specs/first-order.md (one element at a time, no buffers, no threads),
/// to check the fast kernels. The grid of a block is `rows × rowLength`
/// (rows = 1 for a flat vector); `matrix` says whether the block has more
/// than one dimension (AdamP/SGDP project only those).
public protocol ReferenceLoop {
    mutating func step(_ x: inout [Double], _ g: [Double])
}

private func sign(_ v: Double) -> Double { v > 0 ? 1 : (v < 0 ? -1 : 0) }

/// Adam / AdamW — Kingma & Ba, Algorithm 1; Loshchilov & Hutter, Algorithm 2 (torch form).
struct ReferenceAdam: ReferenceLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0
    var decoupled = false, amsgrad = false
    var m: [Double] = [], v: [Double] = [], vmax: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count); v = m; vmax = m }
        t += 1
        let bc1 = 1 - pow(beta1, Double(t)), bc2 = 1 - pow(beta2, Double(t))
        for i in x.indices {
            var gi = g[i]
            if decoupled { x[i] = x[i] * (1 - lr * weightDecay) } else if weightDecay != 0 { gi += weightDecay * x[i] }
            m[i] = m[i] + (1 - beta1) * (gi - m[i])
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
            vmax[i] = max(vmax[i], v[i])
            let vUsed = amsgrad ? vmax[i] : v[i]
            x[i] = x[i] - (lr / bc1) * m[i] / (sqrt(vUsed) / sqrt(bc2) + eps)
        }
    }
}

/// Adan — Xie et al., Algorithm 1, in the official code's form (b = 1 − β, bias-corrected, ε outside).
struct ReferenceAdan: ReferenceLoop {
    var lr = 1e-3, beta1 = 0.98, beta2 = 0.92, beta3 = 0.99, eps = 1e-8, weightDecay = 0.0, maxGradNorm = 0.0
    var m: [Double] = [], d: [Double] = [], n: [Double] = [], prev: [Double] = [], k = 0

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        var g = g0
        if maxGradNorm > 0 {
            let norm = sqrt(g.reduce(0) { $0 + $1 * $1 })  // (order differs from the kernel)
            let c = min(1, maxGradNorm / (norm + eps))
            g = g.map { $0 * c }
        }
        if m.isEmpty { m = Array(repeating: 0, count: x.count); d = m; n = m; prev = g }
        k += 1
        let bc1 = 1 - pow(beta1, Double(k)), bc2 = 1 - pow(beta2, Double(k)), bc3 = 1 - pow(beta3, Double(k))
        for i in x.indices {
            let diff = g[i] - prev[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            d[i] = beta2 * d[i] + (1 - beta2) * diff
            let u = g[i] + beta2 * diff
            n[i] = beta3 * n[i] + (1 - beta3) * u * u
            let denom = sqrt(n[i]) / sqrt(bc3) + eps
            let upd = (lr / bc1) * m[i] / denom + (lr * beta2 / bc2) * d[i] / denom
            x[i] = (x[i] - upd) / (1 + lr * weightDecay)
        }
        prev = g
    }
}

/// Lion — Chen et al., Algorithm 2; with `cautious`, C-Lion (Liang et al., mask n/(Σ+1)).
struct ReferenceLion: ReferenceLoop {
    var lr = 1e-4, beta1 = 0.9, beta2 = 0.99, weightDecay = 0.0, cautious = false
    var m: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count) }
        var u = x.indices.map { sign(beta1 * m[$0] + (1 - beta1) * g[$0]) }
        if cautious {
            let mask = x.indices.map { u[$0] * g[$0] > 0 ? 1.0 : 0.0 }
            let scale = Double(x.count) / (mask.reduce(0, +) + 1)
            u = x.indices.map { u[$0] * mask[$0] * scale }
        }
        for i in x.indices {
            x[i] = x[i] * (1 - lr * weightDecay) - lr * u[i]
            m[i] = beta2 * m[i] + (1 - beta2) * g[i]
        }
    }
}

/// Grams — Cao, Li, Song, Algorithm 1, official form (ε on the uncorrected √v, decay first).
struct ReferenceGrams: ReferenceLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-6, weightDecay = 0.0
    var m: [Double] = [], v: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count); v = m }
        t += 1
        let s = lr * sqrt(1 - pow(beta2, Double(t))) / (1 - pow(beta1, Double(t)))
        for i in x.indices {
            x[i] -= lr * weightDecay * x[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            x[i] -= s * sign(g[i]) * abs(m[i]) / (sqrt(v[i]) + eps)
        }
    }
}

/// EXAdam — Adly, arXiv:2412.20302 v2, Algorithm 1 (no growing step size), decay first as the code.
struct ReferenceEXAdam: ReferenceLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0
    var m: [Double] = [], v: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count); v = m }
        t += 1
        let b1t = pow(beta1, Double(t)), b2t = pow(beta2, Double(t))
        for i in x.indices {
            x[i] -= lr * weightDecay * x[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            let d1 = 1 + v[i] / (v[i] + eps) * b2t
            let d2 = 1 + m[i] * m[i] / (m[i] * m[i] + eps) * b1t
            let mt = m[i] / (1 - b1t) * d1, vt = v[i] / (1 - b2t) * d2, gt = g[i] / (1 - b1t) * d1
            x[i] -= lr * (mt + gt) / (sqrt(vt) + eps)
        }
    }
}

/// The AdamP/SGDP projection (Heo et al., Algorithms 1–2 with the official |cos|):
/// returns the projected direction and the decay ratio.
func referenceProjection(w: [Double], g: [Double], p: [Double], rows: Int, matrix: Bool,
                         delta: Double, wdRatio: Double, eps: Double) -> ([Double], Double) {
    guard matrix else { return (p, 1) }
    let n = w.count
    for view in [rows, 1] {   // channel view, then layer view
        let len = n / view
        var cosMax = 0.0
        for r in 0..<view {
            let idx = (r * len)..<((r + 1) * len)
            let gw = idx.reduce(0.0) { $0 + g[$1] * w[$1] }
            let gn = sqrt(idx.reduce(0.0) { $0 + g[$1] * g[$1] }), wn = sqrt(idx.reduce(0.0) { $0 + w[$1] * w[$1] })
            cosMax = max(cosMax, abs(gw) / (max(gn, eps) * max(wn, eps)))
        }
        if cosMax < delta / sqrt(Double(len)) {
            var q = p
            for r in 0..<view {
                let idx = (r * len)..<((r + 1) * len)
                let wn = sqrt(idx.reduce(0.0) { $0 + w[$1] * w[$1] }) + eps
                let c = idx.reduce(0.0) { $0 + w[$1] / wn * p[$1] }
                for j in idx { q[j] = p[j] - w[j] / wn * c }
            }
            return (q, wdRatio)
        }
    }
    return (p, 1)
}

/// AdamP — Heo et al., Algorithm 2 (official code: |cos|, decay after the test).
public struct ReferenceAdamP: ReferenceLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0, delta = 0.1, wdRatio = 0.1
    var nesterov = false, rows = 1, matrix = false
    var m: [Double] = [], v: [Double] = [], t = 0

    public mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count); v = m }
        t += 1
        let bc1 = 1 - pow(beta1, Double(t)), bc2 = 1 - pow(beta2, Double(t))
        var p = x
        for i in x.indices {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            let denom = sqrt(v[i]) / sqrt(bc2) + eps
            p[i] = nesterov ? (beta1 * m[i] + (1 - beta1) * g[i]) / denom : m[i] / denom
        }
        let (q, r) = referenceProjection(w: x, g: g, p: p, rows: rows, matrix: matrix,
                                         delta: delta, wdRatio: wdRatio, eps: eps)
        for i in x.indices {
            if weightDecay > 0 { x[i] *= 1 - lr * weightDecay * r }
            x[i] -= lr / bc1 * q[i]
        }
    }
}

/// SGDP — Heo et al., Algorithm 1 (official: buffer from zero, decay /(1 − μ), in-place projection of b).
struct ReferenceSGDP: ReferenceLoop {
    var lr = 0.1, momentum = 0.9, weightDecay = 0.0, nesterov = false, delta = 0.1, wdRatio = 0.1
    var rows = 1, matrix = false
    var b: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if b.isEmpty { b = Array(repeating: 0, count: x.count) }
        for i in x.indices { b[i] = momentum * b[i] + g[i] }
        let d = nesterov ? x.indices.map { g[$0] + momentum * b[$0] } : b
        let (q, r) = referenceProjection(w: x, g: g, p: d, rows: rows, matrix: matrix,
                                         delta: delta, wdRatio: wdRatio, eps: 1e-8)
        if !nesterov { b = q }
        for i in x.indices {
            if weightDecay != 0 { x[i] *= 1 - lr * weightDecay * r / (1 - momentum) }
            x[i] -= lr * q[i]
        }
    }
}

/// SGD with momentum/Nesterov and L2 decay (torch form: b₁ = g).
struct ReferenceSGD: ReferenceLoop {
    var lr = 0.1, momentum = 0.0, nesterov = false, weightDecay = 0.0
    var b: [Double] = []

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        let g = x.indices.map { g0[$0] + weightDecay * x[$0] }
        guard momentum != 0 else {
            for i in x.indices { x[i] -= lr * g[i] }
            return
        }
        b = b.isEmpty ? g : x.indices.map { momentum * b[$0] + g[$0] }
        for i in x.indices { x[i] -= lr * (nesterov ? g[i] + momentum * b[i] : b[i]) }
    }
}

/// C-AdamW — Liang et al., arXiv:2411.16085 (official c_adamw.py: E-hat, mask / max(mean, 1e-3)).
struct ReferenceCautiousAdamW: ReferenceLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 1e-2
    var m: [Double] = [], v: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count); v = m }
        t += 1
        let s = lr * sqrt(1 - pow(beta2, Double(t))) / (1 - pow(beta1, Double(t)))
        for i in x.indices {
            x[i] -= lr * weightDecay * x[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
        }
        let mask = x.indices.map { m[$0] * g[$0] > 0 ? 1.0 : 0.0 }
        let scale = max(mask.reduce(0, +) / Double(x.count), 1e-3)
        for i in x.indices { x[i] -= s * m[i] * (mask[i] / scale) / (sqrt(v[i]) + eps) }
    }
}

/// ADOPT — Taniguchi et al., Algorithm 1 with the official clip (t−1)^¼ (first call only sets v).
struct ReferenceADOPT: ReferenceLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.9999, eps = 1e-6, weightDecay = 0.0, decouple = false
    var m: [Double] = [], v: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        let g = decouple ? g0 : x.indices.map { g0[$0] + weightDecay * x[$0] }
        t += 1
        if t == 1 {
            m = Array(repeating: 0, count: x.count)
            v = g.map { $0 * $0 }
            return
        }
        let clip = pow(Double(t - 1), 0.25)
        for i in x.indices {
            if decouple { x[i] -= lr * weightDecay * x[i] }
            let n = min(max(g[i] / max(sqrt(v[i]), eps), -clip), clip)
            m[i] = beta1 * m[i] + (1 - beta1) * n
            x[i] -= lr * m[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
        }
    }
}

/// AdEMAMix — Pagliardini et al., Algorithm 1 (no warm-ups).
struct ReferenceAdEMAMix: ReferenceLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, beta3 = 0.9999, alpha = 2.0, eps = 1e-8, weightDecay = 0.0
    var m1: [Double] = [], m2: [Double] = [], v: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m1.isEmpty { m1 = Array(repeating: 0, count: x.count); m2 = m1; v = m1 }
        t += 1
        let bc1 = 1 - pow(beta1, Double(t)), bc2 = 1 - pow(beta2, Double(t))
        for i in x.indices {
            m1[i] = beta1 * m1[i] + (1 - beta1) * g[i]
            m2[i] = beta3 * m2[i] + (1 - beta3) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            let u = (m1[i] / bc1 + alpha * m2[i]) / (sqrt(v[i] / bc2) + eps)
            x[i] -= lr * (u + weightDecay * x[i])
        }
    }
}

/// MARS — Yuan et al., Algorithm 1 (official mars.py): a matrix block takes the
/// variance-reduced AdamW/Lion step, a vector block AdamW with the 1-D keys.
struct ReferenceMARS: ReferenceLoop {
    var lr = 3e-3, beta1 = 0.95, beta2 = 0.99, eps = 1e-8, weightDecay = 0.0, gamma = 0.025, lion = false
    var lr1D = 3e-3, beta1For1D = 0.9, beta2For1D = 0.95, weightDecay1D = 0.1, matrix = false
    var m: [Double] = [], v: [Double] = [], last: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count); v = m; last = m }
        t += 1
        if matrix {
            var c = x.indices.map { g[$0] + gamma * beta1 / (1 - beta1) * (g[$0] - last[$0]) }
            let norm = sqrt(c.reduce(0) { $0 + $1 * $1 })
            if norm > 1 { c = c.map { $0 / norm } }
            let bc1 = 1 - pow(beta1, Double(t)), bc2 = 1 - pow(beta2, Double(t))
            for i in x.indices {
                m[i] = beta1 * m[i] + (1 - beta1) * c[i]
                v[i] = beta2 * v[i] + (1 - beta2) * c[i] * c[i]
                let direction = lion ? sign(m[i]) : (m[i] / bc1) / (sqrt(v[i] / bc2) + eps)
                x[i] -= lr * (weightDecay * x[i] + direction)
            }
            last = g
        } else {
            let bc1 = 1 - pow(beta1For1D, Double(t)), bc2 = 1 - pow(beta2For1D, Double(t))
            for i in x.indices {
                m[i] = beta1For1D * m[i] + (1 - beta1For1D) * g[i]
                v[i] = beta2For1D * v[i] + (1 - beta2For1D) * g[i] * g[i]
                x[i] -= lr1D * (weightDecay1D * x[i] + (m[i] / bc1) / (sqrt(v[i] / bc2) + eps))
            }
        }
    }
}

/// Schedule-Free SGD / AdamW — Defazio et al., Algorithm 1 written with y and z
/// (x = (y − (1−β)z)/β is implied), the official c_{k+1} = w_k/Σw weights.
struct ReferenceScheduleFree: ReferenceLoop {
    var lr = 1.0, beta = 0.9, weightDecay = 0.0, warmupSteps = 0, r = 0.0, weightLrPower = 2.0
    /// nil: SGD; else AdamW's (β₂, ε).
    var adam: (beta2: Double, eps: Double)? = nil
    var z: [Double] = [], v: [Double] = [], k = 0, lrMax = -1.0, weightSum = 0.0

    mutating func step(_ y: inout [Double], _ g: [Double]) {
        if z.isEmpty { z = y; v = Array(repeating: 0, count: y.count) }
        let eta = lr * (k < warmupSteps ? Double(k + 1) / Double(warmupSteps) : 1)
        lrMax = max(lrMax, eta)
        let weight = pow(Double(k + 1), r) * pow(lrMax, weightLrPower)
        weightSum += weight
        let c = weight / weightSum
        for i in y.indices {
            var d = g[i]
            if let adam {
                v[i] = adam.beta2 * v[i] + (1 - adam.beta2) * g[i] * g[i]
                d = g[i] / (sqrt(v[i] / (1 - pow(adam.beta2, Double(k + 1)))) + adam.eps)
            }
            d += weightDecay * y[i]
            let x = (y[i] - (1 - beta) * z[i]) / beta           // the average before the step
            let zNew = z[i] - eta * d
            let xNew = (1 - c) * x + c * zNew
            y[i] = (1 - beta) * zNew + beta * xNew
            z[i] = zNew
        }
        k += 1
    }
}

/// Prodigy — Mishchenko & Defazio, Algorithm 4 in the official prodigy.py form (r, s, d̂ = r/‖s‖₁).
struct ReferenceProdigy: ReferenceLoop {
    var lr = 1.0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0, d0 = 1e-6, biasCorrection = false
    var m: [Double] = [], v: [Double] = [], s: [Double] = [], x0: [Double] = []
    var d = 1e-6, dMax = 1e-6, r = 0.0, k = 0

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        let beta3 = sqrt(beta2)
        if m.isEmpty { m = Array(repeating: 0, count: x.count); v = m; s = m; x0 = x; d = d0; dMax = d0 }
        let bc = biasCorrection ? sqrt(1 - pow(beta2, Double(k + 1))) / (1 - pow(beta1, Double(k + 1))) : 1
        let dlr = d * lr * bc
        // The sums in the kernel's fixed order (lane i mod 4, (l₀ + l₁) + (l₂ + l₃); one
        // segment here): d is sensitive on the quadratic, so the order is part of the rule.
        var dots = [0.0, 0.0, 0.0, 0.0], sums = [0.0, 0.0, 0.0, 0.0]
        let vectorEnd = x.count / 4 * 4
        for i in x.indices {
            m[i] = beta1 * m[i] + d * (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + d * d * (1 - beta2) * g[i] * g[i]
            s[i] = beta3 * s[i] + d / d0 * dlr * g[i]
            let lane = i < vectorEnd ? i % 4 : 0
            dots[lane] += g[i] * (x0[i] - x[i])
            sums[lane] += abs(s[i])
        }
        let dot = (dots[0] + dots[1]) + (dots[2] + dots[3]), sAbs = (sums[0] + sums[1]) + (sums[2] + sums[3])
        r = beta3 * r + d / d0 * dlr * dot
        let dHat = r / sAbs
        if d == d0 { d = max(d, dHat) }
        dMax = max(dMax, dHat)
        d = dMax
        for i in x.indices {
            x[i] -= weightDecay * dlr * x[i]
            x[i] += -dlr * (m[i] / (sqrt(v[i]) + d * eps))   // torch's addcdiv order (d is sensitive on the quadratic)
        }
        k += 1
    }
}

extension ReferenceAdamP {
    /// The projection-path test builds one directly.
    public init(lr: Double, weightDecay: Double, rows: Int, matrix: Bool) {
        self.init()
        (self.lr, self.weightDecay, self.rows, self.matrix) = (lr, weightDecay, rows, matrix)
    }
}
