/// The last stage every per-layer preconditioner shares (K-FAC, MKOR,
/// Shampoo): coupled weight decay added to the preconditioned direction d,
/// heavy-ball momentum, and the step on θ.
///
///     d ← d + λθ               (λ = weight_decay; skipped when 0)
///     b ← μb + d               (b = d at the first step, or when μ = 0)
///     θ ← θ − η·b
///
/// This is torch's `SGD(momentum=μ, dampening=0)` on the direction and
/// Distributed Shampoo's `ClassicMomentumConfig` with decoupled weight
/// decay folded into the search direction (its `_apply_weight_decay`),
/// which is the same arithmetic. The method fills ``direction``; the state
/// is sized once per dimension, so a step allocates nothing.
struct MomentumWeightDecayStep {
    /// d, filled by the method before ``apply(_:lr:momentum:weightDecay:first:)``.
    var direction: [Double] = []
    /// b.
    private var buffer: [Double] = []

    /// Sizes ``direction`` and the momentum buffer for `d` parameters (zeroed when the size changes).
    mutating func resize(_ d: Int) {
        guard direction.count != d else { return }
        direction = [Double](repeating: 0, count: d)
        buffer = direction
    }

    /// One step on `x` from ``direction``.
    mutating func apply(_ x: inout [Double], lr: Double, momentum mu: Double, weightDecay wd: Double, first: Bool) {
        let (d, negLr) = (x.count, -lr)
        precondition(direction.count == d, "MomentumWeightDecayStep: sized for \(direction.count), parameters \(d)")
        direction.withUnsafeBufferPointer { dp in
            x.withUnsafeMutableBufferPointer { xp in
                buffer.withUnsafeMutableBufferPointer { bp in
                    for i in 0..<d {
                        let di = wd != 0 ? dp[i] + wd * xp[i] : dp[i]
                        let bi = mu == 0 || first ? di : mu * bp[i] + di
                        bp[i] = bi
                        xp[i] += negLr * bi
                    }
                }
            }
        }
    }
}
