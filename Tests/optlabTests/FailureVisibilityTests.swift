import Foundation
import Testing

/// Issue 16, "failures must be visible": each behaviour through the real binary.
@Suite("optlab: failures are visible (exit codes, --out guard, write errors)")
struct FailureVisibilityTests {
    static func scratch(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "optlab-visible-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    static func files(_ dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
    }

    /// Every stderr line of a failure is one line (no dumps), prefixed like the lab's errors.
    static func expectOneLineErrors(_ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in stderr.split(separator: "\n") {
            #expect(line.hasPrefix("optlab: "), "\(line)", sourceLocation: sourceLocation)
            #expect(!line.contains("NSCocoaErrorDomain") && !line.contains("Code="), "\(line)", sourceLocation: sourceLocation)
        }
    }

    @Test("run exits 1 when its only run ends in error; the files are still written")
    func runErrorExitsNonZero() throws {
        let dir = Self.scratch("err")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try OptLabBinary.run(["run", "--problem", "rosenbrock", "--optimizer", "kfac", "--steps", "3",
                                      "--out", dir, "--quiet"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("failed: kfac needs layer_statistics"))
        #expect(FileManager.default.fileExists(atPath: dir + "/summary.csv"))
        #expect(FileManager.default.fileExists(atPath: dir + "/traces.csv"))
        Self.expectOneLineErrors(r.stderr)
        // A clean run still exits 0.
        let ok = try OptLabBinary.run(["run", "--problem", "rosenbrock", "--optimizer", "adam", "--steps", "3",
                                       "--out", dir + "-ok", "--quiet"])
        defer { try? FileManager.default.removeItem(atPath: dir + "-ok") }
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test("problem constructors and data files are checked before any run starts", arguments: [
        ("extended_rosenbrock(n=7)", "even"),
        ("mlp(hidden=abc)", "hidden"),
        ("logreg(data=/nonexistent-optlab.csv)", "/nonexistent-optlab.csv"),
    ])
    func constructorErrorsUpFront(problem: String, mentions: String) throws {
        let dir = Self.scratch("upfront")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for command in [["run", "--problem", problem, "--optimizer", "adam", "--steps", "2", "--out", dir, "--quiet"],
                        ["spec", problem]] {
            let r = try OptLabBinary.run(command)
            #expect(r.status == 2, "\(command): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.hasPrefix("optlab: error: ") && r.stderr.contains(mentions), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir), "no run may start")
    }

    @Test("a data file that does not parse is refused up front")
    func unparsableDataFile() throws {
        let dir = Self.scratch("data")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "a,b,label\n1,2\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let r = try OptLabBinary.run(["spec", "logreg(data=\(dir)/bad.csv)"])
        #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("bad.csv"))
    }

    @Test("compare where every run errors says what failed and credits no win")
    func compareAllErrors() throws {
        let dir = Self.scratch("cmp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try OptLabBinary.run(["compare", "--problem", "rosenbrock", "--optimizer", "kfac", "--steps", "3",
                                      "--out", dir, "--quiet"])
        #expect(r.status == 1)
        #expect(!r.stdout.contains("1/1"), "\(r.stdout)")
        #expect(r.stderr.contains("every run failed") && r.stderr.contains("kfac needs layer_statistics"), "\(r.stderr)")
        #expect(!r.stderr.contains("is not in the files"))
        Self.expectOneLineErrors(r.stderr)
    }

    @Test("compare with one failing optimizer ranks the others and gives it no win")
    func compareSomeErrors() throws {
        let dir = Self.scratch("cmp2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try OptLabBinary.run(["compare", "--problem", "rosenbrock", "--optimizer", "kfac", "--optimizer", "adam",
                                      "--steps", "3", "--out", dir, "--quiet"])
        #expect(r.status == 1)
        #expect(FileManager.default.fileExists(atPath: dir + "/report.html"))
        let kfacOverall = r.stdout.split(separator: "\n").last { $0.contains("kfac") && $0.contains("/1") }
        #expect(kfacOverall?.contains(" 0/1") == true, "\(r.stdout)")
    }

    @Test("--out holding another run set is refused; --resume continues the same set; --force clears the lab's files only")
    func outputGuard() throws {
        let dir = Self.scratch("guard")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = ["run", "--problem", "rosenbrock", "--steps", "3", "--out", dir, "--quiet"]
        #expect(try OptLabBinary.run(base + ["--optimizer", "adam"]).status == 0)
        try "keep".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/plots", withIntermediateDirectories: true)
        try "old".write(toFile: dir + "/report.html", atomically: true, encoding: .utf8)

        // The same set again, plain or with --resume: allowed.
        #expect(try OptLabBinary.run(base + ["--optimizer", "adam"]).status == 0)
        #expect(try OptLabBinary.run(base + ["--optimizer", "adam", "--resume"]).status == 0)

        // A different set: refused in one line that names the difference.
        let other = try OptLabBinary.run(base + ["--optimizer", "lbfgs"])
        #expect(other.status == 2)
        #expect(other.stderr.split(separator: "\n").count == 1, "\(other.stderr)")
        #expect(other.stderr.contains("holds a different run set") && other.stderr.contains("rosenbrock × adam seed 0")
                && other.stderr.contains("--force"), "\(other.stderr)")
        let resumed = try OptLabBinary.run(base + ["--optimizer", "lbfgs", "--resume"])
        #expect(resumed.status == 2 && resumed.stderr.contains("different run set"))
        let budget = try OptLabBinary.run(["run", "--problem", "rosenbrock", "--steps", "4", "--out", dir, "--quiet",
                                           "--optimizer", "adam"])
        #expect(budget.status == 2 && budget.stderr.contains("with another budget"), "\(budget.stderr)")

        // --force: the lab's files go, the user's stay.
        let forced = try OptLabBinary.run(base + ["--optimizer", "lbfgs", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/notes.txt"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/report.html"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/plots"))
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir + "/runs")
        #expect(runs.count == 2, "only the lbfgs run's two files: \(runs)")
        let summary = try String(contentsOfFile: dir + "/summary.csv", encoding: .utf8)
        #expect(summary.contains("lbfgs") && !summary.contains(",adam,"))
    }

    @Test("an interrupted set (some runs) is refused without --resume, continued with it")
    func interruptedSet() throws {
        let dir = Self.scratch("partial")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = ["run", "--problem", "rosenbrock", "--steps", "3", "--out", dir, "--quiet", "--optimizer", "adam"]
        #expect(try OptLabBinary.run(base).status == 0)
        for f in ["traces.csv", "summary.csv", "manifest.json"] { try FileManager.default.removeItem(atPath: dir + "/" + f) }
        // A leftover temporary file of a killed writer is removed by --resume.
        try "partial".write(toFile: dir + "/traces.csv.tmp-1-1", atomically: true, encoding: .utf8)
        let more = base + ["--seeds", "0..1"]
        let refused = try OptLabBinary.run(more)
        #expect(refused.status == 2 && refused.stderr.contains("holds 1 of the 2 runs") && refused.stderr.contains("--resume"),
                "\(refused.stderr)")
        let resumed = try OptLabBinary.run(more + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(!Self.files(dir).contains { $0.contains(".tmp-") }, "\(Self.files(dir))")
    }

    @Test("write failures are one line naming the path and the reason", arguments: [
        "file", "missing-parent", "directory-target",
    ])
    func writeFailures(kind: String) throws {
        let dir = Self.scratch("write-\(kind)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = dir + "/src"
        #expect(try OptLabBinary.run(["run", "--problem", "rosenbrock", "--optimizer", "adam", "--steps", "3",
                                      "--out", source, "--quiet"]).status == 0)
        let results: [(OptLabBinary.Result, String)]
        switch kind {
        case "file":
            try "x".write(toFile: dir + "/afile", atomically: true, encoding: .utf8)
            results = [
                (try OptLabBinary.run(["run", "--problem", "rosenbrock", "--optimizer", "adam", "--steps", "3",
                                       "--out", dir + "/afile", "--quiet"]), "it is a file"),
                (try OptLabBinary.run(["merge", source, "--out", dir + "/afile"]), "a file with that name exists"),
                (try OptLabBinary.run(["merge", source, "--out", dir + "/afile/sub"]), "'\(dir)/afile' is a file"),
            ]
        case "missing-parent":
            results = [
                (try OptLabBinary.run(["plot", source + "/traces.csv", "--out", dir + "/nope/x.svg"]),
                 "cannot write '\(dir)/nope/x.svg': the directory '\(dir)/nope' does not exist"),
                (try OptLabBinary.run(["report", source, "--out", dir + "/nope/r.html"]),
                 "cannot write '\(dir)/nope/r.html': the directory '\(dir)/nope' does not exist"),
            ]
        default:
            try FileManager.default.createDirectory(atPath: dir + "/d.svg", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: dir + "/d.html", withIntermediateDirectories: true)
            results = [
                (try OptLabBinary.run(["plot", source + "/traces.csv", "--out", dir + "/d.svg"]),
                 "cannot write '\(dir)/d.svg': it is a directory"),
                (try OptLabBinary.run(["report", source, "--out", dir + "/d.html"]),
                 "cannot write '\(dir)/d.html': it is a directory"),
            ]
        }
        for (r, message) in results {
            #expect(r.status == 2, "\(r.stdout) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(message), "\(r.stderr)")
            Self.expectOneLineErrors(r.stderr)
        }
        #expect(!Self.files(dir).contains { $0.contains(".tmp-") }, "no temporary file left: \(Self.files(dir))")
    }

    @Test("cannot read a file: the error says why")
    func readFailureSaysWhy() throws {
        let r = try OptLabBinary.run(["plot", "/nonexistent-optlab/traces.csv", "--out", "/tmp/never.svg"])
        #expect(r.status == 2 && r.stderr.contains("cannot read file: no such file or directory"), "\(r.stderr)")
        let d = try OptLabBinary.run(["plot", NSTemporaryDirectory(), "--out", "/tmp/never.svg"])
        #expect(d.status == 2 && d.stderr.contains("cannot read file: it is a directory"), "\(d.stderr)")
    }
}
