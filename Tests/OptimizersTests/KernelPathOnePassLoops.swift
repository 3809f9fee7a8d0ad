import Foundation

/// The element loops of the one-pass methods of issue 18 as they were
/// written in Swift before they moved to CKernels (adaptive_kernel_bodies.h),
/// with each optimizer's per-step constants: the references of
/// KernelPathTests' `onePassCases` (same operations in the same order, one
/// thread, scalar).

private func signum(_ x: Double) -> Double { (x > 0 ? 1.0 : 0.0) - (x < 0 ? 1.0 : 0.0) }
private func torchLerp(_ a: Double, _ b: Double, _ w: Double) -> Double {
    w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
}
private func torchLerpAnyWeight(_ a: Double, _ b: Double, _ w: Double) -> Double {
    Swift.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
}
private func zeros(_ n: Int) -> [Double] { [Double](repeating: 0, count: n) }

struct PlainAdagrad: PlainLoop {
    var lr = 1e-2, lrDecay = 0.0, weightDecay = 0.0, initialAccumulatorValue = 0.0, eps = 1e-10
    var t = 0
    var s: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if s.isEmpty { s = [Double](repeating: initialAccumulatorValue, count: x.count) }
        t += 1
        let negClr = -(lr / (1 + Double(t - 1) * lrDecay)), l2 = weightDecay
        for i in x.indices {
            let xi = x[i]
            let gi = l2 != 0 ? g[i] + l2 * xi : g[i]
            let si = s[i] + gi * gi
            s[i] = si
            x[i] = xi + negClr * gi / ((si).squareRoot() + eps)
        }
    }
}

struct PlainRMSprop: PlainLoop {
    var lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0.0, momentum = 0.0, centered = false
    var v: [Double] = [], b: [Double] = [], a: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if v.isEmpty { (v, b, a) = (zeros(x.count), zeros(x.count), zeros(x.count)) }
        let (al, c, w, l2, mu, negEta) = (alpha, 1 - alpha, 1 - alpha, weightDecay, momentum, -lr)
        for i in x.indices {
            let xi = x[i]
            let gi = l2 != 0 ? g[i] + l2 * xi : g[i]
            let vi = v[i] * al + c * gi * gi
            v[i] = vi
            let avg: Double
            if centered {
                let mi = torchLerp(a[i], gi, w)
                a[i] = mi
                avg = (vi - mi * mi).squareRoot() + eps
            } else {
                avg = vi.squareRoot() + eps
            }
            if momentum > 0 {
                let bi = b[i] * mu + gi / avg
                b[i] = bi
                x[i] = xi + negEta * bi
            } else {
                x[i] = xi + negEta * gi / avg
            }
        }
    }
}

struct PlainAdadelta: PlainLoop {
    var lr = 1.0, rho = 0.9, eps = 1e-6, weightDecay = 0.0
    var v: [Double] = [], u: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if v.isEmpty { (v, u) = (zeros(x.count), zeros(x.count)) }
        let (r, c, l2, negEta) = (rho, 1 - rho, weightDecay, -lr)
        for i in x.indices {
            let xi = x[i]
            let gi = l2 != 0 ? g[i] + l2 * xi : g[i]
            let vi = v[i] * r + c * gi * gi
            v[i] = vi
            let ui = u[i]
            let delta = ((ui + eps) / (vi + eps)).squareRoot() * gi
            u[i] = ui * r + c * delta * delta
            x[i] = xi + negEta * delta
        }
    }
}

struct PlainAdamax: PlainLoop {
    var lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0
    var t = 0
    var m: [Double] = [], u: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, u) = (zeros(x.count), zeros(x.count)) }
        t += 1
        let negClr = -(lr / (1 - pow(beta1, Double(t))))
        let (w1, b2, l2) = (1 - beta1, beta2, weightDecay)
        for i in x.indices {
            let xi = x[i]
            let gi = l2 != 0 ? g[i] + l2 * xi : g[i]
            let mi = torchLerp(m[i], gi, w1)
            m[i] = mi
            let ui = Swift.max(u[i] * b2, Swift.abs(gi) + eps)
            u[i] = ui
            x[i] = xi + negClr * mi / ui
        }
    }
}

struct PlainNAdam: PlainLoop {
    var lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0, momentumDecay = 4e-3
    var decoupledWeightDecay = false
    var t = 0, muProduct = 1.0
    var m: [Double] = [], v: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, v) = (zeros(x.count), zeros(x.count)) }
        t += 1
        let eta = lr, k = Double(t)
        let mu = beta1 * (1 - 0.5 * pow(0.96, k * momentumDecay))
        let muNext = beta1 * (1 - 0.5 * pow(0.96, (k + 1) * momentumDecay))
        muProduct *= mu
        let muProductNext = muProduct * muNext
        let gradCoefficient = -eta * (1 - mu) / (1 - muProduct)
        let momentumCoefficient = -eta * muNext / (1 - muProductNext)
        let invBc2 = 1 / (1 - pow(beta2, k))
        let decoupled = decoupledWeightDecay && weightDecay != 0
        let decay = decoupled ? 1 - eta * weightDecay : 1
        let l2 = decoupled ? 0 : weightDecay
        let (w1, b2, c2) = (1 - beta1, beta2, 1 - beta2)
        for i in x.indices {
            let xi = x[i] * decay
            let gi = l2 != 0 ? g[i] + l2 * xi : g[i]
            let mi = torchLerp(m[i], gi, w1)
            let vi = v[i] * b2 + c2 * gi * gi
            m[i] = mi
            v[i] = vi
            let d = (vi * invBc2).squareRoot() + eps
            x[i] = (xi + gradCoefficient * gi / d) + momentumCoefficient * mi / d
        }
    }
}

struct PlainRAdam: PlainLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0, decoupledWeightDecay = false
    var t = 0
    var m: [Double] = [], v: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, v) = (zeros(x.count), zeros(x.count)) }
        t += 1
        let eta = lr, k = Double(t)
        let beta2t = pow(beta2, k)
        let bc1 = 1 - pow(beta1, k), bc2 = 1 - beta2t
        let rhoInf = 2 / (1 - beta2) - 1
        let rhoT = rhoInf - 2 * k * beta2t / bc2
        let adaptive = rhoT > 5
        let rect = adaptive ? pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5) : 0
        let stepFactor = adaptive ? -(eta / bc1 * pow(bc2, 0.5) * rect) : -(eta / bc1)
        let decoupled = decoupledWeightDecay && weightDecay != 0
        let decay = decoupled ? 1 - eta * weightDecay : 1
        let l2 = decoupled ? 0 : weightDecay
        let (w1, b2, c2) = (1 - beta1, beta2, 1 - beta2)
        for i in x.indices {
            let xi = x[i] * decay
            let gi = l2 != 0 ? g[i] + l2 * xi : g[i]
            let mi = torchLerp(m[i], gi, w1)
            let vi = v[i] * b2 + c2 * gi * gi
            m[i] = mi
            v[i] = vi
            x[i] = adaptive ? xi + stepFactor * mi / (vi.squareRoot() + eps) : xi + stepFactor * mi
        }
    }
}

/// ScheduleFreeAverage's bookkeeping (warm-up, c_{k+1}).
private struct PlainScheduleFreeAverage {
    var warmupSteps = 0, r = 0.0, weightLrPower = 2.0
    var steps = 0, lrMax = -1.0, weightSum = 0.0

    mutating func next(lr: Double) -> (lr: Double, ckp1: Double) {
        let k = steps
        let eta = lr * (k < warmupSteps ? Double(k + 1) / Double(warmupSteps) : 1)
        lrMax = Swift.max(eta, lrMax)
        let weight = pow(Double(k + 1), r) * pow(lrMax, weightLrPower)
        weightSum = weightSum + weight
        steps = k + 1
        return (eta, weightSum == 0 ? 0 : weight / weightSum)
    }
}

struct PlainScheduleFreeAdamW: PlainLoop {
    var lr = 0.0025, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0
    var warmupSteps = 0, r = 0.0
    var t = 0
    private var average: PlainScheduleFreeAverage?
    var z: [Double] = [], v: [Double] = []

    init(lr: Double = 0.0025, weightDecay: Double = 0, warmupSteps: Int = 0, r: Double = 0) {
        (self.lr, self.weightDecay, self.warmupSteps, self.r) = (lr, weightDecay, warmupSteps, r)
    }

    mutating func step(_ y: inout [Double], _ g: [Double]) {
        if z.isEmpty { (z, v) = (y, zeros(y.count)) }
        if average == nil { average = PlainScheduleFreeAverage(warmupSteps: warmupSteps, r: r) }
        t += 1
        let invBc2 = 1 / (1 - pow(beta2, Double(t)))
        let (eta, ckp1) = average!.next(lr: lr)
        let yStep = eta * (beta1 * (1 - ckp1) - 1), negEta = -eta
        let (b2, c2, lambda) = (beta2, 1 - beta2, weightDecay)
        for i in y.indices {
            let gi = g[i]
            let vi = v[i] * b2 + c2 * gi * gi
            v[i] = vi
            var gn = gi / ((vi * invBc2).squareRoot() + eps)
            if lambda != 0 { gn = gn + lambda * y[i] }
            let zi = z[i]
            y[i] = torchLerpAnyWeight(y[i], zi, ckp1) + yStep * gn
            z[i] = zi + negEta * gn
        }
    }
}

struct PlainScheduleFreeSGD: PlainLoop {
    var lr = 1.0, momentum = 0.9, weightDecay = 0.0, warmupSteps = 0, r = 0.0
    private var average: PlainScheduleFreeAverage?
    var z: [Double] = []

    init(lr: Double = 1, weightDecay: Double = 0, warmupSteps: Int = 0, r: Double = 0) {
        (self.lr, self.weightDecay, self.warmupSteps, self.r) = (lr, weightDecay, warmupSteps, r)
    }

    mutating func step(_ y: inout [Double], _ g: [Double]) {
        if z.isEmpty { z = y }
        if average == nil { average = PlainScheduleFreeAverage(warmupSteps: warmupSteps, r: r) }
        let (eta, ckp1) = average!.next(lr: lr)
        let yStep = eta * (momentum * (1 - ckp1) - 1), negEta = -eta
        let lambda = weightDecay
        for i in y.indices {
            let gi = lambda != 0 ? g[i] + lambda * y[i] : g[i]
            let zi = z[i]
            y[i] = torchLerpAnyWeight(y[i], zi, ckp1) + yStep * gi
            z[i] = zi + negEta * gi
        }
    }
}

struct PlainRprop: PlainLoop {
    var lr = 1e-2, etaMinus = 0.5, etaPlus = 1.2, stepMin = 1e-6, stepMax = 50.0
    var previous: [Double] = [], s: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if s.isEmpty { (previous, s) = (zeros(x.count), [Double](repeating: lr, count: x.count)) }
        let (up, down, lo, hi) = (etaPlus, etaMinus, stepMin, stepMax)
        for i in x.indices {
            let gi = g[i]
            let product = gi * previous[i]
            let factor = product > 0 ? up : (product < 0 ? down : 1)
            let si = Swift.min(Swift.max(s[i] * factor, lo), hi)
            s[i] = si
            let gm = factor == down ? 0 : gi
            x[i] = x[i] - signum(gm) * si
            previous[i] = gm
        }
    }
}

struct PlainADOPT: PlainLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.9999, eps = 1e-6, weightDecay = 0.0, decouple = false
    var t = 0
    var m: [Double] = [], v: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if m.isEmpty { (m, v) = (zeros(x.count), zeros(x.count)) }
        t += 1
        let eta = lr
        let clip = t == 1 ? 0 : pow(Double(t - 1), 0.25)
        let l2 = decouple ? 0 : weightDecay
        let decay = decouple && weightDecay != 0 ? -(eta * weightDecay) : 0
        let (w1, b2, c2, negEta) = (1 - beta1, beta2, 1 - beta2, -eta)
        if t == 1 {
            for i in x.indices {
                let gi = l2 != 0 ? g[i] + l2 * x[i] : g[i]
                v[i] = gi * gi
            }
            return
        }
        for i in x.indices {
            let gi = g[i] + l2 * x[i]
            let xi = x[i] + decay * x[i]
            let normed = gi / Swift.max(v[i].squareRoot(), eps)
            let ni = Swift.min(Swift.max(normed, -clip), clip)
            let mi = torchLerp(m[i], ni, w1)
            m[i] = mi
            x[i] = xi + negEta * mi
            v[i] = v[i] * b2 + c2 * gi * gi
        }
    }
}

/// Without the α and β₃ warm-ups (their scalars do not reach the loop differently).
struct PlainAdEMAMix: PlainLoop {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, beta3 = 0.9999, alpha = 2.0, eps = 1e-8, weightDecay = 0.0
    var t = 0
    var fast: [Double] = [], slow: [Double] = [], v: [Double] = []

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        if v.isEmpty { (fast, slow, v) = (zeros(x.count), zeros(x.count), zeros(x.count)) }
        t += 1
        let k = Double(t)
        let invBc1 = 1 / (1 - pow(beta1, k))
        let invBc2Sqrt = 1 / (1 - pow(beta2, k)).squareRoot()
        let (b1, c1, b2, c2, b3, c3, a, lambda, negEta) =
            (beta1, 1 - beta1, beta2, 1 - beta2, beta3, 1 - beta3, alpha, weightDecay, -lr)
        for i in x.indices {
            let gi = g[i]
            let f = fast[i] * b1 + c1 * gi
            let s = slow[i] * b3 + c3 * gi
            let vi = v[i] * b2 + c2 * gi * gi
            fast[i] = f
            slow[i] = s
            v[i] = vi
            var u = (f * invBc1 + a * s) / (vi.squareRoot() * invBc2Sqrt + eps)
            if lambda != 0 { u = u + lambda * x[i] }
            x[i] = x[i] + negEta * u
        }
    }
}
