import LinearAlgebra

/// The per-row output curvature Λᵢ of a linear model's dense curvature matrix.
enum OutputCurvature {
    /// Λᵢ = diag(pᵢ) − pᵢpᵢᵀ (logistic: pᵢ(1 − pᵢ)): the Hessian, which for
    /// these canonical-link models is also the generalised Gauss–Newton matrix.
    case hessian
    /// Λᵢ = rᵢrᵢᵀ with rᵢ = pᵢ − yᵢ (row-major residual rows): the empirical
    /// Fisher (1/N) Σᵢ ∇ℓᵢ∇ℓᵢᵀ.
    case empiricalFisher(residuals: UnsafePointer<Double>)
}

extension DenseNetwork {
    /// The dense Hessian (or empirical Fisher) of a network with no hidden
    /// layer (logistic or softmax regression) on the rows of the last forward pass.
    ///
    /// With x̃ = [x | 1] and per-row output curvature Λᵢ (``OutputCurvature``),
    /// the data part is (1/N) Σᵢ Λᵢ ⊗ x̃ᵢx̃ᵢᵀ. Block (c, c′) is
    /// X̃ᵀ diag(Λ_{·cc′}) X̃ / N, one gemm each; entries are then placed by the
    /// layout (`weight [C, p]` then `bias [C]`). The regulariser adds l2·I on
    /// the weights in both cases.
    func linearModelHessian(input x: UnsafePointer<Double>, rows: Int,
                            curvature: OutputCurvature = .hessian) -> Matrix {
        precondition(layers.count == 1, "a dense Hessian is implemented for linear models only")
        let layer = layers[0]
        let p = layer.inputs, c = layer.outputs, width = p + 1
        let n = parameterCount
        var hessian = Matrix(rows: n, columns: n)
        var augmented = [Double](repeating: 1, count: rows * width)
        var weighted = [Double](repeating: 0, count: rows * width)
        var block = [Double](repeating: 0, count: width * width)
        let probabilities = self.probabilities
        // Flat parameter index of coefficient j (j == p: the bias) of class k.
        func index(_ k: Int, _ j: Int) -> Int { j < p ? layer.weightOffset + k * p + j : layer.biasOffset + k }

        augmented.withUnsafeMutableBufferPointer { xt in
            for i in 0..<rows { (xt.baseAddress! + i * width).update(from: x + i * p, count: p) }
        }
        augmented.withUnsafeBufferPointer { xt in
            weighted.withUnsafeMutableBufferPointer { y in
                block.withUnsafeMutableBufferPointer { m in
                    hessian.storage.withUnsafeMutableBufferPointer { h in
                        for k in 0..<c {
                            for k2 in k..<c {
                                for i in 0..<rows {
                                    let weight: Double
                                    switch (curvature, head) {
                                    case (.hessian, .logistic):
                                        let pi = probabilities[i]
                                        weight = pi * (1 - pi)
                                    case (.hessian, .softmax):
                                        let pk = probabilities[i * c + k], pk2 = probabilities[i * c + k2]
                                        weight = (k == k2 ? pk : 0) - pk * pk2
                                    case (.empiricalFisher(let r), _):
                                        weight = r[i * c + k] * r[i * c + k2]
                                    }
                                    for j in 0..<width { y[i * width + j] = weight * xt[i * width + j] }
                                }
                                BLAS.gemm(m: width, n: width, k: rows, alpha: 1 / Double(rows),
                                          a: xt.baseAddress!, lda: width, transposeA: true,
                                          b: y.baseAddress!, ldb: width, transposeB: false,
                                          beta: 0, c: m.baseAddress!, ldc: width)
                                for j in 0..<width {
                                    for j2 in 0..<width {
                                        let value = m[j * width + j2]
                                        h[index(k, j) * n + index(k2, j2)] = value
                                        h[index(k2, j2) * n + index(k, j)] = value
                                    }
                                }
                            }
                        }
                        for k in 0..<(p * c) { h[(layer.weightOffset + k) * n + layer.weightOffset + k] += l2 }
                    }
                }
            }
        }
        return hessian
    }
}
