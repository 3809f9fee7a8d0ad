import Foundation
import Testing
@testable import Plotting

@Suite("optlab report: HTML, summary.md, ranked table")
struct ReportTests {
    static let dir: String = {
        let d = Fixtures.temporaryDirectory("report")
        try! Fixtures.writeRunDirectory(d)
        return d
    }()

    @Test func writesReportPlotsAndMarkdown() throws {
        let written = try RunReport.write(directory: Self.dir)
        let svgs = written.filter { $0.hasSuffix(".svg") }
        // One convergence figure (≤ 9 problems) × (cost, time) + 2 performance + 2 data profiles
        // + the runtime ECDF and the fixed-budget figure.
        #expect(svgs.count == 8)
        for path in svgs {
            let doc = SVGInspector(try String(contentsOfFile: path, encoding: .utf8))
            #expect(doc.wellFormed, "\(path): \(doc.error ?? "")")
            #expect(!doc.all("g", cls: "legend-entry").isEmpty)
        }
        let html = try String(contentsOfFile: Self.dir + "/report.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Self-contained: one inline script and the inline JSON data, nothing loaded.
        #expect(!html.contains("<script src") && !html.contains("<link") && !html.contains("https://") && !html.contains("fetch("))
        #expect(html.components(separatedBy: "<script>").count == 2)
        #expect(html.contains("<script type=\"application/json\" id=\"report-data\">"))
        // The data: 27 runs, 3 optimizers with their families, small multiples off (≤ 12 optimizers).
        let json = html.components(separatedBy: "id=\"report-data\">\n")[1].components(separatedBy: "\n</script>")[0]
        let data = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((data["runs"] as? [Any])?.count == 27 && (data["optimizers"] as? [Any])?.count == 3)
        #expect(data["smallMultiples"] as? Bool == false)
        // One legend button per optimizer, one checkbox per family.
        #expect(html.components(separatedBy: "class=\"legend-item\"").count == 4)
        #expect(html.components(separatedBy: "class=\"family-toggle\"").count == 2)
        // The static figures are inline (the convergence one is drawn by the script),
        // and each inline SVG (3 legend swatches + 6 figures) is well-formed XML.
        let pieces = html.components(separatedBy: "<svg ").dropFirst()
        #expect(pieces.count == 9)
        for piece in pieces {
            let svg = "<svg " + piece.components(separatedBy: "</svg>")[0] + "</svg>"
            #expect(SVGInspector(svg).wellFormed)
        }
        // Ids (clip paths) are unique across the page.
        let ids = html.components(separatedBy: "id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(Set(ids).count == ids.count)
        #expect(html.contains("<table>") && html.contains("<th>wins</th>"))
        #expect(html.contains("27 runs: 3 problems × 3 optimizers × 3 seeds"))
        #expect(html.contains("optlab compare --suite fixture --seeds 0..2"))
        #expect(html.contains("Performance profile") && html.contains("Data profile"))
        #expect(html.contains("f_L = f* on 6 instances,"))
        let md = try String(contentsOfFile: Self.dir + "/summary.md", encoding: .utf8)
        #expect(md.contains("| optimizer | wins | reached target |"))
        #expect(md.contains("### rosenbrock(d=2)"))
    }

    @Test func rankedTableRanksByTargetThenCost() throws {
        let text = try RunReport.rankedTable(directory: Self.dir)
        let lines = text.split(separator: "\n").map(String.init)
        // Rosenbrock: lbfgs (rate 0.6) reaches 1e-8 fastest; gd never does
        // (rate 0.97, 200 steps: 24.2·0.97^200 ≈ 0.05) and diverges on seed 2.
        let i = try #require(lines.firstIndex { $0.hasPrefix("rosenbrock(d=2)") })
        #expect(lines[i + 3].contains("1  lbfgs"))
        #expect(lines[i + 4].contains("2  adam(lr=0.01)"))
        #expect(lines[i + 5].contains("3  gd(lr=0.1)") && lines[i + 5].contains("budget 2, diverged 1"))
        #expect(lines[i + 3].contains("3/3"))
        let o = try #require(lines.firstIndex { $0.hasPrefix("Overall") })
        #expect(lines[o + 3].hasPrefix("  lbfgs") && lines[o + 3].contains("3/3"))
        #expect(text.contains("area (cost)"))
    }

    @Test func rankingNumbers() throws {
        let dir = try RunDirectory(path: Self.dir)
        let profiles = ProfileData(dir)
        #expect(profiles.instances.count == 9 && profiles.knownFL == 6 && profiles.bestFoundFL == 3)
        #expect(profiles.fLDescription == "f_L = f* on 6 instances, best loss found by any run on 3 (f* unknown)")
        let r = Rankings(dir, profiles: profiles)
        let lbfgs = try #require(r.overall.first)
        #expect(lbfgs.optimizer == "lbfgs" && lbfgs.wins == 3)
        // lbfgs passes τ = 1e-5 first on every instance: area 1.
        #expect(lbfgs.areaCost == 1 && lbfgs.solvedInstances == 9)
        let gd = try #require(r.overall.first { $0.optimizer == "gd(lr=0.1)" })
        #expect(gd.diverged == 1 && gd.wins == 0)
        // Rosenbrock, adam: loss 24.2·(0.93·(1+0.01 s))^k ≤ 1e-8 first at
        // k = 293 — beyond 200 steps, so no seed reaches the target.
        let rosen = r.problems[0]
        #expect(rosen.entries[1].reached == 0 || rosen.entries[1].optimizer != "adam(lr=0.01)")
    }

    @Test func missingFilesAreClearErrors() {
        let empty = Fixtures.temporaryDirectory("empty")
        do {
            _ = try RunReport.write(directory: empty)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "\(empty)/traces.csv:0:0: cannot read file: no such file or directory")
        }
    }
}

/// Writes the fixture report (to OPTLAB_FIXTURE_REPORT when set, for viewing
/// in a browser) and checks that rewriting an existing directory works.
@Test func fixtureReportCanBeRewritten() throws {
    let target = ProcessInfo.processInfo.environment["OPTLAB_FIXTURE_REPORT"] ?? Fixtures.temporaryDirectory("view")
    try Fixtures.writeRunDirectory(target)
    let first = try RunReport.write(directory: target)
    let second = try RunReport.write(directory: target, htmlPath: target + "/again.html")
    #expect(first.count == 12 && second.count == 12)   // 8 SVGs, report, ert.csv, significance.csv, summary.md
    #expect(try String(contentsOfFile: target + "/report.html", encoding: .utf8)
            == String(contentsOfFile: target + "/again.html", encoding: .utf8))
}

@Test func profileFiguresHaveOneCurvePerOptimizer() throws {
    let dir = Fixtures.temporaryDirectory("profiles")
    try Fixtures.writeRunDirectory(dir)
    _ = try RunReport.write(directory: dir)
    for name in ["performance-profile-cost", "performance-profile-time", "data-profile-1e-3", "data-profile-1e-5"] {
        let doc = SVGInspector(try String(contentsOfFile: "\(dir)/plots/\(name).svg", encoding: .utf8))
        #expect(doc.wellFormed)
        let curves = doc.all("path", cls: "profile").map { $0.attributes["data-optimizer"]! }
        #expect(curves.sorted() == Fixtures.optimizers.map(\.name).sorted(), "\(name)")
        #expect(doc.all("text", cls: "caption").map(\.text).joined(separator: " ").contains("f_L = f*"))
    }
}
