import Foundation
import Testing

@Suite("optlab tune --search random|halton (the real binary)")
struct TuneSearchTests {
    @Test("a Halton search writes every trial to tuning.csv and the space, choices and scores to manifest.json")
    func haltonSearch() throws {
        let dir = NSTemporaryDirectory() + "optlab-tune-search-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        let r = try OptLabBinary.run(["tune", "--problem", "rosenbrock(d=2)", "--optimizer", "adamw", "--search", "halton",
                                      "--space", "lr=log:1e-5..1,weight_decay=log:1e-4..1,beta2=lin:0.9..0.999",
                                      "--trials", "3", "--steps", "50", "--out", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("AlgoPerf-style score of the tuned specs"))
        let csv = try String(contentsOfFile: dir + "/tuning.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 4)
        #expect(csv[0].hasSuffix("selected,trial,lr,weight_decay,beta2"))
        // Trial 1 is Halton point 1: (1/2, 1/3, 1/5) mapped onto the box.
        #expect(csv[1].hasSuffix(",1,0.00316227766017,0.00215443469003,0.9198"))
        #expect(csv[3].contains(",3,0.056234132519,0.000278255940221,0.9594"))
        let m = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))) as? [String: Any])
        #expect(m["tuning_search"] as? String == "halton")
        #expect(m["tuning_space"] as? String == "lr=log:1e-5..1,weight_decay=log:0.0001..1,beta2=lin:0.9..0.999")
        let choices = try #require(m["tuning_choices"] as? [[String: Any]])
        #expect(choices.count == 1 && (choices[0]["spec"] as? String)?.hasPrefix("adamw(") == true)
        #expect((m["tuning_scores"] as? [String: Any])?["adamw"] != nil)
    }

    @Test("search flags that do not fit are one-line errors", arguments: [
        ["--search", "halton", "--trials", "3"],
        ["--search", "random", "--space", "lr=log:1e-5..1"],
        ["--search", "grid", "--space", "lr=log:1e-5..1", "--grid", "lr=0.1,1"],
        ["--search", "halton", "--space", "lr=exp:1..2", "--trials", "2"],
        ["--search", "sobol", "--space", "lr=log:1e-5..1", "--trials", "2"],
    ])
    func badFlags(extra: [String]) throws {
        let r = try OptLabBinary.run(["tune", "--problem", "rosenbrock(d=2)", "--optimizer", "adam", "--steps", "5", "--out",
                                      NSTemporaryDirectory() + "optlab-tune-bad-\(getpid())"] + extra)
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") || $0.hasPrefix("optlab: error:") }
        #expect(lines.count == 1, "\(r.stderr)")
    }
}
