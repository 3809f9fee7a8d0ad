#!/bin/sh
# Regenerates Reports/second-order/ (about 10 CPU-minutes on one core).
# Run from the repository root: sh Reports/second-order/make.sh
set -eu
make build >/dev/null
OPTLAB=.build/release/optlab
OUT=Reports/second-order
SCRATCH=${TMPDIR:-/tmp}/optlab-second-order
rm -rf "$SCRATCH" "$OUT/plots" "$OUT"/traces.csv "$OUT"/summary.* "$OUT"/manifest.json "$OUT"/report.html
mkdir -p "$SCRATCH"

# The Newton family, its baselines, and gradient descent (GSL's steepest
# descent with its line search).
set -- \
  --optimizer newton \
  --optimizer 'damped_newton(rule=aicn)' --optimizer 'damped_newton(rule=rn)' \
  --optimizer 'damped_newton(rule=un)' --optimizer 'damped_newton(rule=greedy)' \
  --optimizer 'damped_newton(rule=grls)' --optimizer 'damped_newton(rule=self_concordant)' \
  --optimizer regularized_newton --optimizer cubic \
  --optimizer lazy_newton --optimizer lazy_cubic \
  --optimizer gns --optimizer 'gns(curvature=ggn)' \
  --optimizer newton_cg --optimizer lbfgs --optimizer gsl_steepest_descent

# 1. Chained Rosenbrock, d = 40, five random starts x0 + 0.1‖x0‖·N(0, I)/√n.
$OPTLAB compare --problem 'rosenbrock(d=40,instance=random)' --seeds 0..4 "$@" \
  --steps 500 --target-gap 1e-12 --jobs 1 --quiet --out "$SCRATCH/rosenbrock" >/dev/null

# 2. Logistic and softmax regression (deterministic: one seed). Fisher GNS
#    only exists for these linear models.
$OPTLAB compare --problem 'logreg(data=breast_cancer)' --problem 'softmax(data=digits)' "$@" \
  --optimizer 'gns(curvature=fisher)' \
  --steps 200 --target-gap 1e-12 --jobs 1 --quiet --out "$SCRATCH/learning" >/dev/null

$OPTLAB merge "$SCRATCH/rosenbrock" "$SCRATCH/learning" --out "$OUT"
$OPTLAB report "$OUT" >/dev/null
$OPTLAB plot "$OUT/traces.csv" --x step --out "$OUT/plots/gap-vs-step.svg" --title "gap against steps"
# Per Hessian evaluation: only the methods that evaluate Hessians.
$OPTLAB plot "$OUT/traces.csv" --x hess_evals --out "$OUT/plots/gap-vs-hess_evals.svg" \
  --optimizer newton --optimizer damped_newton --optimizer 'damped_newton(rule=aicn)' \
  --optimizer 'damped_newton(rule=rn)' --optimizer 'damped_newton(rule=greedy)' \
  --optimizer 'damped_newton(rule=grls)' --optimizer 'damped_newton(rule=self_concordant)' \
  --optimizer regularized_newton --optimizer cubic --optimizer lazy_newton --optimizer lazy_cubic \
  --optimizer gns --optimizer 'gns(curvature=ggn)' --optimizer 'gns(curvature=fisher)' \
  --title "gap against Hessian evaluations (lazy methods: one per m steps)"

# 3. The lazy-Hessian saving at d = 500: total time to gap 1e-10 as m varies.
#    Zakharov is convex with a Hessian that changes along the path; its
#    generic (dual-number) Hessian costs O(d³), so refreshes dominate.
LAZY=""
for m in 1 5 20 50 200 500; do LAZY="$LAZY --optimizer lazy_newton(m=$m) --optimizer lazy_cubic(m=$m)"; done
# shellcheck disable=SC2086
$OPTLAB compare --problem 'zakharov(d=500)' $LAZY --steps 5000 --time-limit 120 \
  --target-gap 1e-10 --jobs 1 --quiet --out "$SCRATCH/lazy" >/dev/null
mkdir -p "$OUT/lazy"
cp "$SCRATCH/lazy/summary.csv" "$SCRATCH/lazy/traces.csv" "$OUT/lazy/"
$OPTLAB plot "$SCRATCH/lazy/traces.csv" --x time_s --out "$OUT/plots/lazy-gap-vs-time.svg" \
  --title "lazy Hessians on zakharov(d=500): gap against seconds as m varies"
