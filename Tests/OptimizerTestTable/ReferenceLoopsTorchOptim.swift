import Foundation

/// Plain Array transcriptions of torch.optim's single-tensor update rules
/// (torch 2.15.0, torch/optim/*.py), in torch's operation order, for
/// KernelAgreementTests. One element at a time, no buffers, no threads.

private func lerp(_ a: Double, _ b: Double, _ w: Double) -> Double {
    w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
}

/// Adagrad — torch `_single_tensor_adagrad` (dense).
struct ReferenceAdagrad: ReferenceLoop {
    var lr = 0.01, lrDecay = 0.0, weightDecay = 0.0, initialAccumulatorValue = 0.0, eps = 1e-10
    var sum: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        if sum.isEmpty { sum = Array(repeating: initialAccumulatorValue, count: x.count) }
        t += 1
        let clr = lr / (1 + Double(t - 1) * lrDecay)
        for i in x.indices {
            let g = g0[i] + weightDecay * x[i]
            sum[i] += g * g
            x[i] += -clr * g / (sqrt(sum[i]) + eps)
        }
    }
}

/// RMSprop — torch `_single_tensor_rmsprop`.
struct ReferenceRMSprop: ReferenceLoop {
    var lr = 0.01, alpha = 0.99, eps = 1e-8, weightDecay = 0.0, momentum = 0.0, centered = false
    var v: [Double] = [], gAvg: [Double] = [], buf: [Double] = []

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        if v.isEmpty { v = Array(repeating: 0, count: x.count); gAvg = v; buf = v }
        for i in x.indices {
            let g = g0[i] + weightDecay * x[i]
            v[i] = v[i] * alpha + (1 - alpha) * g * g
            var avg: Double
            if centered {
                gAvg[i] = lerp(gAvg[i], g, 1 - alpha)
                avg = sqrt(v[i] - gAvg[i] * gAvg[i])
            } else {
                avg = sqrt(v[i])
            }
            avg += eps
            if momentum > 0 {
                buf[i] = buf[i] * momentum + g / avg
                x[i] += -lr * buf[i]
            } else {
                x[i] += -lr * g / avg
            }
        }
    }
}

/// Adadelta — torch `_single_tensor_adadelta` (lr scales Δ after u is updated).
struct ReferenceAdadelta: ReferenceLoop {
    var lr = 1.0, rho = 0.9, eps = 1e-6, weightDecay = 0.0
    var v: [Double] = [], u: [Double] = []

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        if v.isEmpty { v = Array(repeating: 0, count: x.count); u = v }
        for i in x.indices {
            let g = g0[i] + weightDecay * x[i]
            v[i] = v[i] * rho + (1 - rho) * g * g
            let delta = sqrt(u[i] + eps) / sqrt(v[i] + eps) * g
            u[i] = u[i] * rho + (1 - rho) * delta * delta
            x[i] += -lr * delta
        }
    }
}

/// Adamax — torch `_single_tensor_adamax` (ε inside the max).
struct ReferenceAdamax: ReferenceLoop {
    var lr = 0.002, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0
    var m: [Double] = [], u: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count); u = m }
        t += 1
        let clr = lr / (1 - pow(beta1, Double(t)))
        for i in x.indices {
            let g = g0[i] + weightDecay * x[i]
            m[i] = lerp(m[i], g, 1 - beta1)
            u[i] = max(u[i] * beta2, abs(g) + eps)
            x[i] += -clr * m[i] / u[i]
        }
    }
}

/// NAdam / NAdamW — torch `_single_tensor_nadam` (μ-product, two addcdivs).
struct ReferenceNAdam: ReferenceLoop {
    var lr = 0.002, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0, momentumDecay = 0.004
    var decoupled = false
    var m: [Double] = [], v: [Double] = [], muProduct = 1.0, t = 0

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count); v = m }
        t += 1
        let step = Double(t)
        let bc2 = 1 - pow(beta2, step)
        let mu = beta1 * (1 - 0.5 * pow(0.96, step * momentumDecay))
        let muNext = beta1 * (1 - 0.5 * pow(0.96, (step + 1) * momentumDecay))
        muProduct *= mu
        let muProductNext = muProduct * muNext
        for i in x.indices {
            var g = g0[i]
            if decoupled { x[i] *= 1 - lr * weightDecay } else { g += weightDecay * x[i] }
            m[i] = lerp(m[i], g, 1 - beta1)
            v[i] = v[i] * beta2 + (1 - beta2) * g * g
            let denom = sqrt(v[i] / bc2) + eps
            x[i] += (-lr * (1 - mu) / (1 - muProduct)) * g / denom
            x[i] += (-lr * muNext / (1 - muProductNext)) * m[i] / denom
        }
    }
}

/// RAdam / RAdamW — torch `_single_tensor_radam` (rectify when ρ_t > 5).
struct ReferenceRAdam: ReferenceLoop {
    var lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0, decoupled = false
    var m: [Double] = [], v: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        if m.isEmpty { m = Array(repeating: 0, count: x.count); v = m }
        t += 1
        let step = Double(t)
        let bc1 = 1 - pow(beta1, step), bc2 = 1 - pow(beta2, step)
        let rhoInf = 2 / (1 - beta2) - 1
        let rhoT = rhoInf - 2 * step * pow(beta2, step) / bc2
        for i in x.indices {
            var g = g0[i]
            if decoupled { x[i] *= 1 - lr * weightDecay } else { g += weightDecay * x[i] }
            m[i] = lerp(m[i], g, 1 - beta1)
            v[i] = v[i] * beta2 + (1 - beta2) * g * g
            let mHat = m[i] / bc1
            if rhoT > 5 {
                let rect = sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
                let adaptive = sqrt(bc2) / (sqrt(v[i]) + eps)
                x[i] -= mHat * lr * adaptive * rect
            } else {
                x[i] -= mHat * lr
            }
        }
    }
}

/// Rprop — torch `_single_tensor_rprop` (zero the gradient after a sign flip).
struct ReferenceRprop: ReferenceLoop {
    var lr = 0.01, etaMinus = 0.5, etaPlus = 1.2, stepMin = 1e-6, stepMax = 50.0
    var prev: [Double] = [], size: [Double] = []

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        if prev.isEmpty { prev = Array(repeating: 0, count: x.count); size = Array(repeating: lr, count: x.count) }
        for i in x.indices {
            let s = g0[i] * prev[i]
            let factor = s > 0 ? etaPlus : (s < 0 ? etaMinus : 1)
            size[i] = min(max(size[i] * factor, stepMin), stepMax)
            let g = factor == etaMinus ? 0 : g0[i]
            x[i] -= (g > 0 ? 1 : (g < 0 ? -1 : 0)) * size[i]
            prev[i] = g
        }
    }
}

/// Adafactor — torch `_single_tensor_adafactor` on one block: factored when
/// `matrix` (the block viewed as rows × n/rows), else one vector.
struct ReferenceAdafactor: ReferenceLoop {
    var lr = 0.01, beta2Decay = -0.8, eps1 = Double.ulpOfOne, eps2 = 1e-3, d = 1.0, weightDecay = 0.0
    var rows = 1, matrix = false
    var rowVar: [Double] = [], colVar: [Double] = [], variance: [Double] = [], t = 0

    mutating func step(_ x: inout [Double], _ g: [Double]) {
        let n = x.count, cols = n / rows
        if rowVar.isEmpty {
            rowVar = Array(repeating: 0, count: rows)
            colVar = Array(repeating: 0, count: cols)
            variance = Array(repeating: 0, count: n)
        }
        t += 1
        let step = Double(t)
        let w = pow(step, beta2Decay)
        let rho = min(lr, 1 / pow(step, 0.5))
        let alpha = max(eps2, sqrt(x.reduce(0) { $0 + $1 * $1 }) / pow(Double(n), 0.5)) * rho
        if weightDecay != 0 { for i in x.indices { x[i] *= 1 - lr * weightDecay } }
        var estimate = [Double](repeating: 0, count: n)
        if matrix {
            for r in 0..<rows {
                let mean = (0..<cols).reduce(0.0) { $0 + g[r * cols + $1] * g[r * cols + $1] } / Double(cols)
                rowVar[r] = lerp(rowVar[r], mean, w)
            }
            for c in 0..<cols {
                let mean = (0..<rows).reduce(0.0) { $0 + g[$1 * cols + c] * g[$1 * cols + c] } / Double(rows)
                colVar[c] = lerp(colVar[c], mean, w)
            }
            let rowMean = max(rowVar.reduce(0, +) / Double(rows), eps1)
            for r in 0..<rows { for c in 0..<cols { estimate[r * cols + c] = rowVar[r] * colVar[c] / rowMean } }
        } else {
            for i in x.indices { variance[i] = lerp(variance[i], g[i] * g[i], w) }
            estimate = variance
        }
        let update = x.indices.map { 1 / sqrt(max(estimate[$0], eps1 * eps1)) * g[$0] }
        let denom = max(1, sqrt(update.reduce(0) { $0 + $1 * $1 }) / (pow(Double(n), 0.5) * d))
        for i in x.indices { x[i] += -alpha / denom * update[i] }
    }
}

/// ASGD — torch `_single_tensor_asgd` (capturable off): η, μ and the step
/// count kept as torch keeps them, updated at the end of each step.
struct ReferenceASGD: ReferenceLoop {
    var lr = 0.01, lambd = 1e-4, alpha = 0.75, t0 = 1e6, weightDecay = 0.0
    var ax: [Double] = [], eta: Double? = nil, mu = 1.0, step = 0.0

    mutating func step(_ x: inout [Double], _ g0: [Double]) {
        if ax.isEmpty { ax = Array(repeating: 0, count: x.count); eta = lr }
        let eta = self.eta!
        step += 1
        for i in x.indices {
            let g = weightDecay != 0 ? g0[i] + weightDecay * x[i] : g0[i]
            x[i] *= 1 - lambd * eta
            x[i] += -eta * g
            if mu != 1 { ax[i] += (x[i] - ax[i]) * mu } else { ax[i] = x[i] }
        }
        self.eta = lr / pow(1 + lambd * lr * step, alpha)
        mu = 1 / max(1, step - t0)
    }
}
