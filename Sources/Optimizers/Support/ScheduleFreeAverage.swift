import RealModule

/// The bookkeeping shared by ``ScheduleFreeAdamW`` and ``ScheduleFreeSGD``
/// (facebookresearch/schedule_free, the `AdamWScheduleFree` /
/// `SGDScheduleFree` classes): the warm-up of the step size and the weight
/// c_{k+1} of the newest z in the running average x.
///
/// For the (k+1)-th step, k = 0, 1, …:
///
///     η_k   = lr · (k < warmup_steps ? (k+1)/warmup_steps : 1)
///     η_max = max(η_max, η_k)                     (starts at −1, as the reference)
///     w_k   = (k+1)^r · η_max^weight_lr_power;  W += w_k;  c = w_k / W (0 if W = 0)
struct ScheduleFreeAverage: Sendable {
    let warmupSteps: Int
    let r: Double
    let weightLrPower: Double
    /// Steps taken (the reference's k after the step).
    private(set) var steps = 0
    private(set) var lrMax = -1.0
    private(set) var weightSum = 0.0

    init(warmupSteps: Int, r: Double, weightLrPower: Double) {
        self.warmupSteps = warmupSteps
        self.r = r
        self.weightLrPower = weightLrPower
    }

    /// Back to before the first step (a new parameter vector), same keys.
    mutating func restart() {
        (steps, lrMax, weightSum) = (0, -1, 0)
    }

    /// Advances to the next step: its warmed-up step size and c_{k+1}.
    mutating func next(lr: Double) -> (lr: Double, ckp1: Double) {
        let k = steps
        let sched = k < warmupSteps ? Double(k + 1) / Double(warmupSteps) : 1
        let eta = lr * sched
        lrMax = Swift.max(eta, lrMax)
        let weight = Double.pow(Double(k + 1), r) * Double.pow(lrMax, weightLrPower)
        weightSum = weightSum + weight
        steps = k + 1
        return (eta, weightSum == 0 ? 0 : weight / weightSum)
    }
}

/// torch's `lerp(a, b, w)` for any real w: a + w(b − a) when |w| < ½, else
/// b − (b − a)(1 − w) (ATen's `is_lerp_weight_small` tests |w|). Needed for
/// the negative weight 1 − 1/β of the evaluation point.
@inline(__always)
func torchLerpAnyWeight(_ a: Double, _ b: Double, _ w: Double) -> Double {
    Swift.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
}

/// x = lerp(y, z, 1 − 1/β): the reference's `eval()` (β = beta1 or
/// momentum), computed into `point` without touching y.
func scheduleFreeEvaluationPoint(y: [Double], z: [Double], beta: Double, into point: inout [Double]) -> Bool {
    guard z.count == y.count, !y.isEmpty else { return false }
    if point.count != y.count { point = [Double](repeating: 0, count: y.count) }
    let w = 1 - 1 / beta
    y.withUnsafeBufferPointer { yp in
        z.withUnsafeBufferPointer { zp in
            point.withUnsafeMutableBufferPointer { xp in
                for i in 0..<yp.count { xp[i] = torchLerpAnyWeight(yp[i], zp[i], w) }
            }
        }
    }
    return true
}
