import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems

/// Where the runner gets problems and optimizers; tests inject their own.
public struct ComponentSource: Sendable {
    public var makeProblem: @Sendable (_ spec: String, _ seed: UInt64) throws -> (any Objective, canonical: String, family: String)
    public var makeOptimizer: @Sendable (_ spec: String, _ problem: any Objective, _ seed: UInt64) throws -> (any Optimizer, canonical: String, family: String)

    public init(makeProblem: @escaping @Sendable (String, UInt64) throws -> (any Objective, canonical: String, family: String),
                makeOptimizer: @escaping @Sendable (String, any Objective, UInt64) throws -> (any Optimizer, canonical: String, family: String)) {
        self.makeProblem = makeProblem
        self.makeOptimizer = makeOptimizer
    }

    /// The lab's catalogs.
    public static let catalogs = ComponentSource(
        makeProblem: { spec, seed in
            let (p, r) = try ProblemCatalog.shared.make(spec, seed: seed)
            let family = try ProblemCatalog.shared.entry(named: r.descriptorName).descriptor.family
            return (p, r.canonical, family)
        },
        makeOptimizer: { spec, problem, seed in
            let (o, r) = try OptimizerCatalog.make(spec, for: problem.capabilities, problemName: problem.name, seed: seed)
            let family = try OptimizerCatalog.shared.entry(named: r.descriptorName).descriptor.family.rawValue
            return (o, r.canonical, family)
        })
}

/// Runs one (problem, optimizer, seed): budgets checked every step,
/// divergence and thrown errors turned into statuses, logging excluded from
/// the optimizer's time.
public struct Runner: Sendable {
    public var source: ComponentSource
    public var grid: LoggingGrid

    public init(source: ComponentSource = .catalogs, grid: LoggingGrid = LoggingGrid()) {
        self.source = source
        self.grid = grid
    }

    public func run(problem problemSpec: String, optimizer optimizerSpec: String, seed: UInt64, budget: Budget) -> RunRecord {
        var record = execute(problem: problemSpec, optimizer: optimizerSpec, seed: seed, budget: budget)
        record.runID = RunRecord.makeID(problem: record.problem, optimizer: record.optimizer, seed: seed, budget: budget)
        return record
    }

    private func execute(problem problemSpec: String, optimizer optimizerSpec: String, seed: UInt64, budget: Budget) -> RunRecord {
        var record = RunRecord(runID: "", problem: problemSpec, optimizer: optimizerSpec, seed: seed,
                               problemFamily: "", optimizerFamily: "", dimension: 0, status: .error,
                               reason: "", rows: [], knownMinimum: nil, targetGap: budget.targetGap)
        let problem: any Objective
        var optimizer: any Optimizer
        do {
            let p = try source.makeProblem(problemSpec, seed)
            (problem, record.problem, record.problemFamily) = (p.0, p.canonical, p.family)
            record.dimension = problem.dimension
            record.knownMinimum = problem.knownMinimum
            let o = try source.makeOptimizer(optimizerSpec, problem, seed)
            (optimizer, record.optimizer, record.optimizerFamily) = (o.0, o.canonical, o.family)
            try optimizer.prepare(RunContext(layout: problem.layout, totalSteps: budget.steps, seed: seed))
        } catch {
            record.reason = "\(error)"
            return record
        }
        record.reason = "step budget \(budget.steps)"
        var oracle = Oracle(problem, seed: seed)
        var x = problem.initialPoint
        var previous = x
        let fStar = problem.knownMinimum?.value
        var best = Double.infinity
        var elapsed = 0.0
        let clock = ContinuousClock()
        let cheapGradient = !problem.capabilities.contains(.minibatches)

        func log(step: Int, events: [String]) throws -> Double {
            let loss = try problem.fullValue(at: x)
            if loss < best || best.isNaN { best = loss }
            var gradNorm: Double?
            if cheapGradient, loss.isFinite {
                gradNorm = BLAS.nrm2(try problem.gradient(at: x))
            }
            let stepNorm = step == 0 ? nil : distance(x, previous)
            record.rows.append(TraceRow(
                step: step, counts: oracle.counts, time: elapsed, loss: loss, bestLoss: best,
                gradNorm: gradNorm, gap: fStar.map { loss - $0 }, stepNorm: stepNorm,
                lr: optimizer.currentLearningRate, testMetric: problem.testMetric(at: x),
                events: events, cost: CostModel.cost(oracle.counts, dimension: problem.dimension)))
            return loss
        }

        do {
            _ = try log(step: 0, events: [])
            var k = 0
            while true {
                if k >= budget.steps { record.status = .budget; break }
                if let e = budget.evaluations, evaluationTotal(oracle.counts) >= e {
                    record.status = .budget; record.reason = "evaluation budget \(e)"; break
                }
                if let s = budget.seconds, elapsed >= s {
                    record.status = .budget; record.reason = "time limit \(formatNumber(s)) s"; break
                }
                problem.beginStep(k)
                previous = x
                let start = clock.now
                try optimizer.step(&x, oracle: &oracle)
                elapsed += (clock.now - start).seconds
                k += 1

                let nonFinite = !x.allSatisfy(\.isFinite)
                var events: [String] = optimizer.lastEvent.map { [$0] } ?? []
                let mustLog = nonFinite || grid.logs(step: k) || k == budget.steps
                if nonFinite || mustLog || budget.targetGap != nil {
                    let loss = try log(step: k, events: events)
                    if !loss.isFinite || nonFinite {
                        record.status = .diverged
                        record.reason = "non-finite \(nonFinite ? "parameters" : "loss") at step \(k)"
                        events.append("diverged:nan")
                        record.rows[record.rows.count - 1].events = events
                        return record
                    }
                    if let target = budget.targetGap, let f = fStar, loss - f <= target {
                        record.rows[record.rows.count - 1].events = events + ["target:\(formatNumber(target))"]
                        record.status = .converged
                        record.reason = "target gap \(formatNumber(target)) reached"
                        break
                    }
                    if !mustLog { record.rows.removeLast() }
                }
            }
        } catch {
            record.status = .error
            record.reason = "\(error)"
        }
        if var last = record.rows.last {
            if !last.events.contains("final") { last.events.append("final") }
            record.rows[record.rows.count - 1] = last
        }
        return record
    }

    private func evaluationTotal(_ c: EvaluationCounts) -> Int { c.function + c.gradient + c.hessianVector + c.hessian }

    private func distance(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { let d = a[i] - b[i]; s += d * d }
        return s.squareRoot()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
