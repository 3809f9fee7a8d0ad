#!/bin/sh
# Regenerates Reports/workloads/ (about 40 CPU-minutes; JOBS=2 halves the wall time on 2 free cores).
# Run from the repository root: sh Reports/workloads/make.sh
#
# Per problem (charlm at its defaults, cnn with minibatches of 128): `optlab tune`
# picks each optimizer's learning rate on a 3-point log grid around its usual
# range (one seed, TUNE_STEPS steps, mean final training loss: --criterion final),
# then `optlab compare` runs the tuned specs on 3 seeds for the full budget
# (plus K-FAC, tuned the same way, on the cnn); the run sets are merged and reported.
set -eu
if [ -z "${OPTLAB:-}" ]; then make build >/dev/null; OPTLAB=.build/release/optlab; fi
OUT=Reports/workloads
SCRATCH=${TMPDIR:-/tmp}/optlab-workloads
JOBS=${JOBS:-1}
TUNE_STEPS=${TUNE_STEPS:-300}
# RESUME=1 keeps finished tunings and comparisons in $SCRATCH.
[ "${RESUME:-0}" = 1 ] || rm -rf "$SCRATCH"
rm -rf "$OUT/plots" "$OUT"/traces.csv "$OUT"/summary.* "$OUT"/manifest.json "$OUT"/report.html "$OUT"/tuning
mkdir -p "$SCRATCH" "$OUT/tuning"

# problem | steps of the comparison | optimizer=grid pairs
run_problem() {
  tag=$1; problem=$2; steps=$3; shift 3
  set -- "$@"
  tuned=""
  for pair in "$@"; do
    opt=${pair%=*}; grid=${pair##*=}
    name=$(echo "$opt" | tr -c 'a-z0-9\n' '_')
    grep -q '→' "$SCRATCH/tune-$tag-$name.txt" 2>/dev/null || $OPTLAB tune --problem "$problem" --optimizer "$opt" --grid "lr=$grid" --criterion final \
      --steps "$TUNE_STEPS" --jobs "$JOBS" --quiet --out "$SCRATCH/tune-$tag-$name" > "$SCRATCH/tune-$tag-$name.txt"
    cp "$SCRATCH/tune-$tag-$name/tuning.csv" "$OUT/tuning/$tag-$name.csv"
    tuned="$tuned $(awk '/→/ {print $NF}' "$SCRATCH/tune-$tag-$name.txt")"
  done
  set --
  for spec in $tuned; do set -- "$@" --optimizer "$spec"; done
  $OPTLAB compare --problem "$problem" "$@" --seeds 0..2 --steps "$steps" --jobs "$JOBS" --quiet --resume \
    --out "$SCRATCH/compare-$tag" >/dev/null
}

ADAM_GRID=1e-3..1e-2:3
run_problem charlm charlm "${CHARLM_STEPS:-1500}" \
  "adamw=$ADAM_GRID" "adam=$ADAM_GRID" "adan=$ADAM_GRID" "lion=1e-4..1e-3:3" "sgd(lr=0.1,momentum=0.9)=0.03..0.3:3"
run_problem cnn 'cnn(batch=128)' "${CNN_STEPS:-1000}" \
  "adamw=$ADAM_GRID" "adam=$ADAM_GRID" "adan=$ADAM_GRID" "lion=1e-4..1e-3:3" "sgd(lr=0.1,momentum=0.9)=0.01..0.1:3" \
  "kfac=1e-3..1e-1:3"

$OPTLAB merge "$SCRATCH"/compare-* --out "$OUT"
$OPTLAB report "$OUT" >/dev/null
for P in charlm 'cnn(batch=128)'; do
  F=${P%%(*}
  $OPTLAB plot "$OUT/traces.csv" --problem "$P" --x step --y loss --out "$OUT/plots/$F-loss-vs-step.svg" \
    --title "$F: training loss against steps"
  $OPTLAB plot "$OUT/traces.csv" --problem "$P" --x time_s --y loss --log-x --out "$OUT/plots/$F-loss-vs-time.svg" \
    --title "$F: training loss against optimizer seconds"
done
$OPTLAB plot "$OUT/traces.csv" --problem charlm --x step --y test_metric --linear-y \
  --out "$OUT/plots/charlm-bits-vs-step.svg" --title "charlm: held-out bits per character against steps"
$OPTLAB plot "$OUT/traces.csv" --problem charlm --x time_s --y test_metric --linear-y --log-x \
  --out "$OUT/plots/charlm-bits-vs-time.svg" --title "charlm: held-out bits per character against optimizer seconds"
$OPTLAB plot "$OUT/traces.csv" --problem 'cnn(batch=128)' --x step --y test_metric --linear-y \
  --out "$OUT/plots/cnn-accuracy-vs-step.svg" --title "cnn: test accuracy against steps"
$OPTLAB plot "$OUT/traces.csv" --problem 'cnn(batch=128)' --x time_s --y test_metric --linear-y --log-x \
  --out "$OUT/plots/cnn-accuracy-vs-time.svg" --title "cnn: test accuracy against optimizer seconds"
echo "wrote $OUT (report.html, summary.md, plots/)"
