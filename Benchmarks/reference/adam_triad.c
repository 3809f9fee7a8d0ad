// A plain C reference for `make bench-update`: the Adam update (torch
// defaults, bias-corrected, eps outside the square root) and the STREAM triad
// on the same N, threads and timing rule (best of K passes), so the Swift
// kernels' ratio_to_triad can be read against what a vectorised C loop
// reaches on the same machine. Built by `make bench-reference` with
// clang -O3 -march=native -fno-math-errno.
//
// Usage: adam_triad N STEPS THREADS
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    double *x, *g, *m, *v, *a, *b, *c;
    long lo, hi;
    double lr, b1, b2, eps, bc1, bc2, s;
    int triad;
} Work;

static void *run(void *arg) {
    Work *w = (Work *)arg;
    if (w->triad) {
        for (long i = w->lo; i < w->hi; i++) w->a[i] = w->b[i] + w->s * w->c[i];
        return NULL;
    }
    const double step = w->lr / w->bc1, rbc2 = 1.0 / sqrt(w->bc2);
    for (long i = w->lo; i < w->hi; i++) {
        double gi = w->g[i];
        double mi = w->b1 * w->m[i] + (1 - w->b1) * gi;
        double vi = w->b2 * w->v[i] + (1 - w->b2) * gi * gi;
        w->m[i] = mi;
        w->v[i] = vi;
        w->x[i] -= step * mi / (sqrt(vi) * rbc2 + w->eps);
    }
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double timed(Work *proto, int threads) {
    pthread_t tid[64];
    Work parts[64];
    long n = proto->hi, chunk = (n + threads - 1) / threads;
    double t0 = now();
    for (int k = 0; k < threads; k++) {
        parts[k] = *proto;
        parts[k].lo = k * chunk;
        parts[k].hi = (k + 1) * chunk < n ? (k + 1) * chunk : n;
        pthread_create(&tid[k], NULL, run, &parts[k]);
    }
    for (int k = 0; k < threads; k++) pthread_join(tid[k], NULL);
    return now() - t0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: adam_triad N STEPS THREADS\n");
        return 2;
    }
    long n = atol(argv[1]);
    int steps = atoi(argv[2]), threads = atoi(argv[3]);
    if (n < 1 || steps < 1 || threads < 1 || threads > 64) {
        fprintf(stderr, "adam_triad: N, STEPS >= 1 and THREADS in 1...64 required\n");
        return 2;
    }
    double *buf = malloc(sizeof(double) * n * 7);
    if (!buf) { fprintf(stderr, "adam_triad: out of memory\n"); return 2; }
    Work w = {buf, buf + n, buf + 2 * n, buf + 3 * n, buf + 4 * n, buf + 5 * n, buf + 6 * n,
              0, n, 1e-3, 0.9, 0.999, 1e-8, 0, 0, 3.0, 0};
    unsigned long long s = 1;
    for (long i = 0; i < 7 * n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        buf[i] = (double)(s >> 11) * 0x1p-53 - 0.5;
    }
    for (long i = 0; i < n; i++) { w.m[i] = 0; w.v[i] = 0; }
    double bestAdam = INFINITY, bestTriad = INFINITY;
    for (int k = 0; k <= steps; k++) {
        w.triad = 0;
        w.bc1 = 1 - pow(w.b1, k + 1);
        w.bc2 = 1 - pow(w.b2, k + 1);
        double t = timed(&w, threads);
        if (k > 0 && t < bestAdam) bestAdam = t;
        w.triad = 1;
        w.s = 3.0 + k * 1e-3;
        t = timed(&w, threads);
        if (k > 0 && t < bestTriad) bestTriad = t;
    }
    double adamGB = 56.0 * n / bestAdam / 1e9, triadGB = 24.0 * n / bestTriad / 1e9;
    double check = 0;
    for (long i = 0; i < n; i += 4096) check += w.x[i] + w.a[i];
    printf("c-adam,%ld,%d,%d,%.6g,%ld,%.3f,%.3f,%.3f,march-native\n", n, threads, steps, bestAdam, 56 * n,
           adamGB, triadGB, adamGB / triadGB);
    fprintf(stderr, "(checksum %.6g)\n", check);
    free(buf);
    return 0;
}
