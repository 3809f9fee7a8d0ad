// The element loops of the one-pass methods of issue 18 (Adagrad, RMSprop,
// Adadelta, Adamax, NAdam, RAdam, Schedule-Free AdamW and SGD, Rprop, ADOPT,
// AdEMAMix). Included by kernel_bodies.h, once per instruction set, with its
// macros (K, INLINE, lerp, signum, swift_max) and its pragmas in effect: no
// contraction, correctly rounded square roots. No include guard on purpose.
//
// Each loop is the Swift loop it replaced, operation for operation, so every
// path gives the Swift loop's bits (KernelPathTests holds them to copies of
// those loops, KernelPathLoops.swift). Where the Swift code branched on a
// per-step constant (weight decay present, lerp weight below ½, centred,
// momentum, ...), the flag is a constant argument of an always-inlined loop
// and the entry point picks one specialisation, so no loop carries a branch.

// Swift.min(a, b) is `b < a ? b : a` (NaN handling included).
INLINE double K(swift_min)(double a, double b) { return b < a ? b : a; }

// MARK: Adagrad

INLINE void K(adagrad_loop)(const optlab_adagrad_params *p, double *restrict x, const double *restrict g,
                            double *restrict s, int64_t lo, int64_t hi, const int hasL2) {
    const double negClr = p->neg_clr, l2 = p->l2, eps = p->eps;
    for (int64_t i = lo; i < hi; i++) {
        const double xi = x[i];
        const double gi = hasL2 ? g[i] + l2 * xi : g[i];
        const double si = s[i] + gi * gi;
        s[i] = si;
        x[i] = xi + negClr * gi / (__builtin_elementwise_sqrt(si) + eps);
    }
}

static void K(adagrad)(const optlab_adagrad_params *p, double *x, const double *g, double *s, int64_t lo, int64_t hi) {
    if (p->l2 != 0) K(adagrad_loop)(p, x, g, s, lo, hi, 1);
    else K(adagrad_loop)(p, x, g, s, lo, hi, 0);
}

// MARK: RMSprop

INLINE void K(rmsprop_loop)(const optlab_rmsprop_params *p, double *restrict x, const double *restrict g,
                            double *restrict v, double *restrict b, double *restrict a, int64_t lo, int64_t hi,
                            const int mom, const int centered, const int hasL2, const int low) {
    const double al = p->alpha, c = 1 - p->alpha, w = 1 - p->alpha;
    const double eps = p->eps, l2 = p->l2, mu = p->momentum, negEta = p->neg_eta;
    for (int64_t i = lo; i < hi; i++) {
        const double xi = x[i];
        const double gi = hasL2 ? g[i] + l2 * xi : g[i];
        const double vi = v[i] * al + c * gi * gi;
        v[i] = vi;
        double avg;
        if (centered) {
            const double mi = K(lerp)(a[i], gi, w, low);
            a[i] = mi;
            avg = __builtin_elementwise_sqrt(vi - mi * mi) + eps;
        } else {
            avg = __builtin_elementwise_sqrt(vi) + eps;
        }
        if (mom) {
            const double bi = b[i] * mu + gi / avg;
            b[i] = bi;
            x[i] = xi + negEta * bi;
        } else {
            x[i] = xi + negEta * gi / avg;
        }
    }
}

#define RMSPROP_CASE(code, mom, centered, hasL2, low) \
    case code: K(rmsprop_loop)(p, x, g, v, b, a, lo, hi, mom, centered, hasL2, low); break;

static void K(rmsprop)(const optlab_rmsprop_params *p, double *x, const double *g, double *v, double *b, double *a,
                       int64_t lo, int64_t hi) {
    // The lerp weight 1 − α matters only to the centred average.
    const int low = p->centered && 1 - p->alpha < 0.5;
    switch ((p->has_momentum ? 8 : 0) | (p->centered ? 4 : 0) | (p->l2 != 0 ? 2 : 0) | (low ? 1 : 0)) {
    RMSPROP_CASE(0, 0, 0, 0, 0)
    RMSPROP_CASE(2, 0, 0, 1, 0)
    RMSPROP_CASE(4, 0, 1, 0, 0)
    RMSPROP_CASE(5, 0, 1, 0, 1)
    RMSPROP_CASE(6, 0, 1, 1, 0)
    RMSPROP_CASE(7, 0, 1, 1, 1)
    RMSPROP_CASE(8, 1, 0, 0, 0)
    RMSPROP_CASE(10, 1, 0, 1, 0)
    RMSPROP_CASE(12, 1, 1, 0, 0)
    RMSPROP_CASE(13, 1, 1, 0, 1)
    RMSPROP_CASE(14, 1, 1, 1, 0)
    default: K(rmsprop_loop)(p, x, g, v, b, a, lo, hi, 1, 1, 1, 1); break;
    }
}

#undef RMSPROP_CASE

// MARK: Adadelta

INLINE void K(adadelta_loop)(const optlab_adadelta_params *p, double *restrict x, const double *restrict g,
                             double *restrict v, double *restrict u, int64_t lo, int64_t hi, const int hasL2) {
    const double r = p->rho, c = p->c, eps = p->eps, l2 = p->l2, negEta = p->neg_eta;
    for (int64_t i = lo; i < hi; i++) {
        const double xi = x[i];
        const double gi = hasL2 ? g[i] + l2 * xi : g[i];
        const double vi = v[i] * r + c * gi * gi;
        v[i] = vi;
        const double ui = u[i];
        const double delta = __builtin_elementwise_sqrt((ui + eps) / (vi + eps)) * gi;
        u[i] = ui * r + c * delta * delta;
        x[i] = xi + negEta * delta;
    }
}

static void K(adadelta)(const optlab_adadelta_params *p, double *x, const double *g, double *v, double *u,
                        int64_t lo, int64_t hi) {
    if (p->l2 != 0) K(adadelta_loop)(p, x, g, v, u, lo, hi, 1);
    else K(adadelta_loop)(p, x, g, v, u, lo, hi, 0);
}

// MARK: Adamax

INLINE void K(adamax_loop)(const optlab_adamax_params *p, double *restrict x, const double *restrict g,
                           double *restrict m, double *restrict u, int64_t lo, int64_t hi,
                           const int hasL2, const int low) {
    const double negClr = p->neg_clr, w1 = p->w1, b2 = p->beta2, eps = p->eps, l2 = p->l2;
    for (int64_t i = lo; i < hi; i++) {
        const double xi = x[i];
        const double gi = hasL2 ? g[i] + l2 * xi : g[i];
        const double mi = K(lerp)(m[i], gi, w1, low);
        m[i] = mi;
        const double ui = K(swift_max)(u[i] * b2, __builtin_fabs(gi) + eps);
        u[i] = ui;
        x[i] = xi + negClr * mi / ui;
    }
}

static void K(adamax)(const optlab_adamax_params *p, double *x, const double *g, double *m, double *u,
                      int64_t lo, int64_t hi) {
    switch ((p->l2 != 0 ? 2 : 0) | (p->w1 < 0.5 ? 1 : 0)) {
    case 0: K(adamax_loop)(p, x, g, m, u, lo, hi, 0, 0); break;
    case 1: K(adamax_loop)(p, x, g, m, u, lo, hi, 0, 1); break;
    case 2: K(adamax_loop)(p, x, g, m, u, lo, hi, 1, 0); break;
    default: K(adamax_loop)(p, x, g, m, u, lo, hi, 1, 1); break;
    }
}

// MARK: NAdam

INLINE void K(nadam_loop)(const optlab_nadam_params *p, double *restrict x, const double *restrict g,
                          double *restrict m, double *restrict v, int64_t lo, int64_t hi,
                          const int hasL2, const int low) {
    const double cg = p->grad_coef, cm = p->mom_coef, invBc2 = p->inv_bc2, w1 = p->w1;
    const double b2 = p->beta2, c2 = p->c2, eps = p->eps, l2 = p->l2, decay = p->decay;
    for (int64_t i = lo; i < hi; i++) {
        const double xi = x[i] * decay;
        const double gi = hasL2 ? g[i] + l2 * xi : g[i];
        const double mi = K(lerp)(m[i], gi, w1, low);
        const double vi = v[i] * b2 + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        const double d = __builtin_elementwise_sqrt(vi * invBc2) + eps;
        x[i] = (xi + cg * gi / d) + cm * mi / d;
    }
}

static void K(nadam)(const optlab_nadam_params *p, double *x, const double *g, double *m, double *v,
                     int64_t lo, int64_t hi) {
    switch ((p->l2 != 0 ? 2 : 0) | (p->w1 < 0.5 ? 1 : 0)) {
    case 0: K(nadam_loop)(p, x, g, m, v, lo, hi, 0, 0); break;
    case 1: K(nadam_loop)(p, x, g, m, v, lo, hi, 0, 1); break;
    case 2: K(nadam_loop)(p, x, g, m, v, lo, hi, 1, 0); break;
    default: K(nadam_loop)(p, x, g, m, v, lo, hi, 1, 1); break;
    }
}

// MARK: RAdam

INLINE void K(radam_loop)(const optlab_radam_params *p, double *restrict x, const double *restrict g,
                          double *restrict m, double *restrict v, int64_t lo, int64_t hi,
                          const int adaptive, const int hasL2, const int low) {
    const double f = p->step_factor, w1 = p->w1, b2 = p->beta2, c2 = p->c2, eps = p->eps;
    const double l2 = p->l2, decay = p->decay;
    for (int64_t i = lo; i < hi; i++) {
        const double xi = x[i] * decay;
        const double gi = hasL2 ? g[i] + l2 * xi : g[i];
        const double mi = K(lerp)(m[i], gi, w1, low);
        const double vi = v[i] * b2 + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        x[i] = adaptive ? xi + f * mi / (__builtin_elementwise_sqrt(vi) + eps) : xi + f * mi;
    }
}

static void K(radam)(const optlab_radam_params *p, double *x, const double *g, double *m, double *v,
                     int64_t lo, int64_t hi) {
    switch ((p->adaptive ? 4 : 0) | (p->l2 != 0 ? 2 : 0) | (p->w1 < 0.5 ? 1 : 0)) {
    case 0: K(radam_loop)(p, x, g, m, v, lo, hi, 0, 0, 0); break;
    case 1: K(radam_loop)(p, x, g, m, v, lo, hi, 0, 0, 1); break;
    case 2: K(radam_loop)(p, x, g, m, v, lo, hi, 0, 1, 0); break;
    case 3: K(radam_loop)(p, x, g, m, v, lo, hi, 0, 1, 1); break;
    case 4: K(radam_loop)(p, x, g, m, v, lo, hi, 1, 0, 0); break;
    case 5: K(radam_loop)(p, x, g, m, v, lo, hi, 1, 0, 1); break;
    case 6: K(radam_loop)(p, x, g, m, v, lo, hi, 1, 1, 0); break;
    default: K(radam_loop)(p, x, g, m, v, lo, hi, 1, 1, 1); break;
    }
}

// MARK: Schedule-Free AdamW and SGD

// The averaging weight c_{k+1} is in (0, 1]; the reference's lerp picks its
// formula by |w| < ½ (torchLerpAnyWeight), so `low` is decided the same way.
INLINE void K(sf_adamw_loop)(const optlab_sf_adamw_params *p, double *restrict y, const double *restrict g,
                             double *restrict z, double *restrict v, int64_t lo, int64_t hi,
                             const int hasLambda, const int low) {
    const double invBc2 = p->inv_bc2, ckp1 = p->ckp1, yStep = p->y_step, negEta = p->neg_eta;
    const double b2 = p->beta2, c2 = p->c2, eps = p->eps, lambda = p->lambda;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i];
        const double vi = v[i] * b2 + c2 * gi * gi;
        v[i] = vi;
        double gn = gi / (__builtin_elementwise_sqrt(vi * invBc2) + eps);
        if (hasLambda) gn = gn + lambda * y[i];
        const double zi = z[i];
        y[i] = K(lerp)(y[i], zi, ckp1, low) + yStep * gn;
        z[i] = zi + negEta * gn;
    }
}

static void K(sf_adamw)(const optlab_sf_adamw_params *p, double *y, const double *g, double *z, double *v,
                        int64_t lo, int64_t hi) {
    switch ((p->lambda != 0 ? 2 : 0) | (__builtin_fabs(p->ckp1) < 0.5 ? 1 : 0)) {
    case 0: K(sf_adamw_loop)(p, y, g, z, v, lo, hi, 0, 0); break;
    case 1: K(sf_adamw_loop)(p, y, g, z, v, lo, hi, 0, 1); break;
    case 2: K(sf_adamw_loop)(p, y, g, z, v, lo, hi, 1, 0); break;
    default: K(sf_adamw_loop)(p, y, g, z, v, lo, hi, 1, 1); break;
    }
}

INLINE void K(sf_sgd_loop)(const optlab_sf_sgd_params *p, double *restrict y, const double *restrict g,
                           double *restrict z, int64_t lo, int64_t hi, const int hasLambda, const int low) {
    const double ckp1 = p->ckp1, yStep = p->y_step, negEta = p->neg_eta, lambda = p->lambda;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = hasLambda ? g[i] + lambda * y[i] : g[i];
        const double zi = z[i];
        y[i] = K(lerp)(y[i], zi, ckp1, low) + yStep * gi;
        z[i] = zi + negEta * gi;
    }
}

static void K(sf_sgd)(const optlab_sf_sgd_params *p, double *y, const double *g, double *z, int64_t lo, int64_t hi) {
    switch ((p->lambda != 0 ? 2 : 0) | (__builtin_fabs(p->ckp1) < 0.5 ? 1 : 0)) {
    case 0: K(sf_sgd_loop)(p, y, g, z, lo, hi, 0, 0); break;
    case 1: K(sf_sgd_loop)(p, y, g, z, lo, hi, 0, 1); break;
    case 2: K(sf_sgd_loop)(p, y, g, z, lo, hi, 1, 0); break;
    default: K(sf_sgd_loop)(p, y, g, z, lo, hi, 1, 1); break;
    }
}

// MARK: Rprop

static void K(rprop)(const optlab_rprop_params *p, double *restrict x, const double *restrict g,
                     double *restrict prev, double *restrict s, int64_t lo, int64_t hi) {
    const double up = p->eta_plus, down = p->eta_minus, sMin = p->step_min, sMax = p->step_max;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i];
        const double product = gi * prev[i];
        const double factor = product > 0 ? up : (product < 0 ? down : 1);
        // torch's clamp_(min, max): max first, then min.
        const double si = K(swift_min)(K(swift_max)(s[i] * factor, sMin), sMax);
        s[i] = si;
        const double gm = factor == down ? 0 : gi;
        x[i] = x[i] - K(signum)(gm) * si;
        prev[i] = gm;
    }
}

// MARK: ADOPT

INLINE void K(adopt_loop)(const optlab_adopt_params *p, double *restrict x, const double *restrict g,
                          double *restrict m, double *restrict v, int64_t lo, int64_t hi, const int low) {
    const double clip = p->clip, l2 = p->l2, decay = p->decay, w1 = p->w1;
    const double b2 = p->beta2, c2 = p->c2, eps = p->eps, negEta = p->neg_eta;
    // Branch-free like the Swift loop: g + 0·θ = g and θ + 0·θ = θ without decay.
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i] + l2 * x[i];
        const double xi = x[i] + decay * x[i];
        const double normed = gi / K(swift_max)(__builtin_elementwise_sqrt(v[i]), eps);
        const double ni = K(swift_min)(K(swift_max)(normed, -clip), clip);
        const double mi = K(lerp)(m[i], ni, w1, low);
        m[i] = mi;
        x[i] = xi + negEta * mi;
        v[i] = v[i] * b2 + c2 * gi * gi;
    }
}

// The first step only sets v = g² (g with its L2 term when there is one).
INLINE void K(adopt_first_loop)(const optlab_adopt_params *p, const double *restrict x, const double *restrict g,
                                double *restrict v, int64_t lo, int64_t hi, const int hasL2) {
    const double l2 = p->l2;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = hasL2 ? g[i] + l2 * x[i] : g[i];
        v[i] = gi * gi;
    }
}

static void K(adopt)(const optlab_adopt_params *p, double *x, const double *g, double *m, double *v,
                     int64_t lo, int64_t hi) {
    if (p->first) {
        if (p->l2 != 0) K(adopt_first_loop)(p, x, g, v, lo, hi, 1);
        else K(adopt_first_loop)(p, x, g, v, lo, hi, 0);
    } else if (p->w1 < 0.5) {
        K(adopt_loop)(p, x, g, m, v, lo, hi, 1);
    } else {
        K(adopt_loop)(p, x, g, m, v, lo, hi, 0);
    }
}

// MARK: AdEMAMix

INLINE void K(ademamix_loop)(const optlab_ademamix_params *p, double *restrict x, const double *restrict g,
                             double *restrict f, double *restrict s, double *restrict v, int64_t lo, int64_t hi,
                             const int hasLambda) {
    const double b1 = p->beta1, c1 = p->c1, b3 = p->beta3, c3 = p->c3, b2 = p->beta2, c2 = p->c2;
    const double invBc1 = p->inv_bc1, a = p->alpha, invBc2Sqrt = p->inv_bc2_sqrt, eps = p->eps;
    const double lambda = p->lambda, negEta = p->neg_eta;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i];
        const double fast = f[i] * b1 + c1 * gi;
        const double slow = s[i] * b3 + c3 * gi;
        const double vi = v[i] * b2 + c2 * gi * gi;
        f[i] = fast;
        s[i] = slow;
        v[i] = vi;
        double u = (fast * invBc1 + a * slow) / (__builtin_elementwise_sqrt(vi) * invBc2Sqrt + eps);
        if (hasLambda) u = u + lambda * x[i];
        x[i] = x[i] + negEta * u;
    }
}

static void K(ademamix)(const optlab_ademamix_params *p, double *x, const double *g, double *f, double *s, double *v,
                        int64_t lo, int64_t hi) {
    if (p->lambda != 0) K(ademamix_loop)(p, x, g, f, s, v, lo, hi, 1);
    else K(ademamix_loop)(p, x, g, f, s, v, lo, hi, 0);
}
