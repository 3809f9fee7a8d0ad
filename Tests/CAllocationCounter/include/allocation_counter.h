#ifndef OPTLAB_ALLOCATION_COUNTER_H
#define OPTLAB_ALLOCATION_COUNTER_H

/// Starts counting heap allocations made by the calling thread (malloc,
/// calloc, realloc, posix_memalign, aligned_alloc, memalign) from zero.
void optlab_allocations_start(void);
/// Stops counting on the calling thread and returns the count.
long optlab_allocations_stop(void);

#endif
