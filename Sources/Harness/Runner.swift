import LinearAlgebra
import OptimizationCore
import Optimizers
import RealModule

/// The identity of a run, known before it starts (resume and shards need it).
public struct RunIdentity: Sendable, Hashable {
    public let runID: String
    /// Canonical spec strings (the spec as given when it does not resolve).
    public let problem: String
    public let optimizer: String
}

/// Runs one (problem, optimizer, seed) under a budget.
///
/// Per step k = 0, 1, …: check the budgets, `objective.beginStep(k)`, then
/// `optimizer.step` (the only part timed into `time_s`). The full objective
/// (`fullValue`) is evaluated at every logged step, and at every step when
/// the problem is cheap (dimension ≤ 10,000 and not a learning or minibatch
/// problem) or a target gap is set — so `best_loss`, target crossings and
/// divergence are exact for cheap problems and checked at logged steps for
/// the others. Harness evaluations go to the objective directly and are
/// never counted. They are taken at the optimizer's evaluation point
/// (``Optimizer/evaluationPoint(_:into:)``: Schedule-Free's average x rather
/// than the iterate y it trains at; the iterate itself for everything else):
/// loss, best_loss, gap, ‖∇f‖ and the test metric describe that point, while
/// step_norm and the divergence check on parameters use the iterate. A non-finite loss or parameter ends the run as `diverged`
/// (its row keeps an event); a thrown error ends it as `error` with the
/// message, the state after the last completed step logged as the final row.
public struct Runner: Sendable {
    public var source: ComponentSource
    public var grid: LoggingGrid
    /// Cores inside one run, given to optimizers that split a step
    /// (``ThreadedUpdate``); nil keeps each optimizer's own setting.
    public var threads: Int?

    /// COCO's 51 gap targets, 10², 10^1.8, …, 10⁻⁸ (5 per decade; the powers
    /// of ten exact), largest first. The first crossing of each by
    /// `best_loss − f*` is always logged (event `target:<t>`), so
    /// time-to-target is exact; the first value query of the optimizer that
    /// crosses one (COCO's runtime, counted in evaluations) is logged as
    /// `query_gap:<evaluation>:<f − f*>`, and the final row carries the best
    /// query as `query_best:<evaluation>:<f − f*>` (what `optlab export
    /// --format coco` writes).
    /// Written as cocopp's alignment grid computes them, 10^(i/5) for integer
    /// i = 10 … −40, so that the values agree to the last bit.
    public static let gapTargets: [Double] = (0...50).map { k in
        k % 5 == 0 ? Double("1e\(2 - k / 5)")! : Double.pow(10, Double(10 - k) / 5)
    }

    /// Problems up to this dimension (and not learning problems) get their loss evaluated every step.
    public static let cheapDimension = 10_000

    public init(source: ComponentSource = .catalogs, grid: LoggingGrid = LoggingGrid(), threads: Int? = nil) {
        self.source = source
        self.grid = grid
        self.threads = threads
    }

    /// The run id and canonical specs of a run, without building anything.
    public func identify(_ spec: RunSpec) -> RunIdentity {
        let p = source.canonicalProblem(spec.problem) ?? spec.problem
        let o = source.canonicalOptimizer(spec.optimizer) ?? spec.optimizer
        return RunIdentity(runID: RunRecord.makeID(problem: p, optimizer: o, seed: spec.seed, budget: spec.budget),
                           problem: p, optimizer: o)
    }

    public func run(_ spec: RunSpec) -> RunRecord {
        run(problem: spec.problem, optimizer: spec.optimizer, seed: spec.seed, budget: spec.budget)
    }

    public func run(problem problemSpec: String, optimizer optimizerSpec: String, seed: UInt64, budget: Budget) -> RunRecord {
        let identity = identify(RunSpec(problem: problemSpec, optimizer: optimizerSpec, seed: seed, budget: budget))
        var record = RunRecord(runID: identity.runID, problem: identity.problem, optimizer: identity.optimizer, seed: seed,
                               problemFamily: "", optimizerFamily: "", dimension: 0, status: .error,
                               reason: "", rows: [], knownMinimum: nil, targetGap: budget.targetGap)
        let problem: any Objective
        var optimizer: any Optimizer
        do {
            let p = try source.makeProblem(problemSpec, seed)
            (problem, record.problemFamily) = (p.0, p.family)
            record.dimension = problem.dimension
            record.knownMinimum = problem.knownMinimum
            let o = try source.makeOptimizer(optimizerSpec, problem, seed)
            (optimizer, record.optimizerFamily) = (o.0, o.family)
            if let threads, var threaded = optimizer as? any ThreadedUpdate & Optimizer {
                threaded.threads = threads
                optimizer = threaded
            }
            try optimizer.prepare(RunContext(layout: problem.layout, totalSteps: budget.steps))
        } catch {
            record.reason = oneLine(error)
            return record
        }
        var loop = RunLoop(problem: problem, optimizer: optimizer, seed: seed, budget: budget, grid: grid,
                           cheap: problem.dimension <= Runner.cheapDimension && record.problemFamily != "learning"
                               && !problem.capabilities.contains(.minibatches))
        loop.run()
        record.status = loop.status
        record.reason = loop.reason
        record.rows = loop.rows
        return record
    }
}

/// A thrown error as one line of text.
func oneLine(_ error: any Error) -> String {
    String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
}

/// A power of ten as `1e-6`, anything else in round-trip form.
func targetLabel(_ t: Double) -> String {
    let e = Double.log10(t).rounded()
    if let p = Double("1e\(Int(e))"), p == t { return "1e\(Int(e))" }
    return formatNumber(t)
}


/// The state of one run while it executes.
struct RunLoop {
    let problem: any Objective
    var optimizer: any Optimizer
    var oracle: Oracle
    let budget: Budget
    let grid: LoggingGrid
    /// Evaluate the loss at every step, not only at logged ones.
    let evaluateEveryStep: Bool
    let fStar: Double?
    /// Gap targets still to cross, largest first.
    var targets: [Double]

    var x: [Double]
    /// x before the current step (step_norm, and the state kept when a step throws).
    var previous: [Double]
    /// The optimizer's evaluation point when it has one (filled by `evaluate`).
    var evaluationBuffer: [Double] = []
    var hasEvaluationPoint = false
    var best = Double.infinity
    var elapsed = 0.0
    var rows: [TraceRow] = []
    /// Query hits already written as events.
    var queryHitsLogged = 0
    var status = RunStatus.budget
    var reason = ""
    /// The problem's gradient, when it has one and it is deterministic (no
    /// minibatches): traces log ‖∇f‖ at the judged point (uncounted).
    let gradientForLogging: (any DifferentiableObjective)?
    /// Value-only problems (bbob) are judged by the best queried value.
    let valueOnly: Bool

    init(problem: any Objective, optimizer: any Optimizer, seed: UInt64, budget: Budget, grid: LoggingGrid, cheap: Bool) {
        self.problem = problem
        self.optimizer = optimizer
        self.oracle = Oracle(problem, seed: seed)
        self.budget = budget
        self.grid = grid
        self.evaluateEveryStep = cheap || budget.targetGap != nil
        self.fStar = problem.knownMinimum?.value
        var t = fStar == nil ? [] : Runner.gapTargets
        if let g = budget.targetGap, fStar != nil, !t.contains(g) { t.append(g) }
        self.targets = t.sorted(by: >)
        if let fStar { oracle.trackQueries(optimum: fStar, gaps: Runner.gapTargets) }
        self.x = problem.initialPoint
        self.previous = x
        let capabilities = problem.capabilities
        valueOnly = !capabilities.contains(.gradient)
        gradientForLogging = capabilities.contains(.minibatches) ? nil : problem as? any DifferentiableObjective
    }

    mutating func run() {
        var k = 0
        var loggedStep = -1
        do {
            let f0 = try evaluate()
            var events: [String] = []
            crossTargets(&events)
            try log(step: 0, loss: f0, events: events, stepNorm: nil)
            loggedStep = 0
            if let done = stopIfConverged(loss: f0) { (status, reason) = done; finish(step: 0, loggedStep: 0); return }
        } catch {
            (status, reason) = (.error, oneLine(error))
            return
        }
        let clock = ContinuousClock()
        while true {
            if k >= budget.steps { (status, reason) = (.budget, "step budget \(budget.steps)"); break }
            if let e = budget.evaluations, evaluationTotal >= e { (status, reason) = (.budget, "evaluation budget \(e)"); break }
            if let s = budget.seconds, elapsed >= s { (status, reason) = (.budget, "time limit \(formatNumber(s)) s"); break }
            problem.beginStep(k)
            copy(x, into: &previous)
            let start = clock.now
            do {
                try optimizer.step(&x, oracle: &oracle)
            } catch {
                elapsed += (clock.now - start).seconds
                copy(previous, into: &x)
                (status, reason) = (.error, oneLine(error))
                break
            }
            elapsed += (clock.now - start).seconds
            k += 1
            do {
                var events: [String] = optimizer.lastEvent.map { [$0] } ?? []
                let finiteX = allFinite(x)
                var mustLog = grid.logs(step: k) || k == budget.steps || queryEvents(&events)
                guard !finiteX || evaluateEveryStep || mustLog else { continue }
                let loss = try evaluate()
                if !finiteX || !loss.isFinite {
                    events.append(loss.isInfinite && finiteX ? "diverged:inf" : "diverged:nan")
                    try log(step: k, loss: loss, events: events, stepNorm: distance(x, previous))
                    loggedStep = k
                    status = .diverged
                    reason = "non-finite \(finiteX ? "loss" : "parameters") at step \(k)"
                    break
                }
                mustLog = crossTargets(&events) || mustLog
                let done = stopIfConverged(loss: loss)
                if mustLog || done != nil {
                    try log(step: k, loss: loss, events: events, stepNorm: distance(x, previous))
                    loggedStep = k
                }
                if let done { (status, reason) = done; break }
            } catch {
                (status, reason) = (.error, oneLine(error))
                break
            }
        }
        finish(step: k, loggedStep: loggedStep)
    }

    /// Logs the state after `step` steps if it is not the last row yet, and tags the last row `final`.
    mutating func finish(step: Int, loggedStep: Int) {
        if loggedStep != step {
            do {
                let loss = try evaluate()
                var events: [String] = []
                crossTargets(&events)
                try log(step: step, loss: loss, events: events, stepNorm: status == .error ? nil : distance(x, previous))
            } catch {
                if status != .error { (status, reason) = (.error, oneLine(error)) }
            }
        }
        if !rows.isEmpty {
            var late: [String] = []
            _ = queryEvents(&late)
            rows[rows.count - 1].events += late
            let q = oracle.queries
            if let fStar, q.best.isFinite {
                rows[rows.count - 1].events.append("query_best:\(q.bestEvaluation):\(formatNumber(q.best - fStar))")
            }
            rows[rows.count - 1].events.append("final")
        }
    }

    /// Appends `query_gap:<evaluation>:<gap>` for query hits not yet logged; true if any.
    mutating func queryEvents(_ events: inout [String]) -> Bool {
        let hits = oracle.queries.hits
        guard hits.count > queryHitsLogged else { return false }
        for h in hits[queryHitsLogged...] { events.append("query_gap:\(h.evaluation):\(formatNumber(h.gap))") }
        queryHitsLogged = hits.count
        return true
    }

    /// The point the harness judges: the optimizer's evaluation point, else x.
    var judged: [Double] { hasEvaluationPoint ? evaluationBuffer : x }

    /// The full objective at the evaluation point; updates best_loss.
    mutating func evaluate() throws -> Double {
        hasEvaluationPoint = optimizer.evaluationPoint(x, into: &evaluationBuffer)
        let loss = try problem.fullValue(at: judged)
        if loss < best { best = loss }   // NaN compares false: best_loss ignores it
        return loss
    }

    /// Appends `target:…` for every gap target best_loss has newly crossed; true if any.
    @discardableResult
    mutating func crossTargets(_ events: inout [String]) -> Bool {
        guard let fStar else { return false }
        var crossed = false
        while let t = targets.first, best - fStar <= t {
            events.append("target:\(targetLabel(t))")
            targets.removeFirst()
            crossed = true
        }
        return crossed
    }

    /// Converged once best_loss − f* ≤ G; on value-only problems (bbob) the
    /// best *queried* value decides, as in COCO, so that the run stops only
    /// when one of the optimizer's evaluations reached the target.
    func stopIfConverged(loss: Double) -> (RunStatus, String)? {
        guard let g = budget.targetGap, let fStar else { return nil }
        let reached = valueOnly ? oracle.queries.best : min(best, oracle.queries.best)
        guard reached - fStar <= g else { return nil }
        return (.converged, "target gap \(targetLabel(g)) reached")
    }

    mutating func log(step: Int, loss: Double, events: [String], stepNorm: Double?) throws {
        var gradNorm: Double?
        if let gradientForLogging, loss.isFinite {
            gradNorm = BLAS.nrm2(try gradientForLogging.gradient(at: judged))
        }
        rows.append(TraceRow(
            step: step, counts: oracle.counts, time: elapsed, loss: loss, bestLoss: best,
            gradNorm: gradNorm, gap: fStar.map { loss - $0 }, stepNorm: stepNorm,
            lr: optimizer.currentLearningRate, testMetric: loss.isFinite ? problem.testMetric(at: judged) : nil,
            events: events, cost: CostModel.cost(oracle.counts, dimension: problem.dimension)))
    }

    var evaluationTotal: Int {
        let c = oracle.counts
        return c.function + c.gradient + c.hessianVector + c.hessian
    }
}

private func copy(_ source: [Double], into target: inout [Double]) {
    source.withUnsafeBufferPointer { s in
        target.withUnsafeMutableBufferPointer { t in
            for i in 0..<min(s.count, t.count) { t[i] = s[i] }
        }
    }
}

private func allFinite(_ x: [Double]) -> Bool {
    x.withUnsafeBufferPointer { p in
        var sum = 0.0
        for v in p { sum += v * 0 }   // NaN·0 and ±inf·0 are NaN; finite·0 is 0
        return !sum.isNaN
    }
}

private func distance(_ a: [Double], _ b: [Double]) -> Double {
    a.withUnsafeBufferPointer { p in
        b.withUnsafeBufferPointer { q in
            var s = 0.0
            for i in 0..<min(p.count, q.count) { let d = p[i] - q[i]; s += d * d }
            return s.squareRoot()
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
