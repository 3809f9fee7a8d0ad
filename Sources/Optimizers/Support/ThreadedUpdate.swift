/// An optimizer whose `update` can split its element loop across cores.
///
/// `threads` is a plain stored property (default 1), not a spec key: it
/// changes speed, never results — every first-order optimizer of the lab
/// gives bit-identical parameters for any thread count (per-block
/// reductions are summed over fixed segments in a fixed order).
///
///     var opt = Adam(lr: 1e-3)
///     opt.threads = 2
public protocol ThreadedUpdate {
    /// Cores used by one `update` (values below 1 count as 1).
    var threads: Int { get set }
}

/// torch's `lerp(a, b, w)`: a + w(b − a) for w < ½, else b − (b − a)(1 − w).
/// Matching its two branches keeps trajectories bit-close to PyTorch.
@inline(__always)
func torchLerp(_ a: Double, _ b: Double, _ w: Double) -> Double {
    w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
}

/// sign(x) with sign(0) = 0 (and sign(NaN) = 0), as `torch.sign`. Written as
/// a difference of two selects so that it compiles without branches (random
/// signs made the nested form mispredict and stay scalar).
@inline(__always)
func signum(_ x: Double) -> Double {
    (x > 0 ? 1.0 : 0.0) - (x < 0 ? 1.0 : 0.0)
}
