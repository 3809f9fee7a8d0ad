/// The least memory traffic of one element-wise update, counted in arrays
/// of one `Double` per parameter: every array the update reads once plus
/// every array it writes once (Adam: reads θ, g, m, v and writes θ, m, v:
/// 7 arrays, 56 bytes per parameter). `optlab bench update` divides it by
/// the measured time to report GB/s against the STREAM triad.
///
/// Methods whose reductions need more passes (AdamP/SGDP/Cautious block
/// sums, Adafactor's three passes on matrix blocks, MARS's per-block norm,
/// Prodigy's two global sums for d) declare the one-pass minimum.
public struct MemoryTraffic: Sendable {
    /// Arrays read plus arrays written, for these keys.
    public let arrays: @Sendable (ResolvedParameters) -> Int

    public init(arrays: @escaping @Sendable (ResolvedParameters) -> Int) { self.arrays = arrays }

    /// A fixed count of arrays whatever the keys.
    public static func arrays(_ n: Int) -> MemoryTraffic { MemoryTraffic { _ in n } }

    /// Bytes per parameter of one update (8 per array).
    public func bytesPerParameter(_ p: ResolvedParameters) -> Int { 8 * arrays(p) }
}
