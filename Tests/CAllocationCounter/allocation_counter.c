// Counts the heap allocations of one thread, for the tests that check that
// optimizer steps do not allocate. The test binary's malloc family is
// replaced by these forwarders to glibc's own entry points (__libc_*); the
// count and the switch are thread-local, so tests running in parallel on
// other threads do not disturb it. Linux/glibc only.
#include <errno.h>
#include <stddef.h>
#include "allocation_counter.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static __thread int counting;
static __thread long count;

static inline void note(void) { if (counting) count += 1; }

void optlab_allocations_start(void) { count = 0; counting = 1; }
long optlab_allocations_stop(void) { counting = 0; return count; }

void *malloc(size_t n) { note(); return __libc_malloc(n); }
void *calloc(size_t k, size_t n) { note(); return __libc_calloc(k, n); }
void *realloc(void *p, size_t n) { note(); return __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { note(); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { note(); return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n) {
    note();
    void *p = __libc_memalign(a, n);
    if (p == NULL) return ENOMEM;
    *out = p;
    return 0;
}
