/// Learning-rate grafting (Agarwal et al. 2020, as Distributed Shampoo
/// does it): a matrix preconditioner supplies the direction of a block's
/// step, a cheap diagonal method its size.
///
///     P ← P · ‖P_graft‖ / (‖P‖ + 1e−16)     per block, once preconditioning has started
///     P ← P_graft                            before `start_preconditioning_step`
///
/// P_graft is computed from the same (filtered) gradient F as P:
///
///     sgd:     P_graft = F
///     adagrad: v ← v + g²;                 P_graft = F / (√v + ε)
///     rmsprop: v ← β₂v + (1 − β₂)g²;       P_graft = F / (√v + ε)
///     adam:    v ← β₂v + (1 − β₂)g²;       P_graft = F / (√(v/(1 − β₂ᵗ)) + ε)
///
/// with g the raw gradient of the step (the reference's `AdagradPreconditionerList`:
/// rmsprop has no bias correction, adam has).
public enum GraftingMethod: String, CaseIterable, Sendable {
    case none, sgd, adagrad, rmsprop, adam

    /// The reference's default β₂ for the method (RMSprop 0.99, Adam 0.999; unused otherwise).
    public var defaultBeta2: Double { self == .rmsprop ? 0.99 : 0.999 }
}

/// One block's grafting state: the second-moment accumulator v.
struct GraftingState {
    let method: GraftingMethod
    private var v: [Double]

    init(method: GraftingMethod, count: Int) {
        self.method = method
        let needsMoments = method == .adagrad || method == .rmsprop || method == .adam
        v = [Double](repeating: 0, count: needsMoments ? count : 0)
    }

    /// v from the raw gradient g (`count` elements).
    mutating func accumulate(_ g: UnsafePointer<Double>, beta2: Double) {
        switch method {
        case .none, .sgd:
            return
        case .adagrad:
            v.withUnsafeMutableBufferPointer { vp in
                for i in vp.indices { vp[i] = vp[i] + 1 * g[i] * g[i] }
            }
        case .rmsprop, .adam:
            let w = 1 - beta2
            v.withUnsafeMutableBufferPointer { vp in
                if beta2 != 1 { for i in vp.indices { vp[i] *= beta2 } }
                for i in vp.indices { vp[i] = vp[i] + w * g[i] * g[i] }
            }
        }
    }

    /// P_graft from the filtered gradient F into `out` (`count` elements);
    /// `biasCorrection` is 1 − β₂ᵗ for adam, 1 otherwise.
    func direction(_ f: UnsafePointer<Double>, count: Int, epsilon: Double, biasCorrection: Double,
                   into out: UnsafeMutablePointer<Double>) {
        switch method {
        case .none, .sgd:
            out.update(from: f, count: count)
        case .adagrad, .rmsprop, .adam:
            v.withUnsafeBufferPointer { vp in
                for i in 0..<count { out[i] = f[i] / ((vp[i] / biasCorrection).squareRoot() + epsilon) }
            }
        }
    }

    /// ‖x‖₂ of `count` elements.
    static func norm(_ x: UnsafePointer<Double>, count: Int) -> Double {
        var sum = 0.0
        for i in 0..<count { sum += x[i] * x[i] }
        return sum.squareRoot()
    }
}
