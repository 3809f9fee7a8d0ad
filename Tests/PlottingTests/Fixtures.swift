import Foundation
import OptimizationCore

/// Synthetic run directories in the exact file contract of the harness:
/// 3 problems (two with f* known, one without: empty gap) × 3 optimizers
/// × 3 seeds, with one diverged run (gd on rosenbrock, seed 2) whose loss
/// becomes NaN. Losses follow geometric decay at per-optimizer rates, so
/// every number is known in closed form.
enum Fixtures {
    static let traceHeader = "run_id,problem,optimizer,seed,step,f_evals,grad_evals,hvp_evals,hess_evals,time_s,loss,best_loss,grad_norm,gap,step_norm,lr,test_metric,event,cost"
    static let summaryHeader = "run_id,problem,optimizer,seed,problem_family,optimizer_family,dim,status,reason,steps,f_evals,grad_evals,hvp_evals,hess_evals,cost,time_s,f0,final_loss,best_loss,f_star,f_star_kind,final_gap,best_gap,final_grad_norm,final_test_metric,target_gap,steps_to_target,cost_to_target,time_to_target"

    struct Problem { let name: String; let family: String; let dim: Int; let fStar: Double?; let floorLoss: Double; let f0: Double }
    struct Opt { let name: String; let rate: Double; let fPerStep: Int; let gPerStep: Int }

    static let problems = [
        Problem(name: "rosenbrock(d=2)", family: "mgh", dim: 2, fStar: 0, floorLoss: 0, f0: 24.2),
        Problem(name: "quadratic(cond=100,d=20)", family: "quadratic", dim: 20, fStar: 0, floorLoss: 0, f0: 50),
        Problem(name: "logreg(data=breast_cancer)", family: "ml", dim: 30, fStar: nil, floorLoss: 0.08, f0: 0.693),
    ]
    static let optimizers = [
        Opt(name: "adam(lr=0.01)", rate: 0.93, fPerStep: 0, gPerStep: 1),
        Opt(name: "gd(lr=0.1)", rate: 0.97, fPerStep: 0, gPerStep: 1),
        Opt(name: "lbfgs", rate: 0.6, fPerStep: 1, gPerStep: 1),
    ]
    static let seeds = [0, 1, 2]
    static let steps = 200
    static let targetGap = 1e-8

    static func loggedSteps() -> [Int] {
        var s = Array(0...10)
        var k = 10.0
        while Int(k) < steps { k *= pow(10, 1.0 / 20); if Int(k) > s.last! { s.append(min(steps, Int(k))) } }
        if s.last! != steps { s.append(steps) }
        return s
    }

    /// Writes traces.csv, summary.csv and manifest.json into `dir`.
    static func writeRunDirectory(_ dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var traces = traceHeader + "\n", summary = summaryHeader + "\n"
        for (pi, p) in problems.enumerated() {
            for (oi, o) in optimizers.enumerated() {
                for seed in seeds {
                    let id = "run\(pi)\(oi)\(seed)"
                    let diverges = p.name.hasPrefix("rosenbrock") && o.name.hasPrefix("gd") && seed == 2
                    let rate = o.rate * (1 + 0.01 * Double(seed))
                    var best = Double.infinity
                    var status = "budget", reason = "step budget \(steps)"
                    var stepsToTarget: Int?, costToTarget: Double?, timeToTarget: Double?
                    var last: (step: Int, f: Int, g: Int, cost: Double, time: Double, loss: Double) = (0, 0, 0, 0, 0, p.f0)
                    for k in loggedSteps() {
                        var loss = p.floorLoss + (p.f0 - p.floorLoss) * pow(rate, Double(k))
                        var event: [String] = []
                        if diverges && k >= 6 { loss = k >= 8 ? .nan : p.f0 * pow(10, Double(k - 5) * 3) }
                        if loss.isFinite { best = min(best, loss) }
                        let fe = o.fPerStep * k, ge = o.gPerStep * k
                        let cost = Double(fe + 2 * ge)
                        let time = Double(k) * 1e-4 * Double(o.fPerStep + o.gPerStep)
                        let gap = p.fStar.map { loss - $0 }
                        if let g = gap, g <= targetGap, stepsToTarget == nil {
                            stepsToTarget = k; costToTarget = cost; timeToTarget = time
                            status = "converged"; reason = "target gap 1e-8 reached"; event.append("target:1e-8")
                        }
                        if loss.isNaN { status = "diverged"; reason = "non-finite loss at step \(k)"; event.append("diverged:nan") }
                        let isFinal = k == steps || status != "budget"
                        if isFinal { event.append("final") }
                        let fields: [String] = [
                            id, p.name, o.name, "\(seed)", "\(k)", "\(fe)", "\(ge)", "0", "0", CSV.format(time),
                            CSV.format(loss), CSV.format(best), CSV.format(loss.isNaN ? .nan : sqrt(max(0, loss))),
                            gap.map(CSV.format) ?? "", k == 0 ? "" : "0.01", "0.01", "", event.joined(separator: ";"), CSV.format(cost)]
                        traces += CSV.line(fields)
                        last = (k, fe, ge, cost, time, loss)
                        if isFinal { break }
                    }
                    let fStarText = p.fStar.map(CSV.format) ?? ""
                    let finalGap = p.fStar.map { CSV.format(last.loss - $0) } ?? ""
                    let bestGap = p.fStar.map { CSV.format(best - $0) } ?? ""
                    summary += CSV.line([
                        id, p.name, o.name, "\(seed)", p.family, "first", "\(p.dim)", status, reason, "\(last.step)",
                        "\(last.f)", "\(last.g)", "0", "0", CSV.format(last.cost), CSV.format(last.time), CSV.format(p.f0),
                        CSV.format(last.loss), CSV.format(best), fStarText, p.fStar == nil ? "none" : "global",
                        finalGap, bestGap, "", "", p.fStar == nil ? "" : CSV.format(targetGap),
                        stepsToTarget.map { "\($0)" } ?? "", costToTarget.map(CSV.format) ?? "", timeToTarget.map(CSV.format) ?? ""])
                }
            }
        }
        try traces.write(toFile: dir + "/traces.csv", atomically: true, encoding: .utf8)
        try summary.write(toFile: dir + "/summary.csv", atomically: true, encoding: .utf8)
        let manifest = """
        {"lab_version": "0.1.0", "git_commit": "abc1234", "swift_version": "6.3.1", "build_flags": "-Xcc -fno-math-errno",
         "cpu_model": "test CPU", "openblas": {"core": "Haswell", "threads": 1},
         "cost_weights": {"f": 1, "grad": 2, "hvp": 4, "hess": "2n"},
         "command_line": "optlab compare --suite fixture --seeds 0..2", "suite": "fixture",
         "budgets": {"steps": 200}, "seeds": [0, 1, 2], "start_time": "2026-01-01T00:00:00Z"}
        """
        try manifest.write(toFile: dir + "/manifest.json", atomically: true, encoding: .utf8)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "optlab-plotting-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
