import Foundation
import OptimizationCore

/// `optlab bench update --compare-torch`: times torch.optim.Adam(fused=True)
/// with Benchmarks/reference/torch_adam.py in a child Python, right after the
/// Swift row, with the same N, steps, threads and Adam options.
enum TorchReference {
    /// Exit status of torch_adam.py when torch cannot be imported.
    static let noTorchStatus: Int32 = 3

    /// The best seconds per step, or nil (with a note on stderr) when the
    /// Python has no torch. Throws one-line errors for everything else.
    static func measure(for p: ResolvedParameters, python: String, script: String, dim: Int, steps: Int,
                        threads: Int) throws -> Double? {
        guard p.descriptorName == "adam" else {
            throw BenchInputError("--compare-torch times torch.optim.Adam(fused=True); use it with --optimizer adam (got \(p.descriptorName))")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw BenchInputError("--compare-torch: no torch reference script at \(script) (run from the package root, or pass --torch-script PATH)")
        }
        var arguments = [script, "--dim", "\(dim)", "--steps", "\(steps)", "--threads", "\(threads)",
                         "--weight-decay", "\(p.double("weight_decay"))"]
        if p.bool("amsgrad") { arguments.append("--amsgrad") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw BenchInputError("--compare-torch: cannot start \(python) (\(error.localizedDescription))")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let firstError = message.split(separator: "\n").first.map(String.init) ?? ""
        switch process.terminationStatus {
        case 0:
            break
        case noTorchStatus:
            printError("optlab: note: \(firstError); no torch comparison")
            return nil
        case 127:
            printError("optlab: note: no Python at \(python); no torch comparison")
            return nil
        default:
            throw BenchInputError("--compare-torch: \(python) \(script) failed (exit status \(process.terminationStatus)): \(firstError)")
        }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 5, let seconds = Double(fields[4]), seconds > 0 else {
            throw BenchInputError("--compare-torch: cannot read the torch row \"\(line)\"")
        }
        return seconds
    }
}
