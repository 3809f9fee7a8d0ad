import RealModule

/// The element-wise nonlinearity of a hidden layer.
public enum Activation: String, Sendable, CaseIterable {
    case tanh, relu

    /// φ(x) for one value (tests and one-off use; the passes use ``apply(_:into:count:)``).
    public func evaluate(_ x: Double) -> Double {
        switch self {
        case .tanh: return Activation.fastTanh(x)
        case .relu: return x > 0 ? x : 0
        }
    }

    /// a = φ(s) over `count` elements.
    @inline(__always)
    func apply(_ s: UnsafePointer<Double>, into a: UnsafeMutablePointer<Double>, count: Int) {
        switch self {
        case .tanh: for k in 0..<count { a[k] = Activation.fastTanh(s[k]) }
        case .relu: for k in 0..<count { a[k] = s[k] > 0 ? s[k] : 0 }
        }
    }

    /// tanh through exp, about twice as fast as libm's tanh (the MLP's
    /// forward pass spends most of its non-gemm time here) and within
    /// 1e-15 relative of it: 1 − 2/(e^{2|x|} + 1) away from 0 (no
    /// cancellation, the result is ≥ 0.5), expm1(2|x|)/(expm1(2|x|) + 2) near 0
    /// (relative accuracy for tiny x); |x| ≥ 20 rounds to ±1 exactly. NaN stays NaN.
    @inline(__always)
    static func fastTanh(_ x: Double) -> Double {
        let ax = min(abs(x), 20)
        let t: Double
        if ax >= 0.55 {
            t = 1 - 2 / (Double.exp(2 * ax) + 1)
        } else {
            let e = Double.expMinusOne(2 * ax)
            t = e / (e + 2)
        }
        return x < 0 ? -t : t
    }

    /// d ← d ⊙ φ′(s), with φ′ written through the output a = φ(s):
    /// tanh′ = 1 − a², relu′ = [a > 0].
    @inline(__always)
    func multiplyByDerivative(_ d: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int) {
        switch self {
        case .tanh: for k in 0..<count { d[k] *= 1 - a[k] * a[k] }
        case .relu: for k in 0..<count where !(a[k] > 0) { d[k] = 0 }
        }
    }

    /// The second-order term of the backward R-pass:
    /// R(δ) = R(∂a) ⊙ φ′(s) + ∂a ⊙ φ″(s) ⊙ R(s), written into `rDelta`
    /// (which holds R(∂a) on entry). tanh″ = −2a(1 − a²); relu″ = 0.
    @inline(__always)
    func rBackward(_ rDelta: UnsafeMutablePointer<Double>, upstream dA: UnsafePointer<Double>,
                   output a: UnsafePointer<Double>, rPre rs: UnsafePointer<Double>, count: Int) {
        switch self {
        case .tanh:
            for k in 0..<count {
                let d1 = 1 - a[k] * a[k]
                rDelta[k] = d1 * (rDelta[k] - 2 * a[k] * dA[k] * rs[k])
            }
        case .relu:
            for k in 0..<count where !(a[k] > 0) { rDelta[k] = 0 }
        }
    }
}

/// The loss on the network's output layer.
enum OutputHead: Sendable {
    /// One logit z with P(y = 1) = σ(z); loss softplus(z) − y·z (binary logistic regression).
    case logistic
    /// C logits with softmax probabilities; loss logsumexp(z) − z_y.
    case softmax
}

/// One fully connected layer s = W a + b (W is [out, in] row-major, as in
/// the parameter layout), followed by `activation` (nil: the linear output layer).
struct DenseLayer: Sendable {
    let inputs: Int
    let outputs: Int
    /// Offset of W (out × in, row-major) in the flat parameter vector.
    let weightOffset: Int
    /// Offset of b (out) in the flat parameter vector.
    let biasOffset: Int
    let activation: Activation?
}
