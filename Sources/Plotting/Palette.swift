/// Colours for optimizers: the Okabe–Ito palette, which stays distinct for
/// the common forms of colour blindness. Beyond eight optimizers the colours
/// repeat with a different dash pattern, so every line stays identifiable.
///
/// With more than `familyThreshold` optimizers and their families known, each
/// family gets a palette of its own (a band of hues: blues, reds/oranges,
/// greens, purples, greys), so that in the report's small multiples by
/// family every panel has distinct colours and an optimizer's family shows
/// in its colour on the shared figures too.
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
    /// Above this many optimizers the report draws small multiples by family.
    public static let familyThreshold = 12
    /// One hue band per family (in order of the sorted family names), six
    /// shades each, alternating dark and light so neighbours differ.
    static let familyBands: [[String]] = [
        ["#08519C", "#4A9BD6", "#17BECF", "#2B3F8F", "#7FB2E5", "#1F77B4"],   // blues
        ["#B2182B", "#F28E2B", "#D55E00", "#E15759", "#8C3A00", "#F4A259"],   // reds, oranges
        ["#1B7837", "#8CD17D", "#009E73", "#4D7A2A", "#59A14F", "#2CA25F"],   // greens
        ["#54278F", "#CC79A7", "#9467BD", "#B07AA1", "#6A3D9A", "#D4A6C8"],   // purples
        ["#000000", "#8C564B", "#7F7F7F", "#A0522D", "#4D4D4D", "#BAB0AC"],   // greys, browns
    ]

    private let index: [String: Int]
    /// Per optimizer (family mode): its band and position within its family.
    private var family: [String: (band: Int, slot: Int)]

    /// A palette for these optimizer names (duplicates ignored).
    public init(optimizers: [String]) {
        var index: [String: Int] = [:]
        for (i, name) in Set(optimizers).sorted().enumerated() { index[name] = i }
        self.index = index
        self.family = [:]
    }

    /// A palette that uses family bands when there are more than
    /// `familyThreshold` optimizers; `families[name]` is each optimizer's family.
    public init(optimizers: [String], families: [String: String]) {
        self.init(optimizers: optimizers)
        let names = Set(optimizers).sorted()
        guard names.count > Palette.familyThreshold else { return }
        let familyNames = Array(Set(names.map { families[$0] ?? "" })).sorted()
        var slots: [String: Int] = [:]
        var map: [String: (band: Int, slot: Int)] = [:]
        for name in names {
            let f = families[name] ?? ""
            let band = familyNames.firstIndex(of: f)! % Palette.familyBands.count
            map[name] = (band, slots[f, default: 0])
            slots[f, default: 0] += 1
        }
        self.family = map
    }

    /// True when colours come from family bands.
    public var byFamily: Bool { !family.isEmpty }

    /// The colour of an optimizer (black for a name not in the set).
    public func colour(_ optimizer: String) -> String {
        if let f = family[optimizer] {
            let band = Palette.familyBands[f.band]
            return band[f.slot % band.count]
        }
        guard let i = index[optimizer] else { return "#000000" }
        return Palette.colours[i % Palette.colours.count]
    }

    /// The dash pattern (nil = solid) of an optimizer.
    public func dash(_ optimizer: String) -> String? {
        if let f = family[optimizer] {
            return Palette.dashes[(f.slot / Palette.familyBands[f.band].count) % Palette.dashes.count]
        }
        guard let i = index[optimizer] else { return nil }
        return Palette.dashes[(i / Palette.colours.count) % Palette.dashes.count]
    }
}
