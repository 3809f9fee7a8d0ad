#!/bin/sh
# Regenerates Reports/zeroth-order/ (about 10 CPU-minutes on one core).
# Run from the repository root: sh Reports/zeroth-order/make.sh
#
# 1. MGH problems (smooth and with relative noise 1e-3) and multimodal
#    functions, a budget of 2000 function evaluations per run, three seeds.
#    The step sizes of zo_sgd, zo_adam, mezo and of first-order adam are
#    tuned per problem on a log grid (seed 0); Nelder–Mead and CMA-ES run
#    with their defaults.
# 2. mlp(data=digits): deepzero (sparse CGE, feature reuse), mezo, zo_adam
#    and zo_sgd against first-order adam, on minibatches of 128.
set -eu
make build >/dev/null
OPTLAB=.build/release/optlab
OUT=Reports/zeroth-order
SCRATCH=${TMPDIR:-/tmp}/optlab-zeroth-order
rm -rf "$SCRATCH" "$OUT/plots" "$OUT"/traces.csv* "$OUT"/summary.* "$OUT"/manifest.json "$OUT"/report.html "$OUT"/tuning.csv "$OUT/mlp"
mkdir -p "$SCRATCH"

PROBLEMS="rosenbrock beale helical_valley wood powell_singular box3d extended_rosenbrock trigonometric
rosenbrock(noise=1e-3) beale(noise=1e-3) helical_valley(noise=1e-3) wood(noise=1e-3) box3d(noise=1e-3)
rastrigin ackley himmelblau six_hump_camel branin griewank levy"
set --
for P in $PROBLEMS; do set -- "$@" --problem "$P"; done
$OPTLAB tune "$@" --optimizer zo_sgd --optimizer zo_adam --optimizer mezo --optimizer adam \
  --grid lr=1e-4..10:11 --max-evals 2000 --steps 100000 --jobs 1 --quiet --out "$SCRATCH/tune" > "$SCRATCH/tune.txt"
cp "$SCRATCH/tune/tuning.csv" "$OUT/tuning.csv"

i=0
for P in $PROBLEMS; do
  i=$((i + 1))
  name=$($OPTLAB describe "$P" | sed -n 's/^problem: \([^ ]*\) .*/\1/p')
  set --
  for spec in $(awk -v p="$P" -v q="$name" '($1 == p || $1 == q) && /→/ {print $NF}' "$SCRATCH/tune.txt"); do
    set -- "$@" --optimizer "$spec"
  done
  $OPTLAB compare --problem "$P" "$@" --optimizer nelder_mead --optimizer cmaes --seeds 0..2 \
    --max-evals 2000 --steps 100000 --jobs 1 --quiet --out "$SCRATCH/cmp-$i" >/dev/null \
    || [ $? -eq 1 ]   # 1: some run ended in error (Nelder–Mead on helical_valley); the files are written
done
$OPTLAB merge "$SCRATCH"/cmp-* --out "$OUT"
$OPTLAB report "$OUT" >/dev/null
$OPTLAB plot "$OUT/traces.csv" --x cost --out "$OUT/plots/gap-vs-evaluations.svg" \
  --title "gap against function evaluations (adam: 2 per gradient, the lab's cost)"
gzip -f "$OUT/traces.csv"   # 3.6 MB of traces; gunzip before re-plotting

# 2. The network: equal budgets of 200,000 function evaluations for the
#    zeroth-order methods; adam (first order) for 2,000 steps.
MLP='mlp(data=digits,batch=128)'
$OPTLAB compare --problem "$MLP" --optimizer 'deepzero(sparsity=0.9,lr=0.05)' --optimizer 'deepzero(lr=0.05)' \
  --optimizer 'mezo(lr=0.001)' --optimizer 'zo_adam(lr=0.01)' --optimizer 'zo_sgd(lr=0.001,q=10)' \
  --max-evals 200000 --steps 1000000 --jobs 1 --quiet --out "$SCRATCH/mlp-zo" >/dev/null
$OPTLAB compare --problem "$MLP" --optimizer 'adam(lr=0.01)' --steps 2000 --jobs 1 --quiet --out "$SCRATCH/mlp-fo" >/dev/null
$OPTLAB merge "$SCRATCH/mlp-zo" "$SCRATCH/mlp-fo" --out "$OUT/mlp"
$OPTLAB report "$OUT/mlp" >/dev/null
$OPTLAB plot "$OUT/mlp/traces.csv" --x step --y test_metric --linear-y --log-x \
  --out "$OUT/mlp/plots/test-accuracy-vs-step.svg" --title "mlp(digits): test accuracy against steps"
$OPTLAB plot "$OUT/mlp/traces.csv" --x cost --y loss --log-x \
  --out "$OUT/mlp/plots/loss-vs-evaluations.svg" --title "mlp(digits): training loss against function evaluations"
