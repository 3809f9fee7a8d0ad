import Foundation
import Testing

/// DocC and IDEs attach a `///` comment only to the declaration directly
/// below it: a blank line, an import or a `#if` in between detaches it
/// silently. This scans every Swift file of the library modules.
struct DocCommentPlacementTests {
    /// The package root, from this file's path (Tests/ImporterTests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func sourceFiles() -> [(path: String, lines: [String])] {
        var out: [(String, [String])] = []
        for top in ["Sources", "Problems"] {
            let base = root + "/" + top
            for case let relative as String in FileManager.default.enumerator(atPath: base)?.allObjects ?? []
            where relative.hasSuffix(".swift") {
                let path = base + "/" + relative
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
                out.append((path, text.components(separatedBy: "\n")))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    static let publicType = try! NSRegularExpression(
        pattern: #"^\s*(?:@\w+(?:\([^)]*\))?\s+)*public\s+(?:final\s+)?(?:struct|enum|class|protocol|actor)\s+(\w+)"#)

    @Test func theScanSeesTheLibrary() {
        let files = Self.sourceFiles()
        #expect(files.count > 100, "found \(files.count) files under \(Self.root)")
        #expect(files.contains { $0.path.hasSuffix("Optimizers/FirstOrder/Adam.swift") })
    }

    @Test("no /// block is separated from its declaration by a blank line, an import or a directive")
    func noDetachedDocComments() {
        var detached: [String] = []
        for (path, lines) in Self.sourceFiles() {
            for i in lines.indices.dropLast() where lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("///") {
                let next = lines[i + 1].trimmingCharacters(in: .whitespaces)
                if next.hasPrefix("///") { continue }
                if next.isEmpty || next.hasPrefix("import ") || next.hasPrefix("#") || next.hasPrefix("//") {
                    detached.append("\(path):\(i + 1)")
                }
            }
        }
        #expect(detached.isEmpty, "doc comments not attached to a declaration: \(detached)")
    }

    @Test("every public type has a doc comment directly on its declaration")
    func everyPublicTypeDocumented() {
        var missing: [String] = []
        var types = 0
        for (path, lines) in Self.sourceFiles() {
            for (i, line) in lines.enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                guard let match = Self.publicType.firstMatch(in: line, range: range) else { continue }
                types += 1
                var j = i - 1
                while j >= 0 && lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("@") { j -= 1 }
                let above = j >= 0 ? lines[j].trimmingCharacters(in: .whitespaces) : ""
                if !(above.hasPrefix("///") || above.hasSuffix("*/")) {
                    let name = String(line[Range(match.range(at: 1), in: line)!])
                    missing.append("\(path):\(i + 1) \(name)")
                }
            }
        }
        #expect(types > 150, "found \(types) public types")
        #expect(missing.isEmpty, "public types without an attached doc comment: \(missing)")
    }

    /// Imports open the file: an import below the first declaration hides a
    /// module dependency from the reader (and once sat between a file's doc
    /// comment and its type).
    @Test("imports stand before every declaration")
    func importsOpenTheFile() {
        var late: [String] = []
        for (path, lines) in Self.sourceFiles() {
            var declarationSeen = false
            for (i, line) in lines.enumerated() {
                let text = line.trimmingCharacters(in: .whitespaces)
                let isImport = text.range(of: #"^(@\w+ )?((internal|public|private) )?import \w"#, options: .regularExpression) != nil
                if isImport && declarationSeen { late.append("\(path):\(i + 1)") }
                if !isImport && !text.isEmpty && !text.hasPrefix("//") && !text.hasPrefix("#") { declarationSeen = true }
            }
        }
        #expect(late.isEmpty, "imports after a declaration: \(late)")
    }
}
