// System-library shim for GSL: declarations only, no stable Swift API.
//
// OpenBLAS's <cblas.h> is the only CBLAS declaration in the program. GSL's
// own gsl_cblas.h declares the same enums with different contents, which
// Clang rejects when both C modules meet in one Swift module; defining its
// include guard first keeps it out. (libgsl still loads libgslcblas, but the
// executable links libopenblas directly, so OpenBLAS's symbols win.)
#include <cblas.h>
#define __GSL_CBLAS_H__ 1
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_min.h>

// Function accessors for GSL's global `const gsl_rng_type *` and multimin
// type variables, so Swift 6 code never reads a C global variable directly.
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_multimin_fdfminimizer_type *cgsl_fdf_bfgs2(void) { return gsl_multimin_fdfminimizer_vector_bfgs2; }
static inline const gsl_multimin_fdfminimizer_type *cgsl_fdf_conjugate_fr(void) { return gsl_multimin_fdfminimizer_conjugate_fr; }
static inline const gsl_multimin_fdfminimizer_type *cgsl_fdf_conjugate_pr(void) { return gsl_multimin_fdfminimizer_conjugate_pr; }
static inline const gsl_multimin_fdfminimizer_type *cgsl_fdf_steepest_descent(void) { return gsl_multimin_fdfminimizer_steepest_descent; }
static inline const gsl_multimin_fminimizer_type *cgsl_f_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }
static inline const gsl_min_fminimizer_type *cgsl_min_brent(void) { return gsl_min_fminimizer_brent; }
