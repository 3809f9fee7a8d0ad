import Dispatch
import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems
import Testing

/// MeZO and its seed-replay generator (spec §6.7, §11.3).
@Suite struct MeZOTests {
    static let x0 = [0.5, -0.25, 1.0]
    static let gradient = [2.75, -3.25, 2.75]

    func run(_ opt: inout MeZO, _ objective: any Objective, from x: [Double], steps: Int = 1) throws -> ([Double], Oracle) {
        var oracle = Oracle(objective)
        var x = x
        try opt.prepare(RunContext(layout: objective.layout))
        for t in 0..<steps {
            objective.beginStep(t)
            try opt.step(&x, oracle: &oracle)
        }
        return (x, oracle)
    }

    // MARK: §11.3.1–2: exact values

    @Test(arguments: MeZO.Restore.allCases)
    func onesDirectionGivesTheSpecValues(restore: MeZO.Restore) throws {
        var opt = MeZO(lr: 0x1p-4, eps: 0x1p-10, restore: restore, direction: .ones)
        let (x, oracle) = try run(&opt, SpecQuadratic(), from: Self.x0)
        #expect(opt.lastProjectedGradient == 2.25)
        #expect(x == [0.359375, -0.390625, 0.859375])
        #expect(oracle.counts.function == 2 && oracle.counts.gradient == 0)
    }

    @Test func rademacherDirectionGivesTheDirectionalDerivative() throws {
        // The first seed whose Rademacher direction starts (1, −1, 1).
        let seed = try #require((0..<256).first { s in
            let d = SeedReplayDirections(seed: UInt64(s), distribution: .rademacher)
            return (0..<3).map { d.element($0, step: 0) } == [1, -1, 1]
        })
        var opt = MeZO(lr: 0x1p-4, eps: 0x1p-10, direction: .rademacher, seed: UInt64(seed))
        let (x, _) = try run(&opt, SpecQuadratic(), from: Self.x0)
        #expect(opt.lastProjectedGradient == 8.75)
        #expect(x == [0.5 - 8.75 / 16, -0.25 + 8.75 / 16, 1.0 - 8.75 / 16])
    }

    /// §11.3.5: θ' = θ − η·(c·z + λθ), c = zᵀ∇f to rounding; bias blocks are not decayed.
    @Test func gaussianStepMatchesTheClosedFormWithDecayExclusion() throws {
        let layout = ParameterLayout([("weight", [2]), ("bias", [1])])
        let (lr, wd, eps) = (0.01, 0.5, 1e-4)
        var opt = MeZO(lr: lr, eps: eps, weightDecay: wd, seed: 42)
        let (x, _) = try run(&opt, SpecQuadratic(layout: layout), from: Self.x0)
        let d = SeedReplayDirections(seed: 42)
        let z = (0..<3).map { d.element($0, step: 0) }
        let directional = zip(z, Self.gradient).reduce(0) { $0 + $1.0 * $1.1 }
        let c = opt.lastProjectedGradient
        #expect(abs(c - directional) <= 1e-9 * abs(directional))
        let expected = (0..<3).map { i in Self.x0[i] - lr * (c * z[i] + (i < 2 ? wd : 0) * Self.x0[i]) }
        #expect(x == expected)
        #expect(SPSAUpdateRule.decays("layer1.weight") && !SPSAUpdateRule.decays("layer1.bias")
                && !SPSAUpdateRule.decays("encoder.layer_norm.weight") && !SPSAUpdateRule.decays("h.0.ln"))
    }

    // MARK: §6.7 and §11.3.3: the generator

    @Test func philoxKnownAnswers() {
        let kat: [(key: (UInt32, UInt32), counter: (UInt32, UInt32, UInt32, UInt32), out: [UInt32])] = [
            ((0, 0), (0, 0, 0, 0), [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]),
            ((0xffff_ffff, 0xffff_ffff), (0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff),
             [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]),
            ((0xa409_3822, 0x299f_31d0), (0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344),
             [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]),
        ]
        for v in kat {
            let w = Philox4x32(key: v.key).block(v.counter)
            #expect([w.0, w.1, w.2, w.3] == v.out)
        }
    }

    @Test func gaussianDirectionsMatchTheSpecVectors() {
        let expected: [UInt64: [Double]] = [
            0: [0.99113767909666, -0.924662588243695, -0.617608959652595, -0.482068586911155,
                -0.153638229838873, 0.180825897507258, 0.831735104484216, 0.197439719171996],
            42: [-0.970189789689621, 0.194018956031924, -1.23562074153505, 1.92392675007241,
                 -0.0731815079947883, 0.139137495693442, -1.10666503063864, 0.326682960602951],
        ]
        for (seed, values) in expected {
            let d = SeedReplayDirections(seed: seed)
            for (i, v) in values.enumerated() {
                #expect(abs(d.element(i, step: 0) - v) <= 1e-14 * abs(v) + 1e-15, "seed \(seed) element \(i)")
            }
        }
    }

    /// Z for the whole vector equals the concatenation of blocks of any sizes,
    /// generated in any order on any thread — for every distribution and for the rounding uniforms.
    @Test(arguments: SeedReplayDirections.Distribution.allCases)
    func replayIsIndependentOfBlockPartitionAndThreadOrder(distribution: SeedReplayDirections.Distribution) {
        let n = 1003, step = 7
        let d = SeedReplayDirections(seed: 0xC0FFEE, distribution: distribution)
        var whole = [Double](repeating: 0, count: n), wholeU = whole
        whole.withUnsafeMutableBufferPointer { d.fill($0, first: 0, step: step) }
        wholeU.withUnsafeMutableBufferPointer { d.fillRoundingUniforms($0, first: 0, step: step) }
        // Ragged blocks (sizes 1…13, none aligned to 4), filled in reverse order on concurrent threads.
        var cuts = [0]
        var size = 1
        while cuts.last! < n { cuts.append(min(n, cuts.last! + size)); size = size % 13 + 1 }
        let blocks = zip(cuts, cuts.dropFirst()).map { $0..<$1 }.reversed().map { $0 }
        let pieces = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * n)
        defer { pieces.deallocate() }
        let base = UncheckedPointer(pieces.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: blocks.count) { k in
            let r = blocks[k]
            d.fill(UnsafeMutableBufferPointer(start: base.pointer + r.lowerBound, count: r.count), first: r.lowerBound, step: step)
            d.fillRoundingUniforms(UnsafeMutableBufferPointer(start: base.pointer + n + r.lowerBound, count: r.count),
                                   first: r.lowerBound, step: step)
        }
        #expect(Array(pieces[0..<n]).map(\.bitPattern) == whole.map(\.bitPattern))
        #expect(Array(pieces[n..<(2 * n)]).map(\.bitPattern) == wholeU.map(\.bitPattern))
        // Different steps give different directions (except the constant one).
        var other = [Double](repeating: 0, count: n)
        other.withUnsafeMutableBufferPointer { d.fill($0, first: 0, step: step + 1) }
        #expect((other == whole) == (distribution == .ones))
    }

    // MARK: §11.3.4: restoration

    static func randomPoint(_ n: Int, scale: Double, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in scale * rng.gaussian() }
    }

    @Test(arguments: [1e-2, 1.0])
    func exactRestorationIsBitwise(scale: Double) throws {
        var theta = Self.randomPoint(2000, scale: scale, seed: 3)
        theta[0] = 0
        theta[1] = 1e-300
        var opt = MeZO(lr: 0, eps: 1e-3, restore: .exact)
        let (x, _) = try run(&opt, CosineSum(theta), from: theta, steps: 3)
        #expect(x.map(\.bitPattern) == theta.map(\.bitPattern))
    }

    @Test(arguments: [1e-2, 1.0])
    func inPlaceRestorationStaysWithinThreeUlps(scale: Double) throws {
        let theta = Self.randomPoint(2000, scale: scale, seed: 4)
        let eps = 1e-3
        var opt = MeZO(lr: 0, eps: eps, restore: .inplace, seed: 9)
        let (x, _) = try run(&opt, CosineSum(theta), from: theta)
        let d = SeedReplayDirections(seed: 9)
        var moved = 0
        for i in theta.indices {
            let bound = 3 * max(abs(theta[i]), 2 * abs(eps * d.element(i, step: 0))).ulp
            #expect(abs(x[i] - theta[i]) <= bound, "coordinate \(i)")
            if x[i] != theta[i] { moved += 1 }
        }
        // Not exact: a sizeable share of coordinates move (spec: 25–50 %).
        #expect(moved > theta.count / 10 && moved < theta.count * 7 / 10, "\(moved) moved")
    }

    // MARK: paths agree; NaN; storage

    /// On a block-sequential objective, exact MeZO works block by block with
    /// one block of scratch; on the same function seen as opaque it uses a
    /// full work vector. The trajectories agree bitwise.
    @Test func blockwiseAndOpaquePathsGiveTheSameTrajectory() throws {
        let (layered, _) = try ProblemCatalog.shared.make("mlp(hidden=8,batch=32)", seed: 2)
        let (plain, _) = try ProblemCatalog.shared.make("mlp(hidden=8,batch=32)", seed: 2)
        var a = MeZO(lr: 1e-2, eps: 1e-3, weightDecay: 1e-2, seed: 5)
        var b = a
        let (xa, oa) = try run(&a, layered, from: layered.initialPoint, steps: 4)
        let (xb, ob) = try run(&b, OpaqueView(plain), from: plain.initialPoint, steps: 4)
        #expect(xa.map(\.bitPattern) == xb.map(\.bitPattern))
        #expect(a.lastLosses.plus.bitPattern == b.lastLosses.plus.bitPattern)
        #expect(oa.counts.function == 8 && ob.counts.function == 8)
        #expect(xa != layered.initialPoint)
    }

    @Test(arguments: MeZO.Restore.allCases)
    func nonFiniteLossSkipsTheUpdateAndCountsBothQueries(restore: MeZO.Restore) throws {
        let theta = Self.randomPoint(50, scale: 1, seed: 1)
        let objective = CosineSum(theta)
        objective.poisoned = true
        var opt = MeZO(lr: 0.1, eps: 1e-3, restore: restore, seed: 1)
        var oracle = Oracle(objective)
        var x = theta
        try opt.prepare(RunContext(layout: objective.layout))
        try opt.step(&x, oracle: &oracle)
        #expect(oracle.counts.function == 2 && opt.skippedSteps == 1)
        #expect(opt.lastEvent == "skipped:nonfinite_loss" && opt.lastProjectedGradient.isNaN)
        if restore == .exact { #expect(x.map(\.bitPattern) == theta.map(\.bitPattern)) }
        objective.poisoned = false
        try opt.step(&x, oracle: &oracle)
        #expect(oracle.counts.function == 4 && opt.skippedSteps == 1 && opt.lastEvent == nil)
        #expect(opt.stepCount == 2 && x != theta)
    }

    /// Common random numbers: on f = Σ cos at θ = 0 with z = 1, ℓ⁺ = ℓ⁻ exactly
    /// when both queries share the noise draw, so c = 0 although σ = 10 %.
    @Test(arguments: MeZO.Restore.allCases)
    func bothQueriesShareTheNoiseDraw(restore: MeZO.Restore) throws {
        var opt = MeZO(lr: 0.1, eps: 0x1p-4, restore: restore, direction: .ones)
        let (x, oracle) = try run(&opt, NoisyCosineSum([0, 0, 0, 0], noise: 0.1), from: [0, 0, 0, 0], steps: 3)
        #expect(opt.lastProjectedGradient == 0 && x == [0, 0, 0, 0])
        #expect(opt.lastLosses.plus != 4 && !oracle.holdsNoise)
    }

    @Test func lowPrecisionStorageKeepsThetaOnItsGrid() throws {
        let (p, _) = try ProblemCatalog.shared.make("mlp(hidden=8,batch=32)", seed: 2)
        var f32 = MeZO(lr: 1e-2, eps: 1e-3, storage: .float32)
        let (x, _) = try run(&f32, p, from: p.initialPoint, steps: 2)
        #expect(x.allSatisfy { Double(Float($0)) == $0 })
        var bf = MeZO(lr: 1e-2, eps: 1e-3, storage: .bf16)
        let (y, _) = try run(&bf, p, from: p.initialPoint, steps: 2)
        #expect(y.allSatisfy { Float($0).bitPattern & 0xFFFF == 0 && Double(Float($0)) == $0 })
        var bad = MeZO(restore: .inplace, storage: .float32)
        #expect(throws: SpecError.self) { try bad.prepare(RunContext(layout: .flat(3))) }
    }

    @Test func catalogBuildsMezoWithTheSpecDefaults() throws {
        let (opt, spec) = try OptimizerCatalog.shared.make("mezo")
        let m = try #require(opt as? MeZO)
        #expect(m.lr == 1e-6 && m.eps == 1e-3 && m.weightDecay == 0 && m.restore == .exact && m.storage == .float64)
        #expect(spec.canonical == "mezo")
        #expect(throws: SpecError.self) { _ = try OptimizerCatalog.shared.make("mezo(restore=copy)") }
    }
}

/// Lets a raw pointer cross into a `@Sendable` closure (disjoint writes only).
struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(_ p: UnsafeMutablePointer<Double>) { pointer = p }
}
