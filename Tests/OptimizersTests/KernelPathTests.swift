import Optimizers
import Testing

/// Every instruction-set path of the C kernels (baseline SSE2, AVX2,
/// AVX-512F — those this CPU has) against the plain Swift loops of
/// KernelPathLoops.swift: the parameters must agree BIT FOR BIT after every
/// step, on 1 and 2 threads. Serialized because it switches the process-wide
/// path (other suites running meanwhile are unaffected: every path gives the
/// same bits, which is what this suite checks).
@Suite(.serialized)
struct KernelPathTests {
    struct Case: CustomStringConvertible, Sendable {
        let description: String
        let fast: @Sendable () -> any GradientOptimizer
        let plain: @Sendable () -> any PlainLoop
    }

    static let cases: [Case] = [
        Case(description: "adam", fast: { Adam() }, plain: { PlainAdam() }),
        Case(description: "adam(beta1=0.3,lr=0.01)", fast: { Adam(lr: 0.01, beta1: 0.3) },   // lerp's other branch
             plain: { PlainAdam(lr: 0.01, beta1: 0.3) }),
        Case(description: "adam(amsgrad,wd=0.01)", fast: { Adam(weightDecay: 0.01, amsgrad: true) },
             plain: { PlainAdam(weightDecay: 0.01, amsgrad: true) }),
        Case(description: "adamw", fast: { AdamW() }, plain: { PlainAdam(weightDecay: 1e-2, decoupled: true) }),
        Case(description: "adamw(amsgrad,lr=0.01,wd=0.1)", fast: { AdamW(lr: 0.01, weightDecay: 0.1, amsgrad: true) },
             plain: { PlainAdam(lr: 0.01, weightDecay: 0.1, amsgrad: true, decoupled: true) }),
        Case(description: "sgd(lr=0.01)", fast: { SGD(lr: 0.01) }, plain: { PlainSGD(lr: 0.01) }),
        Case(description: "sgd(lr=0.01,wd=0.1)", fast: { SGD(lr: 0.01, weightDecay: 0.1) },
             plain: { PlainSGD(lr: 0.01, weightDecay: 0.1) }),
        Case(description: "sgd(mom=0.9)", fast: { SGD(lr: 0.01, momentum: 0.9) }, plain: { PlainSGD(lr: 0.01, momentum: 0.9) }),
        Case(description: "sgd(mom=0.9,nesterov,wd=0.01)", fast: { SGD(lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.01) },
             plain: { PlainSGD(lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.01) }),
        Case(description: "lion", fast: { Lion() }, plain: { PlainLion() }),
        Case(description: "lion(wd=0.1)", fast: { Lion(lr: 1e-3, weightDecay: 0.1) }, plain: { PlainLion(lr: 1e-3, weightDecay: 0.1) }),
        Case(description: "grams", fast: { Grams() }, plain: { PlainGrams() }),
        Case(description: "grams(wd=0.1)", fast: { Grams(lr: 0.01, weightDecay: 0.1) }, plain: { PlainGrams(lr: 0.01, weightDecay: 0.1) }),
        Case(description: "adan", fast: { Adan() }, plain: { PlainAdan() }),
        Case(description: "adan(wd=0.02,clip=3)", fast: { Adan(lr: 0.01, weightDecay: 0.02, maxGradNorm: 3) },
             plain: { PlainAdan(lr: 0.01, weightDecay: 0.02, maxGradNorm: 3) }),
        Case(description: "exadam", fast: { EXAdam() }, plain: { PlainEXAdam() }),
        Case(description: "exadam(wd=0.01)", fast: { EXAdam(lr: 0.005, weightDecay: 0.01) },
             plain: { PlainEXAdam(lr: 0.005, weightDecay: 0.01) }),
        Case(description: "adamp(flat)", fast: { AdamP() }, plain: { PlainAdamPFlat() }),
        Case(description: "adamp(flat,wd=0.01,nesterov)", fast: { AdamP(lr: 0.01, weightDecay: 0.01, nesterov: true) },
             plain: { PlainAdamPFlat(lr: 0.01, weightDecay: 0.01, nesterov: true) }),
        Case(description: "sgdp(flat)", fast: { SGDP(lr: 1e-3) }, plain: { PlainSGDPFlat() }),
        Case(description: "sgdp(flat,wd=0.01,nesterov)", fast: { SGDP(lr: 1e-3, weightDecay: 0.01, nesterov: true) },
             plain: { PlainSGDPFlat(weightDecay: 0.01, nesterov: true) }),
        Case(description: "cadamw", fast: { CautiousAdamW() }, plain: { PlainCautiousAdamW() }),
        Case(description: "cadamw(wd=0)", fast: { CautiousAdamW(lr: 0.01, weightDecay: 0) },
             plain: { PlainCautiousAdamW(lr: 0.01, weightDecay: 0) }),
        Case(description: "clion", fast: { CautiousLion() }, plain: { PlainCautiousLion() }),
        Case(description: "clion(wd=0.1)", fast: { CautiousLion(lr: 1e-3, weightDecay: 0.1) },
             plain: { PlainCautiousLion(lr: 1e-3, weightDecay: 0.1) }),
    ]

    /// Gradients with every sign and zeros (sign(0) = 0 in Lion and Grams), of
    /// magnitudes 1e-6…1e3, deterministic.
    static func gradient(_ n: Int, step: Int) -> [Double] {
        var state = UInt64(0x9E37_79B9_7F4A_7C15) &* UInt64(step + 1)
        return (0..<n).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) * 0x1p-53 - 0.5
            if (state >> 7) % 17 == 0 { return 0 }
            let scale = [1e-6, 1e-2, 1, 1e3][Int((state >> 3) % 4)]
            return u * scale + (i % 2 == 0 ? 1e-9 : 0)
        }
    }

    static func initial(_ n: Int) -> [Double] { (0..<n).map { Double($0 % 97) / 97 - 0.5 } }

    /// Runs `fast` on `path` and the plain loop side by side; the first step
    /// whose parameters differ in any bit, or nil.
    static func firstMismatch(_ c: Case, path: KernelPath, n: Int, steps: Int, threads: Int) -> Int? {
        #expect(KernelPath.select(path))
        var fast = c.fast()
        if var threaded = fast as? any ThreadedUpdate {
            threaded.threads = threads
            fast = threaded as! any GradientOptimizer
        }
        var plain = c.plain()
        var x = initial(n), y = x
        for step in 1...steps {
            let g = gradient(n, step: step)
            fast.update(&x, gradient: g, layout: nil)
            plain.step(&y, g)
            #expect(KernelPath.active == path)
            if x.map(\.bitPattern) != y.map(\.bitPattern) { return step }
        }
        #expect(x != initial(n), "\(c) did not move")
        return nil
    }

    @Test(arguments: cases)
    func everyPathMatchesThePlainLoopBitForBit(_ c: Case) {
        let before = KernelPath.active
        defer { KernelPath.select(before) }
        for path in KernelPath.available {
            // 1037: not a multiple of any vector width, so the loop tails run too.
            let step = Self.firstMismatch(c, path: path, n: 1037, steps: 25, threads: 1)
            #expect(step == nil, "\(c) on \(path): parameters differ from the plain loop at step \(step ?? 0)")
        }
    }

    /// Above ParallelLoop's 65,536-element threshold, so 2 threads really split the range.
    @Test(arguments: [cases[0], cases[2], cases[8], cases[14]])
    func twoThreadsMatchThePlainLoopOnEveryPath(_ c: Case) {
        let before = KernelPath.active
        defer { KernelPath.select(before) }
        for path in KernelPath.available {
            let step = Self.firstMismatch(c, path: path, n: 70_001, steps: 3, threads: 2)
            #expect(step == nil, "\(c) on \(path), 2 threads: parameters differ from the plain loop at step \(step ?? 0)")
        }
    }

    /// The per-block optimizers on a matrix block (their projection and mask
    /// paths, with per-row decisions: odd rows get a gradient along W, so both
    /// projected and unprojected rows occur) plus a 1-D rest: every path gives
    /// the baseline path's bits, on 1 and 2 threads (the sums run over fixed
    /// segments, so the thread count must not matter either). The plain-loop
    /// agreement of these paths is KernelAgreementTests' (1e-12).
    @Test(arguments: ["adamp", "adamp(nesterov=true,weight_decay=0.01)", "sgdp(lr=1e-3)",
                      "sgdp(lr=1e-3,nesterov=true,weight_decay=0.01)", "cadamw", "clion(weight_decay=0.1)"])
    func blockPathsGiveTheSameBitsOnEveryPath(_ spec: String) throws {
        let before = KernelPath.active
        defer { KernelPath.select(before) }
        let (rows, cols, rest) = (300, 250, 37)
        let layout = ParameterLayout([("W", [rows, cols]), ("rest", [rest])])
        let n = layout.dimension
        func run(_ path: KernelPath, threads: Int) throws -> [UInt64] {
            #expect(KernelPath.select(path))
            var opt = try #require(OptimizerCatalog.shared.make(spec).0 as? any GradientOptimizer)
            if var threaded = opt as? any ThreadedUpdate {
                threaded.threads = threads
                opt = threaded as! any GradientOptimizer
            }
            var x = Self.initial(n)
            for step in 1...4 {
                var g = Self.gradient(n, step: step)
                for i in 0..<(rows * cols) where (i / cols) % 2 == 1 { g[i] += 3 * x[i] }
                opt.update(&x, gradient: g, layout: layout)
            }
            #expect(x != Self.initial(n))
            return x.map(\.bitPattern)
        }
        let expected = try run(.baseline, threads: 1)
        for path in KernelPath.available {
            for threads in [1, 2] where path != .baseline || threads == 2 {
                #expect(try run(path, threads: threads) == expected, "\(spec) on \(path), \(threads) threads differs from baseline")
            }
        }
    }

    @Test func pathsAreReportedAndSelectable() {
        let before = KernelPath.active
        defer { KernelPath.select(before) }
        #expect(KernelPath.available.first == .baseline)
        #expect(KernelPath.environmentProblem == nil)   // the test run sets no OPTLAB_KERNEL
        for path in KernelPath.allCases {
            #expect(KernelPath.select(path) == path.isAvailable)
            if path.isAvailable { #expect(KernelPath.active == path) }
        }
    }
}
