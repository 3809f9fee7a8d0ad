import Foundation
import OptimizationCore
import Problems
import Testing

/// Loading user CSV files: good files work, malformed ones name file, line and column.
@Suite struct DataLoadingTests {
    static func write(_ text: String, name: String) throws -> String {
        let path = NSTemporaryDirectory() + "optlab-learning-\(getpid())-\(name).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let goodRows = (0..<10).map { i in "\(Double(i) * 0.5),\(i % 3),\(i % 2)" }.joined(separator: "\n")

    @Test func aUserCSVIsAProblem() throws {
        let path = try Self.write("a,b,label\n" + Self.goodRows + "\n", name: "good")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let p = try LearningTest.make("logreg(data=\(path))")
        #expect(p.dimension == 3)
        #expect(p.split.trainingCount == 8 && p.split.testCount == 2)
        #expect(p.name == "logreg(data=\(path))")
        let g = try p.gradient(at: [0.1, -0.2, 0.3])
        let fd = try LearningTest.finiteDifferenceGradient(p, at: [0.1, -0.2, 0.3], indices: [0, 1, 2])
        #expect(LearningTest.relativeError(g, fd) <= 1e-6)
    }

    @Test(arguments: [
        ("a,b,label\n1,2,0\n3,x4,1\n", 3, 2, "field 'b' is not a number: 'x4'"),
        ("a,b,label\n1,2,0\n3,4,1.5\n", 3, 3, "label '1.5' is not a class index; labels must be integers 0, 1, …, C−1"),
        ("a,b,label\n1,2,0\n3,4\n", 3, 4, "row has 2 fields, the header has 3"),
        ("a,b,label\n1,2,0\n3,,1\n", 3, 2, "field 'b' is empty"),
        ("a,b,label\n1,2,0\n3,4,-1\n", 3, 3, "label '-1' is not a class index; labels must be integers 0, 1, …, C−1"),
        ("a,b,label\n1,inf,0\n", 2, 2, "feature 'b' is not a finite number: 'inf'"),
        ("a,b,label\n1,2,0\n1,2,2\n1,2,0\n1,2,2\n1,2,0\n", 1, 3, "labels must be 0, 1, …, C−1 with every class present; class 1 has no rows (largest label 2)"),
        ("a,b,label\n1,2,0\n", 2, 1, "expected at least 5 data rows (every 5th row is a test row), found 1"),
    ])
    func malformedFilesNameFileLineAndColumn(text: String, line: Int, column: Int, message: String) throws {
        let path = try Self.write(text, name: "bad\(line)\(column)\(message.count)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let body = text.hasSuffix("1,inf,0\n") ? text + "1,2,1\n1,2,0\n1,2,1\n1,2,0\n" : text
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ProblemCatalog.shared.make("softmax(data=\(path))", seed: 0)
            Issue.record("expected an error for \(text)")
        } catch let error as CSVError {
            #expect(error.file == path)
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message == message)
            #expect("\(error)".hasPrefix("\(path):\(line):\(column): "))
        }
    }
}
