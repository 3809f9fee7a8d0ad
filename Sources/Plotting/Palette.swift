/// Colours for optimizers: the Okabe–Ito palette, which stays distinct for
/// the common forms of colour blindness. Beyond eight optimizers the colours
/// repeat with a different dash pattern, so every line stays identifiable.
///
/// The assignment depends only on the *set* of optimizer names (sorted), not
/// on file or row order, so an optimizer keeps its colour across the panels
/// and figures of one report and across re-plots of the same files.
public struct Palette: Sendable {
    /// Okabe & Ito (2008), ordered so the first few are the most distinct on
    /// white; yellow last because it is faint on white.
    public static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                 "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    static let dashes: [String?] = [nil, "6 3", "2 2", "8 3 2 3"]

    private let index: [String: Int]

    /// A palette for these optimizer names (duplicates ignored).
    public init(optimizers: [String]) {
        var index: [String: Int] = [:]
        for (i, name) in Set(optimizers).sorted().enumerated() { index[name] = i }
        self.index = index
    }

    /// The colour of an optimizer (black for a name not in the set).
    public func colour(_ optimizer: String) -> String {
        guard let i = index[optimizer] else { return "#000000" }
        return Palette.colours[i % Palette.colours.count]
    }

    /// The dash pattern (nil = solid) of an optimizer.
    public func dash(_ optimizer: String) -> String? {
        guard let i = index[optimizer] else { return nil }
        return Palette.dashes[(i / Palette.colours.count) % Palette.dashes.count]
    }
}
