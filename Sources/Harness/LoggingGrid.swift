import RealModule

/// Which steps a trace records: every step up to 10, then a logarithmic grid
/// of 20 points per decade (COCO's density), plus whatever the runner adds
/// (target crossings, the final point); or every K-th step.
public struct LoggingGrid: Sendable {
    public let every: Int?

    public init(every: Int? = nil) { self.every = every }

    public func logs(step k: Int) -> Bool {
        if k == 0 { return true }
        if let every { return k % every == 0 }
        if k <= 10 { return true }
        // k is on the grid when ⌊20·log10 k⌋ differs from that of k − 1.
        return Int((20 * Double.log10(Double(k))).rounded(.down))
            != Int((20 * Double.log10(Double(k - 1))).rounded(.down))
    }
}
