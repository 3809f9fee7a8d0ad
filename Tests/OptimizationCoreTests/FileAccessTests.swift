import Foundation
import Testing
import OptimizationCore

@Suite("file access: one-line errors naming path and reason, atomic writes")
struct FileAccessTests {
    static func scratch() -> String {
        let path = NSTemporaryDirectory() + "optlab-fileaccess-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("errno values map to plain reasons", arguments: [
        (ENOENT, "no such file or directory"), (EISDIR, "it is a directory"), (ENOSPC, "no space left on device"),
        (EACCES, "permission denied"), (EPERM, "permission denied"), (EROFS, "read-only file system"),
        (EDQUOT, "disk quota exceeded"),
    ])
    func reasons(code: Int32, reason: String) {
        #expect(FileAccessError("write", "out/traces.csv", errno: code).description == "cannot write 'out/traces.csv': \(reason)")
    }

    @Test func atomicWriteAndItsFailures() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileAccess.writeAtomically("a,b\n1,2\n", to: dir + "/t.csv", temporarySuffix: "1")
        #expect(try FileAccess.readText(dir + "/t.csv") == "a,b\n1,2\n")
        #expect(throws: FileAccessError("write", dir + "/none/t.csv", reason: "the directory '\(dir)/none' does not exist")) {
            try FileAccess.writeAtomically("x", to: dir + "/none/t.csv", temporarySuffix: "2")
        }
        try FileManager.default.createDirectory(atPath: dir + "/d", withIntermediateDirectories: true)
        #expect(throws: FileAccessError("write", dir + "/d", errno: EISDIR)) {
            try FileAccess.writeAtomically("x", to: dir + "/d", temporarySuffix: "3")
        }
        // The failed rename left no temporary file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["d", "t.csv"])
        #expect(throws: FileAccessError("read", dir + "/d", errno: EISDIR)) { try FileAccess.readText(dir + "/d") }
        #expect(throws: FileAccessError("read", dir + "/no.csv", errno: ENOENT)) { try FileAccess.readText(dir + "/no.csv") }
    }

    @Test func createDirectoryNamesTheFileInTheWay() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileAccess.createDirectory(dir + "/a/b/c")
        #expect(FileAccess.kind(dir + "/a/b/c") == .directory)
        try "x".write(toFile: dir + "/f", atomically: true, encoding: .utf8)
        #expect(throws: FileAccessError("create the directory", dir + "/f/g", reason: "'\(dir)/f' is a file, not a directory")) {
            try FileAccess.createDirectory(dir + "/f/g")
        }
        #expect(throws: FileAccessError("create the directory", dir + "/f", reason: "a file with that name exists")) {
            try FileAccess.createDirectory(dir + "/f")
        }
    }

    @Test func removeTemporaryFilesLeavesTheRest() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["traces.csv", "traces.csv.tmp-12-3", "summary.csv.tmp-1-1", "notes.txt"] {
            try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        }
        FileAccess.removeTemporaryFiles(in: dir)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["notes.txt", "traces.csv"])
    }

    @Test("errors quoting user input stay one line")
    func singleLineEscapes() {
        #expect(singleLine("plain") == "plain")
        #expect(singleLine("a\nb\r\tc\u{0}d\u{2028}") == "a\\nb\\r\\tc\\u{0}d\\u{2028}")
        #expect("\(CSVError(file: "f", line: 1, column: 2, message: "bad 'x\ny'"))" == "f:1:2: bad 'x\\ny'")
        #expect((try? SpecString(parsing: "ad\nam")) == nil)
        do { _ = try SpecString(parsing: "ad\nam(") } catch { #expect(!"\(error)".contains("\n")) }
    }
}
