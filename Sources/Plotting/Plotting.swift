import OptimizationCore

/// Analysis of a run directory (`traces.csv`, `summary.csv`, `manifest.json`):
/// the figures, the HTML report, `summary.md` and the ranked table that
/// `optlab compare` prints. Everything here reads files; nothing runs optimizers.
public enum RunReport {
    /// Reads `directory`'s files and writes `directory/plots/*.svg`,
    /// `report.html` (or `htmlPath`) and `summary.md`. Returns the paths written.
    public static func write(directory: String, htmlPath: String? = nil) throws -> [String] {
        throw CSVError(file: directory, line: 0, column: 0, message: "report writing is not implemented yet")
    }

    /// The ranked table `optlab compare` prints: per problem the final gap or
    /// loss, evaluations and seconds to target, status; overall wins, solved
    /// counts and the area under the performance profile.
    public static func rankedTable(directory: String) throws -> String {
        throw CSVError(file: directory, line: 0, column: 0, message: "ranked table is not implemented yet")
    }
}
