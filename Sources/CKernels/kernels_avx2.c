// The kernels with AVX2 enabled (four doubles per instruction). FMA is not
// enabled: fused multiply-adds would change the last bit of results.
#include "kernel_table.h"
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#define OPTLAB_PATH avx2
#include "kernel_bodies.h"
#pragma clang attribute pop
#endif
