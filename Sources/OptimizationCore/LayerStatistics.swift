import LinearAlgebra

/// Which targets the backward pass of `layerStatistics` uses.
public enum TargetMode: String, Sendable, CaseIterable {
    /// The true labels (empirical Fisher).
    case empirical
    /// Labels drawn from the model's own predictive distribution (true Fisher, K-FAC).
    case sampled
    /// The exact generalised Gauss–Newton: the backward pass propagates the
    /// columns of a square root S (SSᵀ = ∂²ℓ/∂z²) of the loss Hessian with
    /// respect to the outputs instead of one target (spec second-order §1a).
    /// A problem returns one row per (sample, column): `inputs` repeats aᵢ for
    /// each column and `sharing` is multiplied by the number of columns, so
    /// that G = sharing·gᵀg/rows = (1/N) Σᵢ Σ_k g_ik g_ikᵀ.
    case ggn
}

/// Per-layer statistics of one linear layer on the current batch.
///
/// Convention (documented once, used by K-FAC and MKOR): `inputs` is N×(in+1)
/// when the layer has a bias — a column of ones appended last (the
/// homogeneous coordinate) — and N×in otherwise; `outputGradients` is N×out,
/// row i the gradient of sample i's *own* loss with respect to the layer's
/// pre-activations. Then the data part of the mean loss has gradient
/// (1/N)·gᵀa with respect to [W | b].
public struct LayerStatistics: Sendable {
    /// The statistics of one linear layer.
    public struct Layer: Sendable {
        public let name: String
        /// The block holding W (shape [out, in]).
        public let weight: ParameterBlock
        /// The block holding b (shape [out]), if any.
        public let bias: ParameterBlock?
        /// a: N×(in + 1 if bias).
        public var inputs: Matrix
        /// g: N×out.
        public var outputGradients: Matrix
        /// How many time steps / positions share these weights (1 for a plain MLP).
        /// With R = the rows of `inputs`, K-FAC forms A = aᵀa/R and
        /// G = sharing·gᵀg/R: for weights shared over T positions (R = N·T rows)
        /// that is the Kronecker approximation T·Ā⊗Ḡ of Martens, Ba & Johnson
        /// (ICLR 2018, independence across positions); exact-GGN rows multiply it
        /// by the number of square-root columns (see ``TargetMode/ggn``).
        public var sharing: Int

        public init(name: String, weight: ParameterBlock, bias: ParameterBlock?, inputs: Matrix,
                    outputGradients: Matrix, sharing: Int = 1) {
            self.name = name
            self.weight = weight
            self.bias = bias
            self.inputs = inputs
            self.outputGradients = outputGradients
            self.sharing = sharing
        }
    }
    public var layers: [Layer]
    /// Number of samples N.
    public var batchSize: Int
    /// Forward/backward passes the statistics cost (1; exact-GGN statistics of
    /// a C-class softmax cost C backward passes). The ``Oracle`` counts this
    /// many gradient evaluations.
    public var passes: Int

    public init(layers: [Layer], batchSize: Int, passes: Int = 1) {
        self.layers = layers
        self.batchSize = batchSize
        self.passes = passes
    }
}

/// An objective that reports per-layer statistics of its linear layers
/// (capability `layer_statistics`: K-FAC, MKOR).
public protocol LayerStatisticsObjective: DifferentiableObjective {
    /// Layer statistics on the current batch; `seed` drives sampled targets.
    func layerStatistics(at x: [Double], targets: TargetMode, seed: UInt64) throws -> LayerStatistics
    /// ∇f(x) into `gradient` and the layer statistics at the same x, with
    /// the same results as ``layerStatistics(at:targets:seed:)`` followed by
    /// ``DifferentiableObjective/gradient(at:into:)``. Networks override it to
    /// share the forward pass (and, for empirical targets, the backward pass)
    /// between the two.
    func gradientAndLayerStatistics(at x: [Double], into gradient: inout [Double], targets: TargetMode,
                                    seed: UInt64) throws -> (value: Double, statistics: LayerStatistics)
}

extension LayerStatisticsObjective {
    public func gradientAndLayerStatistics(at x: [Double], into gradient: inout [Double], targets: TargetMode,
                                           seed: UInt64) throws -> (value: Double, statistics: LayerStatistics) {
        let statistics = try layerStatistics(at: x, targets: targets, seed: seed)
        return (try self.gradient(at: x, into: &gradient), statistics)
    }
}
