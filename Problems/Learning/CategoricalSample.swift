/// One draw from the categorical distribution `p[0..<classes]` by inverting
/// its cumulative sum at `u` ∈ [0, 1): the first k with u < p₀ + … + p_k
/// (the last class when rounding leaves the sum below u). The classification
/// problems draw labels from their own predictive distribution this way, one
/// SplitMix64 uniform per row, so a reference can repeat the draw exactly.
@inline(__always)
func categoricalSample(_ p: UnsafePointer<Double>, classes: Int, uniform u: Double) -> Int {
    var k = 0, cumulative = p[0]
    while u >= cumulative && k < classes - 1 {
        k += 1
        cumulative += p[k]
    }
    return k
}
