/* Reference trace for ZerothOrderComparatorTests (spec §11.6): GSL nmsimplex2 called directly.
   gcc gsl_nmsimplex2_paraboloid.c -lgsl -lgslcblas -lm && ./a.out */
#include <stdio.h>
#include <gsl/gsl_multimin.h>
static int calls = 0;
double f(const gsl_vector *v, void *p) { calls++; double x = gsl_vector_get(v,0), y = gsl_vector_get(v,1);
  return 10.0*(x-1.0)*(x-1.0) + 20.0*(y-2.0)*(y-2.0) + 30.0; }
int main(void) {
  gsl_multimin_function F = {f, 2, NULL};
  gsl_vector *x = gsl_vector_alloc(2), *s = gsl_vector_alloc(2);
  gsl_vector_set(x,0,5); gsl_vector_set(x,1,7); gsl_vector_set_all(s,1.0);
  gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 2);
  gsl_multimin_fminimizer_set(m, &F, x, s);
  printf("setup calls %d\n", calls);
  for (int it = 1; it <= 200; it++) {
    int before = calls;
    gsl_multimin_fminimizer_iterate(m);
    double size = gsl_multimin_fminimizer_size(m);
    printf("%d %d %.17g %.17g %.17g %.17g\n", it, calls-before, gsl_vector_get(m->x,0), gsl_vector_get(m->x,1), m->fval, size);
    if (gsl_multimin_test_size(size, 1e-2) == GSL_SUCCESS) { printf("converged\n"); break; }
  }
  return 0;
}
