import CKernels
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
///
/// The loop itself is `optlab_adam` in CKernels (kernel_bodies.h), run on the
/// instruction set of ``KernelPath/active``; every path gives the same bits.
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
        var p = optlab_adam_params(
            step_size: stepSize, inv_bc2_sqrt: 1 / bc2Sqrt, w1: 1 - beta1, beta2: beta2, c2: 1 - beta2,
            eps: eps, l2: l2, decay: decayFactor, amsgrad: amsgrad ? 1 : 0)
        optlab_adam(&p, x.base, g.base, m.base, v.base, amsgrad ? vMax.base : nil, range.lo, range.hi)
    }
}
