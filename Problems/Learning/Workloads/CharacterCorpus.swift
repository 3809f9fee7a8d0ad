import Foundation
import LinearAlgebra
import OptimizationCore
import Synchronization

/// A text as a sequence of character ids, with its vocabulary and its
/// train/test split, for ``CharacterLanguageModelProblem``.
///
/// The vocabulary is the sorted set of distinct Unicode scalars of the
/// whole text (Python's `sorted(set(text))`); the first ⌊9n/10⌋ characters
/// are the training part, the rest the test part.
public struct CharacterCorpus: Sendable {
    public let name: String
    /// The distinct characters, sorted by scalar value; a token is an index into it.
    public let vocabulary: [Unicode.Scalar]
    /// Every character of the text as its vocabulary index.
    public let tokens: [Int32]
    /// Characters 0..<trainingCount are training text, the rest test text.
    public let trainingCount: Int

    public var count: Int { tokens.count }
    public var testCount: Int { tokens.count - trainingCount }

    /// Texts shipped in `Problems/Data/` (provenance and checksum in its README).
    public static let bundledNames = ["shakespeare"]

    /// The file of a bundled text, or nil for an unknown name.
    public static func bundledPath(_ name: String) -> String? {
        guard bundledNames.contains(name) else { return nil }
        return Bundle.module.path(forResource: name, ofType: "txt")
    }

    private static let cache = Mutex<[String: CharacterCorpus]>([:])

    /// A bundled text by name, or any UTF-8 text file by path.
    public static func load(_ nameOrPath: String, owner: String) throws -> CharacterCorpus {
        if let cached = cache.withLock({ $0[nameOrPath] }) { return cached }
        let path: String
        if let bundled = bundledPath(nameOrPath) {
            path = bundled
        } else if FileManager.default.isReadableFile(atPath: nameOrPath) {
            path = nameOrPath
        } else {
            throw SpecError.invalidValue(owner: owner, key: "data", value: nameOrPath,
                                         reason: "is neither a bundled text nor a readable file",
                                         accepted: bundledNames.joined(separator: "|") + " or a path to a UTF-8 text file")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SpecError.invalidValue(owner: owner, key: "data", value: nameOrPath, reason: "is not valid UTF-8 text",
                                         accepted: "a UTF-8 text file")
        }
        let corpus = CharacterCorpus(text: text, name: nameOrPath)
        cache.withLock { $0[nameOrPath] = corpus }
        return corpus
    }

    public init(text: String, name: String) {
        let scalars = Array(text.unicodeScalars)
        let vocabulary = Array(Set(scalars)).sorted { $0.value < $1.value }
        var index: [UInt32: Int32] = [:]
        for (i, s) in vocabulary.enumerated() { index[s.value] = Int32(i) }
        self.name = name
        self.vocabulary = vocabulary
        tokens = scalars.map { index[$0.value]! }
        trainingCount = scalars.count * 9 / 10
    }

    /// The starts of step `step`'s training windows of `length` characters:
    /// uniform over the starts that keep a window inside the training part,
    /// from a stream keyed by (seed, step), so that any step's batch can be
    /// formed directly and every query within a step sees the same batch.
    static func trainingStarts(seed: UInt64, step: Int, length: Int, trainingCount: Int, into starts: inout [Int]) {
        var rng = SplitMix64(seed: SplitMix64.derive(SplitMix64.derive(seed, 0x7769_6E64_6F77), UInt64(step)))
        for i in starts.indices { starts[i] = rng.integer(below: trainingCount - length + 1) }
    }

    /// `count` evenly spaced window starts in [lower, upper − length] (fixed, seed-independent).
    static func evenlySpacedStarts(_ count: Int, lower: Int, upper: Int, length: Int) -> [Int] {
        let span = upper - length - lower
        guard count > 1 else { return [lower] }
        return (0..<count).map { lower + $0 * span / (count - 1) }
    }
}
