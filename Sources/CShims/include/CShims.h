// Tiny inline helpers for numeric hot loops: no stable Swift API.
#ifndef OPTLAB_CSHIMS_H
#define OPTLAB_CSHIMS_H

// Square root that never touches errno, so LLVM can vectorize loops that use
// it even when the client is built without -fno-math-errno. (Swift's
// Double.squareRoot() on Linux lowers to libm's sqrt, which may write errno.)
static inline __attribute__((always_inline)) double optlab_sqrt(double x) {
    return __builtin_elementwise_sqrt(x);
}

// An optimization barrier for benchmarks (as swift-numerics' _TestSupport).
static inline __attribute__((always_inline)) void optlab_black_hole(const void *p) {
    __asm__ volatile("" : : "r"(p) : "memory");
}
#endif
