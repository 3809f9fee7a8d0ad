import Foundation

/// bbob f10–f14, high conditioning and unimodal (z = R(x − x_opt) unless noted):
///
///     f10 rotated ellipsoid   Σ 10^{6(i−1)/(d−1)} T_osz(z)ᵢ²
///     f11 discus              10⁶ T_osz(z)₁² + Σᵢ₌₂ T_osz(z)ᵢ²
///     f12 bent cigar          z̃₁² + 10⁶ Σᵢ₌₂ z̃ᵢ²,  z̃ = R T_asy^0.5(R(x − x_opt)); x_opt from rseed + 10⁶
///     f13 sharp ridge         z₁² + 100 √(Σᵢ₌₂ zᵢ²),  z = Q Λ¹⁰ R (x − x_opt)
///     f14 different powers    √(Σ |zᵢ|^{2 + 4(i−1)/(d−1)})
extension BBOBFunction {
    func prepareIllConditioned(seed: Int) {
        let d = dimension
        shift = BBOBLegacy.optimum(d, seed: function == 12 ? seed + 1_000_000 : seed)
        bestParameter = shift
        let r1 = BBOBLegacy.rotation(d, seed: seed + 1_000_000)
        if function == 13 {
            m = BBOBLegacy.conditionedProduct(r1, base: 10.0.squareRoot(), BBOBLegacy.rotation(d, seed: seed), d)
        } else {
            m = r1
        }
    }

    func illConditionedValue(_ x: UnsafeBufferPointer<Double>) -> Double {
        let d = dimension
        return withScratch { z, scratch, third in
            shift.withUnsafeBufferPointer { s in
                m.withUnsafeBufferPointer { mb in
                    BBOBTransform.shiftThenMultiply(x, shift: s, mb, into: z, scratch: scratch)
                    switch function {
                    case 10:
                        let o0 = BBOBTransform.oscillate(z[0])
                        var result = o0 * o0
                        for i in 1..<d {
                            let o = BBOBTransform.oscillate(z[i])
                            result += pow(1.0e6, 1.0 * fraction(i)) * o * o
                        }
                        return result + optimalOffset
                    case 11:
                        let o0 = BBOBTransform.oscillate(z[0])
                        var result = 1.0e6 * o0 * o0
                        for i in 1..<d {
                            let o = BBOBTransform.oscillate(z[i])
                            result += o * o
                        }
                        return result + optimalOffset
                    case 12:
                        for i in 0..<d { scratch[i] = BBOBTransform.asymmetric(z[i], beta: 0.5, index: i, count: d) }
                        BBOBTransform.multiply(mb, UnsafeBufferPointer(scratch), into: third)
                        var result = third[0] * third[0]
                        for i in 1..<d { result += 1.0e6 * third[i] * third[i] }
                        return result + optimalOffset
                    case 13:
                        var result = 0.0
                        for i in 1..<d { result += z[i] * z[i] }
                        result = 100.0 * (result / 1.0).squareRoot()
                        result += z[0] * z[0] / 1.0
                        return result + optimalOffset
                    default:
                        var sum = 0.0
                        for i in 0..<d {
                            let exponent = 2.0 + (4.0 * Double(i)) / (Double(d) - 1.0)
                            sum += pow(abs(z[i]), exponent)
                        }
                        return sum.squareRoot() + optimalOffset
                    }
                }
            }
        }
    }
}
