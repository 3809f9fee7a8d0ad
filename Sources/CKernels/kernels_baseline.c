// The kernels for the compiler's default target (x86-64: SSE2, two doubles
// per instruction; other architectures: their baseline vectors).
#include "kernel_table.h"
#define OPTLAB_PATH baseline
#include "kernel_bodies.h"
