import Foundation
import OptimizationCore

/// One block of a run set: problems × optimizers × seeds under one budget.
public struct RunGroup: Sendable {
    public var problems: [String]
    public var optimizers: [String]
    public var seeds: [UInt64]
    public var budget: Budget

    public init(problems: [String], optimizers: [String], seeds: [UInt64] = [0], budget: Budget = Budget()) {
        self.problems = problems
        self.optimizers = optimizers
        self.seeds = seeds
        self.budget = budget
    }
}

/// One run to make: a problem spec, an optimizer spec, a seed and a budget.
public struct RunSpec: Sendable, Hashable {
    public var problem: String
    public var optimizer: String
    public var seed: UInt64
    public var budget: Budget

    public init(problem: String, optimizer: String, seed: UInt64, budget: Budget) {
        self.problem = problem
        self.optimizer = optimizer
        self.seed = seed
        self.budget = budget
    }
}


/// A run set: one or more groups (suites give each optimizer family its own
/// budget), plus how traces are logged.
public struct RunPlan: Sendable {
    public var groups: [RunGroup]
    /// Log every K-th step instead of the default grid.
    public var logEvery: Int?
    /// The suite this plan came from, if any (recorded in the manifest).
    public var suite: String?

    public init(groups: [RunGroup], logEvery: Int? = nil, suite: String? = nil) {
        self.groups = groups
        self.logEvery = logEvery
        self.suite = suite
    }

    /// A plan with a single group.
    public init(problems: [String], optimizers: [String], seeds: [UInt64] = [0],
                budget: Budget = Budget(), logEvery: Int? = nil) {
        self.init(groups: [RunGroup(problems: problems, optimizers: optimizers, seeds: seeds, budget: budget)],
                  logEvery: logEvery)
    }

    /// Every run, group by group, each in (problem, optimizer, seed) order.
    /// This order is fixed: shards are cut from it.
    public var runs: [RunSpec] {
        groups.flatMap { g in
            g.problems.flatMap { p in g.optimizers.flatMap { o in g.seeds.map { RunSpec(problem: p, optimizer: o, seed: $0, budget: g.budget) } } }
        }
    }

    /// The runs of one shard: run i (0-based, in ``runs`` order) belongs to
    /// shard `i mod n + 1` — round robin, so every shard gets a similar mix.
    public func runs(shard: Shard?) -> [RunSpec] {
        let all = runs
        guard let shard else { return all }
        return all.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }

    /// Problems, optimizers and seeds over all groups (first appearance order).
    public var problems: [String] { unique(groups.flatMap(\.problems)) }
    public var optimizers: [String] { unique(groups.flatMap(\.optimizers)) }
    public var seeds: [UInt64] { unique(groups.flatMap(\.seeds)) }

    /// Applies one change to every group (the CLI's explicit flags override a suite).
    public mutating func updateGroups(_ change: (inout RunGroup) -> Void) {
        for i in groups.indices { change(&groups[i]) }
    }
}

func unique<T: Hashable>(_ xs: [T]) -> [T] {
    var seen = Set<T>()
    return xs.filter { seen.insert($0).inserted }
}

/// `k/n`: the k-th (1-based) of n parts of a run set.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(HarnessError) {
        guard count >= 1, index >= 1, index <= count else {
            throw HarnessError("--shard \(index)/\(count) is out of range; expected k/n with 1 ≤ k ≤ n, e.g. 1/4")
        }
        self.index = index
        self.count = count
    }

    /// Parses `k/n`.
    public init(parsing text: String) throws(HarnessError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw HarnessError("--shard '\(text)' is not of the form k/n (e.g. 2/8: the second of eight parts)")
        }
        try self.init(index: k, count: n)
    }

    public var description: String { "\(index)/\(count)" }
}

/// Parses a seed range `a..b` (inclusive, a ≤ b) or a single seed `a`.
public func parseSeedRange(_ text: String) throws(HarnessError) -> [UInt64] {
    if let one = UInt64(text) { return [one] }
    let parts = text.components(separatedBy: "..")
    guard parts.count == 2, let a = UInt64(parts[0]), let b = UInt64(parts[1]) else {
        throw HarnessError("--seeds '\(text)' is not a range like 0..4 (inclusive, non-negative integers)")
    }
    guard a <= b else { throw HarnessError("--seeds '\(text)' is empty: the first seed must be ≤ the last, e.g. \(b)..\(a)") }
    guard b - a < 100_000 else { throw HarnessError("--seeds '\(text)' has more than 100000 seeds") }
    return Array(a...b)
}

/// A one-line error about the harness's input (flags, directories, files).
public struct HarnessError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ message: String) { description = singleLine(message) }
}
