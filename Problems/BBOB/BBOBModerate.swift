import Foundation

/// bbob f6–f9, low or moderate conditioning:
///
///     f6 attractive sector   T_osz(Σ (100 if zᵢ·x_optᵢ > 0 else 1)²·zᵢ²)^0.9,  z = Q Λ¹⁰ R (x − x_opt)
///     f7 step ellipsoid      0.1·max(|ẑ₁|/10⁴, Σ 10^{2(i−1)/(d−1)} zᵢ²) + f_pen,
///                            ẑ = Λ¹⁰ R (x − x_opt), z̃ = round ẑ (|ẑ| > 0.5) or round(10ẑ)/10, z = Q z̃
///     f8 Rosenbrock          Σ 100(zᵢ² − zᵢ₊₁)² + (zᵢ − 1)²,  z = max(1, √d/8)(x − x_opt) + 1, x_opt scaled by 3/4
///     f9 rotated Rosenbrock  same with z = max(1, √d/8)·R x + 1/2 (x* = Rᵀ1/(2·max(1, √d/8)))
extension BBOBFunction {
    func prepareModerate(seed: Int) {
        let d = dimension
        switch function {
        case 6:
            shift = BBOBLegacy.optimum(d, seed: seed)
            bestParameter = shift
            let r1 = BBOBLegacy.rotation(d, seed: seed + 1_000_000)
            let r2 = BBOBLegacy.rotation(d, seed: seed)
            m = BBOBLegacy.conditionedProduct(r1, base: 10.0.squareRoot(), r2, d)
        case 7:
            shift = BBOBLegacy.optimum(d, seed: seed)
            bestParameter = shift
            r = BBOBLegacy.rotation(d, seed: seed + 1_000_000)
            q = BBOBLegacy.rotation(d, seed: seed)
            coefficients = (0..<d).map { i in pow(100.0 / 10.0, Double(i) / Double(d - 1)).squareRoot() }
        case 8:
            shift = BBOBLegacy.optimum(d, seed: seed).map { $0 * 0.75 }
            bestParameter = shift
            coefficients = [Swift.max(1.0, Double(d).squareRoot() / 8.0)]
        default:
            let rotation = BBOBLegacy.rotation(d, seed: seed)
            let factor = Swift.max(1.0, Double(d).squareRoot() / 8.0)
            m = rotation.map { factor * $0 }
            bestParameter = (0..<d).map { column in
                var s = 0.0
                for row in 0..<d { s += rotation[row * d + column] }
                return s / (2.0 * factor)
            }
        }
    }

    func moderateValue(_ x: UnsafeBufferPointer<Double>) -> Double {
        let d = dimension
        switch function {
        case 6:
            return withScratch { z, scratch, _ in
                shift.withUnsafeBufferPointer { s in
                    m.withUnsafeBufferPointer { mb in
                        BBOBTransform.shiftThenMultiply(x, shift: s, mb, into: z, scratch: scratch)
                        var result = 0.0
                        for i in 0..<d {
                            if s[i] * z[i] > 0.0 { result += 100.0 * 100.0 * z[i] * z[i] } else { result += z[i] * z[i] }
                        }
                        return pow(BBOBTransform.oscillateValue(result), 0.9) + optimalOffset
                    }
                }
            }
        case 7:
            return withScratch { a, b, _ in
                shift.withUnsafeBufferPointer { s in
                    r.withUnsafeBufferPointer { rb in
                        q.withUnsafeBufferPointer { qb in
                            coefficients.withUnsafeBufferPointer { c in
                                stepEllipsoid(x, s, rb, qb, c, a, b)
                            }
                        }
                    }
                }
            }
        case 8:
            return shift.withUnsafeBufferPointer { s in
                withScratch { z, _, _ in
                    let factor = coefficients[0]
                    for i in 0..<d { z[i] = factor * (x[i] - s[i]) - (-1.0) }
                    return rosenbrock(UnsafeBufferPointer(z)) + optimalOffset
                }
            }
        default:
            return m.withUnsafeBufferPointer { mb in
                withScratch { z, _, _ in
                    for i in 0..<d {
                        var v = 0.5
                        for j in 0..<d { v += x[j] * mb[i * d + j] }
                        z[i] = v
                    }
                    return rosenbrock(UnsafeBufferPointer(z)) + optimalOffset
                }
            }
        }
    }

    private func rosenbrock(_ z: UnsafeBufferPointer<Double>) -> Double {
        var s1 = 0.0, s2 = 0.0
        for i in 0..<(z.count - 1) {
            var t = z[i] * z[i] - z[i + 1]
            s1 += t * t
            t = z[i] - 1.0
            s2 += t * t
        }
        return 100.0 * s1 + s2
    }

    /// COCO's `f_step_ellipsoid_raw` (it carries the whole f7, f_opt included).
    private func stepEllipsoid(_ x: UnsafeBufferPointer<Double>, _ s: UnsafeBufferPointer<Double>,
                               _ r1: UnsafeBufferPointer<Double>, _ r2: UnsafeBufferPointer<Double>,
                               _ c: UnsafeBufferPointer<Double>, _ a: UnsafeMutableBufferPointer<Double>,
                               _ b: UnsafeMutableBufferPointer<Double>) -> Double {
        let d = dimension
        let penalty = BBOBTransform.inlinePenalty(x) * 1.0
        for i in 0..<d {
            var v = 0.0
            for j in 0..<d { v += c[i] * r2[i * d + j] * (x[j] - s[j]) }
            a[i] = v
        }
        let first = a[0]
        for i in 0..<d {
            if abs(a[i]) > 0.5 {
                a[i] = (a[i] + 0.5).rounded(.down)
            } else {
                a[i] = (10.0 * a[i] + 0.5).rounded(.down) / 10.0
            }
        }
        for i in 0..<d {
            var v = 0.0
            for j in 0..<d { v += r1[i * d + j] * a[j] }
            b[i] = v
        }
        var result = 0.0
        for i in 0..<d {
            result += pow(100.0, fraction(i)) * b[i] * b[i]
        }
        return 0.1 * Swift.max(abs(first) * 1.0e-4, result) + penalty + optimalOffset
    }
}
