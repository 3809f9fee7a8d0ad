import Foundation

/// bbob f15–f19, multimodal with adequate global structure:
///
///     f15 rotated Rastrigin   10(d − Σ cos 2πzᵢ) + ‖z‖²,  z = R Λ¹⁰ Q T_asy^0.2(T_osz(R(x − x_opt)))
///     f16 Weierstrass         10((1/d) Σᵢ Σₖ₌₀¹¹ 2⁻ᵏ cos(2π3ᵏ(zᵢ + ½)) − f₀)³ + (10/d) f_pen,
///                             z = R Λ^{1/100} Q T_osz(R(x − x_opt))
///     f17 Schaffers F7        ((1/(d−1)) Σ √sᵢ + √sᵢ sin²(50 sᵢ^{1/5}))² + 10 f_pen,  sᵢ = √(zᵢ² + zᵢ₊₁²),
///                             z = Λ¹⁰ Q T_asy^0.5(R(x − x_opt));  f18: Λ¹⁰⁰⁰, seeds of f17
///     f19 Griewank–Rosenbrock 10/(d−1) Σ (sᵢ/4000 − cos sᵢ) + 10,  sᵢ = 100(zᵢ² − zᵢ₊₁)² + (zᵢ − 1)²,
///                             z = max(1, √d/8)·R x + 1/2
extension BBOBFunction {
    func prepareMultimodal(seed: Int) {
        let d = dimension
        switch function {
        case 15, 16:
            shift = BBOBLegacy.optimum(d, seed: seed)
            bestParameter = shift
            r = BBOBLegacy.rotation(d, seed: seed + 1_000_000)
            let base = function == 15 ? 10.0.squareRoot() : 1.0 / 100.0.squareRoot()
            m = BBOBLegacy.conditionedProduct(r, base: base, BBOBLegacy.rotation(d, seed: seed), d)
            if function == 16 {
                // a_k = 2⁻ᵏ, b_k = 3ᵏ, f₀ = Σ a_k cos(π b_k); COCO records the raw value at 0.
                coefficients = (0..<12).map { pow(0.5, Double($0)) } + (0..<12).map { pow(3.0, Double($0)) }
                var f0 = 0.0
                for k in 0..<12 { f0 += coefficients[k] * cos(2 * Double.pi * coefficients[12 + k] * 0.5) }
                coefficients.append(f0)
                bestValue = weierstrass([Double](repeating: 0, count: d)) + optimalOffset
            }
        case 17, 18:
            shift = BBOBLegacy.optimum(d, seed: seed)
            bestParameter = shift
            r = BBOBLegacy.rotation(d, seed: seed + 1_000_000)
            let q = BBOBLegacy.rotation(d, seed: seed)
            let conditioning = function == 17 ? 10.0 : 1000.0
            m = [Double](repeating: 0, count: d * d)
            for i in 0..<d {
                for j in 0..<d {
                    let exponent = 1.0 * Double(i) / (Double(d) - 1.0)
                    m[i * d + j] = q[i * d + j] * pow(conditioning.squareRoot(), exponent)
                }
            }
        default:
            let rotation = BBOBLegacy.rotation(d, seed: seed)
            let scale = Swift.max(1.0, Double(d).squareRoot() / 8.0)
            m = rotation.map { $0 * scale }
            bestParameter = (0..<d).map { j in
                var s = 0.0
                for i in 0..<d { s += m[i * d + j] }
                return s / (2.0 * scale)
            }
        }
    }

    func multimodalValue(_ x: UnsafeBufferPointer<Double>) -> Double {
        let d = dimension
        switch function {
        case 15:
            return withScratch { a, b, c in
                shift.withUnsafeBufferPointer { s in
                    r.withUnsafeBufferPointer { rb in
                        BBOBTransform.shiftThenMultiply(x, shift: s, rb, into: a, scratch: b)
                        for i in 0..<d {
                            b[i] = BBOBTransform.asymmetric(BBOBTransform.oscillate(a[i]), beta: 0.2, index: i, count: d)
                        }
                        m.withUnsafeBufferPointer { BBOBTransform.multiply($0, UnsafeBufferPointer(b), into: c) }
                        var sumCos = 0.0, sumSquares = 0.0
                        for i in 0..<d {
                            sumCos += cos(2 * Double.pi * c[i])
                            sumSquares += c[i] * c[i]
                        }
                        if sumSquares.isInfinite { return sumSquares + optimalOffset }
                        return 10.0 * (Double(d) - sumCos) + sumSquares + optimalOffset
                    }
                }
            }
        case 16:
            let penalty = BBOBTransform.boundaryPenalty(x)
            return withScratch { a, b, c in
                shift.withUnsafeBufferPointer { s in
                    r.withUnsafeBufferPointer { rb in
                        BBOBTransform.shiftThenMultiply(x, shift: s, rb, into: a, scratch: b)
                        for i in 0..<d { b[i] = BBOBTransform.oscillate(a[i]) }
                        m.withUnsafeBufferPointer { BBOBTransform.multiply($0, UnsafeBufferPointer(b), into: c) }
                        let raw = weierstrass(UnsafeBufferPointer(c))
                        return raw + optimalOffset + 10.0 / Double(d) * penalty
                    }
                }
            }
        case 17, 18:
            let penalty = BBOBTransform.boundaryPenalty(x)
            return withScratch { a, b, c in
                shift.withUnsafeBufferPointer { s in
                    r.withUnsafeBufferPointer { rb in
                        BBOBTransform.shiftThenMultiply(x, shift: s, rb, into: a, scratch: b)
                        for i in 0..<d { b[i] = BBOBTransform.asymmetric(a[i], beta: 0.5, index: i, count: d) }
                        m.withUnsafeBufferPointer { BBOBTransform.multiply($0, UnsafeBufferPointer(b), into: c) }
                        var result = 0.0
                        for i in 0..<(d - 1) {
                            let t = c[i] * c[i] + c[i + 1] * c[i + 1]
                            if t.isInfinite && sin(50.0 * pow(t, 0.1)).isNaN { return t + optimalOffset + 10.0 * penalty }
                            result += pow(t, 0.25) * (1.0 + pow(sin(50.0 * pow(t, 0.1)), 2.0))
                        }
                        result = pow(result / (Double(d) - 1.0), 2.0)
                        return result + optimalOffset + 10.0 * penalty
                    }
                }
            }
        default:
            return withScratch { z, _, _ in
                m.withUnsafeBufferPointer { mb in
                    for i in 0..<d {
                        var v = 0.0
                        for j in 0..<d { v += x[j] * mb[i * d + j] }
                        z[i] = v - (-0.5)
                    }
                    var result = 0.0
                    for i in 0..<(d - 1) {
                        let c1 = z[i] * z[i] - z[i + 1]
                        let c2 = 1.0 - z[i]
                        let t = 100.0 * c1 * c1 + c2 * c2
                        result += t / 4000.0 - cos(t)
                    }
                    return 10.0 + 10.0 * result / Double(d - 1) + optimalOffset
                }
            }
        }
    }

    /// COCO's `f_weierstrass_raw` (a_k, b_k, f₀ in `coefficients`).
    func weierstrass(_ z: UnsafeBufferPointer<Double>) -> Double {
        coefficients.withUnsafeBufferPointer { c in
            var result = 0.0
            for i in 0..<z.count {
                for k in 0..<12 { result += cos(2 * Double.pi * (z[i] + 0.5) * c[12 + k]) * c[k] }
            }
            return 10.0 * pow(result / Double(z.count) - c[24], 3.0)
        }
    }

    func weierstrass(_ z: [Double]) -> Double { z.withUnsafeBufferPointer { weierstrass($0) } }
}
