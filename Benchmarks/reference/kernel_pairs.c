// ratio_to_triad of the CKernels element loops on a shared machine: each
// trial times one STREAM-triad pass and, right after it, one step of a kernel
// (same N, same threads), so both see nearly the same load; the ratio of the
// pair is (bytes of the kernel / its time) / (24 N / the triad's time). Prints,
// per kernel, the median and upper quartile of the pair ratios and the
// best-of ratio (best kernel time against best triad time, what `optlab bench
// update` reports). Bytes are `optlab bench update`'s minimum traffic.
//
// Built and run by `make bench-kernel-pairs` (clang -O3, the CKernels sources
// compiled in; the kernel path is chosen at run time as in the library, or
// forced with OPTLAB_KERNEL).
//
// Usage: kernel_pairs N PAIRS THREADS
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "CKernels.h"

enum { ARRAYS = 8, MAX_THREADS = 64, MAX_PAIRS = 1000 };
static double *arr[ARRAYS];

static const optlab_adam_params adam = {1e-3, 1.0005, 0.1, 0.999, 0.001, 1e-8, 0, 1, 0};
static const optlab_adagrad_params adagrad = {-1e-2, 0, 1e-10};
static const optlab_rmsprop_params rmsprop = {0.99, 1e-8, 0, 0, -1e-2, 0, 0};
static const optlab_rmsprop_params rmsprop_cm = {0.99, 1e-8, 0, 0.9, -1e-2, 1, 1};
static const optlab_adadelta_params adadelta = {0.9, 0.1, 1e-6, 0, -1};
static const optlab_adamax_params adamax = {-2e-3, 0.1, 0.999, 1e-8, 0};
static const optlab_nadam_params nadam = {-2e-4, -2e-3, 1.0005, 0.1, 0.999, 0.001, 1e-8, 0, 1};
static const optlab_radam_params radam = {-1e-3, 0.1, 0.999, 0.001, 1e-8, 0, 1, 1};
static const optlab_sf_adamw_params sf_adamw = {1.0005, 0.1, -2e-3, -2.5e-3, 0.999, 0.001, 1e-8, 0};
static const optlab_sf_sgd_params sf_sgd = {0.1, -0.9, -1, 0};
static const optlab_rprop_params rprop = {1.2, 0.5, 1e-6, 50};
static const optlab_adopt_params adopt = {2, 0, 0, 0.1, 0.9999, 1e-4, 1e-6, -1e-3, 0};
static const optlab_ademamix_params ademamix = {0.9, 0.1, 0.9999, 1e-4, 0.999, 0.001, 1.1, 2, 1.0005, 1e-8, 0, -1e-3};

typedef struct { const char *name; int arrays; } Kernel;   // arrays read + written, as Bench.swift counts them
static const Kernel kernels[] = {
    {"triad", 3}, {"adam", 7}, {"adagrad", 5}, {"rmsprop", 5}, {"rmsprop_centered_momentum", 9},
    {"adadelta", 7}, {"adamax", 7}, {"nadam", 7}, {"radam", 7}, {"schedulefree_adamw", 7},
    {"schedulefree_sgd", 5}, {"rprop", 7}, {"adopt", 7}, {"ademamix", 9},
};
enum { KERNELS = sizeof kernels / sizeof kernels[0] };

typedef struct { int which; int64_t lo, hi; double s; } Job;

static void *work(void *arg) {
    const Job *j = arg;
    double **a = arr;
    const int64_t lo = j->lo, hi = j->hi;
    switch (j->which) {
    case 0: {
        double *restrict x = a[5];
        const double *restrict b = a[6], *restrict c = a[7];
        for (int64_t i = lo; i < hi; i++) x[i] = b[i] + j->s * c[i];
        break;
    }
    case 1: optlab_adam(&adam, a[0], a[1], a[2], a[3], NULL, lo, hi); break;
    case 2: optlab_adagrad(&adagrad, a[0], a[1], a[2], lo, hi); break;
    case 3: optlab_rmsprop(&rmsprop, a[0], a[1], a[2], NULL, NULL, lo, hi); break;
    case 4: optlab_rmsprop(&rmsprop_cm, a[0], a[1], a[2], a[3], a[4], lo, hi); break;
    case 5: optlab_adadelta(&adadelta, a[0], a[1], a[2], a[3], lo, hi); break;
    case 6: optlab_adamax(&adamax, a[0], a[1], a[2], a[3], lo, hi); break;
    case 7: optlab_nadam(&nadam, a[0], a[1], a[2], a[3], lo, hi); break;
    case 8: optlab_radam(&radam, a[0], a[1], a[2], a[3], lo, hi); break;
    case 9: optlab_sf_adamw(&sf_adamw, a[0], a[1], a[2], a[3], lo, hi); break;
    case 10: optlab_sf_sgd(&sf_sgd, a[0], a[1], a[2], lo, hi); break;
    case 11: optlab_rprop(&rprop, a[0], a[1], a[2], a[3], lo, hi); break;
    case 12: optlab_adopt(&adopt, a[0], a[1], a[2], a[3], lo, hi); break;
    default: optlab_ademamix(&ademamix, a[0], a[1], a[2], a[3], a[4], lo, hi); break;
    }
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

// One pass of `which` over [0, n), split in contiguous chunks (multiples of 8) as ParallelLoop does.
static double timed(int which, int64_t n, int threads, double s) {
    pthread_t tid[MAX_THREADS];
    Job jobs[MAX_THREADS];
    const int64_t chunk = ((n + threads - 1) / threads + 7) & ~(int64_t)7;
    const double t0 = now();
    for (int k = 0; k < threads; k++) {
        const int64_t lo = k * chunk < n ? k * chunk : n, hi = lo + chunk < n ? lo + chunk : n;
        jobs[k] = (Job){which, lo, hi, s};
        pthread_create(&tid[k], NULL, work, &jobs[k]);
    }
    for (int k = 0; k < threads; k++) pthread_join(tid[k], NULL);
    return now() - t0;
}

static int ascending(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: kernel_pairs N PAIRS THREADS\n");
        return 2;
    }
    const int64_t n = atol(argv[1]);
    const int pairs = atoi(argv[2]), threads = atoi(argv[3]);
    if (n < 1 || pairs < 1 || pairs > MAX_PAIRS || threads < 1 || threads > MAX_THREADS) {
        fprintf(stderr, "kernel_pairs: N >= 1, PAIRS in 1...%d and THREADS in 1...%d required\n", MAX_PAIRS,
                MAX_THREADS);
        return 2;
    }
    for (int k = 0; k < ARRAYS; k++) {
        arr[k] = malloc(sizeof(double) * n);
        if (!arr[k]) { fprintf(stderr, "kernel_pairs: out of memory\n"); return 2; }
        for (int64_t i = 0; i < n; i++) arr[k][i] = 0.5 + 1e-4 * (double)((i * 7 + k) % 1000);
    }
    printf("kernel,dim,threads,pairs,median_ratio,q75_ratio,best_of_ratio,best_triad_gb_per_s,kernel_path\n");
    static double ratios[MAX_PAIRS];
    for (int w = 1; w < KERNELS; w++) {
        const double bytes = 8.0 * kernels[w].arrays * (double)n;
        double bestTriad = INFINITY, bestKernel = INFINITY;
        (void)timed(w, n, threads, 0);   // warm-up (first touch, path choice)
        for (int k = 0; k < pairs; k++) {
            const double tt = timed(0, n, threads, 3.0 + k * 1e-3), tk = timed(w, n, threads, 0);
            if (tt < bestTriad) bestTriad = tt;
            if (tk < bestKernel) bestKernel = tk;
            ratios[k] = (bytes / tk) / (24.0 * n / tt);
        }
        qsort(ratios, pairs, sizeof(double), ascending);
        printf("%s,%lld,%d,%d,%.3f,%.3f,%.3f,%.3f,%s\n", kernels[w].name, (long long)n, threads, pairs,
               ratios[pairs / 2], ratios[(3 * pairs) / 4], (bytes / bestKernel) / (24.0 * n / bestTriad),
               24.0 * n / bestTriad / 1e9, optlab_kernel_name(optlab_kernel_active()));
    }
    double check = 0;
    for (int k = 0; k < ARRAYS; k++) check += arr[k][n / 2];
    fprintf(stderr, "(checksum %g)\n", check);
    return 0;
}
