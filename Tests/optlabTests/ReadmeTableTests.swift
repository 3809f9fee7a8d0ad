import Foundation
import Testing
import Optimizers
@testable import optlab

/// Issue 15 §2: the README's optimizer table is generated from the
/// descriptors; this fails when the two disagree (regenerate the block with
/// `optlab list optimizers --format markdown`).
@Suite struct ReadmeTableTests {
    static let begin = "<!-- BEGIN optlab list optimizers --format markdown -->\n"
    static let end = "<!-- END optlab list optimizers --format markdown -->"

    @Test func readmeTableIsTheCatalog() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: Self.begin))
        let stop = try #require(readme.range(of: Self.end, range: start.upperBound..<readme.endIndex))
        let block = String(readme[start.upperBound..<stop.lowerBound])
        #expect(block == Listing.optimizerMarkdown())
        // One row per catalog optimizer, plus the header and rule.
        #expect(block.split(separator: "\n").count == 2 + OptimizerCatalog.shared.descriptors.count)
    }

    @Test func markdownEscapesPipesAndSkipsScheduleKeys() {
        let table = Listing.optimizerMarkdown()
        #expect(table.contains("| `adam` | first-order |"))
        #expect(!table.contains("warmup=0"))
        // MARS's own gamma (the correction scale) stays; the schedule's is left out.
        #expect(table.split(separator: "\n").first { $0.hasPrefix("| `mars`") }?.contains("gamma=0.025") == true)
    }
}
