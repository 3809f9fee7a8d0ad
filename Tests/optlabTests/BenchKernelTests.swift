import Foundation
import Testing

/// `optlab bench update`'s kernel column, OPTLAB_KERNEL handling and the
/// --compare-torch errors (no Python with torch is needed: only the paths
/// that fail before or without torch are run).
struct BenchKernelTests {
    static func bench(_ arguments: [String], kernel: String?) throws -> OptLabBinary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: OptLabBinary.path)
        process.arguments = ["bench", "update"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPTLAB_KERNEL"] = kernel
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test func theKernelColumnNamesTheForcedPath() throws {
        let r = try Self.bench(["--optimizer", "adam", "--dim", "3000", "--steps", "2", "--format", "csv"],
                               kernel: "baseline")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasSuffix(",ratio_to_triad,kernel") == true)
        #expect(lines.last?.hasSuffix(",baseline") == true, "\(r.stdout)")
    }

    @Test(arguments: [("bogus", "is not a kernel path (accepted: auto, baseline, avx2, avx512)")])
    func aBadKernelNameIsOneLineAndNonZero(_ name: String, _ message: String) throws {
        let r = try Self.bench(["--optimizer", "adam", "--dim", "3000", "--steps", "2"], kernel: name)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("OPTLAB_KERNEL=\(name) \(message)"), "\(r.stderr)")
    }

    @Test func compareTorchNeedsAdam() throws {
        let r = try Self.bench(["--optimizer", "lion", "--dim", "3000", "--steps", "2", "--compare-torch"], kernel: nil)
        #expect(r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("--compare-torch times torch.optim.Adam(fused=True); use it with --optimizer adam"))
    }

    @Test func compareTorchWithoutAPythonLeavesTheColumnsEmpty() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("optlab-torch-\(getpid()).py").path
        try "print('unused')\n".write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let r = try Self.bench(["--optimizer", "adam", "--dim", "3000", "--steps", "2", "--format", "csv",
                                "--compare-torch", "--python", "/nonexistent/python3", "--torch-script", script],
                               kernel: nil)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.first?.hasSuffix(",kernel,torch_seconds_per_step,speedup_vs_torch") == true)
        #expect(lines.last?.hasSuffix(",,") == true, "\(r.stdout)")
        #expect(r.stderr.contains("no Python at /nonexistent/python3; no torch comparison"), "\(r.stderr)")
    }
}
