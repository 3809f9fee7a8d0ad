import Foundation

/// The element loops as they were written in Swift before they moved to the
/// CKernels C target (one thread, scalar, same operations in the same order),
/// together with each optimizer's per-step constants. KernelPathTests holds
/// every instruction-set path of the C kernels to these loops bit for bit.
protocol PlainLoop {
    mutating func step(_ x: inout [Double], _ g: [Double])
}

private func signum(_ x: Double) -> Double { (x > 0 ? 1.0 : 0.0) - (x < 0 ? 1.0 : 0.0) }
private func torchLerp(_ a: Double, _ b: Double, _ w: Double) -> Double {
    w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
}

struct PlainAdam: PlainLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0
    var amsgrad = false, decoupled = false
    var t = 0
    var m: [Double] = [], v: [Double] = [], vMax: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, v, vMax) = (Array(repeating: 0, count: x.count), Array(repeating: 0, count: x.count),
                                       Array(repeating: 0, count: x.count)) }
        t += 1
        let eta = lr * 1
        let s = eta / (1 - pow(beta1, Double(t))), bc2Sqrt = (1 - pow(beta2, Double(t))).squareRoot()
        let l2 = decoupled ? 0 : weightDecay, decay = decoupled ? 1 - eta * weightDecay : 1
        let (w1, b2, c2, invBc) = (1 - beta1, beta2, 1 - beta2, 1 / bc2Sqrt)
        for i in x.indices {
            let xi = x[i] * decay
            let gi = l2 != 0 ? g[i] + l2 * xi : g[i]
            let mi = torchLerp(m[i], gi, w1)
            let vi = v[i] * b2 + c2 * gi * gi
            m[i] = mi
            v[i] = vi
            var vd = vi
            if amsgrad {
                vd = Swift.max(vMax[i], vi)
                vMax[i] = vd
            }
            x[i] = xi - s * mi / (vd.squareRoot() * invBc + eps)
        }
    }
}

struct PlainSGD: PlainLoop {
    var lr = 1e-3, momentum = 0.0, nesterov = false, weightDecay = 0.0
    var t = 0
    var b: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if b.isEmpty { b = Array(repeating: 0, count: x.count) }
        t += 1
        let (mu, wd, first, negEta) = (momentum, weightDecay, t == 1, -(lr * 1))
        for i in x.indices {
            let gi = wd != 0 ? g[i] + wd * x[i] : g[i]
            if mu == 0 {
                x[i] = x[i] + negEta * gi
            } else {
                let bi = first ? gi : b[i] * mu + gi
                b[i] = bi
                let di = nesterov ? gi + mu * bi : bi
                x[i] = x[i] + negEta * di
            }
        }
    }
}

struct PlainLion: PlainLoop {
    var lr = 1e-4, beta1 = 0.9, beta2 = 0.99, weightDecay = 0.0
    var m: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count) }
        let eta = lr * 1
        let (b1, c1, b2, c2, decay, negEta) = (beta1, 1 - beta1, beta2, 1 - beta2, 1 - eta * weightDecay, -eta)
        for i in x.indices {
            let gi = g[i], mi = m[i]
            let c = mi * b1 + gi * c1
            x[i] = x[i] * decay + negEta * signum(c)
            m[i] = mi * b2 + c2 * gi
        }
    }
}

struct PlainGrams: PlainLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-6, weightDecay = 0.0
    var t = 0
    var m: [Double] = [], v: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, v) = (Array(repeating: 0, count: x.count), Array(repeating: 0, count: x.count)) }
        t += 1
        let eta = lr * 1
        let stepSize = eta * (1 - pow(beta2, Double(t))).squareRoot() / (1 - pow(beta1, Double(t)))
        let negStep = -stepSize, decay = -(eta * weightDecay), decays = weightDecay > 0
        let (b1, c1, b2, c2) = (beta1, 1 - beta1, beta2, 1 - beta2)
        for i in x.indices {
            let gi = g[i]
            let xi = decays ? x[i] + decay * x[i] : x[i]
            let mi = m[i] * b1 + c1 * gi
            let vi = v[i] * b2 + c2 * gi * gi
            m[i] = mi
            v[i] = vi
            x[i] = xi + negStep * (signum(gi) * Swift.abs(mi)) / (vi.squareRoot() + eps)
        }
    }
}

struct PlainAdan: PlainLoop {
    var lr = 1e-3, beta1 = 0.98, beta2 = 0.92, beta3 = 0.99, eps = 1e-8, weightDecay = 0.0, maxGradNorm = 0.0
    var t = 0
    var m: [Double] = [], d: [Double] = [], n: [Double] = [], prev: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, d, n, prev) = ([Double](repeating: 0, count: x.count), [Double](repeating: 0, count: x.count),
                                          [Double](repeating: 0, count: x.count), [Double](repeating: 0, count: x.count)) }
        t += 1
        let eta = lr * 1, k = Double(t)
        let clip = maxGradNorm > 0 ? Swift.min(1, maxGradNorm / (sumOfSquares4(g).squareRoot() + eps)) : 1
        let first = t == 1
        let negS = -(eta / (1 - pow(beta1, k)))
        let negSD = -(eta * beta2 / (1 - pow(beta2, k)))
        let invBc3Sqrt = 1 / (1 - pow(beta3, k)).squareRoot()
        let prox = 1 + eta * weightDecay, decays = weightDecay != 0
        let (b1, c1, b2, c2, b3, c3) = (beta1, 1 - beta1, beta2, 1 - beta2, beta3, 1 - beta3)
        for i in x.indices {
            let gi = g[i] * clip
            let diff = first ? 0 : gi - prev[i]
            let mi = m[i] * b1 + c1 * gi
            let di = d[i] * b2 + c2 * diff
            let u = diff * b2 + gi
            let ni = n[i] * b3 + c3 * u * u
            m[i] = mi
            d[i] = di
            n[i] = ni
            prev[i] = gi
            let inv = 1 / (ni.squareRoot() * invBc3Sqrt + eps)
            var xi = x[i] + negS * mi * inv
            xi = xi + negSD * di * inv
            x[i] = decays ? xi / prox : xi
        }
    }

    /// Σ gᵢ² with four interleaved partial sums (Adan.swift's order).
    private func sumOfSquares4(_ g: [Double]) -> Double {
        var s = (0.0, 0.0, 0.0, 0.0)
        let n4 = g.count & ~3
        var i = 0
        while i < n4 {
            s.0 += g[i] * g[i]
            s.1 += g[i + 1] * g[i + 1]
            s.2 += g[i + 2] * g[i + 2]
            s.3 += g[i + 3] * g[i + 3]
            i += 4
        }
        while i < g.count {
            s.0 += g[i] * g[i]
            i += 1
        }
        return (s.0 + s.1) + (s.2 + s.3)
    }
}

struct PlainEXAdam: PlainLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0
    var t = 0
    var m: [Double] = [], v: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, v) = (Array(repeating: 0, count: x.count), Array(repeating: 0, count: x.count)) }
        t += 1
        let eta = lr * 1
        let b1t = pow(beta1, Double(t)), b2t = pow(beta2, Double(t))
        let (invBc1, invBc2) = (1 / (1 - b1t), 1 / (1 - b2t))
        let decay = eta * -weightDecay, decays = weightDecay != 0, negEta = -eta
        let (b1, c1, b2, c2) = (beta1, 1 - beta1, beta2, 1 - beta2)
        for i in x.indices {
            let gi = g[i]
            let xi = decays ? x[i] + decay * x[i] : x[i]
            let mi = m[i] * b1 + c1 * gi
            let vi = v[i] * b2 + c2 * gi * gi
            m[i] = mi
            v[i] = vi
            let vEps = vi + eps
            let m2 = mi * mi
            let d2 = 1 + m2 / (m2 + eps) * b1t
            let vTilde = vi * invBc2 * d2
            let numerator = (mi + gi) * ((vEps + vi * b2t) * invBc1)
            x[i] = xi + negEta * numerator / (vEps * (vTilde.squareRoot() + eps))
        }
    }
}

/// AdamP on 1-D blocks only (no layout: one flat block, never projected).
struct PlainAdamPFlat: PlainLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0, nesterov = false
    var t = 0
    var m: [Double] = [], v: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, v) = (Array(repeating: 0, count: x.count), Array(repeating: 0, count: x.count)) }
        t += 1
        let eta = lr * 1
        let negS = -(eta / (1 - pow(beta1, Double(t)))), invBc = 1 / (1 - pow(beta2, Double(t))).squareRoot()
        let decay = weightDecay > 0 ? 1 - eta * weightDecay : 1
        let (b1, c1, b2, c2) = (beta1, 1 - beta1, beta2, 1 - beta2)
        for i in x.indices {
            let gi = g[i]
            let mi = m[i] * b1 + c1 * gi
            let vi = v[i] * b2 + c2 * gi * gi
            m[i] = mi
            v[i] = vi
            let denom = vi.squareRoot() * invBc + eps
            x[i] = x[i] * decay + negS * ((nesterov ? b1 * mi + c1 * gi : mi) / denom)
        }
    }
}

/// SGDP on 1-D blocks only (no layout: one flat block, never projected).
struct PlainSGDPFlat: PlainLoop {
    var lr = 1e-3, momentum = 0.9, weightDecay = 0.0, nesterov = false
    var b: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if b.isEmpty { b = Array(repeating: 0, count: x.count) }
        let eta = lr * 1, mu = momentum
        let decay = weightDecay != 0 ? 1 - eta * weightDecay * 1 / (1 - momentum) : 1
        for i in x.indices {
            let gi = g[i]
            let bi = b[i] * mu + gi
            b[i] = bi
            x[i] = x[i] * decay + -eta * (nesterov ? gi + mu * bi : bi)
        }
    }
}

/// Cautious AdamW on one flat block (mask from the whole vector's m·g > 0 count).
struct PlainCautiousAdamW: PlainLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 1e-2
    var t = 0
    var m: [Double] = [], v: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, v) = (Array(repeating: 0, count: x.count), Array(repeating: 0, count: x.count)) }
        t += 1
        let eta = lr * 1
        let negStep = -(eta * (1 - pow(beta2, Double(t))).squareRoot() / (1 - pow(beta1, Double(t))))
        let decay = -(eta * weightDecay), decays = weightDecay > 0
        let (b1, c1, b2, c2) = (beta1, 1 - beta1, beta2, 1 - beta2)
        var aligned = 0
        for i in x.indices {
            let gi = g[i]
            let mi = m[i] * b1 + c1 * gi
            m[i] = mi
            v[i] = v[i] * b2 + c2 * gi * gi
            aligned += mi * gi > 0 ? 1 : 0
        }
        let mask = 1 / Swift.max(Double(aligned) / Double(x.count), 1e-3)
        for i in x.indices {
            let mi = m[i]
            let xi = decays ? x[i] + decay * x[i] : x[i]
            let phi = mi * g[i] > 0 ? mask : 0
            x[i] = xi + negStep * ((mi * phi) / (v[i].squareRoot() + eps))
        }
    }
}

/// Cautious Lion on one flat block.
struct PlainCautiousLion: PlainLoop {
    var lr = 1e-4, beta1 = 0.9, beta2 = 0.99, weightDecay = 0.0
    var m: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count) }
        let eta = lr * 1
        let (b1, c1, b2, c2, decay, negEta) = (beta1, 1 - beta1, beta2, 1 - beta2, 1 - eta * weightDecay, -eta)
        var aligned = 0
        for i in x.indices { aligned += signum(m[i] * b1 + g[i] * c1) * g[i] > 0 ? 1 : 0 }
        let mask = Double(x.count) / (Double(aligned) + 1)
        for i in x.indices {
            let gi = g[i], mi = m[i]
            let u = signum(mi * b1 + gi * c1)
            let phi = u * gi > 0 ? mask : 0
            x[i] = x[i] * decay + negEta * (u * phi)
            m[i] = mi * b2 + c2 * gi
        }
    }
}
