import Testing
@testable import Plotting

@Suite("Palette: Okabe–Ito up to 12 optimizers, a palette per family above")
struct PaletteTests {
    @Test("at most 12 optimizers: Okabe–Ito with dashes, families ignored")
    func small() {
        let names = (0..<12).map { "opt\($0)" }
        let p = Palette(optimizers: names, families: Dictionary(uniqueKeysWithValues: names.map { ($0, "f") }))
        #expect(!p.byFamily)
        // Sorted names: opt0, opt1, opt10, opt11, opt2, …: opt9 is the 12th, colour 11 % 8 = 3, dashed.
        #expect(p.colour("opt0") == Palette.colours[0] && p.colour("opt9") == Palette.colours[3] && p.dash("opt9") == "6 3")
        #expect(p.colour("opt0") == Palette(optimizers: names).colour("opt0"))
    }

    @Test("more than 12 optimizers: each family its own colours, no colour shared across families, pairs distinct")
    func byFamily() {
        var families: [String: String] = [:]
        for i in 0..<9 { families["first\(i)"] = "first" }
        for i in 0..<4 { families["second\(i)"] = "second" }
        for i in 0..<3 { families["zeroth\(i)"] = "zeroth" }
        let p = Palette(optimizers: Array(families.keys), families: families)
        #expect(p.byFamily)
        var coloursOf: [String: Set<String>] = [:]
        var styles: Set<String> = []
        for (name, f) in families {
            coloursOf[f, default: []].insert(p.colour(name))
            styles.insert(p.colour(name) + (p.dash(name) ?? "solid"))
        }
        #expect(coloursOf["first"]!.isDisjoint(with: coloursOf["second"]!))
        #expect(coloursOf["first"]!.isDisjoint(with: coloursOf["zeroth"]!))
        #expect(coloursOf["second"]!.isDisjoint(with: coloursOf["zeroth"]!))
        // Within a family every optimizer has its own colour-and-dash pair.
        #expect(styles.count == families.count)
        // Sorted family names take the bands in order: first → blues.
        #expect(Palette.familyBands[0].contains(p.colour("first0")))
    }
}
