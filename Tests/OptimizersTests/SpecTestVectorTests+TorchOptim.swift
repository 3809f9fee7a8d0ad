import OptimizationCore
import Optimizers
import Testing

/// Hand-computed first steps of the torch.optim family on the open-loop
/// input of SpecTestVectorTests (θ₀ = (1, −2, 0.5), g₁ = (0.5, −1, 0.2)),
/// from each update rule's closed form at t = 1 (40-digit decimal
/// arithmetic, printed to 12 digits; torch 2.15.0 prints the same digits).
extension SpecTestVectorTests {
    /// One step from θ₀ with g₁.
    func firstStep<O: GradientOptimizer>(_ optimizer: O, _ expected: [Double],
                                         sourceLocation: SourceLocation = #_sourceLocation) {
        check(optimizer, [expected], gradients: [Self.gradients[0]], sourceLocation: sourceLocation)
    }

    @Test func adagradFirstStep() {  // θ − η·g/(|g| + ε)
        firstStep(Adagrad(), [0.990000000002, -1.99, 0.490000000005])
    }

    @Test func rmspropFirstStep() {  // v = 0.01g²: θ − η·g/(0.1|g| + ε), a 10× step
        firstStep(RMSprop(), [0.90000002, -1.90000001, 0.40000005])
        // centered: √(v − ḡ²) = √0.0099·|g|; the first momentum buffer is g/a.
        firstStep(RMSprop(momentum: 0.9, centered: true), [0.899496238676, -1.89949622858, 0.399496268979])
    }

    @Test func adadeltaFirstStep() {  // Δ = √ε/√(0.1g² + ε)·g
        firstStep(Adadelta(), [0.996837785583, -1.99683773815, 0.49683811755])
    }

    @Test func adamaxFirstStep() {  // u = |g| + ε, η/(1 − β₁)·0.1g/u
        firstStep(Adamax(), [0.99800000004, -1.99800000002, 0.4980000001])
    }

    @Test func nadamFirstStep() {  // Π₁ = μ₁: η·g/d + η·μ₂/(1 − μ₁μ₂)·0.1g/d, d = |g| + ε
        firstStep(NAdam(), [0.997887096486, -1.99788709646, 0.497887096549])
        firstStep(NAdam(weightDecay: 0.1, decoupledWeightDecay: true), [0.997687096486, -1.99748709646, 0.497787096549])
    }

    @Test func radamFirstStep() {  // ρ₁ = 1 ≤ 5: θ − η·m/(1 − β₁) = θ − η·g
        firstStep(RAdam(), [0.9995, -1.999, 0.4998])
        firstStep(RAdam(weightDecay: 0.1, decoupledWeightDecay: true), [0.9994, -1.9988, 0.49975])
    }

    /// ρ_t = ρ_∞ − 2tβ₂ᵗ/(1 − β₂ᵗ) for β₂ = 0.999: 1, 2.0, 3.0, 4.0, 4.996, 5.994, …
    /// — the first adaptive step is t = 6 (a threshold of 4 would make it t = 5).
    @Test func radamRectifiesFromStepSix() {
        var opt = RAdam()
        var x = Self.theta0
        var adaptive: [Bool] = []
        for _ in 0..<8 {
            opt.update(&x, gradient: Self.gradients[0])
            adaptive.append(opt.lastStepWasAdaptive)
        }
        #expect(adaptive == [false, false, false, false, false, true, true, true])
    }

    @Test func adafactorFirstStep() {
        // Vector: V = g², U = sign(g), RMS(U) = 1; α = ‖θ₀‖/√3 · min(η, 1) = √1.75·0.01.
        firstStep(Adafactor(), [0.986771243445, -1.98677124344, 0.486771243445])
        // 2×2 matrix W₀ = I, G = [[0, 0.5], [−0.3, 0]]: r = (0.125, 0.045),
        // c = (0.045, 0.125), V = r cᵀ/0.085, RMS(U) = 17/15 > d = 1 clips;
        // α = max(ε₂, RMS(W₀))·0.01 = 0.01/√2.
        check(Adafactor(), [[1, -0.00727606875109, 0.0121267812518, 1]], x0: Self.w0,
              gradients: [Self.matrixGradients[0]], layout: Self.matrixLayout)
    }

    @Test func rpropFirstThreeSteps() {
        // s = 0.01 → 0.012 (same sign), 0.005 (flip: no move, p ← 0), then
        // 0.005 again (g·p = 0) for the second coordinate, which moves by 0.005.
        check(Rprop(), [[0.99, -1.99, 0.49], [0.978, -1.99, 0.49], [0.978, -1.995, 0.49]])
    }
}

/// Adafactor on a 3-D block (a stack of two 2×3 matrices, each factored on
/// its own) and a vector block, with decay, against torch.optim.Adafactor
/// (torch 2.15.0, float64; from `Tests/Reference/make_reference_torchoptim.py --stack`).
@Test func adafactorFactorsEachMatrixOfAStackAsTorch() {
    let layout = ParameterLayout([("W", [2, 2, 3]), ("b", [2])])
    var x = [0.3, -1.2, 0.8, 2.0, -0.5, 0.1, 1.5, 0.7, -0.9, 0.05, -2.2, 1.1, 0.4, -0.6]
    let gradients: [[Double]] = [
        [0.5, -0.25, 0.125, 1.0, 0.0, -0.75, 0.2, 0.3, -0.4, 0.6, -0.1, 0.05, 0.9, -0.3],
        [-0.3, 0.6, 0.2, -0.1, 0.4, 0.8, -0.5, 0.1, 0.3, -0.2, 0.7, -0.6, -0.2, 0.5],
        [0.1, 0.1, -0.2, 0.3, -0.3, 0.0, 0.4, -0.4, 0.5, 0.2, -0.6, 0.3, 0.1, 0.1],
    ]
    let torch: [[Double]] = [
        [0.24400791259697086, -1.0721519883309667, 0.7759683102764396, 1.9400571769398938, -0.4975,
         0.15457804067365075, 1.4682378462090548, 0.6237135386271648, -0.8193688026942658, -0.01447239042037688,
         -2.167592536526541, 1.0861033020009467, 0.3725049024320361, -0.571504902432036],
        [0.28129039083211793, -1.1704585693390037, 0.7473886749986586, 1.9381905029826507, -0.537196220182092,
         0.09350095953234168, 1.5383181554738348, 0.6049452740748931, -0.8623722951802482, 0.00715528287343395,
         -2.2330040221008933, 1.1462400011396887, 0.3785968397605512, -0.5969232757703234],
        [0.2620734872241839, -1.187600334093876, 0.7791510684837276, 1.8960614521538321, -0.4926312617472621,
         0.09303345473467997, 1.4634206989540366, 0.657545048105413, -0.935121281754803, -0.021325253983476844,
         -2.151210096113173, 1.1013697645975895, 0.37136594009571744, -0.6014561743619155],
    ]
    var opt = Adafactor(lr: 0.05, weightDecay: 0.1)
    for (g, expected) in zip(gradients, torch) {
        opt.update(&x, gradient: g, layout: layout)
        #expect(maxRelativeDifference(x, expected) <= 1e-12, "\(x) vs \(expected)")
    }
    #expect(opt.rowVariances.count == 4 && opt.columnVariances.count == 6 && opt.vectorVariances.count == 2)
}
