// Element-wise optimizer kernels compiled for several x86-64 instruction sets
// (baseline SSE2, AVX2, AVX-512F) and chosen once, at first use, by the CPU
// the process runs on — so a plain `swift build -c release` (no -target-cpu,
// no -fno-math-errno) gets the wide vectors a native build gets.
//
// Every path computes the same operations in the same order without fused
// multiply-adds (contraction is off in every kernel file), and IEEE division
// and square root are correctly rounded in every width: all paths give
// bit-identical results, equal to the Swift loops they replace. (Not under
// -Xcc -ffast-math: it lets the code generator fuse and reorder despite the
// pragmas; `optlab bench update` would then report that the paths disagree.)
//
// Each kernel works on the index range [lo, hi) of arrays that start at the
// given pointers; the caller splits ranges across threads.
#ifndef OPTLAB_CKERNELS_H
#define OPTLAB_CKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Paths

/// The instruction-set paths. Values are stable (tests and CSV use them).
enum {
    OPTLAB_KERNEL_BASELINE = 0,   // what the compiler's default target gives (x86-64: SSE2)
    OPTLAB_KERNEL_AVX2 = 1,       // 256-bit vectors (AVX2 CPUs: Haswell, Zen 1 and later)
    OPTLAB_KERNEL_AVX512 = 2,     // 512-bit vectors (AVX-512F)
    OPTLAB_KERNEL_PATH_COUNT = 3
};

/// The path the kernels run on now (chosen at first use: the widest the CPU
/// and OS support, or the one OPTLAB_KERNEL names).
int optlab_kernel_active(void);
/// 1 when this CPU (and this build: AVX paths exist on x86-64 only) can run `path`.
int optlab_kernel_supported(int path);
/// Runs every later kernel call on `path`; returns 0, or -1 (nothing changed)
/// when the path is not supported here.
int optlab_kernel_select(int path);
/// "baseline", "avx2", "avx512" (or "unknown").
const char *optlab_kernel_name(int path);
/// NULL, or one line saying why OPTLAB_KERNEL was not followed (an unknown
/// name, or a path this CPU cannot run); the automatic choice is used then.
const char *optlab_kernel_environment_problem(void);

// MARK: - Kernels

/// Adam / AdamW (torch's operation order, see AdamKernel.swift).
typedef struct {
    double step_size;      // s = η / (1 − β₁ᵗ)
    double inv_bc2_sqrt;   // 1 / √(1 − β₂ᵗ)
    double w1;             // 1 − β₁, the lerp weight
    double beta2, c2;      // β₂, 1 − β₂
    double eps;
    double l2;             // L2 coefficient added to g (Adam), 0 for none
    double decay;          // 1 − ηλ (AdamW) or exactly 1
    int32_t amsgrad;
} optlab_adam_params;
/// `vmax` (AMSGrad's running maximum) is read only when `amsgrad`; it may be NULL otherwise.
void optlab_adam(const optlab_adam_params *p, double *x, const double *g, double *m, double *v,
                 double *vmax, int64_t lo, int64_t hi);

/// SGD with optional momentum (buffer b), Nesterov and L2 decay.
typedef struct {
    double neg_eta, momentum, weight_decay;
    int32_t first, nesterov;   // first: the buffer is set to g (torch's first step)
} optlab_sgd_params;
/// `b` is read only when momentum ≠ 0; it may be NULL otherwise.
void optlab_sgd(const optlab_sgd_params *p, double *x, const double *g, double *b, int64_t lo, int64_t hi);

/// Lion.
typedef struct { double beta1, c1, beta2, c2, decay, neg_eta; } optlab_lion_params;
void optlab_lion(const optlab_lion_params *p, double *x, const double *g, double *m, int64_t lo, int64_t hi);

/// Grams.
typedef struct {
    double neg_step, decay;    // decay = −ηλ, used when `decays`
    double beta1, c1, beta2, c2, eps;
    int32_t decays;
} optlab_grams_params;
void optlab_grams(const optlab_grams_params *p, double *x, const double *g, double *m, double *v,
                  int64_t lo, int64_t hi);

/// Adan (g already scaled by `clip`; previous gradient in `prev`).
typedef struct {
    double clip, beta1, c1, beta2, c2, beta3, c3, eps;
    double inv_bc3_sqrt, neg_step, neg_step_diff, prox;
    int32_t first, decays;
} optlab_adan_params;
void optlab_adan(const optlab_adan_params *p, double *x, const double *g, double *m, double *d, double *n,
                 double *prev, int64_t lo, int64_t hi);

/// EXAdam.
typedef struct {
    double beta1, c1, beta2, c2, eps;
    double b1t, b2t, inv_bc1, inv_bc2;
    double decay, neg_eta;     // decay = −ηλ, used when `decays`
    int32_t decays;
} optlab_exadam_params;
void optlab_exadam(const optlab_exadam_params *p, double *x, const double *g, double *m, double *v,
                   int64_t lo, int64_t hi);

// MARK: Per-block (layout-aware) optimizers: their element passes

/// AdamP's moments and directions (AdamP.swift). `decay` is the block's
/// 1 − ηλ·ratio (or 1), computed by the caller.
typedef struct {
    double neg_step, inv_bc2_sqrt, beta1, c1, beta2, c2, eps;
    int32_t nesterov;
} optlab_adamp_params;
/// 1-D blocks: m, v, then θ ← θ·decay + (−s)·(d / (√v·(1/√bc₂) + ε)), one pass.
void optlab_adamp_unprojected(const optlab_adamp_params *p, double decay, double *x, const double *g, double *m,
                              double *v, int64_t lo, int64_t hi);
/// Pass 1 of a projected block: m, v, and out[0..3] = ⟨G,W⟩, ‖G‖², ‖W‖², ⟨W,P⟩
/// summed on four lanes (element i on lane (i − lo) mod 4, lanes combined as
/// (l₀ + l₁) + (l₂ + l₃), then the < 4 tail elements in order).
void optlab_adamp_moments_and_sums(const optlab_adamp_params *p, double *x, const double *g, double *m, double *v,
                                   int64_t lo, int64_t hi, double *out);
/// The step of a multi-dimensional block's range: p = d − W·cn if projected.
void optlab_adamp_step(const optlab_adamp_params *p, double decay, int32_t projected, double cn, double *x,
                       const double *g, const double *m, const double *v, int64_t lo, int64_t hi);

/// SGDP (SGDP.swift).
typedef struct { double neg_eta, momentum; int32_t nesterov; } optlab_sgdp_params;
/// b ← b·μ + g;  θ ← θ·decay + (−η)·(g + μb if Nesterov else b).
void optlab_sgdp_unprojected(const optlab_sgdp_params *p, double decay, double *x, const double *g, double *b,
                             int64_t lo, int64_t hi);
/// b ← b·μ + g and out[0..3] = ⟨G,W⟩, ‖G‖², ‖W‖², ⟨W,D⟩ on four lanes (as above).
void optlab_sgdp_momentum_and_sums(const optlab_sgdp_params *p, double *x, const double *g, double *b,
                                   int64_t lo, int64_t hi, double *out);
/// The step of a projected block's range (cn = coefficient / (‖W‖ + ε)).
void optlab_sgdp_projected(const optlab_sgdp_params *p, double decay, int32_t projected, double cn, double *x,
                           const double *g, double *b, int64_t lo, int64_t hi);

/// Cautious AdamW (CautiousAdamW.swift).
typedef struct { double neg_step, decay, beta1, c1, beta2, c2, eps; int32_t decays; } optlab_cadamw_params;
/// m, v, and the number of elements with m·g > 0.
int64_t optlab_cadamw_moments(const optlab_cadamw_params *p, const double *g, double *m, double *v,
                              int64_t lo, int64_t hi);
/// θ ← θ + (−ηλ)θ (if λ > 0);  θ ← θ + (−s)·((m·φ) / (√v + ε)),  φ = mask if m·g > 0 else 0.
void optlab_cadamw_step(const optlab_cadamw_params *p, double mask, double *x, const double *g, const double *m,
                        const double *v, int64_t lo, int64_t hi);

/// Cautious Lion (CautiousLion.swift).
typedef struct { double beta1, c1, beta2, c2, decay, neg_eta; } optlab_clion_params;
/// The number of elements where c = m·β₁ + g·(1 − β₁) and g have the same strict sign.
int64_t optlab_clion_count(const optlab_clion_params *p, const double *g, const double *m, int64_t lo, int64_t hi);
/// u ← sign(c);  θ ← θ·decay + (−η)·(u·φ), φ = mask if u·g > 0 else 0;  m ← m·β₂ + (1 − β₂)g.
void optlab_clion_step(const optlab_clion_params *p, double mask, double *x, const double *g, double *m,
                       int64_t lo, int64_t hi);

// MARK: The torch.optim set and the adaptive methods of issue 18 (one pass each)

/// Adagrad: s ← s + g²;  θ ← θ + (−η_t)·g / (√s + ε)  (g += λθ when l2 ≠ 0).
typedef struct { double neg_clr, l2, eps; } optlab_adagrad_params;
void optlab_adagrad(const optlab_adagrad_params *p, double *x, const double *g, double *s, int64_t lo, int64_t hi);

/// RMSprop (torch's order): v ← αv + (1 − α)g²; centered: ḡ ← lerp(ḡ, g, 1 − α), a = √(v − ḡ²) + ε,
/// else a = √v + ε; momentum: b ← μb + g/a, θ ← θ + (−η)b; else θ ← θ + (−η)g/a.
typedef struct {
    double alpha, eps, l2, momentum, neg_eta;
    int32_t has_momentum, centered;
} optlab_rmsprop_params;
/// `b` is read only when `has_momentum`, `avg` (ḡ) only when `centered`; either may be NULL otherwise.
void optlab_rmsprop(const optlab_rmsprop_params *p, double *x, const double *g, double *v, double *b, double *avg,
                    int64_t lo, int64_t hi);

/// Adadelta: v ← ρv + (1 − ρ)g²;  δ = √((u + ε)/(v + ε))·g;  u ← ρu + (1 − ρ)δ²;  θ ← θ + (−η)δ.
typedef struct { double rho, c, eps, l2, neg_eta; } optlab_adadelta_params;   // c = 1 − ρ
void optlab_adadelta(const optlab_adadelta_params *p, double *x, const double *g, double *v, double *u,
                     int64_t lo, int64_t hi);

/// Adamax: m ← lerp(m, g, 1 − β₁);  u ← max(β₂u, |g| + ε);  θ ← θ + (−η/bc₁)·m/u.
typedef struct { double neg_clr, w1, beta2, eps, l2; } optlab_adamax_params;
void optlab_adamax(const optlab_adamax_params *p, double *x, const double *g, double *m, double *u,
                   int64_t lo, int64_t hi);

/// NAdam / NAdamW: θ ← θ·decay; m ← lerp(m, g, 1 − β₁); v ← β₂v + (1 − β₂)g²; d = √(v·(1/bc₂)) + ε;
/// θ ← (θ + c_g·g/d) + c_m·m/d.
typedef struct { double grad_coef, mom_coef, inv_bc2, w1, beta2, c2, eps, l2, decay; } optlab_nadam_params;
void optlab_nadam(const optlab_nadam_params *p, double *x, const double *g, double *m, double *v,
                  int64_t lo, int64_t hi);

/// RAdam: θ ← θ·decay; m ← lerp(m, g, 1 − β₁); v ← β₂v + (1 − β₂)g²;
/// θ ← θ + f·m/(√v + ε) when `adaptive`, else θ ← θ + f·m.
typedef struct { double step_factor, w1, beta2, c2, eps, l2, decay; int32_t adaptive; } optlab_radam_params;
void optlab_radam(const optlab_radam_params *p, double *x, const double *g, double *m, double *v,
                  int64_t lo, int64_t hi);

/// Schedule-Free AdamW on y (the training point): v ← β₂v + (1 − β₂)g²; ĝ = g/(√(v·(1/bc₂)) + ε) (+ λy);
/// y ← lerp(y, z, c) + y_step·ĝ;  z ← z + (−η)ĝ.
typedef struct { double inv_bc2, ckp1, y_step, neg_eta, beta2, c2, eps, lambda; } optlab_sf_adamw_params;
void optlab_sf_adamw(const optlab_sf_adamw_params *p, double *y, const double *g, double *z, double *v,
                     int64_t lo, int64_t hi);

/// Schedule-Free SGD: ĝ = g (+ λy);  y ← lerp(y, z, c) + y_step·ĝ;  z ← z + (−η)ĝ.
typedef struct { double ckp1, y_step, neg_eta, lambda; } optlab_sf_sgd_params;
void optlab_sf_sgd(const optlab_sf_sgd_params *p, double *y, const double *g, double *z, int64_t lo, int64_t hi);

/// Rprop: f = η₊ / η₋ / 1 by sign(g·g₋); s ← min(max(s·f, s_min), s_max); g′ = 0 if f = η₋ else g;
/// θ ← θ − sign(g′)·s;  g₋ ← g′.
typedef struct { double eta_plus, eta_minus, step_min, step_max; } optlab_rprop_params;
void optlab_rprop(const optlab_rprop_params *p, double *x, const double *g, double *prev, double *s,
                  int64_t lo, int64_t hi);

/// ADOPT. First step: v ← g² only. Later: g += l2·θ; θ += decay·θ; n = clamp(g / max(√v, ε), ±clip);
/// m ← lerp(m, n, 1 − β₁); θ ← θ + (−η)m; v ← β₂v + (1 − β₂)g².
typedef struct { double clip, l2, decay, w1, beta2, c2, eps, neg_eta; int32_t first; } optlab_adopt_params;
void optlab_adopt(const optlab_adopt_params *p, double *x, const double *g, double *m, double *v,
                  int64_t lo, int64_t hi);

/// AdEMAMix: m₁ ← β₁m₁ + (1 − β₁)g; m₂ ← β₃m₂ + (1 − β₃)g; v ← β₂v + (1 − β₂)g²;
/// u = (m₁/bc₁ + α·m₂)/(√v/√bc₂ + ε) (+ λθ);  θ ← θ + (−η)u.
typedef struct { double beta1, c1, beta3, c3, beta2, c2, inv_bc1, alpha, inv_bc2_sqrt, eps, lambda, neg_eta; }
    optlab_ademamix_params;
void optlab_ademamix(const optlab_ademamix_params *p, double *x, const double *g, double *m1, double *m2, double *v,
                     int64_t lo, int64_t hi);

#ifdef __cplusplus
}
#endif
#endif
