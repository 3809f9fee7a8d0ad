import Foundation

/// The pieces every bbob function shares, as COCO builds them (coco-experiment
/// 2.8.2, `suite_bbob_legacy_code.c` and `transform_*.c`): the 2009 legacy
/// random numbers, x_opt and f_opt, the Gram–Schmidt rotations, and the
/// coordinate-wise transformations T_osz, T_asy, Λ^α and f_pen.
///
/// Every formula keeps COCO's order of floating-point operations (and calls
/// the same libm functions), so that values agree with `cocoex` to the last
/// bit in practice and always to ≤ 1e-12 relative (Tests/Reference/bbob).
enum BBOBLegacy {
    /// `bbob2009_unif`: n uniforms in (0, 1] from a Park–Miller minimal
    /// standard generator (16807 mod 2³¹−1, Schrage's method) behind a
    /// 32-slot Bays–Durham shuffle table warmed up with 40 draws.
    static func uniform(_ n: Int, seed inputSeed: Int) -> [Double] {
        var seed = inputSeed < 0 ? -inputSeed : inputSeed
        if seed < 1 { seed = 1 }
        var state = seed
        var table = [Int](repeating: 0, count: 32)
        @inline(__always) func advance(_ s: inout Int) {
            let quotient = Int((Double(s) / 127773).rounded(.down))
            s = 16807 * (s - quotient * 127773) - 2836 * quotient
            if s < 0 { s += 2_147_483_647 }
        }
        for i in stride(from: 39, through: 0, by: -1) {
            advance(&state)
            if i < 32 { table[i] = state }
        }
        var current = table[0]
        var r = [Double](repeating: 0, count: n)
        for i in 0..<n {
            advance(&state)
            let slot = Int((Double(current) / 67_108_865).rounded(.down))
            current = table[slot]
            table[slot] = state
            r[i] = Double(current) / 2.147483647e9
            if r[i] == 0 { r[i] = 1e-99 }
        }
        return r
    }

    /// `bbob2009_gauss`: n Box–Muller normals from 2n legacy uniforms (the
    /// first n give the radius, the last n the angle).
    static func gaussian(_ n: Int, seed: Int) -> [Double] {
        let u = uniform(2 * n, seed: seed)
        return (0..<n).map { i in
            let g = (-2 * log(u[i])).squareRoot() * cos(2 * Double.pi * u[n + i])
            return g == 0 ? 1e-99 : g
        }
    }

    /// `bbob2009_compute_rotation`: a d×d orthogonal matrix (row-major): the
    /// d² legacy normals filled column by column, then classical Gram–Schmidt
    /// on the columns.
    static func rotation(_ d: Int, seed: Int) -> [Double] {
        let g = gaussian(d * d, seed: seed)
        var b = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { b[i * d + j] = g[j * d + i] } }
        for i in 0..<d {
            for j in 0..<i {
                var dot = 0.0
                for k in 0..<d { dot += b[k * d + i] * b[k * d + j] }
                for k in 0..<d { b[k * d + i] -= dot * b[k * d + j] }
            }
            var norm2 = 0.0
            for k in 0..<d { norm2 += b[k * d + i] * b[k * d + i] }
            for k in 0..<d { b[k * d + i] /= norm2.squareRoot() }
        }
        return b
    }

    /// `bbob2009_compute_xopt`: uniform on the grid 8·⌊10⁴u⌋/10⁴ − 4 in
    /// [−4, 4) (an exact 0 becomes −1e−5).
    static func optimum(_ d: Int, seed: Int) -> [Double] {
        uniform(d, seed: seed).map { u in
            let x = 8 * (1e4 * u).rounded(.down) / 1e4 - 4
            return x == 0 ? -1e-5 : x
        }
    }

    /// `bbob2009_compute_fopt`: f_opt = clamp(round(100·100·g₁/g₂)/100, ±1000)
    /// with g₁, g₂ legacy normals from seeds s + 10⁴·instance and one more;
    /// s is the function number, except 3 for f4 and 17 for f18 (the
    /// functions that share their instance seeds with f3 and f17).
    static func optimalValue(function: Int, instance: Int) -> Double {
        let base = function == 4 ? 3 : function == 18 ? 17 : function
        let seed = base + 10000 * instance
        let g1 = gaussian(1, seed: seed)[0]
        let g2 = gaussian(1, seed: seed + 1)[0]
        let rounded = (100 * 100 * g1 / g2 + 0.5).rounded(.down) / 100
        return Swift.min(1000, Swift.max(-1000, rounded))
    }

    /// The row-major product R₁·diag(c^{k/(d−1)})·R₂ that COCO forms for the
    /// "Q Λ R" functions (f6, f13, f15, f16, f23), with COCO's summation order
    /// and c given as the base COCO raises (√10, √100, 1/√100, ...).
    static func conditionedProduct(_ r1: [Double], base: Double, _ r2: [Double], _ d: Int) -> [Double] {
        var m = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                var s = 0.0
                for k in 0..<d {
                    let exponent = 1.0 * Double(k) / (Double(d) - 1.0)
                    s += r1[i * d + k] * pow(base, exponent) * r2[k * d + j]
                }
                m[i * d + j] = s
            }
        }
        return m
    }
}

/// The transformations, on raw buffers (no allocation per evaluation).
enum BBOBTransform {
    /// T_osz for one coordinate (α = 0.1): sign(x)·exp(x̂ + 0.049(sin c₁x̂ + sin c₂x̂))
    /// with x̂ = log|x|, written as COCO computes it (log/α, then pow(·, α)).
    @inline(__always)
    static func oscillate(_ x: Double) -> Double {
        if x > 0 {
            let t = log(x) / 0.1
            return pow(exp(t + 0.49 * (sin(t) + sin(0.79 * t))), 0.1)
        } else if x < 0 {
            let t = log(-x) / 0.1
            return -pow(exp(t + 0.49 * (sin(0.55 * t) + sin(0.31 * t))), 0.1)
        }
        return x == 0 ? 0 : x   // NaN stays NaN
    }

    /// T_asy^β for coordinate i of n: x^{1 + β·i/(n−1)·√x} where x > 0.
    @inline(__always)
    static func asymmetric(_ x: Double, beta: Double, index i: Int, count n: Int) -> Double {
        guard x > 0 else { return x }
        let exponent = 1.0 + ((beta * Double(i)) / (Double(n) - 1.0)) * x.squareRoot()
        return pow(x, exponent)
    }

    /// f_pen = Σ max(0, |xᵢ| − 5)² as `transform_obj_penalize` computes it.
    @inline(__always)
    static func boundaryPenalty(_ x: UnsafeBufferPointer<Double>) -> Double {
        var penalty = 0.0
        for v in x {
            let above = v - 5.0, below = -5.0 - v
            if above > 0 { penalty += above * above } else if below > 0 { penalty += below * below }
        }
        return penalty
    }

    /// The same sum written as the functions with an inline penalty do
    /// (|xᵢ| − bound, squared where positive).
    @inline(__always)
    static func inlinePenalty(_ x: UnsafeBufferPointer<Double>, bound: Double = 5.0) -> Double {
        var penalty = 0.0
        for v in x {
            let t = abs(v) - bound
            if t > 0 { penalty += t * t }
        }
        return penalty
    }

    /// out = M·(x − shift) for row-major M (d×d); `shift` may be nil.
    @inline(__always)
    static func shiftThenMultiply(_ x: UnsafeBufferPointer<Double>, shift: UnsafeBufferPointer<Double>?,
                                  _ m: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                                  scratch: UnsafeMutableBufferPointer<Double>) {
        let d = x.count
        if let shift { for j in 0..<d { scratch[j] = x[j] - shift[j] } } else { for j in 0..<d { scratch[j] = x[j] } }
        multiply(m, UnsafeBufferPointer(scratch), into: out)
    }

    /// out = M·v (COCO's `transform_vars_affine` with b = 0: the sum starts at 0).
    @inline(__always)
    static func multiply(_ m: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
                         into out: UnsafeMutableBufferPointer<Double>) {
        let d = v.count
        for i in 0..<d {
            var s = 0.0
            let row = i * d
            for j in 0..<d { s += v[j] * m[row + j] }
            out[i] = s
        }
    }

    /// The objective's T_osz (`transform_obj_oscillate`): applied to f, 0 stays 0.
    @inline(__always)
    static func oscillateValue(_ y: Double) -> Double {
        guard y != 0 else { return y }
        let t = log(abs(y)) / 0.1
        if y > 0 { return pow(exp(t + 0.49 * (sin(t) + sin(0.79 * t))), 0.1) }
        return -pow(exp(t + 0.49 * (sin(0.55 * t) + sin(0.31 * t))), 0.1)
    }
}
