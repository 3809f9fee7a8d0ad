// Chooses the kernel path once, at the first kernel call, and forwards every
// call through that path's table.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_table.h"

static const char *const path_names[OPTLAB_KERNEL_PATH_COUNT] = {"baseline", "avx2", "avx512"};

static const optlab_kernel_table *table_of(int path) {
    switch (path) {
#if defined(__x86_64__)
    case OPTLAB_KERNEL_AVX2: return &optlab_kernels_avx2;
    case OPTLAB_KERNEL_AVX512: return &optlab_kernels_avx512;
#endif
    default: return &optlab_kernels_baseline;
    }
}

int optlab_kernel_supported(int path) {
#if defined(__x86_64__)
    __builtin_cpu_init();   // idempotent; callers may ask before any kernel ran
#endif
    switch (path) {
    case OPTLAB_KERNEL_BASELINE: return 1;
#if defined(__x86_64__)
    // __builtin_cpu_supports also checks that the OS saves the wide registers.
    case OPTLAB_KERNEL_AVX2: return __builtin_cpu_supports("avx2") ? 1 : 0;
    case OPTLAB_KERNEL_AVX512: return __builtin_cpu_supports("avx512f") ? 1 : 0;
#endif
    default: return 0;
    }
}

const char *optlab_kernel_name(int path) {
    return path >= 0 && path < OPTLAB_KERNEL_PATH_COUNT ? path_names[path] : "unknown";
}

static int active_path = -1;                        // read and written atomically
static const optlab_kernel_table *active_table;      // read and written atomically
static char environment_problem[256];
static pthread_once_t choose_once = PTHREAD_ONCE_INIT;

static void install(int path) {
    __atomic_store_n(&active_table, table_of(path), __ATOMIC_RELEASE);
    __atomic_store_n(&active_path, path, __ATOMIC_RELEASE);
}

// The widest supported path, unless OPTLAB_KERNEL names another one; an
// unknown or unsupported name is reported once on stderr and ignored.
static void choose(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
#endif
    int best = OPTLAB_KERNEL_BASELINE;
    for (int path = OPTLAB_KERNEL_PATH_COUNT - 1; path > 0; path--) {
        if (optlab_kernel_supported(path)) { best = path; break; }
    }
    const char *wanted = getenv("OPTLAB_KERNEL");
    if (wanted && *wanted && strcmp(wanted, "auto") != 0) {
        int named = -1;
        for (int path = 0; path < OPTLAB_KERNEL_PATH_COUNT; path++) {
            if (strcmp(wanted, path_names[path]) == 0) named = path;
        }
        if (named < 0) {
            snprintf(environment_problem, sizeof environment_problem,
                     "OPTLAB_KERNEL=%.40s is not a kernel path (accepted: auto, baseline, avx2, avx512); using %s",
                     wanted, path_names[best]);
        } else if (!optlab_kernel_supported(named)) {
            snprintf(environment_problem, sizeof environment_problem,
                     "OPTLAB_KERNEL=%s: this CPU cannot run that path; using %s", wanted, path_names[best]);
        } else {
            best = named;
        }
        if (environment_problem[0]) fprintf(stderr, "optlab: %s\n", environment_problem);
    }
    install(best);
}

static inline const optlab_kernel_table *table(void) {
    const optlab_kernel_table *t = __atomic_load_n(&active_table, __ATOMIC_ACQUIRE);
    if (__builtin_expect(t != NULL, 1)) return t;
    pthread_once(&choose_once, choose);
    return __atomic_load_n(&active_table, __ATOMIC_ACQUIRE);
}

int optlab_kernel_active(void) {
    (void)table();
    return __atomic_load_n(&active_path, __ATOMIC_ACQUIRE);
}

int optlab_kernel_select(int path) {
    (void)table();   // run the automatic choice first, so it cannot undo this one later
    if (path < 0 || path >= OPTLAB_KERNEL_PATH_COUNT || !optlab_kernel_supported(path)) return -1;
    install(path);
    return 0;
}

const char *optlab_kernel_environment_problem(void) {
    (void)table();
    return environment_problem[0] ? environment_problem : NULL;
}

// MARK: - Forwarders

void optlab_adam(const optlab_adam_params *p, double *x, const double *g, double *m, double *v, double *vmax,
                 int64_t lo, int64_t hi) {
    table()->adam(p, x, g, m, v, vmax, lo, hi);
}

void optlab_sgd(const optlab_sgd_params *p, double *x, const double *g, double *b, int64_t lo, int64_t hi) {
    table()->sgd(p, x, g, b, lo, hi);
}

void optlab_lion(const optlab_lion_params *p, double *x, const double *g, double *m, int64_t lo, int64_t hi) {
    table()->lion(p, x, g, m, lo, hi);
}

void optlab_grams(const optlab_grams_params *p, double *x, const double *g, double *m, double *v,
                  int64_t lo, int64_t hi) {
    table()->grams(p, x, g, m, v, lo, hi);
}

void optlab_adan(const optlab_adan_params *p, double *x, const double *g, double *m, double *d, double *n,
                 double *prev, int64_t lo, int64_t hi) {
    table()->adan(p, x, g, m, d, n, prev, lo, hi);
}

void optlab_exadam(const optlab_exadam_params *p, double *x, const double *g, double *m, double *v,
                   int64_t lo, int64_t hi) {
    table()->exadam(p, x, g, m, v, lo, hi);
}

void optlab_adamp_unprojected(const optlab_adamp_params *p, double decay, double *x, const double *g, double *m,
                              double *v, int64_t lo, int64_t hi) {
    table()->adamp_unprojected(p, decay, x, g, m, v, lo, hi);
}

void optlab_adamp_moments_and_sums(const optlab_adamp_params *p, double *x, const double *g, double *m, double *v,
                                   int64_t lo, int64_t hi, double *out) {
    table()->adamp_moments_and_sums(p, x, g, m, v, lo, hi, out);
}

void optlab_adamp_step(const optlab_adamp_params *p, double decay, int32_t projected, double cn, double *x,
                       const double *g, const double *m, const double *v, int64_t lo, int64_t hi) {
    table()->adamp_step(p, decay, projected, cn, x, g, m, v, lo, hi);
}

void optlab_sgdp_unprojected(const optlab_sgdp_params *p, double decay, double *x, const double *g, double *b,
                             int64_t lo, int64_t hi) {
    table()->sgdp_unprojected(p, decay, x, g, b, lo, hi);
}

void optlab_sgdp_momentum_and_sums(const optlab_sgdp_params *p, double *x, const double *g, double *b,
                                   int64_t lo, int64_t hi, double *out) {
    table()->sgdp_momentum_and_sums(p, x, g, b, lo, hi, out);
}

void optlab_sgdp_projected(const optlab_sgdp_params *p, double decay, int32_t projected, double cn, double *x,
                           const double *g, double *b, int64_t lo, int64_t hi) {
    table()->sgdp_projected(p, decay, projected, cn, x, g, b, lo, hi);
}

int64_t optlab_cadamw_moments(const optlab_cadamw_params *p, const double *g, double *m, double *v,
                              int64_t lo, int64_t hi) {
    return table()->cadamw_moments(p, g, m, v, lo, hi);
}

void optlab_cadamw_step(const optlab_cadamw_params *p, double mask, double *x, const double *g, const double *m,
                        const double *v, int64_t lo, int64_t hi) {
    table()->cadamw_step(p, mask, x, g, m, v, lo, hi);
}

int64_t optlab_clion_count(const optlab_clion_params *p, const double *g, const double *m, int64_t lo, int64_t hi) {
    return table()->clion_count(p, g, m, lo, hi);
}

void optlab_clion_step(const optlab_clion_params *p, double mask, double *x, const double *g, double *m,
                       int64_t lo, int64_t hi) {
    table()->clion_step(p, mask, x, g, m, lo, hi);
}

void optlab_adagrad(const optlab_adagrad_params *p, double *x, const double *g, double *s, int64_t lo, int64_t hi) {
    table()->adagrad(p, x, g, s, lo, hi);
}

void optlab_rmsprop(const optlab_rmsprop_params *p, double *x, const double *g, double *v, double *b, double *avg,
                    int64_t lo, int64_t hi) {
    table()->rmsprop(p, x, g, v, b, avg, lo, hi);
}

void optlab_adadelta(const optlab_adadelta_params *p, double *x, const double *g, double *v, double *u,
                     int64_t lo, int64_t hi) {
    table()->adadelta(p, x, g, v, u, lo, hi);
}

void optlab_adamax(const optlab_adamax_params *p, double *x, const double *g, double *m, double *u,
                   int64_t lo, int64_t hi) {
    table()->adamax(p, x, g, m, u, lo, hi);
}

void optlab_nadam(const optlab_nadam_params *p, double *x, const double *g, double *m, double *v,
                  int64_t lo, int64_t hi) {
    table()->nadam(p, x, g, m, v, lo, hi);
}

void optlab_radam(const optlab_radam_params *p, double *x, const double *g, double *m, double *v,
                  int64_t lo, int64_t hi) {
    table()->radam(p, x, g, m, v, lo, hi);
}

void optlab_sf_adamw(const optlab_sf_adamw_params *p, double *y, const double *g, double *z, double *v,
                     int64_t lo, int64_t hi) {
    table()->sf_adamw(p, y, g, z, v, lo, hi);
}

void optlab_sf_sgd(const optlab_sf_sgd_params *p, double *y, const double *g, double *z, int64_t lo, int64_t hi) {
    table()->sf_sgd(p, y, g, z, lo, hi);
}

void optlab_rprop(const optlab_rprop_params *p, double *x, const double *g, double *prev, double *s,
                  int64_t lo, int64_t hi) {
    table()->rprop(p, x, g, prev, s, lo, hi);
}

void optlab_adopt(const optlab_adopt_params *p, double *x, const double *g, double *m, double *v,
                  int64_t lo, int64_t hi) {
    table()->adopt(p, x, g, m, v, lo, hi);
}

void optlab_ademamix(const optlab_ademamix_params *p, double *x, const double *g, double *m1, double *m2, double *v,
                     int64_t lo, int64_t hi) {
    table()->ademamix(p, x, g, m1, m2, v, lo, hi);
}
