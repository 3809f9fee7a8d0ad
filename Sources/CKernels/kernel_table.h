// The per-path function table (private to CKernels).
#ifndef OPTLAB_KERNEL_TABLE_H
#define OPTLAB_KERNEL_TABLE_H
#include "CKernels.h"

typedef struct {
    void (*adam)(const optlab_adam_params *, double *, const double *, double *, double *, double *, int64_t, int64_t);
    void (*sgd)(const optlab_sgd_params *, double *, const double *, double *, int64_t, int64_t);
    void (*lion)(const optlab_lion_params *, double *, const double *, double *, int64_t, int64_t);
    void (*grams)(const optlab_grams_params *, double *, const double *, double *, double *, int64_t, int64_t);
    void (*adan)(const optlab_adan_params *, double *, const double *, double *, double *, double *, double *,
                 int64_t, int64_t);
    void (*exadam)(const optlab_exadam_params *, double *, const double *, double *, double *, int64_t, int64_t);
    void (*adamp_unprojected)(const optlab_adamp_params *, double, double *, const double *, double *, double *,
                              int64_t, int64_t);
    void (*adamp_moments_and_sums)(const optlab_adamp_params *, double *, const double *, double *, double *,
                                   int64_t, int64_t, double *);
    void (*adamp_step)(const optlab_adamp_params *, double, int32_t, double, double *, const double *,
                       const double *, const double *, int64_t, int64_t);
    void (*sgdp_unprojected)(const optlab_sgdp_params *, double, double *, const double *, double *, int64_t, int64_t);
    void (*sgdp_momentum_and_sums)(const optlab_sgdp_params *, double *, const double *, double *, int64_t, int64_t,
                                   double *);
    void (*sgdp_projected)(const optlab_sgdp_params *, double, int32_t, double, double *, const double *, double *,
                           int64_t, int64_t);
    int64_t (*cadamw_moments)(const optlab_cadamw_params *, const double *, double *, double *, int64_t, int64_t);
    void (*cadamw_step)(const optlab_cadamw_params *, double, double *, const double *, const double *,
                        const double *, int64_t, int64_t);
    int64_t (*clion_count)(const optlab_clion_params *, const double *, const double *, int64_t, int64_t);
    void (*clion_step)(const optlab_clion_params *, double, double *, const double *, double *, int64_t, int64_t);
    void (*adagrad)(const optlab_adagrad_params *, double *, const double *, double *, int64_t, int64_t);
    void (*rmsprop)(const optlab_rmsprop_params *, double *, const double *, double *, double *, double *,
                    int64_t, int64_t);
    void (*adadelta)(const optlab_adadelta_params *, double *, const double *, double *, double *, int64_t, int64_t);
    void (*adamax)(const optlab_adamax_params *, double *, const double *, double *, double *, int64_t, int64_t);
    void (*nadam)(const optlab_nadam_params *, double *, const double *, double *, double *, int64_t, int64_t);
    void (*radam)(const optlab_radam_params *, double *, const double *, double *, double *, int64_t, int64_t);
    void (*sf_adamw)(const optlab_sf_adamw_params *, double *, const double *, double *, double *, int64_t, int64_t);
    void (*sf_sgd)(const optlab_sf_sgd_params *, double *, const double *, double *, int64_t, int64_t);
    void (*rprop)(const optlab_rprop_params *, double *, const double *, double *, double *, int64_t, int64_t);
    void (*adopt)(const optlab_adopt_params *, double *, const double *, double *, double *, int64_t, int64_t);
    void (*ademamix)(const optlab_ademamix_params *, double *, const double *, double *, double *, double *,
                     int64_t, int64_t);
} optlab_kernel_table;

extern const optlab_kernel_table optlab_kernels_baseline;
#if defined(__x86_64__)
extern const optlab_kernel_table optlab_kernels_avx2;
extern const optlab_kernel_table optlab_kernels_avx512;
#endif
#endif
