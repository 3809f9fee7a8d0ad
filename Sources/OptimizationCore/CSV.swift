#if canImport(Glibc)
import Glibc
#endif

/// A CSV parse or content error, located by file, line and column (1-based).
public struct CSVError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { singleLine("\(file):\(line):\(column): \(message)") }
}

/// A CSV file held in memory: a header and rows of text fields, each row
/// remembering its line so that later content errors can point at it.
///
/// RFC 4180: comma-separated, fields optionally in double quotes (`""`
/// inside quotes is a quote), LF or CRLF line endings, UTF-8. Blank lines
/// are skipped. Every row must have as many fields as the header.
public struct CSVTable: Sendable {
    public let source: String
    public let header: [String]
    public let rows: [[String]]
    /// Line number (1-based) where each row starts.
    public let lines: [Int]

    public init(source: String, header: [String], rows: [[String]], lines: [Int]) {
        self.source = source
        self.header = header
        self.rows = rows
        self.lines = lines
    }

    /// Index of a column, or an error naming it and listing the columns present.
    public func column(_ name: String) throws(CSVError) -> Int {
        if let i = header.firstIndex(of: name) { return i }
        throw CSVError(file: source, line: 1, column: 1,
                       message: "missing column '\(name)'; columns present: \(header.joined(separator: ", "))")
    }

    /// A numeric field; `nan`, `inf`, `-inf` are accepted, empty gives nil.
    public func double(row r: Int, column c: Int) throws(CSVError) -> Double? {
        let text = rows[r][c]
        if text.isEmpty { return nil }
        if let x = CSV.parseDouble(text) { return x }
        throw CSVError(file: source, line: lines[r], column: c + 1,
                       message: "field '\(header[c])' is not a number: '\(text)'")
    }

    /// A required numeric field.
    public func requiredDouble(row r: Int, column c: Int) throws(CSVError) -> Double {
        guard let x = try double(row: r, column: c) else {
            throw CSVError(file: source, line: lines[r], column: c + 1, message: "field '\(header[c])' is empty")
        }
        return x
    }
}

/// Reading and writing CSV.
public enum CSV {
    /// Parses CSV text. `source` names the file in errors.
    public static func parse(_ text: String, source: String) throws(CSVError) -> CSVTable {
        var records: [[String]] = []
        var lines: [Int] = []
        var field: [UInt8] = []
        var record: [String] = []
        var inQuotes = false
        var line = 1, column = 1
        var recordLine = 1, fieldStartColumn = 1
        var quotedField = false
        var afterQuote = false
        let bytes = Array(text.utf8)
        var i = 0

        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
            afterQuote = false
        }

        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b); i += 2; column += 2; continue
                    }
                    inQuotes = false
                    afterQuote = true
                } else {
                    field.append(b)
                    if b == UInt8(ascii: "\n") { line += 1; column = 0 }
                }
                i += 1; column += 1
                continue
            }
            switch b {
            case UInt8(ascii: ","):
                endField()
                fieldStartColumn = column + 1
            case UInt8(ascii: "\r") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"):
                break
            case UInt8(ascii: "\n"):
                if !(record.isEmpty && field.isEmpty && !quotedField) || afterQuote {
                    endField()
                    records.append(record)
                    lines.append(recordLine)
                }
                record.removeAll()
                line += 1; column = 0
                recordLine = line
                fieldStartColumn = 1
            case UInt8(ascii: "\""):
                guard field.isEmpty && !quotedField else {
                    throw CSVError(file: source, line: line, column: column,
                                   message: "unexpected '\"' inside an unquoted field")
                }
                inQuotes = true
                quotedField = true
            default:
                if afterQuote {
                    throw CSVError(file: source, line: line, column: column,
                                   message: "unexpected character after a closing quote (field starting at column \(fieldStartColumn))")
                }
                field.append(b)
            }
            i += 1; column += 1
        }
        if inQuotes {
            throw CSVError(file: source, line: recordLine, column: fieldStartColumn, message: "unterminated quoted field")
        }
        if !record.isEmpty || !field.isEmpty || afterQuote {
            endField()
            records.append(record)
            lines.append(recordLine)
        }
        guard let header = records.first else {
            throw CSVError(file: source, line: 1, column: 1, message: "empty file: expected a header row")
        }
        for (k, r) in records.enumerated().dropFirst() where r.count != header.count {
            let col = r.count < header.count ? r.joined(separator: ",").count + 1 : header.count + 1
            throw CSVError(file: source, line: lines[k], column: col,
                           message: "row has \(r.count) fields, the header has \(header.count)")
        }
        return CSVTable(source: source, header: header, rows: Array(records.dropFirst()), lines: Array(lines.dropFirst()))
    }

    /// Reads and parses a file; I/O failures are reported as a CSVError at line 0.
    public static func read(path: String) throws(CSVError) -> CSVTable {
        let text: String
        do {
            text = try FileAccess.readText(path)
        } catch {
            throw CSVError(file: path, line: 0, column: 0, message: "cannot read file: \(error.reason)")
        }
        return try parse(text, source: path)
    }

    /// Parses a CSV number: decimal or scientific, or `nan`, `inf`, `-inf`.
    public static func parseDouble(_ text: String) -> Double? {
        switch text {
        case "nan", "NaN", "-nan": return .nan
        case "inf", "+inf", "Infinity": return .infinity
        case "-inf", "-Infinity": return -.infinity
        default:
            guard let first = text.utf8.first, first != UInt8(ascii: " ") else { return nil }
            return Double(text)
        }
    }

    /// A float at round-trip precision (shortest form that parses back exactly).
    public static func format(_ x: Double) -> String { formatNumber(x) }

    /// Quotes a field when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            var out = "\""
            for c in field { out.append(c); if c == "\"" { out.append("\"") } }
            return out + "\""
        }
        return field
    }

    /// One CSV line (with the trailing newline).
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }
}

/// Reads a whole file as UTF-8, or nil (``FileAccess/readText(_:)`` says why).
public func readTextFile(_ path: String) -> String? {
    try? FileAccess.readText(path)
}
