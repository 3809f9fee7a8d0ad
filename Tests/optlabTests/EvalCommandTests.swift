import Foundation
import Testing
@testable import optlab

/// `optlab eval`: values at the points of a CSV, 17 significant digits; bad rows name their line.
@Suite struct EvalCommandTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("optlab-eval-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func headerlessAndHeaderedPointsGiveTheSameValues() throws {
        let plain = try Self.file("0.25,-1.5\n1,2\n")
        let named = try Self.file("x1,x2\n0.25,-1.5\n\n1,2\n")
        let a = try OptLabBinary.run(["eval", "--problem", "bbob(f=1,instance=1,d=2)", "--points", plain])
        let b = try OptLabBinary.run(["eval", "--problem", "bbob(f=1,instance=1,d=2)", "--points", named])
        #expect(a.status == 0 && b.status == 0)
        #expect(a.stdout == b.stdout)
        let lines = a.stdout.split(separator: "\n")
        #expect(lines.first == "f")
        // f1 = ‖x − x_opt‖² + f_opt with x_opt = (0.2528, −1.1568), f_opt = 79.48.
        let expected = (0.25 - 0.2528) * (0.25 - 0.2528) + (-1.5 + 1.1568) * (-1.5 + 1.1568) + 79.48
        #expect(abs(Double(lines[1])! - expected) <= 1e-13 * expected)
        #expect(PointEvaluation.format(0.1) == "0.10000000000000001")   // 17 significant digits
    }

    @Test func gradientColumns() throws {
        let pts = try Self.file("1,2\n")
        let r = try OptLabBinary.run(["eval", "--problem", "sphere(d=2)", "--points", pts, "--gradient"])
        #expect(r.status == 0)
        #expect(r.stdout == "f,g1,g2\n5,2,4\n")
        let bbob = try OptLabBinary.run(["eval", "--problem", "bbob(f=2)", "--points", pts, "--gradient"])
        #expect(bbob.status == 2 && bbob.stderr.contains("does not provide gradients"))
    }

    @Test(arguments: [
        ("x1,x2\n1,2\n3\n", ":3: row has 1 fields, expected 2"),
        ("1,2\n3,abc\n", ":2: field 2 is not a number: 'abc'"),
        ("1,2,3\n", ":1: row has 3 fields, expected 2"),
    ])
    func badRowsNameTheirLine(_ text: String, _ message: String) throws {
        let pts = try Self.file(text)
        let r = try OptLabBinary.run(["eval", "--problem", "bbob(f=3,d=2)", "--points", pts])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
