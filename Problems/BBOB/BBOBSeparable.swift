import Foundation

/// bbob f1–f5, the separable functions (z = x − x_opt unless noted):
///
///     f1 sphere            Σ zᵢ²
///     f2 ellipsoid         Σ 10^{6(i−1)/(d−1)} T_osz(z)ᵢ²
///     f3 Rastrigin         10(d − Σ cos 2πz̃ᵢ) + ‖z̃‖²,  z̃ = Λ¹⁰ T_asy^0.2(T_osz(z))
///     f4 Büche–Rastrigin   same with sᵢ = 10^{(i−1)/(2(d−1))}·(10 if z̃ᵢ > 0 and i odd), no T_asy,
///                          x_opt's odd coordinates made positive; + 100 f_pen
///     f5 linear slope      Σ 5|sᵢ| − sᵢxᵢ, sᵢ = sign(x_optᵢ)·10^{(i−1)/(d−1)}, xᵢ clipped at ±5 beyond
///
/// plus f_opt each.
extension BBOBFunction {
    func prepareSeparable(seed: Int) {
        let d = dimension
        switch function {
        case 1, 2, 3:
            shift = BBOBLegacy.optimum(d, seed: seed)
            bestParameter = shift
            if function == 3 { coefficients = (0..<d).map { pow(10.0, 0.5 * Double($0) / (Double(d) - 1.0)) } }
        case 4:
            shift = BBOBLegacy.optimum(d, seed: seed)
            // In COCO's legacy code, not in the function documentation.
            for i in stride(from: 0, to: d, by: 2) { shift[i] = abs(shift[i]) }
            bestParameter = shift
            coefficients = (0..<d).map { pow(10.0.squareRoot(), fraction($0)) }
        default:
            let xopt = BBOBLegacy.optimum(d, seed: seed)
            // The optimum sits on the boundary: ±5 by the sign of the drawn x_opt.
            bestParameter = xopt.map { $0 < 0 ? -5.0 : 5.0 }
            coefficients = (0..<d).map { i in
                let s = pow(100.0.squareRoot(), fraction(i))
                return bestParameter[i] > 0 ? s : -s
            }
        }
    }

    func separableValue(_ x: UnsafeBufferPointer<Double>) -> Double {
        let d = dimension
        switch function {
        case 1:
            return shift.withUnsafeBufferPointer { s in
                var result = 0.0
                for i in 0..<d { let z = x[i] - s[i]; result += z * z }
                return result + optimalOffset
            }
        case 2:
            return shift.withUnsafeBufferPointer { s in
                let z0 = BBOBTransform.oscillate(x[0] - s[0])
                var result = z0 * z0
                for i in 1..<d {
                    let z = BBOBTransform.oscillate(x[i] - s[i])
                    result += pow(1.0e6, 1.0 * fraction(i)) * z * z
                }
                return result + optimalOffset
            }
        case 3:
            return shift.withUnsafeBufferPointer { s in
                coefficients.withUnsafeBufferPointer { c in
                    var sumCos = 0.0, sumSquares = 0.0
                    for i in 0..<d {
                        let o = BBOBTransform.oscillate(x[i] - s[i])
                        let z = c[i] * BBOBTransform.asymmetric(o, beta: 0.2, index: i, count: d)
                        sumCos += cos(2 * Double.pi * z)
                        sumSquares += z * z
                    }
                    if sumSquares.isInfinite { return sumSquares + optimalOffset }
                    return 10.0 * (Double(d) - sumCos) + sumSquares + optimalOffset
                }
            }
        case 4:
            let penalty = BBOBTransform.boundaryPenalty(x)
            return shift.withUnsafeBufferPointer { s in
                coefficients.withUnsafeBufferPointer { c in
                    var sumCos = 0.0, sumSquares = 0.0
                    for i in 0..<d {
                        let o = BBOBTransform.oscillate(x[i] - s[i])
                        var factor = c[i]
                        if o > 0 && i % 2 == 0 { factor *= 10.0 }
                        let z = factor * o
                        sumCos += cos(2 * Double.pi * z)
                        sumSquares += z * z
                    }
                    let raw = 10.0 * (Double(d) - sumCos) + sumSquares + 0
                    return raw + optimalOffset + 100.0 * penalty
                }
            }
        default:
            return bestParameter.withUnsafeBufferPointer { best in
                coefficients.withUnsafeBufferPointer { c in
                    var result = 0.0
                    for i in 0..<d {
                        // Beyond the optimum's boundary the slope is flat (COCO ≥ 2.x).
                        if x[i] * best[i] < 25.0 {
                            result += 5.0 * abs(c[i]) - c[i] * x[i]
                        } else {
                            result += 5.0 * abs(c[i]) - c[i] * best[i]
                        }
                    }
                    return result + optimalOffset
                }
            }
        }
    }
}
