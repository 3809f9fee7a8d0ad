import Foundation

/// One problem of COCO's noiseless bbob suite: function f ∈ 1…24, instance,
/// dimension d ≥ 2 — COCO's `bbob_fFFF_iII_dDD` as coco-experiment 2.8.2
/// builds it (`coco_get_bbob_problem` in `suite_bbob.c`).
///
/// The instance fixes everything random: with rseed = f + 10⁴·instance (3 + …
/// for f4, 17 + … for f18) COCO draws x_opt (`BBOBLegacy.optimum`), the
/// rotations R = rotation(rseed + 10⁶) and Q = rotation(rseed), and f_opt
/// from the function number and the instance. The functions themselves are
/// grouped as COCO groups them: separable (f1–f5, `BBOBSeparable.swift`), low
/// or moderate conditioning (f6–f9), high conditioning and unimodal
/// (f10–f14), multimodal with adequate global structure (f15–f19) and
/// multimodal with weak global structure (f20–f24).
///
/// `value(_:)` is not thread-safe (it reuses scratch buffers); the harness
/// makes one instance per run.
public final class BBOBFunction {
    public let function: Int
    public let instance: Int
    public let dimension: Int
    /// f_opt from the legacy generator.
    public let optimalOffset: Double
    /// COCO's `best_value`: f_opt plus the raw function at COCO's recorded
    /// optimum (exactly f_opt except for f16, f20, f21, f22, f24, where the
    /// raw value there is rounding noise, and f20, where it is ≈ 1e−11).
    public internal(set) var bestValue: Double = 0
    /// COCO's `best_parameter` (x*), as `cocoex` reports it.
    public internal(set) var bestParameter: [Double] = []

    // Instance data (row-major d×d matrices); which ones are set depends on f.
    var shift: [Double] = []          // the x_opt the transformations subtract
    var r: [Double] = []              // rotation(rseed + 10⁶)
    var q: [Double] = []              // rotation(rseed)
    var m: [Double] = []              // a combined matrix (R Λ Q, scaled R, ...)
    var coefficients: [Double] = []   // per-coordinate constants
    var signs: [Double] = []          // per-coordinate signs / flags
    // Gallagher (f21, f22).
    var peakCount = 0
    var peakValues: [Double] = []
    var peakScales: [Double] = []     // peaks × d
    var peakCentres: [Double] = []    // d × peaks (rotated local optima)
    // Scratch.
    var work1: [Double] = []
    var work2: [Double] = []
    var work3: [Double] = []

    /// COCO defines the suite for d ≥ 2 (its buffers allow d ≤ 44; the suite lists 2…40).
    public static let dimensions = 2...40
    public static let functions = 1...24

    public init(function: Int, instance: Int, dimension: Int) {
        precondition(Self.functions.contains(function), "bbob function must be in 1…24")
        precondition(Self.dimensions.contains(dimension), "bbob dimension must be in 2…40")
        precondition(instance >= 1, "bbob instance must be ≥ 1")
        self.function = function
        self.instance = instance
        self.dimension = dimension
        optimalOffset = BBOBLegacy.optimalValue(function: function, instance: instance)
        work1 = [Double](repeating: 0, count: dimension)
        work2 = work1
        work3 = work1
        let seed = (function == 4 ? 3 : function == 18 ? 17 : function) + 10000 * instance
        bestValue = optimalOffset
        switch function {
        case 1...5: prepareSeparable(seed: seed)
        case 6...9: prepareModerate(seed: seed)
        case 10...14: prepareIllConditioned(seed: seed)
        case 15...19: prepareMultimodal(seed: seed)
        default: prepareWeaklyStructured(seed: seed)
        }
    }

    /// The COCO problem id, e.g. `bbob_f001_i01_d02`.
    public var cocoID: String {
        "bbob_f" + pad(function, 3) + "_i" + pad(instance, 2) + "_d" + pad(dimension, 2)
    }

    private func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// COCO's five function groups (cocopp's names), the group of f.
    public static func group(of function: Int) -> String {
        switch function {
        case 1...5: return "separ"
        case 6...9: return "lcond"
        case 10...14: return "hcond"
        case 15...19: return "multi"
        default: return "mult2"
        }
    }

    /// f(x), NaN when any coordinate is NaN (as COCO).
    public func value(_ x: [Double]) -> Double {
        precondition(x.count == dimension, "bbob: x has \(x.count) elements, the problem has dimension \(dimension)")
        if x.contains(where: \.isNaN) { return .nan }
        return x.withUnsafeBufferPointer { xb in
            switch function {
            case 1...5: return separableValue(xb)
            case 6...9: return moderateValue(xb)
            case 10...14: return illConditionedValue(xb)
            case 15...19: return multimodalValue(xb)
            default: return weaklyStructuredValue(xb)
            }
        }
    }

    /// Runs `body` with the scratch buffers.
    @inline(__always)
    func withScratch<R>(_ body: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                                 UnsafeMutableBufferPointer<Double>) -> R) -> R {
        work1.withUnsafeMutableBufferPointer { a in
            work2.withUnsafeMutableBufferPointer { b in
                work3.withUnsafeMutableBufferPointer { c in body(a, b, c) }
            }
        }
    }

    /// Exponent i/(d − 1) as COCO writes it.
    @inline(__always)
    func fraction(_ i: Int) -> Double { Double(i) / (Double(dimension) - 1.0) }
}
