import LinearAlgebra
import OptimizationCore

extension ProblemCatalog {
    /// The learning problems, in display order.
    static let learningEntries: [Registry.Entry] = [
        .init(LearningProblems.logregDescriptor.inSuites(.init(
            demo: ["logreg(data=breast_cancer)"], standard: [.stage(3, "logreg(data=breast_cancer)")],
            full: [.stage(1, "logreg(data=breast_cancer)")]))) { keys, seed in try LearningProblems.makeLogreg(keys, seed: seed) },
        .init(LearningProblems.softmaxDescriptor.inSuites(.init(full: [.stage(1, "softmax(data=digits)")]))) { keys, seed in
            try LearningProblems.makeSoftmax(keys, seed: seed)
        },
        .init(LearningProblems.mlpDescriptor.inSuites(.init(demo: ["mlp(data=digits)"], full: [.stage(1, "mlp(data=digits)")]))) {
            keys, seed in try LearningProblems.makeMLP(keys, seed: seed)
        },
        .init(LearningProblems.hedgingDescriptor) { keys, seed in try LearningProblems.makeHedging(keys, seed: seed) },
        // charlm before cnn: the `default` suite lists its workloads in catalog order.
        .init(WorkloadProblems.charlmDescriptor.inSuites(.init(workloads: ["charlm"]))) { keys, seed in
            try WorkloadProblems.makeCharLM(keys, seed: seed)
        },
        .init(WorkloadProblems.cnnDescriptor.inSuites(.init(workloads: ["cnn(batch=128)"]))) { keys, seed in
            try WorkloadProblems.makeCNN(keys, seed: seed)
        },
    ]
}

/// Descriptors and factories of `logreg`, `softmax` and `mlp`.
enum LearningProblems {
    static let splitNote = "rows i % 5 == 4 are test rows; features standardised with the training rows' mean and population std"

    static func dataKey(_ defaultName: String) -> Hyperparameter {
        .text("data", defaultName, "bundled data set (\(LearningDataset.bundledNames.joined(separator: "|"))) or a CSV path (header row, integer label last)")
    }
    static func l2Key(_ value: Double) -> Hyperparameter {
        .real("l2", value, .nonNegative, "L2 coefficient: (l2/2)‖W‖² over weight matrices (biases not regularised)")
    }
    static let batchKey = Hyperparameter.integer("batch", 0, .nonNegative,
                                                 "minibatch size; 0 = full batch (seeded per-epoch permutation otherwise)")

    static let logregDescriptor = ProblemDescriptor(
        name: "logreg", family: "learning",
        summary: "binary logistic regression, mean loss + (l2/2)‖w‖²; \(splitNote); x0 = 0",
        reference: "breast_cancer: Wolberg, Street, Mangasarian, UCI (CC BY 4.0); f* by Newton to ‖∇f‖ < 1e-12",
        hyperparameters: [dataKey("breast_cancer"), l2Key(1e-3), batchKey],
        capabilities: [.value, .gradient, .hessian, .hessianVectorProduct, .layerStatistics, .layered, .knownMinimum, .curvature, .fisher, .sampledLabels],
        dimension: "p+1 (31 for breast_cancer)")

    static let softmaxDescriptor = ProblemDescriptor(
        name: "softmax", family: "learning",
        summary: "multinomial logistic regression, mean loss + (l2/2)‖W‖²; \(splitNote); x0 = 0",
        reference: "digits: Alpaydin & Kaynak, UCI (CC BY 4.0); f* by Newton to ‖∇f‖ < 1e-12",
        hyperparameters: [dataKey("digits"), l2Key(1e-3), batchKey],
        capabilities: [.value, .gradient, .hessian, .hessianVectorProduct, .layerStatistics, .layered, .knownMinimum, .curvature, .fisher, .sampledLabels],
        dimension: "C·(p+1) (650 for digits)")

    static let mlpDescriptor = ProblemDescriptor(
        name: "mlp", family: "learning",
        summary: "fully connected network, softmax cross-entropy + (l2/2)Σ‖W‖²; \(splitNote); Glorot-uniform weights from the seed, zero biases",
        reference: "Glorot & Bengio, AISTATS 2010 (initialisation); HVP by Pearlmutter's R-operator, Neural Computation 1994",
        hyperparameters: [
            dataKey("digits"),
            .text("hidden", "32", "hidden widths, e.g. 32 or 64x32"),
            .choice("activation", "tanh", Activation.allCases.map(\.rawValue), "hidden nonlinearity"),
            l2Key(1e-4), batchKey,
        ],
        capabilities: [.value, .gradient, .hessianVectorProduct, .layerStatistics, .layered, .sampledLabels],
        dimension: "Σ (in+1)·out (2410 for digits, hidden=32)")

    static func makeLogreg(_ keys: ResolvedParameters, seed: UInt64) throws -> any Objective {
        try make(keys, seed: seed, model: "logreg", hidden: [], activation: .tanh, head: .logistic)
    }

    static func makeSoftmax(_ keys: ResolvedParameters, seed: UInt64) throws -> any Objective {
        try make(keys, seed: seed, model: "softmax", hidden: [], activation: .tanh, head: .softmax)
    }

    static func makeMLP(_ keys: ResolvedParameters, seed: UInt64) throws -> any Objective {
        let activation = Activation(rawValue: keys.string("activation"))!
        return try make(keys, seed: seed, model: "mlp", hidden: hiddenWidths(keys, owner: "mlp"),
                        activation: activation, head: .softmax)
    }

    /// The `hidden` key: widths joined by 'x'.
    static func hiddenWidths(_ keys: ResolvedParameters, owner: String) throws -> [Int] {
        let text = keys.string("hidden")
        let widths = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard !widths.isEmpty, widths.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 100_000 }) else {
            throw SpecError.invalidValue(owner: owner, key: "hidden", value: text, reason: "is not a list of widths",
                                         accepted: "positive widths joined by 'x', e.g. 32 or 64x32")
        }
        return widths.map { $0! }
    }

    static let hedgingDescriptor = ProblemDescriptor(
        name: "hedging", family: "learning",
        summary: "deep hedging of a short ATM call (S₀ = K = 100, 30 days, r = 0): a policy network shared across "
            + "time steps, proportional costs, convex risk of the terminal P&L; test metric = implied price on held-out paths",
        reference: "Buehler, Gonon, Teichmann & Wood, Quantitative Finance 2019 (arXiv 1802.03042); "
            + "K-FAC statistics shared over time: Martens, Ba & Johnson, ICLR 2018",
        hyperparameters: [
            .choice("model", "black_scholes", MarketPaths.Model.allCases.map(\.rawValue),
                    "price dynamics (heston: κ 1.5, θ = v₀ = sigma², ξ 0.5, ρ −0.7)"),
            .integer("paths", 1000, .closed(1, 1_000_000), "simulated training paths (as many test paths)"),
            .integer("steps", 30, .closed(1, 10_000), "hedging dates (daily over 30 days)"),
            .real("sigma", 0.2, .positive, "volatility σ (Heston: √θ)"),
            .text("hidden", "32x32", "hidden widths of the policy, e.g. 32x32"),
            .real("cost", 0, .nonNegative, "proportional transaction cost c (per unit of traded value)"),
            .choice("risk", "entropic", HedgingProblem.Risk.allCases.map(\.rawValue),
                    "risk measure of the P&L: entropic (1/λ)log E e^(−λX), or mse E(p₀ + X)²"),
            .real("lambda", 1, .positive, "risk aversion λ of the entropic measure"),
        ],
        capabilities: [.value, .gradient, .layerStatistics],
        dimension: "Σ (in+1)·out (1217 for hidden=32x32)")

    static func makeHedging(_ keys: ResolvedParameters, seed: UInt64) throws -> any Objective {
        HedgingProblem(name: keys.canonical, model: MarketPaths.Model(rawValue: keys.string("model"))!,
                       paths: keys.int("paths"), steps: keys.int("steps"),
                       hidden: try hiddenWidths(keys, owner: "hedging"), cost: keys.double("cost"),
                       risk: HedgingProblem.Risk(rawValue: keys.string("risk"))!, lambda: keys.double("lambda"),
                       volatility: keys.double("sigma"), seed: seed)
    }

    static func make(_ keys: ResolvedParameters, seed: UInt64, model: String, hidden: [Int],
                     activation: Activation, head: OutputHead) throws -> any Objective {
        let dataName = keys.string("data")
        let data = try LearningDataset.load(dataName, owner: model)
        if head == .logistic && data.classCount != 2 {
            throw SpecError.invalidCombination(
                owner: model, message: "data=\(dataName) has \(data.classCount) classes; logreg needs labels 0/1 (use softmax)")
        }
        let split = StandardizedSplit(data)
        let batch = keys.int("batch")
        guard batch <= split.trainingCount else {
            throw SpecError.invalidValue(owner: model, key: "batch", value: String(batch),
                                         reason: "exceeds the \(split.trainingCount) training rows of data=\(dataName)",
                                         accepted: "0 (full batch) or an integer in [1, \(split.trainingCount)]")
        }
        let l2 = keys.double("l2")
        let fStar = ReferenceMinima.value(model: model, data: dataName, l2: l2)
        return ClassificationProblem(
            name: keys.canonical, split: split, hidden: hidden, activation: activation, head: head,
            l2: l2, batchSize: batch, seed: seed,
            initSeed: hidden.isEmpty ? nil : SplitMix64.derive(seed, 0x676C_6F72_6F74),
            knownMinimum: fStar.map { KnownMinimum(value: $0, kind: .global) })
    }
}
