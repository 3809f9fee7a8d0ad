import Foundation
import OptimizationCore
import RealModule

/// A hyperparameter grid: `key=a..b:n` (n log-spaced values from a to b,
/// both ends included, a and b > 0) or `key=v1,v2,…` (the values as given).
public struct TuningGrid: Sendable, Equatable {
    public let key: String
    /// Canonical spellings of the values, in order.
    public let values: [String]

    public init(parsing text: String) throws(HarnessError) {
        let syntax = "expected key=a..b:n (n log-spaced values, e.g. lr=1e-4..1:17) or key=v1,v2,…"
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw HarnessError("--grid '\(text)': \(syntax)")
        }
        key = String(text[..<eq])
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw HarnessError("--grid '\(text)': '\(key)' is not a key name; \(syntax)")
        }
        let rhs = String(text[text.index(after: eq)...])
        if rhs.contains("..") {
            let parts = rhs.components(separatedBy: "..")
            let tail = parts.count == 2 ? parts[1].components(separatedBy: ":") : []
            guard parts.count == 2, tail.count == 2, let a = Double(parts[0]), let b = Double(tail[0]), let n = Int(tail[1]) else {
                throw HarnessError("--grid '\(text)': \(syntax)")
            }
            guard a > 0, b > 0, a.isFinite, b.isFinite, a < b else {
                throw HarnessError("--grid '\(text)': a log grid needs 0 < a < b, got a=\(formatNumber(a)), b=\(formatNumber(b))")
            }
            guard n >= 2, n <= 1000 else {
                throw HarnessError("--grid '\(text)': the number of points must be between 2 and 1000, got \(n)")
            }
            let la = Double.log10(a), lb = Double.log10(b)
            values = (0..<n).map { i in
                if i == 0 { return formatNumber(a) }
                if i == n - 1 { return formatNumber(b) }
                // 12 significant digits: 10^(-3.75) prints as 0.000177827941004, not a 17-digit tail.
                let v = Double.pow(10, la + (lb - la) * Double(i) / Double(n - 1))
                return formatNumber(Double(String(format: "%.12g", v))!)
            }
        } else {
            let list = rhs.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !list.isEmpty, list.allSatisfy({ !$0.isEmpty }) else { throw HarnessError("--grid '\(text)': \(syntax)") }
            values = list
        }
    }

    /// `spec` with `key` set to `value` (replacing a given value).
    public func apply(_ value: String, to spec: String) throws(SpecError) -> String {
        let parsed = try SpecString(parsing: spec)
        var args = parsed.arguments.filter { $0.key != key }.map { ($0.key, $0.value) }
        args.append((key, value))
        return SpecString(name: parsed.name, arguments: args).description
    }
}

/// One candidate of a tuning run: the base optimizer spec with one grid value.
public struct TuningCandidate: Sendable {
    public let problem: String
    public let baseOptimizer: String
    public let value: String
    public let optimizer: String
    /// Run ids of this candidate (one per seed).
    public var runIDs: [String]

    public init(problem: String, baseOptimizer: String, value: String, optimizer: String, runIDs: [String]) {
        self.problem = problem
        self.baseOptimizer = baseOptimizer
        self.value = value
        self.optimizer = optimizer
        self.runIDs = runIDs
    }
}

/// What a tuning run minimises, as a mean over seeds.
public enum TuningCriterion: String, Sendable, CaseIterable {
    /// The best loss logged within the budget (the default).
    case best
    /// The loss at the end of the budget: a value that reaches a low loss
    /// and then diverges scores +∞ here.
    case final
}

/// Picks the best grid value per (problem, optimizer) by the mean over seeds
/// of `best_loss` (or `final_loss`) within the budget; runs that ended in
/// `error` disqualify a candidate, a NaN or missing loss counts as +∞. Ties
/// go to the earlier value.
public enum Tuning {
    public static let header = ["problem", "optimizer", "key", "value", "spec", "seeds", "mean_best_loss",
                                "mean_final_loss", "diverged", "errors", "selected"]

    /// The tuned choices and the text of `tuning.csv`.
    public struct Result: Sendable {
        /// `tuning.csv`'s text.
        public let csv: String
        /// (problem, base optimizer, tuned spec), in input order; spec is nil when every candidate failed.
        public let choices: [(problem: String, optimizer: String, tuned: String?)]
    }

    /// With `searchKeys` (a random or Halton search over several keys), each
    /// candidate's `value` holds the values of those keys joined by ";", and
    /// tuning.csv gets a `trial` column (1, 2, … per problem and optimizer)
    /// and one column per key after the usual ones.
    public static func select(_ candidates: [TuningCandidate], key: String, outcomes: [RunOutcome],
                              criterion: TuningCriterion = .best, searchKeys: [String] = []) -> Result {
        let byID = Dictionary(outcomes.map { ($0.runID, $0) }, uniquingKeysWith: { a, _ in a })
        /// Mean over the candidate's runs; nil when a run is missing or ended in error.
        func mean(_ c: TuningCandidate, _ loss: (RunOutcome) -> Double?) -> Double? {
            let runs = c.runIDs.compactMap { byID[$0] }
            if runs.count != c.runIDs.count || runs.contains(where: { $0.status == .error }) { return nil }
            let values = runs.map { r -> Double in
                guard let v = loss(r), !v.isNaN else { return .infinity }
                return v
            }
            return values.reduce(0, +) / Double(max(1, values.count))
        }
        let bestMeans = candidates.map { mean($0, \.bestLoss) }
        let finalMeans = candidates.map { mean($0, \.finalLoss) }
        let scores = criterion == .best ? bestMeans : finalMeans
        var best: [String: Int] = [:]
        var order: [String] = []
        for (i, c) in candidates.enumerated() {
            let group = c.problem + "\u{1}" + c.baseOptimizer
            if best[group] == nil { order.append(group) }
            guard let s = scores[i] else { if best[group] == nil { best[group] = -1 }; continue }
            if let j = best[group], j >= 0, let t = scores[j], t <= s { continue }
            best[group] = i
        }
        var csv = CSV.line(searchKeys.isEmpty ? header : header + ["trial"] + searchKeys)
        var trials: [String: Int] = [:]
        for (i, c) in candidates.enumerated() {
            let runs = c.runIDs.compactMap { byID[$0] }
            let group = c.problem + "\u{1}" + c.baseOptimizer
            var row = [c.problem, c.baseOptimizer, key, c.value, c.optimizer, String(c.runIDs.count),
                       bestMeans[i].map(CSV.format) ?? "", finalMeans[i].map(CSV.format) ?? "",
                       String(runs.filter { $0.status == .diverged }.count),
                       String(runs.filter { $0.status == .error }.count), best[group] == i ? "true" : "false"]
            if !searchKeys.isEmpty {
                trials[group, default: 0] += 1
                let values = c.value.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                row += [String(trials[group]!)] + searchKeys.indices.map { $0 < values.count ? values[$0] : "" }
            }
            csv += CSV.line(row)
        }
        let choices = order.map { g -> (String, String, String?) in
            let first = candidates.first { $0.problem + "\u{1}" + $0.baseOptimizer == g }!
            let i = best[g] ?? -1
            return (first.problem, first.baseOptimizer, i >= 0 ? candidates[i].optimizer : nil)
        }
        return Result(csv: csv, choices: choices)
    }
}
