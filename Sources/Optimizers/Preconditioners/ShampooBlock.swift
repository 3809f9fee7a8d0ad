import LinearAlgebra
import OptimizationCore

/// One Shampoo block (see ``Shampoo`` for the rule): where it lives
/// (``BlockView``), one ``InverseRootFactor`` per side, its grafting state,
/// the filtered gradient, and the buffers of a step. Allocation-free except
/// for the refresh's eigendecompositions.
struct ShampooBlock {
    struct StepConstants {
        var beta1: Double
        /// 1 − β₁ᵗ (the reference's 1 − β₃β₁^(t−1) with β₃ = β₁).
        var biasCorrection1: Double
        var graftEpsilon: Double
        /// 1 − β₂ᵗ of the grafting method (adam), else 1.
        var graftBiasCorrection: Double
        /// Before `start_preconditioning_step`: the grafting direction alone.
        var graftOnly: Bool
    }

    let view: BlockView
    /// The block's shape after merging and blocking.
    let shape: [Int]
    let count: Int
    /// −1/(2·order): every side of an order-k block gets the 2k-th inverse root.
    let exponent: Double
    private(set) var factors: [InverseRootFactor]
    /// The current inverse roots, as ``ModeProduct`` takes them (updated on refresh only).
    private var roots: [Matrix?]
    private var graft: GraftingState
    /// EMA of the gradient (empty when β₁ = 0).
    private var filtered: [Double]
    private var gradient: [Double]
    private var search: [Double]
    private var graftDirection: [Double]
    private var work: [Double]
    private var gram: [Double]

    init(_ block: TensorBlocking.Block, grafting: GraftingMethod, filtered keepsFiltered: Bool) {
        view = block.view
        shape = block.shape
        count = block.view.count
        exponent = -1 / Double(2 * max(shape.count, 1))
        factors = shape.map { InverseRootFactor(side: $0) }
        roots = factors.map(\.inverseRoot)
        graft = GraftingState(method: grafting, count: count)
        filtered = [Double](repeating: 0, count: keepsFiltered ? count : 0)
        gradient = [Double](repeating: 0, count: count)
        search = gradient
        graftDirection = [Double](repeating: 0, count: grafting == .none ? 0 : count)
        work = gradient
        let largest = shape.max() ?? 0
        gram = [Double](repeating: 0, count: largest * largest)
    }

    /// The block's raw gradient from the flat one; then every factor
    /// Lₖ ← β₂Lₖ + w·G₍ₖ₎G₍ₖ₎ᵀ and the grafting accumulator.
    mutating func accumulate(_ g: UnsafePointer<Double>, beta2: Double, weight: Double, graftBeta2: Double) {
        let (n, shape) = (count, shape)
        gradient.withUnsafeMutableBufferPointer { gp in
            view.gather(g, into: gp.baseAddress!)
            search.withUnsafeMutableBufferPointer { s in
                work.withUnsafeMutableBufferPointer { w in
                    gram.withUnsafeMutableBufferPointer { gr in
                        s.baseAddress!.update(from: gp.baseAddress!, count: n)
                        var (source, target) = (s.baseAddress!, w.baseAddress!)
                        for k in 0..<shape.count {
                            let (side, rest) = (shape[k], n / shape[k])
                            // The mode-k unfolding is `source` seen as side × rest.
                            BLAS.gemm(m: side, n: side, k: rest, alpha: 1, a: source, lda: rest, transposeA: false,
                                      b: source, ldb: rest, transposeB: true, beta: 0, c: gr.baseAddress!, ldc: side)
                            factors[k].accumulate(gr.baseAddress!, decay: beta2, weight: weight)
                            ModeProduct.step(source, first: side, rest: rest, matrix: nil, transposeMatrix: false,
                                             into: target)
                            swap(&source, &target)
                        }
                    }
                }
            }
            graft.accumulate(gp.baseAddress!, beta2: graftBeta2)
        }
    }

    /// Every side's inverse root refreshed; returns the number refreshed.
    mutating func refresh(epsilon: Double, biasCorrection: Double) -> Int {
        var refreshed = 0
        for k in factors.indices where factors[k].refresh(exponent: exponent, epsilon: epsilon,
                                                          biasCorrection: biasCorrection) {
            roots[k] = factors[k].inverseRoot
            refreshed += 1
        }
        return refreshed
    }

    /// The block's search direction P (filtered, preconditioned, grafted)
    /// written into its place in the flat `direction`.
    mutating func searchDirection(_ c: StepConstants, into direction: UnsafeMutablePointer<Double>) {
        let (n, shape, roots, method) = (count, shape, roots, graft.method)
        gradient.withUnsafeBufferPointer { gp in
            search.withUnsafeMutableBufferPointer { s in
                work.withUnsafeMutableBufferPointer { w in
                    // F: the bias-corrected EMA of the gradient (or the gradient), in `work`.
                    if c.beta1 != 0 {
                        let weight = 1 - c.beta1
                        filtered.withUnsafeMutableBufferPointer { m in
                            for i in 0..<n {
                                m[i] = torchLerp(m[i], gp[i], weight)
                                w[i] = m[i] / c.biasCorrection1
                            }
                        }
                    } else {
                        w.baseAddress!.update(from: gp.baseAddress!, count: n)
                    }
                    graftDirection.withUnsafeMutableBufferPointer { pg in
                        if method != .none {
                            graft.direction(w.baseAddress!, count: n, epsilon: c.graftEpsilon,
                                            biasCorrection: c.graftBiasCorrection, into: pg.baseAddress!)
                        }
                        if c.graftOnly {
                            s.baseAddress!.update(from: pg.baseAddress!, count: n)
                            return
                        }
                        // P = F ×₀ X₀ ×₁ X₁ … (torch's tensordot over the first axis, per side).
                        s.baseAddress!.update(from: w.baseAddress!, count: n)
                        ModeProduct.rotate(s.baseAddress!, work: w.baseAddress!, shape: shape, count: n,
                                           matrices: roots, transpose: false)
                        if method != .none {
                            let ratio = GraftingState.norm(pg.baseAddress!, count: n)
                                / (GraftingState.norm(s.baseAddress!, count: n) + 1e-16)
                            for i in 0..<n { s[i] *= ratio }
                        }
                    }
                    view.scatter(1, s.baseAddress!, into: direction)
                }
            }
        }
    }
}
