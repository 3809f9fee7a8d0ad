import Testing
@testable import OptimizationCore

@Suite("CSV")
struct CSVTests {
    @Test func parsesQuotesCRLFAndBlankLines() throws {
        let text = "a,b,c\r\n1,\"x, y\",3\r\n\n\"q\"\"uote\",,-inf\n"
        let t = try CSV.parse(text, source: "t.csv")
        #expect(t.header == ["a", "b", "c"])
        #expect(t.rows == [["1", "x, y", "3"], ["q\"uote", "", "-inf"]])
        #expect(t.lines == [2, 4])
        #expect(try t.double(row: 1, column: 2) == -.infinity)
        #expect(try t.double(row: 1, column: 1) == nil)
    }

    @Test("errors name file, line and column")
    func errors() {
        #expect(throws: CSVError(file: "f.csv", line: 3, column: 4, message: "row has 2 fields, the header has 3")) {
            try CSV.parse("a,b,c\n1,2,3\n1,2\n", source: "f.csv")
        }
        #expect(throws: CSVError(file: "f.csv", line: 2, column: 4, message: "unexpected '\"' inside an unquoted field")) {
            try CSV.parse("a,b\n1,2\"\n", source: "f.csv")
        }
        #expect(throws: CSVError(file: "f.csv", line: 2, column: 3, message: "unterminated quoted field")) {
            try CSV.parse("a,b\n1,\"2\n", source: "f.csv")
        }
        #expect(throws: CSVError(file: "e.csv", line: 1, column: 1, message: "empty file: expected a header row")) {
            try CSV.parse("", source: "e.csv")
        }
        do {
            let t = try CSV.parse("x,y\n1,abc\n", source: "n.csv")
            _ = try t.double(row: 0, column: 1)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "n.csv:2:2: field 'y' is not a number: 'abc'")
        }
        do {
            let t = try CSV.parse("x,y\n1,2\n", source: "m.csv")
            _ = try t.column("loss")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "m.csv:1:1: missing column 'loss'; columns present: x, y")
        }
    }

    @Test func writerRoundTrips() throws {
        let fields = ["plain", "with,comma", "with \"quote\"", "", CSV.format(0.1), CSV.format(.nan)]
        let t = try CSV.parse(CSV.line(["a", "b", "c", "d", "e", "f"]) + CSV.line(fields), source: "w")
        #expect(t.rows[0] == fields)
        #expect(try t.double(row: 0, column: 4) == 0.1)
        #expect(try t.double(row: 0, column: 5)?.isNaN == true)
    }
}
