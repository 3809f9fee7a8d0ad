import Foundation
import OptimizationCore
import Synchronization

/// A classification data set: numeric features and integer class labels,
/// read from a CSV file with a header row and the label in the last column.
///
/// Labels must be the integers 0 … C−1 with every class present (C ≥ 2), so
/// that the number of classes is well defined and no output is unreachable.
/// Features must be finite numbers. Any violation is a ``CSVError`` naming
/// the file, line and column.
public struct LearningDataset: Sendable {
    /// The bundled name (`digits`) or the path the user gave.
    public let name: String
    /// Header names of the feature columns.
    public let featureNames: [String]
    /// Row-major `rows × featureCount` raw (unscaled) features.
    public let features: [Double]
    /// Class index of each row, in 0..<classCount.
    public let labels: [Int]
    public let rows: Int
    public let featureCount: Int
    public let classCount: Int

    /// Data sets shipped in `Problems/Data/` (provenance and checksums in its README).
    public static let bundledNames = ["breast_cancer", "digits", "wine"]

    /// The file of a bundled data set, or nil for an unknown name.
    public static func bundledPath(_ name: String) -> String? {
        guard bundledNames.contains(name) else { return nil }
        return Bundle.module.path(forResource: name, ofType: "csv")
    }

    /// Parsed data sets, by name or path: a run set builds many problem
    /// instances on the same file, which is parsed once per process.
    private static let cache = Mutex<[String: LearningDataset]>([:])

    /// A bundled data set by name, or any CSV file by path.
    ///
    /// Throws ``SpecError/invalidValue(owner:key:value:reason:accepted:)`` when
    /// `nameOrPath` is neither, and ``CSVError`` for a malformed file.
    public static func load(_ nameOrPath: String, owner: String = "data") throws -> LearningDataset {
        if let cached = cache.withLock({ $0[nameOrPath] }) { return cached }
        let path: String
        if let bundled = bundledPath(nameOrPath) {
            path = bundled
        } else if FileManager.default.isReadableFile(atPath: nameOrPath) {
            path = nameOrPath
        } else {
            throw SpecError.invalidValue(
                owner: owner, key: "data", value: nameOrPath,
                reason: "is neither a bundled data set nor a readable CSV file",
                accepted: bundledNames.joined(separator: "|") + " or a path to a CSV file (header row, label last)")
        }
        let table = try CSV.read(path: path)
        let data = try LearningDataset(table: table, name: nameOrPath)
        cache.withLock { $0[nameOrPath] = data }
        return data
    }

    /// Builds a data set from a parsed CSV table (`name` labels it in messages).
    public init(table: CSVTable, name: String) throws(CSVError) {
        let columns = table.header.count
        guard columns >= 2 else {
            throw CSVError(file: table.source, line: 1, column: 1,
                           message: "expected at least one feature column and a label column, found \(columns) column(s)")
        }
        let p = columns - 1
        var features = [Double](repeating: 0, count: table.rows.count * p)
        var labels = [Int](repeating: 0, count: table.rows.count)
        for r in table.rows.indices {
            for c in 0..<p {
                let x = try table.requiredDouble(row: r, column: c)
                guard x.isFinite else {
                    throw CSVError(file: table.source, line: table.lines[r], column: c + 1,
                                   message: "feature '\(table.header[c])' is not a finite number: '\(table.rows[r][c])'")
                }
                features[r * p + c] = x
            }
            let text = table.rows[r][p]
            guard let y = Int(text), y >= 0, y < 1 << 20 else {
                throw CSVError(file: table.source, line: table.lines[r], column: columns,
                               message: "label '\(text)' is not a class index; labels must be integers 0, 1, …, C−1")
            }
            labels[r] = y
        }
        guard table.rows.count >= 5 else {
            throw CSVError(file: table.source, line: table.lines.last ?? 1, column: 1,
                           message: "expected at least 5 data rows (every 5th row is a test row), found \(table.rows.count)")
        }
        let classCount = (labels.max() ?? 0) + 1
        var present = [Bool](repeating: false, count: classCount)
        for y in labels { present[y] = true }
        if let missing = present.firstIndex(of: false) {
            throw CSVError(file: table.source, line: 1, column: columns,
                           message: "labels must be 0, 1, …, C−1 with every class present; class \(missing) has no rows (largest label \(classCount - 1))")
        }
        guard classCount >= 2 else {
            throw CSVError(file: table.source, line: 1, column: columns,
                           message: "labels must have at least 2 classes; every row has label 0")
        }
        self.name = name
        self.featureNames = Array(table.header.prefix(p))
        self.features = features
        self.labels = labels
        self.rows = table.rows.count
        self.featureCount = p
        self.classCount = classCount
    }
}
