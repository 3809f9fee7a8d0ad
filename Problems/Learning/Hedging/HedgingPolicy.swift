import LinearAlgebra
import RealModule

/// The hedging policy network, shared across time steps, run over a set of
/// price paths: at step t every path feeds (time to maturity, log-moneyness,
/// current holding δ_{t−1}) through tanh hidden layers to a linear output,
/// the new holding δ_t. The terminal P&L of the short call is
///
///     X = −(S_n − K)⁺ + Σ_t δ_t(S_{t+1} − S_t) − c·Σ_t S_t|δ_t − δ_{t−1}| − c·S_n|δ_{n−1}|
///
/// (δ_{−1} = 0, the position is unwound at maturity).
///
/// `forward` keeps every layer's input for every step (rows ordered
/// t·N + i), `backward` runs backpropagation through time and leaves
/// ∂Xᵢ/∂s (the derivative of each path's own P&L with respect to the
/// pre-activations of every layer at every step) in `outputDerivatives`.
/// The holding fed back as an input makes it a recurrence: the total
/// derivative with respect to δ_t is
///
///     D_t = ∂X/∂δ_t (direct: gain and the two cost terms) + D_{t+1}·∂δ_{t+1}/∂δ_t,
///
/// and the second term comes out of step t+1's backward pass (its input
/// gradient in the holding column). Buffers are allocated once.
final class HedgingPolicy {
    let widths: [Int]
    /// Per layer: weight and bias offsets in θ.
    let weightOffsets: [Int]
    let biasOffsets: [Int]
    let paths: MarketPaths
    let strike: Double
    let maturity: Double
    let cost: Double

    /// Per layer l: T·N × widths[l] inputs (row t·N + i).
    private(set) var layerInputs: [[Double]]
    /// Per layer l: T·N × widths[l+1] post-activations.
    private var layerOutputs: [[Double]]
    /// Per layer l: T·N × widths[l+1] values of ∂Xᵢ/∂s after `backward`.
    private(set) var outputDerivatives: [[Double]]
    /// δ_{t,i}, row t·N + i.
    private var holdings: [Double]
    /// Xᵢ of the last forward pass.
    private(set) var pnl: [Double]
    /// Backward scratch: one step's input gradient (N × widest layer) and D_{t+1}·∂δ_{t+1}/∂δ_t.
    private var inputGradient: [Double]
    private var carried: [Double]
    /// Row-scaled derivatives for the gradient (rows × widest output).
    private var scaled: [Double] = []

    var layers: Int { widths.count - 1 }
    var rows: Int { paths.count * paths.steps }

    init(widths: [Int], weightOffsets: [Int], biasOffsets: [Int], paths: MarketPaths,
         strike: Double, maturity: Double, cost: Double) {
        self.widths = widths
        self.weightOffsets = weightOffsets
        self.biasOffsets = biasOffsets
        self.paths = paths
        self.strike = strike
        self.maturity = maturity
        self.cost = cost
        let r = paths.count * paths.steps
        layerInputs = (0..<(widths.count - 1)).map { [Double](repeating: 0, count: r * widths[$0]) }
        layerOutputs = (0..<(widths.count - 1)).map { [Double](repeating: 0, count: r * widths[$0 + 1]) }
        outputDerivatives = layerOutputs
        holdings = [Double](repeating: 0, count: r)
        pnl = [Double](repeating: 0, count: paths.count)
        inputGradient = [Double](repeating: 0, count: paths.count * (widths.max() ?? 1))
        carried = [Double](repeating: 0, count: paths.count)
    }

    /// Runs the policy over all steps and returns X for every path.
    @discardableResult
    func forward(_ theta: UnsafeBufferPointer<Double>) -> [Double] {
        let n = paths.count, steps = paths.steps
        let dt = maturity / Double(steps)
        let strike = self.strike
        for t in 0..<steps {
            layerInputs[0].withUnsafeMutableBufferPointer { input in
                holdings.withUnsafeBufferPointer { h in
                    paths.prices.withUnsafeBufferPointer { s in
                        for i in 0..<n {
                            let row = (t * n + i) * 3
                            input[row] = Double(steps - t) * dt
                            input[row + 1] = Double.log(s[i * (steps + 1) + t] / strike)
                            input[row + 2] = t == 0 ? 0 : h[(t - 1) * n + i]
                        }
                    }
                }
            }
            for l in 0..<layers {
                let (fanIn, fanOut) = (widths[l], widths[l + 1])
                layerOutputs[l].withUnsafeMutableBufferPointer { out in
                    layerInputs[l].withUnsafeBufferPointer { a in
                        let o = out.baseAddress! + t * n * fanOut
                        for i in 0..<n { (o + i * fanOut).update(from: theta.baseAddress! + biasOffsets[l], count: fanOut) }
                        BLAS.gemm(m: n, n: fanOut, k: fanIn, alpha: 1, a: a.baseAddress! + t * n * fanIn, lda: fanIn,
                                  transposeA: false, b: theta.baseAddress! + weightOffsets[l], ldb: fanIn,
                                  transposeB: true, beta: 1, c: o, ldc: fanOut)
                        if l < layers - 1 { Activation.tanh.apply(o, into: o, count: n * fanOut) }
                    }
                }
                if l < layers - 1 {
                    // The next layer's input at step t is this layer's output at step t.
                    let count = n * fanOut
                    layerInputs[l + 1].withUnsafeMutableBufferPointer { next in
                        layerOutputs[l].withUnsafeBufferPointer { out in
                            (next.baseAddress! + t * count).update(from: out.baseAddress! + t * count, count: count)
                        }
                    }
                }
            }
            layerOutputs[layers - 1].withUnsafeBufferPointer { out in
                holdings.withUnsafeMutableBufferPointer { h in
                    (h.baseAddress! + t * n).update(from: out.baseAddress! + t * n, count: n)
                }
            }
        }
        let cost = self.cost
        holdings.withUnsafeBufferPointer { h in
            paths.prices.withUnsafeBufferPointer { prices in
                pnl.withUnsafeMutableBufferPointer { x in
                    for i in 0..<n {
                        let s = prices.baseAddress! + i * (steps + 1)
                        var value = -max(s[steps] - strike, 0)
                        var previous = 0.0
                        for t in 0..<steps {
                            let d = h[t * n + i]
                            value += d * (s[t + 1] - s[t]) - cost * s[t] * abs(d - previous)
                            previous = d
                        }
                        x[i] = value - cost * s[steps] * abs(previous)
                    }
                }
            }
        }
        return pnl
    }

    /// Backpropagation through time of every path's own P&L (after `forward`).
    func backward(_ theta: UnsafeBufferPointer<Double>) {
        let n = paths.count, steps = paths.steps
        for i in 0..<n { carried[i] = 0 }
        func sign(_ v: Double) -> Double { v > 0 ? 1 : (v < 0 ? -1 : 0) }
        for t in stride(from: steps - 1, through: 0, by: -1) {
            // Output layer (linear, one unit): ∂X/∂s = D_t.
            let cost = self.cost
            outputDerivatives[layers - 1].withUnsafeMutableBufferPointer { d in
                holdings.withUnsafeBufferPointer { hold in
                    paths.prices.withUnsafeBufferPointer { prices in
                        carried.withUnsafeBufferPointer { carry in
                            for i in 0..<n {
                                let s = prices[i * (steps + 1) + t], s1 = prices[i * (steps + 1) + t + 1]
                                let h = hold[t * n + i], previous = t == 0 ? 0 : hold[(t - 1) * n + i]
                                var direct = (s1 - s) - cost * s * sign(h - previous)
                                if t == steps - 1 {
                                    direct -= cost * s1 * sign(h)
                                } else {
                                    direct += cost * s1 * sign(hold[(t + 1) * n + i] - h)
                                }
                                d[t * n + i] = direct + carry[i]
                            }
                        }
                    }
                }
            }
            for l in stride(from: layers - 1, through: 0, by: -1) {
                let (fanIn, fanOut) = (widths[l], widths[l + 1])
                // Input gradient: δ_l · W_l (n × fanIn), written into the layer below's derivative slot.
                outputDerivatives[l].withUnsafeBufferPointer { d in
                    inputGradient.withUnsafeMutableBufferPointer { ig in
                        BLAS.gemm(m: n, n: fanIn, k: fanOut, alpha: 1, a: d.baseAddress! + t * n * fanOut, lda: fanOut,
                                  transposeA: false, b: theta.baseAddress! + weightOffsets[l], ldb: fanIn,
                                  transposeB: false, beta: 0, c: ig.baseAddress!, ldc: fanIn)
                    }
                }
                if l > 0 {
                    outputDerivatives[l - 1].withUnsafeMutableBufferPointer { below in
                        layerOutputs[l - 1].withUnsafeBufferPointer { post in
                            inputGradient.withUnsafeBufferPointer { ig in
                                let (b, y) = (below.baseAddress! + t * n * fanIn, post.baseAddress! + t * n * fanIn)
                                for k in 0..<(n * fanIn) { b[k] = ig[k] * (1 - y[k] * y[k]) }
                            }
                        }
                    }
                } else {
                    carried.withUnsafeMutableBufferPointer { carry in
                        inputGradient.withUnsafeBufferPointer { ig in
                            for i in 0..<n { carry[i] = ig[i * 3 + 2] }
                        }
                    }
                }
            }
        }
    }

    /// ∂/∂θ of Σᵢ wᵢ·Xᵢ (after `backward`) into `g`: per layer
    /// ∇W = Σ_{t,i} wᵢ·(∂Xᵢ/∂s_{t,i})·a_{t,i}ᵀ (one `dgemm`), ∇b = Σ_{t,i} wᵢ·∂Xᵢ/∂s_{t,i}.
    func accumulateGradient(weights w: [Double], into g: UnsafeMutableBufferPointer<Double>) {
        let n = paths.count, rows = self.rows
        for l in 0..<layers {
            let (fanIn, fanOut) = (widths[l], widths[l + 1])
            if scaled.count < rows * fanOut { scaled = [Double](repeating: 0, count: rows * fanOut) }
            outputDerivatives[l].withUnsafeBufferPointer { d in
                scaled.withUnsafeMutableBufferPointer { sc in
                    w.withUnsafeBufferPointer { wp in
                        for r in 0..<rows {
                            let weight = wp[r % n]
                            for k in 0..<fanOut { sc[r * fanOut + k] = weight * d[r * fanOut + k] }
                        }
                    }
                    layerInputs[l].withUnsafeBufferPointer { a in
                        BLAS.gemm(m: fanOut, n: fanIn, k: rows, alpha: 1, a: sc.baseAddress!, lda: fanOut,
                                  transposeA: true, b: a.baseAddress!, ldb: fanIn, transposeB: false,
                                  beta: 0, c: g.baseAddress! + weightOffsets[l], ldc: fanIn)
                    }
                    for k in 0..<fanOut { g[biasOffsets[l] + k] = 0 }
                    for r in 0..<rows {
                        for k in 0..<fanOut { g[biasOffsets[l] + k] += sc[r * fanOut + k] }
                    }
                }
            }
        }
    }
}
