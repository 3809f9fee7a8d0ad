// The kernels with AVX-512F enabled (eight doubles per instruction). The
// target implies FMA; kernel_bodies.h turns contraction off so no multiply-
// add is fused and the results stay those of the other paths.
#include "kernel_table.h"
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#define OPTLAB_PATH avx512
#include "kernel_bodies.h"
#pragma clang attribute pop
#endif
