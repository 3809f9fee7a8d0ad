import OptimizationCore

/// The arithmetic that `mezo` and `zo2` share, written once so that the two
/// produce the same trajectory bit for bit (spec §7.3, "trajectory equivalence"):
///
///     perturbed block   P = W + s·z            (s = +ε or −ε; W itself is never perturbed)
///     update            W ← W − η·(c·z + λ·W)  (λ = 0 on blocks named *bias* / *norm*)
///     low-bit storage   W ← stochastic_round(W) with uniforms (seed, step, tag 2, i)
///
/// Every z and every rounding uniform is regenerated from (seed, step, index),
/// so where and when a block is processed does not change a bit.
public struct SPSAUpdateRule: Sendable {
    public let directions: SeedReplayDirections
    public let precision: StoragePrecision
    public let weightDecay: Double
    /// Global index ranges and their decay coefficient (0 or λ), in order, tiling 0..<dimension.
    let decaySegments: [(range: Range<Int>, lambda: Double)]

    /// `layout` decides which elements decay: MeZO skips tensors whose names
    /// contain `bias`, `layer_norm`/`layernorm` (any `norm`) or are `ln` blocks.
    public init(directions: SeedReplayDirections, precision: StoragePrecision, weightDecay: Double,
                layout: ParameterLayout) {
        self.directions = directions
        self.precision = precision
        self.weightDecay = weightDecay
        decaySegments = layout.blocks.map { block in
            (block.range, weightDecay != 0 && Self.decays(block.name) ? weightDecay : 0)
        }
    }

    /// True unless the tensor is a bias or a normalisation parameter.
    public static func decays(_ name: String) -> Bool {
        let lower = name.lowercased()
        let leaf = lower.split(separator: ".").last.map(String.init) ?? lower
        return !(lower.contains("bias") || lower.contains("norm") || leaf == "ln" || leaf.hasPrefix("ln_"))
    }

    /// P = W + s·z over `count` elements.
    @inline(__always)
    public static func perturb(_ w: UnsafePointer<Double>, _ z: UnsafePointer<Double>, scale s: Double,
                               into p: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { p[i] = w[i] + s * z[i] }
    }

    /// Applies step `step`'s update to the elements first ..< first + count
    /// held at `w`: W ← W − η·(c·z + λ·W), then rounds into the storage
    /// format. `scratch` (count elements) receives z and then the rounding uniforms.
    public func update(_ w: UnsafeMutablePointer<Double>, count: Int, first: Int, step: Int,
                       projectedGradient c: Double, learningRate eta: Double,
                       scratch: UnsafeMutablePointer<Double>) {
        directions.fill(UnsafeMutableBufferPointer(start: scratch, count: count), first: first, step: step)
        let end = first + count
        for segment in decaySegments where segment.range.upperBound > first && segment.range.lowerBound < end {
            let lo = max(segment.range.lowerBound, first) - first, hi = min(segment.range.upperBound, end) - first
            let lambda = segment.lambda
            if lambda == 0 {
                for i in lo..<hi { w[i] = w[i] - eta * (c * scratch[i]) }
            } else {
                for i in lo..<hi { w[i] = w[i] - eta * (c * scratch[i] + lambda * w[i]) }
            }
        }
        guard precision != .float64 else { return }
        directions.fillRoundingUniforms(UnsafeMutableBufferPointer(start: scratch, count: count), first: first, step: step)
        for i in 0..<count { w[i] = precision.stochastic(w[i], uniform: scratch[i]) }
    }

    /// Rounds the elements to nearest in the storage format (the initial point).
    public func roundToStorage(_ w: UnsafeMutablePointer<Double>, count: Int) {
        guard precision != .float64 else { return }
        for i in 0..<count { w[i] = precision.nearest(w[i]) }
    }
}
