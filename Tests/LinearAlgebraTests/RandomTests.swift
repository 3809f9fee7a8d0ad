import Testing
@testable import LinearAlgebra

@Suite("Random number generators")
struct RandomTests {
    @Test("MT19937 seed 42: first uniform is 0.37454011430963874")
    func mersenneTwisterSeed42() {
        var rng = MersenneTwister(seed: 42)
        #expect(rng.uniform() == 0.37454011430963874)
        #expect(rng.uniform() == 0.7965429842006415)
        #expect(rng.uniform() == 0.9507143115624785)
    }

    @Test func mersenneTwisterIsDeterministicAndGaussianMoments() {
        var a = MersenneTwister(seed: 7), b = MersenneTwister(seed: 7)
        var sum = 0.0, sumSq = 0.0
        let n = 20_000
        for _ in 0..<n {
            let z = a.gaussian()
            #expect(z == b.gaussian())
            sum += z
            sumSq += z * z
        }
        // Mean within 5 standard errors of 0, variance within 5% of 1.
        #expect(abs(sum / Double(n)) < 5 / Double(n).squareRoot())
        #expect(abs(sumSq / Double(n) - 1) < 0.05)
    }

    @Test("Philox4x32-10 known-answer vectors (Random123)")
    func philoxKnownAnswers() {
        let zero = Philox4x32(key: (0, 0)).block((0, 0, 0, 0))
        #expect(zero == (0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8))
        let ones = Philox4x32(key: (0xFFFF_FFFF, 0xFFFF_FFFF)).block((0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF))
        #expect(ones == (0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD))
        let pi = Philox4x32(key: (0xA409_3822, 0x299F_31D0)).block((0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344))
        #expect(pi == (0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1))
    }

    @Test("Philox Gaussians match the spec's vectors and do not depend on block splits")
    func philoxGaussians() {
        let expected0 = [0.99113767909666, -0.924662588243695, -0.617608959652595, -0.482068586911155,
                         -0.153638229838873, 0.180825897507258, 0.831735104484216, 0.197439719171996]
        let expected42 = [-0.970189789689621, 0.194018956031924, -1.23562074153505, 1.92392675007241,
                          -0.0731815079947883, 0.139137495693442, -1.10666503063864, 0.326682960602951]
        for (seed, expected) in [(UInt64(0), expected0), (42, expected42)] {
            var z = [Double](repeating: 0, count: 8)
            z.withUnsafeMutableBufferPointer { Philox4x32(seed: seed).fillGaussians($0, first: 0, step: 0, tag: 0) }
            for (a, b) in zip(z, expected) { #expect(abs(a - b) <= 1e-14 * max(1, abs(b))) }
            // Generating the same elements as two uneven blocks gives the same bits.
            var split = [Double](repeating: 0, count: 8)
            split.withUnsafeMutableBufferPointer { p in
                let g = Philox4x32(seed: seed)
                g.fillGaussians(UnsafeMutableBufferPointer(rebasing: p[0..<3]), first: 0, step: 0, tag: 0)
                g.fillGaussians(UnsafeMutableBufferPointer(rebasing: p[3..<8]), first: 3, step: 0, tag: 0)
            }
            #expect(split == z)
        }
    }

    @Test func splitMix() {
        var g = SplitMix64(seed: 0)
        // Reference values of SplitMix64 from seed 0 (Vigna's splitmix64.c).
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        var h = SplitMix64(seed: 3)
        let p = h.permutation(10)
        #expect(p.sorted() == Array(0..<10))
        var h2 = SplitMix64(seed: 3)
        #expect(h2.permutation(10) == p)
        #expect(SplitMix64.derive(1, 2) != SplitMix64.derive(1, 3))
        for _ in 0..<1000 {
            let u = g.uniform()
            #expect(u >= 0 && u < 1)
            #expect((0..<7).contains(g.integer(below: 7)))
        }
    }
}
