import Foundation
import Testing
@testable import Harness
import OptimizationCore

@Suite("output directory: one run set per directory (--resume, --force)")
struct OutputDirectoryTests {
    let runner = Runner(source: testSource)
    let planA = RunPlan(problems: ["bowl"], optimizers: ["gd"], seeds: [0, 1], budget: Budget(steps: 5))
    let planB = RunPlan(problems: ["bowl"], optimizers: ["gd(lr=0.3)"], seeds: [0], budget: Budget(steps: 5))

    func scratch() -> String {
        NSTemporaryDirectory() + "optlab-outdir-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    @Test func refusesAnotherSetUnlessForced() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try RunSet.execute(planA, in: dir, runner: runner)
        _ = try RunSet.execute(planA, in: dir, runner: runner)   // the same set again: fine
        #expect { _ = try RunSet.execute(planB, in: dir, runner: runner) } throws: { error in
            let text = "\(error)"
            return text.contains("holds a different run set: 2 runs not in this set (e.g. bowl × gd seed 0)")
                && text.contains("lacks 1 of this set's 1 run") && !text.contains("\n")
        }
        var force = RunSetOptions()
        force.force = true
        try "mine".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        _ = try RunSet.execute(planB, in: dir, runner: runner, options: force)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/runs").count == 2)
        #expect(FileManager.default.fileExists(atPath: dir + "/notes.txt"))
    }

    @Test func resumeAcceptsAnInterruptedPartOfTheSet() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let one = RunPlan(problems: ["bowl"], optimizers: ["gd"], seeds: [0], budget: Budget(steps: 5))
        _ = try RunSet.execute(one, in: dir, runner: runner)
        #expect(throws: (any Error).self) { _ = try RunSet.execute(planA, in: dir, runner: runner) }
        let outcomes = try RunSet.execute(planA, in: dir, runner: runner, options: RunSetOptions(resume: true))
        #expect(outcomes.map(\.executed) == [false, true])
    }

    @Test func userFilesAloneAreNoRunSet() throws {
        let dir = scratch()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "x".write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        _ = try RunSet.execute(planA, in: dir, runner: runner)
        #expect(FileManager.default.fileExists(atPath: dir + "/summary.csv"))
    }
}
