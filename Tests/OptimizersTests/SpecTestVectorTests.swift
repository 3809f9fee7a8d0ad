import OptimizationCore
import Optimizers
import Testing

/// The deterministic test vectors of specs/first-order.md §10, each to 1e-10
/// relative (the spec prints 12 significant digits).
struct SpecTestVectorTests {
    /// §10 open-loop input: θ₀ and three gradients that do not depend on θ.
    static let theta0 = [1.0, -2.0, 0.5]
    static let gradients = [[0.5, -1.0, 0.2], [0.3, 0.4, -0.1], [-0.2, 0.6, 0.0]]
    /// §10.7 matrix input (2×2, rows = channels).
    static let w0 = [1.0, 0.0, 0.0, 1.0]
    static let matrixGradients = [[0.0, 0.5, -0.3, 0.0], [0.4, 0.1, 0.1, 0.3], [0.2, 0.05, 0.05, -0.2]]
    static let matrixLayout = ParameterLayout([("W", [2, 2])])

    /// Runs the open-loop input and checks every step against `expected`.
    func check<O: GradientOptimizer>(_ optimizer: O, _ expected: [[Double]], x0: [Double] = theta0,
                                     gradients: [[Double]] = gradients, layout: ParameterLayout? = nil,
                                     sourceLocation: SourceLocation = #_sourceLocation) {
        var opt = optimizer
        var x = x0
        for (step, g) in gradients.enumerated() {
            opt.update(&x, gradient: g, layout: layout)
            let error = maxRelativeDifference(x, expected[step])
            #expect(error <= 1e-10, "step \(step + 1): \(x) vs \(expected[step])", sourceLocation: sourceLocation)
        }
    }

    @Test func epsPlacementDiscriminator() {  // §10.1: E-out, as torch
        check(Adam(), [[-9.09090909091e-05], [-0.000181818181818], [-0.000272727272727]],
              x0: [0], gradients: [[1e-9], [1e-9], [1e-9]])
    }

    @Test func adamAndAdamW() {  // §10.2
        check(Adam(), [[0.99900000002, -1.99900000001, 0.49900000005],
                       [0.998042509867, -1.99865439417, 0.498733663027],
                       [0.997549888528, -1.99873217136, 0.49852778374]])
        check(Adam(weightDecay: 1e-2), [[0.99900000002, -1.99900000001, 0.499000000049],
                                        [0.998040844736, -1.99863204574, 0.498705150718],
                                        [0.997528371672, -1.99868171226, 0.498463177739]])
        check(AdamW(), [[0.99899000002, -1.99898000001, 0.49899500005],
                        [0.998022519967, -1.99861440437, 0.498723673077],
                        [0.997519918402, -1.99867219542, 0.498512806553]])
    }

    @Test func adan() {  // §10.3 (official code)
        check(Adan(), [[0.99900000002, -1.99900000001, 0.49900000005],
                       [0.998162837337, -1.99927206932, 0.49931590039],
                       [0.998229438781, -1.99968673382, 0.499421474648]])
        check(Adan(weightDecay: 0.02), [[0.99898002042, -1.99896002081, 0.49899002025],
                                        [0.998122895278, -1.99919210628, 0.499295934671],
                                        [0.998169533332, -1.99956677944, 0.499391521098]])
    }

    @Test func adanInternalState() {  // §10.3 m, d, n for λ = 0
        let expected: [(m: [Double], d: [Double], n: [Double])] = [
            ([0.01, -0.02, 0.004], [0, 0, 0], [0.0025, 0.01, 0.0004]),
            ([0.0158, -0.0116, 0.00192], [-0.016, 0.112, -0.024], [0.00260956, 0.03839344, 0.00180976]),
            ([0.011484, 0.000632, 0.0018816], [-0.05472, 0.11904, -0.01408], [0.0069394644, 0.0441560656, 0.0018763024]),
        ]
        var opt = Adan()
        var x = Self.theta0
        for (k, g) in Self.gradients.enumerated() {
            opt.update(&x, gradient: g)
            #expect(maxRelativeDifference(opt.m, expected[k].m) <= 1e-10)
            #expect(maxRelativeDifference(opt.d, expected[k].d) <= 1e-10)
            #expect(maxRelativeDifference(opt.n, expected[k].n) <= 1e-10)
        }
    }

    @Test func lion() {  // §10.4
        check(Lion(), [[0.9999, -1.9999, 0.4999], [0.9998, -2.0, 0.5], [0.9999, -2.0001, 0.4999]])
        check(Lion(weightDecay: 1.0), [[0.9998, -1.9997, 0.49985],
                                       [0.99960002, -1.99960003, 0.499900015],
                                       [0.999600059998, -1.99950007, 0.499750024999]])
        check(CautiousLion(), [[0.999925, -1.999925, 0.499925], [0.99985, -2.0, 0.5], [0.99995, -2.0001, 0.5]])
    }

    @Test func grams() {  // §10.5 (official: E-hat, ε = 1e-6)
        check(Grams(), [[0.999000063242, -1.99900003162, 0.499000158089],
                        [0.998042625009, -1.99934562732, 0.499266457453],
                        [0.998535221073, -1.99942340252, 0.499266457453]])
        check(Grams(weightDecay: 0.1), [[0.998900063242, -1.99880003162, 0.498950158089],
                                        [0.997842735003, -1.99894574732, 0.499166562437],
                                        [0.998235546793, -1.99882362794, 0.499116645781]])
    }

    @Test func exadam() {  // §10.6 (code HEAD / paper v2)
        check(EXAdam(), [[0.984047806733, -1.9840475788, 0.484049401439],
                         [0.976938053539, -1.98764038713, 0.488597790117],
                         [0.979340011318, -1.99248344864, 0.488285133152]])
        check(EXAdam(weightDecay: 1e-4), [[0.984047706733, -1.9840473788, 0.484049351439],
                                          [0.976937855134, -1.98763998872, 0.488597691712],
                                          [0.97933971522, -1.99248285147, 0.488284985887]])
    }

    @Test func adamp() {  // §10.7: channel, then none, then layer
        let l = Self.matrixLayout, g = Self.matrixGradients
        check(AdamP(), [[1, -0.00099999998, 0.000999999966667, 1],
                        [0.999255863203, -0.00180304093615, 0.00140021852072, 0.999255863212],
                        [0.998917016294, -0.00248406007507, 0.00160657349961, 0.99959319213]],
              x0: Self.w0, gradients: g, layout: l)
        check(AdamP(weightDecay: 1e-2), [[0.999999, -0.00099999998, 0.000999999966667, 0.999999],
                                         [0.999244863213, -0.00180303093615, 0.00140020852072, 0.999244863222],
                                         [0.998905017055, -0.00248404827658, 0.00160656210189, 0.999581192891]],
              x0: Self.w0, gradients: g, layout: l)
        check(AdamP(weightDecay: 1e-2, nesterov: true),
              [[0.999999, -0.001899999962, 0.00189999993667, 0.999999],
               [0.998575140095, -0.00276872526911, 0.00202475495646, 0.998575140112],
               [0.99794870191, -0.00344434810663, 0.00211080374042, 0.999197533365]],
              x0: Self.w0, gradients: g, layout: l)
    }

    @Test func adampTakesTheSpecBranches() {
        var opt = AdamP()
        var w = Self.w0
        var branches: [String] = []
        for g in Self.matrixGradients {
            opt.update(&w, gradient: g, layout: Self.matrixLayout)
            branches += opt.lastBranches
        }
        #expect(branches == ["channel", "none", "layer"])
    }

    @Test func adampOnOneDimensionalBlockIsAdamW() {  // §10.7: no projection on 1-D blocks
        var p = AdamP(weightDecay: 1e-2), w = AdamW(weightDecay: 1e-2)
        var (x, y) = (Self.theta0, Self.theta0)
        for g in Self.gradients {
            p.update(&x, gradient: g)
            w.update(&y, gradient: g)
            #expect(maxRelativeDifference(x, y) <= 1e-15)
        }
    }

    @Test func sgdp() {  // §10.7 SGDP (η = 0.1, μ = 0.9)
        let l = Self.matrixLayout, g = Self.matrixGradients
        check(SGDP(lr: 0.1), [[1, -0.05, 0.03, 1], [0.96, -0.105, 0.047, 0.97],
                              [0.931812932558, -0.162542039498, 0.0586616748231, 0.991102650605]],
              x0: Self.w0, gradients: g, layout: l)
        check(SGDP(lr: 0.1, weightDecay: 1e-2, nesterov: true),
              [[0.999, -0.095, 0.057, 0.999], [0.91301, -0.15355, 0.06173, 0.93201],
               [0.864365964347, -0.211258917564, 0.0674709539645, 0.967918712206]],
              x0: Self.w0, gradients: g, layout: l)
    }

    @Test func cautiousAdamW() {  // §10.8, normalisation (a), official ε = 1e-6 and λ = 0
        check(CautiousAdamW(eps: 1e-6, weightDecay: 0),
              [[0.999000063242, -1.99900003162, 0.499000158089],
               [0.996127748544, -1.99900003162, 0.499000158089],
               [0.996127748544, -1.99923335722, 0.499000158089]])
    }

    @Test func sgd() {  // §10.9 (η = 0.1, μ = 0.9)
        check(SGD(lr: 0.1, momentum: 0.9), [[0.95, -1.9, 0.48], [0.875, -1.85, 0.472], [0.8275, -1.865, 0.4648]])
        check(SGD(lr: 0.1, momentum: 0.9, nesterov: true),
              [[0.905, -1.81, 0.462], [0.8075, -1.805, 0.4648], [0.78475, -1.8785, 0.45832]])
        check(SGD(lr: 0.1, momentum: 0.9, weightDecay: 1e-2),
              [[0.949, -1.898, 0.4795], [0.872151, -1.844302, 0.4705705],
               [0.822114749, -1.854129498, 0.4620633795]])
    }
}
