import Foundation
import LinearAlgebra
import OptimizationCore
import RealModule

/// How `optlab tune` picks the hyperparameter values it tries.
public enum SearchMethod: String, Sendable, CaseIterable {
    /// Every value of `--grid` (one key).
    case grid
    /// Independent uniform draws in the space (log-uniform on log keys), from the run's seed.
    case random
    /// The unscrambled Halton sequence from index 1, mapped onto the space.
    case halton
}

/// A box of hyperparameters for random and quasi-random search, e.g.
/// `lr=log:1e-5..1,weight_decay=log:1e-4..1,beta2=lin:0.9..0.999`.
/// A unit coordinate u ∈ [0, 1) maps to a + u·(b − a) on a `lin` key and to
/// 10^(log₁₀a + u·(log₁₀b − log₁₀a)) on a `log` key.
public struct SearchSpace: Sendable, Equatable {
    /// One key of the box: its name, scale and range.
    public struct Dimension: Sendable, Equatable {
        /// How a unit coordinate maps to a value: log-uniform or uniform.
        public enum Scale: String, Sendable { case log, lin }
        public let key: String
        public let scale: Scale
        public let low: Double
        public let high: Double

        /// The value at unit coordinate u.
        public func value(_ u: Double) -> Double {
            switch scale {
            case .lin: return low + u * (high - low)
            case .log:
                let a = Double.log10(low), b = Double.log10(high)
                return Double.pow(10, a + u * (b - a))
            }
        }

        var text: String { "\(key)=\(scale.rawValue):\(formatNumber(low))..\(formatNumber(high))" }
    }

    public let dimensions: [Dimension]

    public init(parsing text: String) throws(HarnessError) {
        let syntax = "expected key=log:a..b or key=lin:a..b, separated by commas, e.g. lr=log:1e-5..1,beta2=lin:0.9..0.999"
        var dims: [Dimension] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard let eq = part.firstIndex(of: "="), eq != part.startIndex else {
                throw HarnessError("--space '\(text)': '\(part)' has no key; \(syntax)")
            }
            let key = String(part[..<eq])
            guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw HarnessError("--space '\(text)': '\(key)' is not a key name; \(syntax)")
            }
            let rhs = part[part.index(after: eq)...]
            let pieces = rhs.split(separator: ":", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let scale = Dimension.Scale(rawValue: pieces[0]) else {
                throw HarnessError("--space '\(text)': '\(part)' needs a scale, log or lin; \(syntax)")
            }
            let ends = pieces[1].components(separatedBy: "..")
            guard ends.count == 2, let a = Double(ends[0]), let b = Double(ends[1]), a.isFinite, b.isFinite else {
                throw HarnessError("--space '\(text)': '\(part)' needs a range a..b; \(syntax)")
            }
            guard a < b else { throw HarnessError("--space '\(text)': '\(key)' needs a < b, got \(formatNumber(a))..\(formatNumber(b))") }
            if scale == .log && a <= 0 { throw HarnessError("--space '\(text)': the log range of '\(key)' needs 0 < a, got \(formatNumber(a))") }
            if dims.contains(where: { $0.key == key }) { throw HarnessError("--space '\(text)': '\(key)' is given twice") }
            dims.append(Dimension(key: key, scale: scale, low: a, high: b))
        }
        guard dims.count <= Halton.primes.count else {
            throw HarnessError("--space '\(text)': at most \(Halton.primes.count) keys, got \(dims.count)")
        }
        dimensions = dims
    }

    public var keys: [String] { dimensions.map(\.key) }
    /// The canonical text (what the manifest records).
    public var description: String { dimensions.map(\.text).joined(separator: ",") }

    /// The unit points of a search: Halton points 1…n, or n uniform draws
    /// from SplitMix64(seed) (coordinate by coordinate, point by point).
    public func unitPoints(_ method: SearchMethod, count: Int, seed: UInt64) -> [[Double]] {
        switch method {
        case .halton: return (0..<count).map { Halton.point($0 + 1, dimensions: dimensions.count) }
        case .random:
            var rng = SplitMix64(seed: seed)
            return (0..<count).map { _ in dimensions.map { _ in rng.uniform() } }
        case .grid: return []
        }
    }

    /// The values (canonical text, 12 significant digits) of each trial.
    public func trials(_ method: SearchMethod, count: Int, seed: UInt64) -> [[String]] {
        unitPoints(method, count: count, seed: seed).map { u in
            zip(dimensions, u).map { d, x in formatNumber(Double(String(format: "%.12g", d.value(x)))!) }
        }
    }

    /// `spec` with every key of the space set to the trial's values.
    public func apply(_ values: [String], to spec: String) throws(SpecError) -> String {
        let parsed = try SpecString(parsing: spec)
        var args = parsed.arguments.filter { !keys.contains($0.key) }.map { ($0.key, $0.value) }
        for (k, v) in zip(keys, values) { args.append((k, v)) }
        return SpecString(name: parsed.name, arguments: args).description
    }
}
