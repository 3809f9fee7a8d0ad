import CShims

/// The fused element loop shared by ``Adam`` and ``AdamW`` (torch's
/// `_single_tensor_adam` operation order):
///
///     θ ← θ·decayFactor                    (AdamW: 1 − ηλ; Adam: 1)
///     g ← g + λ·θ                          (Adam only: L2)
///     m ← lerp(m, g, 1 − β₁);  v ← β₂v + (1 − β₂)g²;  v̄ ← max(v̄, v)
///     θ ← θ − (s·m) / (√v̄ · (1/√bc₂) + ε)
///
/// torch divides √v̄ by √bc₂; multiplying by the precomputed reciprocal
/// leaves one division per element (the loop is bound by memory only with
/// at most one or two divisions) and changes results by an ulp.
struct AdamKernel {
    var stepSize: Double
    var bc2Sqrt: Double
    var beta1: Double
    var beta2: Double
    var eps: Double
    var l2: Double
    /// 1 − ηλ for AdamW, exactly 1 for Adam (multiplying by 1 is exact).
    var decayFactor: Double
    var amsgrad: Bool

    @inline(__always)
    func run(_ x: SharedPointer, _ g: SharedPointer, _ m: SharedPointer, _ v: SharedPointer,
             _ vMax: SharedPointer, _ range: Range<Int>) {
        let (xp, gp, mp, vp, wp) = (x.base, g.base, m.base, v.base, vMax.base)
        let (w1, b2, c2, eps, s, invBc) = (1 - beta1, beta2, 1 - beta2, eps, stepSize, 1 / bc2Sqrt)
        let l2 = self.l2
        let decay = decayFactor
        if !amsgrad {
            for i in range {
                let xi = xp[i] * decay
                let gi = l2 != 0 ? gp[i] + l2 * xi : gp[i]
                let mi = torchLerp(mp[i], gi, w1)
                let vi = vp[i] * b2 + c2 * gi * gi
                mp[i] = mi
                vp[i] = vi
                xp[i] = xi - s * mi / (optlab_sqrt(vi) * invBc + eps)
            }
        } else {
            for i in range {
                let xi = xp[i] * decay
                let gi = l2 != 0 ? gp[i] + l2 * xi : gp[i]
                let mi = torchLerp(mp[i], gi, w1)
                let vi = vp[i] * b2 + c2 * gi * gi
                mp[i] = mi
                vp[i] = vi
                let vm = Swift.max(wp[i], vi)
                wp[i] = vm
                xp[i] = xi - s * mi / (optlab_sqrt(vm) * invBc + eps)
            }
        }
    }
}
