import CKernels

/// The Swift face of the one-pass element loops of Adagrad, RMSprop,
/// Adadelta, Adamax, NAdam, RAdam, Schedule-Free AdamW/SGD, Rprop, ADOPT and
/// AdEMAMix, which live in CKernels (adaptive_kernel_bodies.h) like Adam's
/// and run on the instruction set of ``KernelPath/active``.
///
/// Each function runs its optimizer's loop on `range` of the arrays; the
/// caller computes the per-step scalars and splits the range across threads
/// (ParallelLoop). The C loops are the former Swift loops operation for
/// operation, so results are bit-identical on every path (KernelPathTests).
/// Arrays an update does not touch (RMSprop's momentum or average without
/// those options) are passed as nil, never as an alias of another buffer.
enum OnePassKernels {
    @inline(__always)
    static func adagrad(negClr: Double, l2: Double, eps: Double,
                        _ x: SharedPointer, _ g: SharedPointer, _ s: SharedPointer, _ range: Range<Int>) {
        var p = optlab_adagrad_params(neg_clr: negClr, l2: l2, eps: eps)
        optlab_adagrad(&p, x.base, g.base, s.base, range.lo, range.hi)
    }

    @inline(__always)
    static func rmsprop(alpha: Double, eps: Double, l2: Double, momentum: Double, negEta: Double,
                        hasMomentum: Bool, centered: Bool,
                        _ x: SharedPointer, _ g: SharedPointer, _ v: SharedPointer, _ b: SharedPointer,
                        _ average: SharedPointer, _ range: Range<Int>) {
        var p = optlab_rmsprop_params(alpha: alpha, eps: eps, l2: l2, momentum: momentum, neg_eta: negEta,
                                      has_momentum: hasMomentum ? 1 : 0, centered: centered ? 1 : 0)
        optlab_rmsprop(&p, x.base, g.base, v.base, hasMomentum ? b.base : nil, centered ? average.base : nil,
                       range.lo, range.hi)
    }

    @inline(__always)
    static func adadelta(rho: Double, c: Double, eps: Double, l2: Double, negEta: Double,
                         _ x: SharedPointer, _ g: SharedPointer, _ v: SharedPointer, _ u: SharedPointer,
                         _ range: Range<Int>) {
        var p = optlab_adadelta_params(rho: rho, c: c, eps: eps, l2: l2, neg_eta: negEta)
        optlab_adadelta(&p, x.base, g.base, v.base, u.base, range.lo, range.hi)
    }

    @inline(__always)
    static func adamax(negClr: Double, w1: Double, beta2: Double, eps: Double, l2: Double,
                       _ x: SharedPointer, _ g: SharedPointer, _ m: SharedPointer, _ u: SharedPointer,
                       _ range: Range<Int>) {
        var p = optlab_adamax_params(neg_clr: negClr, w1: w1, beta2: beta2, eps: eps, l2: l2)
        optlab_adamax(&p, x.base, g.base, m.base, u.base, range.lo, range.hi)
    }

    @inline(__always)
    static func nadam(gradCoefficient: Double, momentumCoefficient: Double, invBc2: Double, w1: Double,
                      beta2: Double, c2: Double, eps: Double, l2: Double, decay: Double,
                      _ x: SharedPointer, _ g: SharedPointer, _ m: SharedPointer, _ v: SharedPointer,
                      _ range: Range<Int>) {
        var p = optlab_nadam_params(grad_coef: gradCoefficient, mom_coef: momentumCoefficient, inv_bc2: invBc2,
                                    w1: w1, beta2: beta2, c2: c2, eps: eps, l2: l2, decay: decay)
        optlab_nadam(&p, x.base, g.base, m.base, v.base, range.lo, range.hi)
    }

    @inline(__always)
    static func radam(stepFactor: Double, w1: Double, beta2: Double, c2: Double, eps: Double, l2: Double,
                      decay: Double, adaptive: Bool,
                      _ x: SharedPointer, _ g: SharedPointer, _ m: SharedPointer, _ v: SharedPointer,
                      _ range: Range<Int>) {
        var p = optlab_radam_params(step_factor: stepFactor, w1: w1, beta2: beta2, c2: c2, eps: eps, l2: l2,
                                    decay: decay, adaptive: adaptive ? 1 : 0)
        optlab_radam(&p, x.base, g.base, m.base, v.base, range.lo, range.hi)
    }

    @inline(__always)
    static func scheduleFreeAdamW(invBc2: Double, ckp1: Double, yStep: Double, negEta: Double, beta2: Double,
                                  c2: Double, eps: Double, lambda: Double,
                                  _ y: SharedPointer, _ g: SharedPointer, _ z: SharedPointer, _ v: SharedPointer,
                                  _ range: Range<Int>) {
        var p = optlab_sf_adamw_params(inv_bc2: invBc2, ckp1: ckp1, y_step: yStep, neg_eta: negEta, beta2: beta2,
                                       c2: c2, eps: eps, lambda: lambda)
        optlab_sf_adamw(&p, y.base, g.base, z.base, v.base, range.lo, range.hi)
    }

    @inline(__always)
    static func scheduleFreeSGD(ckp1: Double, yStep: Double, negEta: Double, lambda: Double,
                                _ y: SharedPointer, _ g: SharedPointer, _ z: SharedPointer, _ range: Range<Int>) {
        var p = optlab_sf_sgd_params(ckp1: ckp1, y_step: yStep, neg_eta: negEta, lambda: lambda)
        optlab_sf_sgd(&p, y.base, g.base, z.base, range.lo, range.hi)
    }

    @inline(__always)
    static func rprop(etaPlus: Double, etaMinus: Double, stepMin: Double, stepMax: Double,
                      _ x: SharedPointer, _ g: SharedPointer, _ previous: SharedPointer, _ s: SharedPointer,
                      _ range: Range<Int>) {
        var p = optlab_rprop_params(eta_plus: etaPlus, eta_minus: etaMinus, step_min: stepMin, step_max: stepMax)
        optlab_rprop(&p, x.base, g.base, previous.base, s.base, range.lo, range.hi)
    }

    @inline(__always)
    static func adopt(clip: Double, l2: Double, decay: Double, w1: Double, beta2: Double, c2: Double, eps: Double,
                      negEta: Double, first: Bool,
                      _ x: SharedPointer, _ g: SharedPointer, _ m: SharedPointer, _ v: SharedPointer,
                      _ range: Range<Int>) {
        var p = optlab_adopt_params(clip: clip, l2: l2, decay: decay, w1: w1, beta2: beta2, c2: c2, eps: eps,
                                    neg_eta: negEta, first: first ? 1 : 0)
        optlab_adopt(&p, x.base, g.base, m.base, v.base, range.lo, range.hi)
    }

    @inline(__always)
    static func ademamix(beta1: Double, c1: Double, beta3: Double, c3: Double, beta2: Double, c2: Double,
                         invBc1: Double, alpha: Double, invBc2Sqrt: Double, eps: Double, lambda: Double,
                         negEta: Double,
                         _ x: SharedPointer, _ g: SharedPointer, _ fast: SharedPointer, _ slow: SharedPointer,
                         _ v: SharedPointer, _ range: Range<Int>) {
        var p = optlab_ademamix_params(beta1: beta1, c1: c1, beta3: beta3, c3: c3, beta2: beta2, c2: c2,
                                       inv_bc1: invBc1, alpha: alpha, inv_bc2_sqrt: invBc2Sqrt, eps: eps,
                                       lambda: lambda, neg_eta: negEta)
        optlab_ademamix(&p, x.base, g.base, fast.base, slow.base, v.base, range.lo, range.hi)
    }
}
