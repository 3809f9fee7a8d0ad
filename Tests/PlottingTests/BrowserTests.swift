import Foundation
import Testing
@testable import Plotting

/// Headless Chromium, when installed (Debian: `apt-get install chromium`).
enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static let skipNote = "Chromium is not installed (apt-get install chromium): the report.html browser tests are skipped"

    /// Runs Chromium headless on `url` with `arguments`; returns stdout (killed after `timeout` seconds).
    static func run(_ arguments: [String], url: String, timeout: Double = 90) throws -> String {
        let profile = NSTemporaryDirectory() + "optlab-chromium-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                             "--user-data-dir=\(profile)"] + arguments + [url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        return String(decoding: data, as: UTF8.self)
    }

    /// Opens `report` with `#selftest` (the page then toggles, hovers and
    /// switches by itself) and returns the JSON it wrote into the DOM.
    static func selfTest(report: String) throws -> [String: Any] {
        let dom = try run(["--dump-dom"], url: "file://" + report + "#selftest")
        guard let start = dom.range(of: "<pre id=\"selftest-result\">"),
              let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            throw PlotError("no selftest result in the DOM Chromium dumped (\(dom.count) characters)")
        }
        let text = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw PlotError("selftest result is not a JSON object: \(text.prefix(200))")
        }
        return object
    }
}

@Suite("report.html in headless Chromium: toggling, hovering, switches",
       .enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.skipNote)))
struct BrowserTests {
    /// The example report's run directory (Reports/example), rewritten into a temporary copy.
    static func exampleReport() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let source = root.appendingPathComponent("Reports/example").path
        let dir = Fixtures.temporaryDirectory("browser-example")
        for file in ["traces.csv", "summary.csv", "manifest.json"] {
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: dir + "/" + file)
        }
        _ = try RunReport.write(directory: dir)
        return dir + "/report.html"
    }

    static func expectPass(_ result: [String: Any], optimizers: Int) {
        #expect(result["error"] == nil, "\(result["error"] ?? "")")
        let checks = result["checks"] as? [String: [String: Any]] ?? [:]
        #expect(checks.count >= 12, "\(checks.keys.sorted())")
        for (name, check) in checks.sorted(by: { $0.key < $1.key }) {
            #expect(check["ok"] as? Bool == true, "\(name): \(check["detail"] ?? "")")
        }
        #expect(result["ok"] as? Bool == true)
        #expect(result["optimizers"] as? Int == optimizers)
        let hover = result["hover"] as? String ?? ""
        for word in ["seed ", "step ", "cost ", "time "] { #expect(hover.contains(word), "tooltip: \(hover)") }
    }

    @Test("the example run set (29 optimizers when written): small multiples by family, toggles and hover work")
    func exampleReport() throws {
        let report = try Self.exampleReport()
        let optimizers = try RunDirectory(path: (report as NSString).deletingLastPathComponent).optimizers.count
        #expect(optimizers > Palette.familyThreshold)
        let result = try Chromium.selfTest(report: report)
        Self.expectPass(result, optimizers: optimizers)
        let checks = result["checks"] as? [String: Any] ?? [:]
        #expect(checks["small multiples: one block per family"] != nil && checks["each family has its own palette"] != nil)
    }

    @Test("the fixture run set (3 optimizers): one block, toggles and hover work")
    func fixtureReport() throws {
        let dir = Fixtures.temporaryDirectory("browser-fixture")
        try Fixtures.writeRunDirectory(dir)
        _ = try RunReport.write(directory: dir)
        let result = try Chromium.selfTest(report: dir + "/report.html")
        Self.expectPass(result, optimizers: 3)
        #expect((result["checks"] as? [String: Any])?["one block when at most 12 optimizers"] != nil)
    }

    @Test("a page that is broken fails the self-test (the check can fail)")
    func brokenPageFails() throws {
        let dir = Fixtures.temporaryDirectory("browser-broken")
        try Fixtures.writeRunDirectory(dir)
        _ = try RunReport.write(directory: dir)
        // Break the tooltip: hovering then shows nothing.
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
            .replacingOccurrences(of: "tip.hidden = false;", with: "tip.hidden = true;")
        try html.write(toFile: dir + "/broken.html", atomically: true, encoding: .utf8)
        let result = try Chromium.selfTest(report: dir + "/broken.html")
        #expect(result["ok"] as? Bool == false)
        let hover = (result["checks"] as? [String: [String: Any]])?["hover shows optimizer, seed, step, cost, time and value"]
        #expect(hover?["ok"] as? Bool == false)
    }
}

/// Says in the test log when the browser tests were skipped.
@Test("browser availability note") func browserNote() {
    if Chromium.path == nil { print("note: " + Chromium.skipNote) }
    #expect(Chromium.path == nil || FileManager.default.isExecutableFile(atPath: Chromium.path!))
}
