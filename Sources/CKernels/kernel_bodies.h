// The kernel loops, included once per instruction set by kernels_<path>.c
// with OPTLAB_PATH set to the path's suffix and the target attribute pushed.
// No include guard on purpose.
//
// Each loop is the Swift loop it replaces, operation for operation (same
// operand order, same association), so that every path gives the same bits:
//   * no contraction into fused multiply-adds (the AVX-512F target implies
//     FMA; the pragma keeps `a*b + c` two roundings, as Swift does);
//   * the square root is __builtin_elementwise_sqrt: correctly rounded and
//     errno-free, so the loops vectorize without -fno-math-errno;
//   * per-call flags select one of a few specialised loops (always-inlined
//     with constant flags), so no loop carries a branch the vectorizer
//     would have to if-convert.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#define OPTLAB_CAT2(a, b) a##_##b
#define OPTLAB_CAT(a, b) OPTLAB_CAT2(a, b)
#define K(name) OPTLAB_CAT(name, OPTLAB_PATH)
#define INLINE static inline __attribute__((always_inline))

// torch's lerp(a, b, w): a + w(b − a) for w < ½, else b − (b − a)(1 − w).
INLINE double K(lerp)(double a, double b, double w, int low) {
    return low ? a + w * (b - a) : b - (b - a) * (1 - w);
}

// sign(x) with sign(0) = sign(NaN) = 0, as a difference of two selects.
INLINE double K(signum)(double x) { return (x > 0 ? 1.0 : 0.0) - (x < 0 ? 1.0 : 0.0); }

// Swift.max(a, b) is `b >= a ? b : a` (NaN handling included).
INLINE double K(swift_max)(double a, double b) { return b >= a ? b : a; }

// MARK: Adam / AdamW

INLINE void K(adam_loop)(const optlab_adam_params *p, double *restrict x, const double *restrict g,
                         double *restrict m, double *restrict v, double *restrict w, int64_t lo, int64_t hi,
                         const int ams, const int hasL2, const int low) {
    const double s = p->step_size, invBc = p->inv_bc2_sqrt, w1 = p->w1, b2 = p->beta2, c2 = p->c2;
    const double eps = p->eps, l2 = p->l2, decay = p->decay;
    for (int64_t i = lo; i < hi; i++) {
        const double xi = x[i] * decay;
        const double gi = hasL2 ? g[i] + l2 * xi : g[i];
        const double mi = K(lerp)(m[i], gi, w1, low);
        const double vi = v[i] * b2 + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        double vd = vi;
        if (ams) {
            vd = K(swift_max)(w[i], vi);
            w[i] = vd;
        }
        x[i] = xi - s * mi / (__builtin_elementwise_sqrt(vd) * invBc + eps);
    }
}

static void K(adam)(const optlab_adam_params *p, double *x, const double *g, double *m, double *v,
                    double *w, int64_t lo, int64_t hi) {
    const int low = p->w1 < 0.5, hasL2 = p->l2 != 0;
    const int which = (p->amsgrad ? 4 : 0) | (hasL2 ? 2 : 0) | (low ? 1 : 0);
    switch (which) {
    case 0: K(adam_loop)(p, x, g, m, v, w, lo, hi, 0, 0, 0); break;
    case 1: K(adam_loop)(p, x, g, m, v, w, lo, hi, 0, 0, 1); break;
    case 2: K(adam_loop)(p, x, g, m, v, w, lo, hi, 0, 1, 0); break;
    case 3: K(adam_loop)(p, x, g, m, v, w, lo, hi, 0, 1, 1); break;
    case 4: K(adam_loop)(p, x, g, m, v, w, lo, hi, 1, 0, 0); break;
    case 5: K(adam_loop)(p, x, g, m, v, w, lo, hi, 1, 0, 1); break;
    case 6: K(adam_loop)(p, x, g, m, v, w, lo, hi, 1, 1, 0); break;
    default: K(adam_loop)(p, x, g, m, v, w, lo, hi, 1, 1, 1); break;
    }
}

// MARK: SGD

INLINE void K(sgd_loop)(const optlab_sgd_params *p, double *restrict x, const double *restrict g,
                        double *restrict b, int64_t lo, int64_t hi,
                        const int mom, const int hasWd, const int first, const int nest) {
    const double negEta = p->neg_eta, mu = p->momentum, wd = p->weight_decay;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = hasWd ? g[i] + wd * x[i] : g[i];
        if (!mom) {
            x[i] = x[i] + negEta * gi;
        } else {
            const double bi = first ? gi : b[i] * mu + gi;
            b[i] = bi;
            const double di = nest ? gi + mu * bi : bi;
            x[i] = x[i] + negEta * di;
        }
    }
}

static void K(sgd)(const optlab_sgd_params *p, double *x, const double *g, double *b, int64_t lo, int64_t hi) {
    const int hasWd = p->weight_decay != 0;
    if (p->momentum == 0) {
        if (hasWd) K(sgd_loop)(p, x, g, b, lo, hi, 0, 1, 0, 0);
        else K(sgd_loop)(p, x, g, b, lo, hi, 0, 0, 0, 0);
        return;
    }
    const int which = (hasWd ? 4 : 0) | (p->first ? 2 : 0) | (p->nesterov ? 1 : 0);
    switch (which) {
    case 0: K(sgd_loop)(p, x, g, b, lo, hi, 1, 0, 0, 0); break;
    case 1: K(sgd_loop)(p, x, g, b, lo, hi, 1, 0, 0, 1); break;
    case 2: K(sgd_loop)(p, x, g, b, lo, hi, 1, 0, 1, 0); break;
    case 3: K(sgd_loop)(p, x, g, b, lo, hi, 1, 0, 1, 1); break;
    case 4: K(sgd_loop)(p, x, g, b, lo, hi, 1, 1, 0, 0); break;
    case 5: K(sgd_loop)(p, x, g, b, lo, hi, 1, 1, 0, 1); break;
    case 6: K(sgd_loop)(p, x, g, b, lo, hi, 1, 1, 1, 0); break;
    default: K(sgd_loop)(p, x, g, b, lo, hi, 1, 1, 1, 1); break;
    }
}

// MARK: Lion

static void K(lion)(const optlab_lion_params *p, double *restrict x, const double *restrict g,
                    double *restrict m, int64_t lo, int64_t hi) {
    const double b1 = p->beta1, c1 = p->c1, b2 = p->beta2, c2 = p->c2, decay = p->decay, negEta = p->neg_eta;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i], mi = m[i];
        const double c = mi * b1 + gi * c1;
        x[i] = x[i] * decay + negEta * K(signum)(c);
        m[i] = mi * b2 + c2 * gi;
    }
}

// MARK: Grams

INLINE void K(grams_loop)(const optlab_grams_params *p, double *restrict x, const double *restrict g,
                          double *restrict m, double *restrict v, int64_t lo, int64_t hi, const int decays) {
    const double negStep = p->neg_step, decay = p->decay, b1 = p->beta1, c1 = p->c1;
    const double b2 = p->beta2, c2 = p->c2, eps = p->eps;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i];
        const double xi = decays ? x[i] + decay * x[i] : x[i];
        const double mi = m[i] * b1 + c1 * gi;
        const double vi = v[i] * b2 + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        x[i] = xi + negStep * (K(signum)(gi) * __builtin_fabs(mi)) / (__builtin_elementwise_sqrt(vi) + eps);
    }
}

static void K(grams)(const optlab_grams_params *p, double *x, const double *g, double *m, double *v,
                     int64_t lo, int64_t hi) {
    if (p->decays) K(grams_loop)(p, x, g, m, v, lo, hi, 1);
    else K(grams_loop)(p, x, g, m, v, lo, hi, 0);
}

// MARK: Adan

INLINE void K(adan_loop)(const optlab_adan_params *p, double *restrict x, const double *restrict g,
                         double *restrict m, double *restrict d, double *restrict n, double *restrict prev,
                         int64_t lo, int64_t hi, const int first, const int decays) {
    const double clip = p->clip, b1 = p->beta1, c1 = p->c1, b2 = p->beta2, c2 = p->c2;
    const double b3 = p->beta3, c3 = p->c3, eps = p->eps, invBc3 = p->inv_bc3_sqrt;
    const double negS = p->neg_step, negSD = p->neg_step_diff, prox = p->prox;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i] * clip;
        const double diff = first ? 0.0 : gi - prev[i];
        const double mi = m[i] * b1 + c1 * gi;
        const double di = d[i] * b2 + c2 * diff;
        const double u = diff * b2 + gi;
        const double ni = n[i] * b3 + c3 * u * u;
        m[i] = mi;
        d[i] = di;
        n[i] = ni;
        prev[i] = gi;
        const double inv = 1 / (__builtin_elementwise_sqrt(ni) * invBc3 + eps);
        double xi = x[i] + negS * mi * inv;
        xi = xi + negSD * di * inv;
        x[i] = decays ? xi / prox : xi;
    }
}

static void K(adan)(const optlab_adan_params *p, double *x, const double *g, double *m, double *d, double *n,
                    double *prev, int64_t lo, int64_t hi) {
    switch ((p->first ? 2 : 0) | (p->decays ? 1 : 0)) {
    case 0: K(adan_loop)(p, x, g, m, d, n, prev, lo, hi, 0, 0); break;
    case 1: K(adan_loop)(p, x, g, m, d, n, prev, lo, hi, 0, 1); break;
    case 2: K(adan_loop)(p, x, g, m, d, n, prev, lo, hi, 1, 0); break;
    default: K(adan_loop)(p, x, g, m, d, n, prev, lo, hi, 1, 1); break;
    }
}

// MARK: EXAdam

INLINE void K(exadam_loop)(const optlab_exadam_params *p, double *restrict x, const double *restrict g,
                           double *restrict m, double *restrict v, int64_t lo, int64_t hi, const int decays) {
    const double b1 = p->beta1, c1 = p->c1, b2 = p->beta2, c2 = p->c2, eps = p->eps;
    const double b1t = p->b1t, b2t = p->b2t, invBc1 = p->inv_bc1, invBc2 = p->inv_bc2;
    const double decay = p->decay, negEta = p->neg_eta;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i];
        const double xi = decays ? x[i] + decay * x[i] : x[i];
        const double mi = m[i] * b1 + c1 * gi;
        const double vi = v[i] * b2 + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        const double vEps = vi + eps;
        const double m2 = mi * mi;
        const double d2 = 1 + m2 / (m2 + eps) * b1t;
        const double vTilde = vi * invBc2 * d2;
        const double numerator = (mi + gi) * ((vEps + vi * b2t) * invBc1);
        x[i] = xi + negEta * numerator / (vEps * (__builtin_elementwise_sqrt(vTilde) + eps));
    }
}

static void K(exadam)(const optlab_exadam_params *p, double *x, const double *g, double *m, double *v,
                      int64_t lo, int64_t hi) {
    if (p->decays) K(exadam_loop)(p, x, g, m, v, lo, hi, 1);
    else K(exadam_loop)(p, x, g, m, v, lo, hi, 0);
}

// MARK: Four-lane sums (the SIMD4<Double> lanes of the Swift code)

typedef double K(v4d) __attribute__((vector_size(32), aligned(8)));
#define V4 K(v4d)
#define LOAD4(ptr) (*(const V4 *)(ptr))
#define STORE4(ptr, value) (*(V4 *)(ptr) = (value))
// A macro, not a function: a 4-double vector argument would change the ABI without AVX.
#define LANES_SUM(a) (((a)[0] + (a)[1]) + ((a)[2] + (a)[3]))

// MARK: AdamP

INLINE void K(adamp_unprojected_loop)(const optlab_adamp_params *p, double decay, double *restrict x,
                                      const double *restrict g, double *restrict m, double *restrict v,
                                      int64_t lo, int64_t hi, const int nest) {
    const double b1 = p->beta1, c1 = p->c1, b2 = p->beta2, c2 = p->c2, negS = p->neg_step;
    const double invBc = p->inv_bc2_sqrt, eps = p->eps;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i];
        const double mi = m[i] * b1 + c1 * gi;
        const double vi = v[i] * b2 + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        const double denom = __builtin_elementwise_sqrt(vi) * invBc + eps;
        x[i] = x[i] * decay + negS * ((nest ? b1 * mi + c1 * gi : mi) / denom);
    }
}

static void K(adamp_unprojected)(const optlab_adamp_params *p, double decay, double *x, const double *g, double *m,
                                 double *v, int64_t lo, int64_t hi) {
    if (p->nesterov) K(adamp_unprojected_loop)(p, decay, x, g, m, v, lo, hi, 1);
    else K(adamp_unprojected_loop)(p, decay, x, g, m, v, lo, hi, 0);
}

// The direction of one element: (Nesterov ? β₁m + (1 − β₁)g : m) / (√v·(1/√bc₂) + ε).
INLINE double K(adamp_direction)(const optlab_adamp_params *p, double m, double g, double v) {
    const double denom = __builtin_elementwise_sqrt(v) * p->inv_bc2_sqrt + p->eps;
    return p->nesterov ? (p->beta1 * m + (1 - p->beta1) * g) / denom : m / denom;
}

INLINE void K(adamp_moments_and_sums_loop)(const optlab_adamp_params *p, double *restrict x, const double *restrict g,
                                           double *restrict m, double *restrict v, int64_t lo, int64_t hi,
                                           double *out, const int nest) {
    const double b1 = p->beta1, c1 = p->c1, b2 = p->beta2, c2 = p->c2;
    const V4 invBc = {p->inv_bc2_sqrt, p->inv_bc2_sqrt, p->inv_bc2_sqrt, p->inv_bc2_sqrt};
    const V4 eps4 = {p->eps, p->eps, p->eps, p->eps};
    V4 gw4 = {0, 0, 0, 0}, gg4 = gw4, ww4 = gw4, wp4 = gw4;
    int64_t i = lo;
    const int64_t end4 = lo + ((hi - lo) & ~(int64_t)3);
    for (; i < end4; i += 4) {
        const V4 gv = LOAD4(g + i), w = LOAD4(x + i);
        const V4 mv = LOAD4(m + i) * b1 + c1 * gv;
        const V4 vv = LOAD4(v + i) * b2 + c2 * gv * gv;
        STORE4(m + i, mv);
        STORE4(v + i, vv);
        const V4 denom = __builtin_elementwise_sqrt(vv) * invBc + eps4;
        const V4 pv = (nest ? b1 * mv + c1 * gv : mv) / denom;
        gw4 += gv * w;
        gg4 += gv * gv;
        ww4 += w * w;
        wp4 += w * pv;
    }
    double gw = LANES_SUM(gw4), gg = LANES_SUM(gg4), ww = LANES_SUM(ww4), wp = LANES_SUM(wp4);
    for (; i < hi; i++) {
        const double gi = g[i], wi = x[i];
        const double mi = m[i] * b1 + c1 * gi;
        const double vi = v[i] * b2 + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        gw += gi * wi;
        gg += gi * gi;
        ww += wi * wi;
        wp += wi * K(adamp_direction)(p, mi, gi, vi);
    }
    out[0] = gw;
    out[1] = gg;
    out[2] = ww;
    out[3] = wp;
}

static void K(adamp_moments_and_sums)(const optlab_adamp_params *p, double *x, const double *g, double *m, double *v,
                                      int64_t lo, int64_t hi, double *out) {
    if (p->nesterov) K(adamp_moments_and_sums_loop)(p, x, g, m, v, lo, hi, out, 1);
    else K(adamp_moments_and_sums_loop)(p, x, g, m, v, lo, hi, out, 0);
}

INLINE void K(adamp_step_loop)(const optlab_adamp_params *p, double decay, double cn, double *restrict x,
                               const double *restrict g, const double *restrict m, const double *restrict v,
                               int64_t lo, int64_t hi, const int nest, const int projected) {
    const double b1 = p->beta1, c1 = p->c1, negS = p->neg_step, invBc = p->inv_bc2_sqrt, eps = p->eps;
    for (int64_t i = lo; i < hi; i++) {
        const double w = x[i];
        const double denom = __builtin_elementwise_sqrt(v[i]) * invBc + eps;
        const double d = nest ? (b1 * m[i] + c1 * g[i]) / denom : m[i] / denom;
        const double pd = projected ? d - w * cn : d;
        x[i] = w * decay + negS * pd;
    }
}

static void K(adamp_step)(const optlab_adamp_params *p, double decay, int32_t projected, double cn, double *x,
                          const double *g, const double *m, const double *v, int64_t lo, int64_t hi) {
    switch ((p->nesterov ? 2 : 0) | (projected ? 1 : 0)) {
    case 0: K(adamp_step_loop)(p, decay, cn, x, g, m, v, lo, hi, 0, 0); break;
    case 1: K(adamp_step_loop)(p, decay, cn, x, g, m, v, lo, hi, 0, 1); break;
    case 2: K(adamp_step_loop)(p, decay, cn, x, g, m, v, lo, hi, 1, 0); break;
    default: K(adamp_step_loop)(p, decay, cn, x, g, m, v, lo, hi, 1, 1); break;
    }
}

// MARK: SGDP

INLINE void K(sgdp_unprojected_loop)(const optlab_sgdp_params *p, double decay, double *restrict x,
                                     const double *restrict g, double *restrict b, int64_t lo, int64_t hi,
                                     const int nest) {
    const double mu = p->momentum, negEta = p->neg_eta;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i];
        const double bi = b[i] * mu + gi;
        b[i] = bi;
        x[i] = x[i] * decay + negEta * (nest ? gi + mu * bi : bi);
    }
}

static void K(sgdp_unprojected)(const optlab_sgdp_params *p, double decay, double *x, const double *g, double *b,
                                int64_t lo, int64_t hi) {
    if (p->nesterov) K(sgdp_unprojected_loop)(p, decay, x, g, b, lo, hi, 1);
    else K(sgdp_unprojected_loop)(p, decay, x, g, b, lo, hi, 0);
}

INLINE void K(sgdp_momentum_and_sums_loop)(const optlab_sgdp_params *p, double *restrict x, const double *restrict g,
                                           double *restrict b, int64_t lo, int64_t hi, double *out, const int nest) {
    const double mu = p->momentum;
    V4 gw4 = {0, 0, 0, 0}, gg4 = gw4, ww4 = gw4, wd4 = gw4;
    int64_t i = lo;
    const int64_t end4 = lo + ((hi - lo) & ~(int64_t)3);
    for (; i < end4; i += 4) {
        const V4 gv = LOAD4(g + i), w = LOAD4(x + i);
        const V4 bv = LOAD4(b + i) * mu + gv;
        STORE4(b + i, bv);
        const V4 d = nest ? gv + mu * bv : bv;
        gw4 += gv * w;
        gg4 += gv * gv;
        ww4 += w * w;
        wd4 += w * d;
    }
    double gw = LANES_SUM(gw4), gg = LANES_SUM(gg4), ww = LANES_SUM(ww4), wd = LANES_SUM(wd4);
    for (; i < hi; i++) {
        const double gi = g[i], wi = x[i];
        const double bi = b[i] * mu + gi;
        b[i] = bi;
        gw += gi * wi;
        gg += gi * gi;
        ww += wi * wi;
        wd += wi * (nest ? gi + mu * bi : bi);
    }
    out[0] = gw;
    out[1] = gg;
    out[2] = ww;
    out[3] = wd;
}

static void K(sgdp_momentum_and_sums)(const optlab_sgdp_params *p, double *x, const double *g, double *b,
                                      int64_t lo, int64_t hi, double *out) {
    if (p->nesterov) K(sgdp_momentum_and_sums_loop)(p, x, g, b, lo, hi, out, 1);
    else K(sgdp_momentum_and_sums_loop)(p, x, g, b, lo, hi, out, 0);
}

static void K(sgdp_projected)(const optlab_sgdp_params *p, double decay, int32_t projected, double cn,
                              double *restrict x, const double *restrict g, double *restrict b, int64_t lo, int64_t hi) {
    const double negEta = p->neg_eta, mu = p->momentum;
    if (projected && !p->nesterov) {
        // Without Nesterov the direction IS the buffer, projected in place (the official quirk).
        for (int64_t i = lo; i < hi; i++) {
            const double wi = x[i];
            const double d = b[i] - wi * cn;
            b[i] = d;
            x[i] = wi * decay + negEta * d;
        }
    } else if (projected) {
        for (int64_t i = lo; i < hi; i++) {
            const double wi = x[i];
            x[i] = wi * decay + negEta * ((g[i] + mu * b[i]) - wi * cn);
        }
    } else if (!p->nesterov) {
        for (int64_t i = lo; i < hi; i++) x[i] = x[i] * decay + negEta * b[i];
    } else {
        for (int64_t i = lo; i < hi; i++) x[i] = x[i] * decay + negEta * (g[i] + mu * b[i]);
    }
}

// MARK: Cautious AdamW

static int64_t K(cadamw_moments)(const optlab_cadamw_params *p, const double *restrict g, double *restrict m,
                                 double *restrict v, int64_t lo, int64_t hi) {
    const double b1 = p->beta1, c1 = p->c1, b2 = p->beta2, c2 = p->c2;
    int64_t aligned = 0;   // an integer count: exact in any order
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i];
        const double mi = m[i] * b1 + c1 * gi;
        m[i] = mi;
        v[i] = v[i] * b2 + c2 * gi * gi;
        aligned += mi * gi > 0;
    }
    return aligned;
}

INLINE void K(cadamw_step_loop)(const optlab_cadamw_params *p, double mask, double *restrict x,
                                const double *restrict g, const double *restrict m, const double *restrict v,
                                int64_t lo, int64_t hi, const int decays) {
    const double negStep = p->neg_step, decay = p->decay, eps = p->eps;
    for (int64_t i = lo; i < hi; i++) {
        const double mi = m[i];
        const double xi = decays ? x[i] + decay * x[i] : x[i];
        const double phi = mi * g[i] > 0 ? mask : 0;
        x[i] = xi + negStep * ((mi * phi) / (__builtin_elementwise_sqrt(v[i]) + eps));
    }
}

static void K(cadamw_step)(const optlab_cadamw_params *p, double mask, double *x, const double *g, const double *m,
                           const double *v, int64_t lo, int64_t hi) {
    if (p->decays) K(cadamw_step_loop)(p, mask, x, g, m, v, lo, hi, 1);
    else K(cadamw_step_loop)(p, mask, x, g, m, v, lo, hi, 0);
}

// MARK: Cautious Lion

static int64_t K(clion_count)(const optlab_clion_params *p, const double *restrict g, const double *restrict m,
                              int64_t lo, int64_t hi) {
    const double b1 = p->beta1, c1 = p->c1;
    int64_t aligned = 0;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i];
        const double c = m[i] * b1 + gi * c1;
        aligned += ((c > 0) & (gi > 0)) | ((c < 0) & (gi < 0));
    }
    return aligned;
}

static void K(clion_step)(const optlab_clion_params *p, double mask, double *restrict x, const double *restrict g,
                          double *restrict m, int64_t lo, int64_t hi) {
    const double b1 = p->beta1, c1 = p->c1, b2 = p->beta2, c2 = p->c2, decay = p->decay, negEta = p->neg_eta;
    for (int64_t i = lo; i < hi; i++) {
        const double gi = g[i], mi = m[i];
        const double u = K(signum)(mi * b1 + gi * c1);
        const double phi = u * gi > 0 ? mask : 0;
        x[i] = x[i] * decay + negEta * (u * phi);
        m[i] = mi * b2 + c2 * gi;
    }
}

#undef V4
#undef LOAD4
#undef STORE4
#undef LANES_SUM

// The one-pass methods of issue 18 (torch.optim set, ADOPT, AdEMAMix, Schedule-Free).
#include "adaptive_kernel_bodies.h"

// MARK: The table of this path

const optlab_kernel_table K(optlab_kernels) = {
    .adam = K(adam), .sgd = K(sgd), .lion = K(lion), .grams = K(grams), .adan = K(adan), .exadam = K(exadam),
    .adamp_unprojected = K(adamp_unprojected), .adamp_moments_and_sums = K(adamp_moments_and_sums),
    .adamp_step = K(adamp_step),
    .sgdp_unprojected = K(sgdp_unprojected), .sgdp_momentum_and_sums = K(sgdp_momentum_and_sums),
    .sgdp_projected = K(sgdp_projected),
    .cadamw_moments = K(cadamw_moments), .cadamw_step = K(cadamw_step),
    .clion_count = K(clion_count), .clion_step = K(clion_step),
    .adagrad = K(adagrad), .rmsprop = K(rmsprop), .adadelta = K(adadelta), .adamax = K(adamax), .nadam = K(nadam),
    .radam = K(radam), .sf_adamw = K(sf_adamw), .sf_sgd = K(sf_sgd), .rprop = K(rprop), .adopt = K(adopt),
    .ademamix = K(ademamix),
};

#undef K
#undef INLINE
#undef OPTLAB_CAT
#undef OPTLAB_CAT2
