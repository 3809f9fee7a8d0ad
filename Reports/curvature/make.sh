#!/bin/sh
# Regenerates Reports/curvature/ (about 10 CPU-minutes on one core).
# Run from the repository root: sh Reports/curvature/make.sh
#
# Per problem: `optlab tune` picks each method's learning rate on a log grid
# (mean final training loss over the seeds, --criterion final), then `optlab compare` runs
# the tuned specs plus L-BFGS; the run sets are merged and reported.
set -eu
make build >/dev/null
OPTLAB=.build/release/optlab
OUT=Reports/curvature
SCRATCH=${TMPDIR:-/tmp}/optlab-curvature
STEPS=${STEPS:-200}
rm -rf "$SCRATCH" "$OUT/plots" "$OUT"/traces.csv "$OUT"/summary.* "$OUT"/manifest.json "$OUT"/report.html "$OUT"/tuning
mkdir -p "$SCRATCH" "$OUT/tuning"

i=0
for P in 'mlp(data=digits)' 'softmax(data=digits)' 'logreg(data=breast_cancer)' 'hedging(paths=200)'; do
  i=$((i + 1))
  case "$P" in mlp*|hedging*) SEEDS=0..2 ;; *) SEEDS=0..0 ;; esac
  $OPTLAB tune --problem "$P" --optimizer kfac --optimizer mkor --optimizer mfac --optimizer adam \
    --optimizer 'sgd(lr=0.1,momentum=0.9)' --grid lr=1e-5..10:7 --criterion final --steps "$STEPS" --jobs 1 --quiet \
    --out "$SCRATCH/tune-$i" > "$SCRATCH/tune-$i.txt"
  cp "$SCRATCH/tune-$i/tuning.csv" "$OUT/tuning/tuning-$i.csv"
  set --
  for spec in $(awk '/→/ {print $NF}' "$SCRATCH/tune-$i.txt"); do set -- "$@" --optimizer "$spec"; done
  $OPTLAB compare --problem "$P" "$@" --optimizer lbfgs --seeds "$SEEDS" --steps "$STEPS" \
    --jobs 1 --quiet --out "$SCRATCH/compare-$i" >/dev/null
done

$OPTLAB merge "$SCRATCH"/compare-* --out "$OUT"
$OPTLAB report "$OUT" >/dev/null
$OPTLAB plot "$OUT/traces.csv" --x step --y loss --out "$OUT/plots/loss-vs-step.svg" --title "training loss against steps"
$OPTLAB plot "$OUT/traces.csv" --x time_s --y loss --log-x --out "$OUT/plots/loss-vs-time.svg" \
  --title "training loss against optimizer seconds"
$OPTLAB plot "$OUT/traces.csv" --x step --y test_metric --linear-y --out "$OUT/plots/test-accuracy-vs-step.svg" \
  --problem 'mlp' --problem 'softmax' --problem 'logreg' --title "test accuracy against steps"
