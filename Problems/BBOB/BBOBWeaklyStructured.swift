import Foundation

/// bbob f20–f24, multimodal with weak global structure:
///
///     f20 Schwefel      0.01(418.9828872724339 − (1/d) Σ zᵢ sin √|zᵢ|) + f_pen(z/100)·…,
///                       x̂ = 2·sign(x_opt)⊙x, ẑ₁ = x̂₁, ẑᵢ = x̂ᵢ + ¼(x̂ᵢ₋₁ − 2|x_optᵢ₋₁|),
///                       z = 100(Λ¹⁰(ẑ − 2|x_opt|) + 2|x_opt|),  x_opt = ±4.2096874637/2
///     f21/f22 Gallagher 101 / 21 peaks: T_osz(10 − maxᵢ wᵢ exp(−(1/2d)(Rx − yᵢ)ᵀRᵀCᵢR(Rx − yᵢ)))² + f_pen
///     f23 Katsuura      (10/d²) Πᵢ (1 + i Σⱼ₌₁³² |2ʲzᵢ − [2ʲzᵢ]|/2ʲ)^{10/d^1.2} − 10/d² + f_pen,
///                       z = Q Λ¹⁰⁰ R (x − x_opt)
///     f24 Lunacek bi-Rastrigin
///                       min(Σ(x̂ᵢ − μ₀)², d + s Σ(x̂ᵢ − μ₁)²) + 10(d − Σ cos 2πzᵢ) + 10⁴ f_pen,
///                       x̂ = 2 sign(x_opt)⊙x, z = Q Λ¹⁰⁰ R(x̂ − μ₀), μ₀ = 2.5, x_opt = ±1.25
extension BBOBFunction {
    func prepareWeaklyStructured(seed: Int) {
        let d = dimension
        switch function {
        case 20:
            let u = BBOBLegacy.uniform(d, seed: seed)
            // x̂'s coordinate flips (the same draw fixes x_opt's signs).
            signs = u.map { $0 < 0.5 ? -1.0 : 1.0 }
            shift = u.map { ($0 < 0.5 ? -1.0 : 1.0) * 0.5 * 4.2096874637 }
            coefficients = (0..<d).map { pow(10.0, 0.5 * Double($0) / (Double(d) - 1.0)) }
            // COCO's best_parameter: 420.96874633 carried back through the
            // transformations (÷100, −2|x_opt|, +2|x_opt|, ÷2, sign flips).
            bestParameter = (0..<d).map { i in
                let twice = 2 * abs(shift[i])
                var p = 420.96874633 / 100
                p += -twice
                p += twice
                p /= 2
                return u[i] < 0.5 ? -p : p
            }
            bestValue = schwefelRaw([Double](repeating: 420.96874633, count: d)) + optimalOffset
        case 21, 22:
            prepareGallagher(seed: seed, peaks: function == 21 ? 101 : 21)
        case 23:
            shift = BBOBLegacy.optimum(d, seed: seed)
            bestParameter = shift
            let r1 = BBOBLegacy.rotation(d, seed: seed + 1_000_000)
            m = BBOBLegacy.conditionedProduct(r1, base: 100.0.squareRoot(), BBOBLegacy.rotation(d, seed: seed), d)
        default:
            r = BBOBLegacy.rotation(d, seed: seed + 1_000_000)
            q = BBOBLegacy.rotation(d, seed: seed)
            let g = BBOBLegacy.gaussian(d, seed: seed)
            shift = g.map { $0 < 0 ? -0.5 * 2.5 : 0.5 * 2.5 }
            bestParameter = shift
            coefficients = (0..<d).map { pow(100.0.squareRoot(), Double($0) / Double(d - 1)) }
            bestValue = bestParameter.withUnsafeBufferPointer { lunacek($0) } + optimalOffset
        }
    }

    func weaklyStructuredValue(_ x: UnsafeBufferPointer<Double>) -> Double {
        let d = dimension
        switch function {
        case 20:
            return withScratch { z, v, _ in
                shift.withUnsafeBufferPointer { s in
                    signs.withUnsafeBufferPointer { flip in
                        coefficients.withUnsafeBufferPointer { c in
                            for i in 0..<d { v[i] = 2 * (flip[i] < 0 ? -x[i] : x[i]) }
                            z[0] = v[0]
                            for i in 1..<d { z[i] = v[i] + 0.25 * (v[i - 1] - 2.0 * abs(s[i - 1])) }
                            for i in 0..<d {
                                let twice = 2 * abs(s[i])
                                let conditioned = c[i] * (z[i] - twice)
                                v[i] = 100 * (conditioned - (-twice))
                            }
                            return schwefelRaw(UnsafeBufferPointer(v)) + optimalOffset
                        }
                    }
                }
            }
        case 21, 22:
            return withScratch { t, _, _ in gallagher(x, rotated: t) } + optimalOffset
        case 23:
            let penalty = BBOBTransform.boundaryPenalty(x)
            return withScratch { z, scratch, _ in
                shift.withUnsafeBufferPointer { s in
                    m.withUnsafeBufferPointer { mb in
                        BBOBTransform.shiftThenMultiply(x, shift: s, mb, into: z, scratch: scratch)
                        var result = 1.0
                        for i in 0..<d {
                            var t = 0.0
                            for j in 1..<33 {
                                let p = pow(2.0, Double(j))
                                t += abs(p * z[i] - (p * z[i] + 0.5).rounded(.down)) / p
                            }
                            t = 1.0 + (Double(i) + 1) * t
                            result *= pow(t, 10.0 / pow(Double(d), 1.2))
                        }
                        result = 10.0 / Double(d) / Double(d) * (-1.0 + result)
                        return result + optimalOffset + 1.0 * penalty
                    }
                }
            }
        default:
            return lunacek(x) + optimalOffset
        }
    }

    private func schwefelRaw(_ x: UnsafeBufferPointer<Double>) -> Double {
        var penalty = 0.0
        for v in x {
            let t = abs(v) - 500.0
            if t > 0 { penalty += t * t }
        }
        var sum = 0.0
        for v in x { sum += v * sin(abs(v).squareRoot()) }
        return 0.01 * (penalty + 418.9828872724339 - sum / Double(x.count))
    }

    private func schwefelRaw(_ x: [Double]) -> Double { x.withUnsafeBufferPointer { schwefelRaw($0) } }

    /// COCO's `f_lunacek_bi_rastrigin_raw` (without f_opt).
    private func lunacek(_ x: UnsafeBufferPointer<Double>) -> Double {
        let d = dimension
        let mu0 = 2.5, dd = 1.0
        let s = 1.0 - 0.5 / ((Double(d + 20)).squareRoot() - 4.1)
        let mu1 = -((mu0 * mu0 - dd) / s).squareRoot()
        let penalty = BBOBTransform.inlinePenalty(x)
        return withScratch { xHat, tmp, z in
            shift.withUnsafeBufferPointer { xopt in
                r.withUnsafeBufferPointer { r1 in
                    q.withUnsafeBufferPointer { r2 in
                        coefficients.withUnsafeBufferPointer { c in
                            for i in 0..<d {
                                xHat[i] = 2.0 * x[i]
                                if xopt[i] < 0.0 { xHat[i] *= -1.0 }
                            }
                            for i in 0..<d {
                                var v = 0.0
                                for j in 0..<d { v += c[i] * r2[i * d + j] * (xHat[j] - mu0) }
                                tmp[i] = v
                            }
                            for i in 0..<d {
                                var v = 0.0
                                for j in 0..<d { v += r1[i * d + j] * tmp[j] }
                                z[i] = v
                            }
                            var sum1 = 0.0, sum2 = 0.0, sum3 = 0.0
                            for i in 0..<d {
                                sum1 += (xHat[i] - mu0) * (xHat[i] - mu0)
                                sum2 += (xHat[i] - mu1) * (xHat[i] - mu1)
                                sum3 += cos(2 * Double.pi * z[i])
                            }
                            return Swift.min(sum1, dd * Double(d) + s * sum2) + 10.0 * (Double(d) - sum3) + 1e4 * penalty
                        }
                    }
                }
            }
        }
    }
}

/// Gallagher's Gaussian peaks (f21: 101, f22: 21).
extension BBOBFunction {
    func prepareGallagher(seed: Int, peaks: Int) {
        let d = dimension
        peakCount = peaks
        // COCO: f21 uses √1000 for the global peak's condition, b = 10, c = 5; f22 1000, 9.8, 4.9.
        let maxCondition = 1000.0
        let globalCondition = peaks == 101 ? 1000.0.squareRoot() : 1000.0
        let (b, c) = peaks == 101 ? (10.0, 5.0) : (9.8, 4.9)
        let rotation = BBOBLegacy.rotation(d, seed: seed)
        m = rotation
        // Conditions of the local peaks: a permutation of 1000^{k/(p−2)}, drawn by sorting uniforms.
        let u = BBOBLegacy.uniform(peaks - 1, seed: seed)
        let order = (0..<(peaks - 1)).sorted { u[$0] < u[$1] || (u[$0] == u[$1] && $0 < $1) }
        var conditions = [Double](repeating: 0, count: peaks)
        conditions[0] = globalCondition
        peakValues = [Double](repeating: 0, count: peaks)
        peakValues[0] = 10
        let (lowest, highest) = (1.1, 9.1)
        for i in 1..<peaks {
            conditions[i] = pow(maxCondition, Double(order[i - 1]) / Double(peaks - 2))
            peakValues[i] = Double(i - 1) / Double(peaks - 2) * (highest - lowest) + lowest
        }
        peakScales = [Double](repeating: 0, count: peaks * d)
        for i in 0..<peaks {
            let v = BBOBLegacy.uniform(d, seed: seed + 1000 * i)
            let perm = (0..<d).sorted { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }
            for j in 0..<d {
                peakScales[i * d + j] = pow(conditions[i], Double(perm[j]) / Double(d - 1) - 0.5)
            }
        }
        let w = BBOBLegacy.uniform(d * peaks, seed: seed)
        let scale = 0.8
        bestParameter = (0..<d).map { scale * (b * w[$0] - c) }
        peakCentres = [Double](repeating: 0, count: d * peaks)
        for i in 0..<d {
            for j in 0..<peaks {
                var s = 0.0
                for k in 0..<d { s += rotation[i * d + k] * (b * w[j * d + k] - c) }
                if j == 0 { s *= scale }
                peakCentres[i * peaks + j] = s
            }
        }
        var scratch = [Double](repeating: 0, count: d)
        bestValue = bestParameter.withUnsafeBufferPointer { xb in
            scratch.withUnsafeMutableBufferPointer { gallagher(xb, rotated: $0) }
        } + optimalOffset
    }

    /// COCO's `f_gallagher_raw` (penalty included, f_opt not).
    func gallagher(_ x: UnsafeBufferPointer<Double>, rotated t: UnsafeMutableBufferPointer<Double>) -> Double {
        let d = dimension, peaks = peakCount
        let fac = -0.5 / Double(d)
        let penalty = BBOBTransform.inlinePenalty(x) * 1.0
        return m.withUnsafeBufferPointer { rb in
            peakScales.withUnsafeBufferPointer { scales in
                peakCentres.withUnsafeBufferPointer { centres in
                    peakValues.withUnsafeBufferPointer { values in
                        for i in 0..<d {
                            var s = 0.0
                            for j in 0..<d { s += rb[i * d + j] * x[j] }
                            t[i] = s
                        }
                        var f = 0.0
                        for i in 0..<peaks {
                            var q = 0.0
                            for j in 0..<d {
                                let diff = t[j] - centres[j * peaks + i]
                                q += scales[i * d + j] * diff * diff
                            }
                            f = Swift.max(f, values[i] * exp(fac * q))
                        }
                        f = 10.0 - f
                        var fTrue: Double
                        if f > 0 {
                            fTrue = log(f) / 0.1
                            fTrue = pow(exp(fTrue + 0.49 * (sin(fTrue) + sin(0.79 * fTrue))), 0.1)
                        } else if f < 0 {
                            fTrue = log(-f) / 0.1
                            fTrue = -pow(exp(fTrue + 0.49 * (sin(0.55 * fTrue) + sin(0.31 * fTrue))), 0.1)
                        } else {
                            fTrue = f
                        }
                        fTrue *= fTrue
                        fTrue += penalty
                        return fTrue
                    }
                }
            }
        }
    }
}
