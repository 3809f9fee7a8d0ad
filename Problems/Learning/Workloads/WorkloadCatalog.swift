import LinearAlgebra
import OptimizationCore

/// Descriptors and factories of the two larger learning workloads, `cnn`
/// and `charlm` (issue 17).
enum WorkloadProblems {
    static let cnnDescriptor = ProblemDescriptor(
        name: "cnn", family: "learning",
        summary: "convolutional classifier: per channels entry conv k×k (padding k/2) → ReLU → 2×2 max-pool, then a linear "
            + "layer; softmax cross-entropy + (l2/2)Σ‖W‖²; \(LearningProblems.splitNote); PyTorch's default "
            + "initialisation (weights and biases U(±1/√fan_in)); test metric = accuracy",
        reference: "KFC layer statistics: Grosse & Martens, ICML 2016 (arXiv 1602.01407); HVP by Pearlmutter's R-operator",
        hyperparameters: [
            .text("data", "digits", "bundled data set (digits) or a CSV path whose feature count is a square (side × side images)"),
            .text("channels", "16x32", "output channels of the convolution stages, e.g. 16x32"),
            .integer("kernel", 3, .closed(1, 9), "odd kernel size k (zero padding k/2, stride 1)"),
            LearningProblems.batchKey,
            LearningProblems.l2Key(1e-4),
        ],
        capabilities: [.value, .gradient, .hessianVectorProduct, .layerStatistics, .sampledLabels],
        dimension: "6090 for digits, channels=16x32")

    static func makeCNN(_ keys: ResolvedParameters, seed: UInt64) throws -> any Objective {
        let owner = "cnn"
        let dataName = keys.string("data")
        let data = try LearningDataset.load(dataName, owner: owner)
        let side = Int(Double(data.featureCount).squareRoot().rounded())
        guard side * side == data.featureCount else {
            throw SpecError.invalidValue(owner: owner, key: "data", value: dataName,
                                         reason: "has \(data.featureCount) features, not a square image",
                                         accepted: "a data set whose feature count is side² (digits: 8×8)")
        }
        let text = keys.string("channels")
        let parsed = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 4096 }) else {
            throw SpecError.invalidValue(owner: owner, key: "channels", value: text, reason: "is not a list of channel counts",
                                         accepted: "positive counts joined by 'x', e.g. 16x32")
        }
        var (stagesAllowed, size) = (0, side)
        while size >= 2 { stagesAllowed += 1; size /= 2 }
        guard parsed.count <= stagesAllowed else {
            throw SpecError.invalidValue(owner: owner, key: "channels", value: text,
                                         reason: "has \(parsed.count) stages, but \(side)×\(side) images allow at most \(stagesAllowed) 2×2 poolings",
                                         accepted: "at most \(stagesAllowed) counts joined by 'x'")
        }
        let kernel = keys.int("kernel")
        guard kernel % 2 == 1 else {
            throw SpecError.invalidValue(owner: owner, key: "kernel", value: String(kernel), reason: "is even",
                                         accepted: "an odd kernel size in [1, 9] (padding k/2 keeps the image size)")
        }
        let split = StandardizedSplit(data)
        let batch = keys.int("batch")
        guard batch <= split.trainingCount else {
            throw SpecError.invalidValue(owner: owner, key: "batch", value: String(batch),
                                         reason: "exceeds the \(split.trainingCount) training rows of data=\(dataName)",
                                         accepted: "0 (full batch) or an integer in [1, \(split.trainingCount)]")
        }
        return ConvolutionalNetworkProblem(name: keys.canonical, split: split, side: side, channels: parsed.map { $0! },
                                           kernel: kernel, l2: keys.double("l2"), batchSize: batch, seed: seed)
    }

    static let charlmDescriptor = ProblemDescriptor(
        name: "charlm", family: "learning",
        summary: "GPT-2-style character language model (pre-LayerNorm blocks: causal multi-head attention with fused QKV, "
            + "GELU-tanh MLP; final LayerNorm; linear head); mean cross-entropy over all positions + (l2/2)Σ‖M‖² over "
            + "matrices; vocabulary = sorted distinct characters, first 90 % train, last 10 % test; windows drawn from "
            + "(seed, step); GPT-2 init; test metric = held-out bits per character",
        reference: "Radford et al. 2019 (GPT-2: pre-LayerNorm block, GELU, init N(0, 0.02) with residual projections "
            + "scaled by 1/√(2·layers)); HVP by Pearlmutter's R-operator; K-FAC expand: Eschenhagen et al., NeurIPS 2023 "
            + "(arXiv 2311.00636)",
        hyperparameters: [
            .integer("d", 64, .closed(1, 4096), "model width (a multiple of heads)"),
            .integer("layers", 2, .closed(1, 64), "transformer blocks"),
            .integer("heads", 4, .closed(1, 256), "attention heads (d/heads per head)"),
            .integer("context", 64, .closed(1, 4096), "characters per window T (positions)"),
            .integer("batch", 16, .closed(1, 65536), "windows per step B"),
            .integer("mlp", 4, .closed(1, 64), "MLP width as a multiple of d"),
            .boolean("tie", false, "share the head with the token embedding"),
            .real("l2", 0, .nonNegative, "L2 coefficient: (l2/2)Σ‖M‖² over embeddings, linear weights and the head"),
            .text("data", "shakespeare", "bundled text (shakespeare) or a path to a UTF-8 text file"),
            .integer("eval_windows", 64, .closed(1, 100_000), "fixed windows for the held-out metric (and for the logged training loss)"),
        ],
        capabilities: [.value, .gradient, .hessianVectorProduct, .layerStatistics, .minibatches, .sampledLabels],
        dimension: "V·d + T·d + L·(12d² + 13d) + 2d + V·d (113,536 at the defaults, V = 73)")

    static func makeCharLM(_ keys: ResolvedParameters, seed: UInt64) throws -> any Objective {
        let owner = "charlm"
        var c = CharacterLanguageModelProblem.Configuration()
        c.width = keys.int("d")
        c.layers = keys.int("layers")
        c.heads = keys.int("heads")
        c.context = keys.int("context")
        c.batch = keys.int("batch")
        c.mlpRatio = keys.int("mlp")
        c.tie = keys.bool("tie")
        c.l2 = keys.double("l2")
        c.evalWindows = keys.int("eval_windows")
        guard c.width % c.heads == 0 else {
            throw SpecError.invalidCombination(owner: owner, message: "d=\(c.width) is not a multiple of heads=\(c.heads)")
        }
        let corpus = try CharacterCorpus.load(keys.string("data"), owner: owner)
        guard corpus.vocabulary.count >= 2, corpus.testCount > c.context else {
            throw SpecError.invalidValue(owner: owner, key: "data", value: keys.string("data"),
                                         reason: "is too short: its test part (last 10 %) has \(corpus.testCount) characters and needs context + 1 = \(c.context + 1), with at least 2 distinct characters",
                                         accepted: "a text whose last 10 % is longer than context")
        }
        return CharacterLanguageModelProblem(name: keys.canonical, corpus: corpus, configuration: c, seed: seed)
    }
}
