#!/bin/sh
# Regenerates Reports/transformer/ (about 12 CPU-minutes at the defaults: 70 runs, 18,000 steps; see README.md).
# Run from the repository root: sh Reports/transformer/make.sh
#
# On charlm (defaults: d = 64, 2 blocks, 4 heads, context 64, 16 windows per step)
# `optlab tune` picks each optimizer's learning rate on a 3-point log grid at one
# weight decay, then tries a second weight decay at that rate (one seed, TUNE_STEPS
# steps, mean final training loss: --criterion final); the better spec goes on.
# `optlab compare` then runs the ten tuned specs on 3 seeds for STEPS steps.
# Sizes: TUNE_STEPS, STEPS, SEEDS, LOG_EVERY. JOBS runs at once (default 1).
# RESUME=1 keeps finished tunings and runs in $SCRATCH (a failed or interrupted
# make.sh loses nothing that finished; a new optimizer only adds its own runs).
set -eu
if [ -z "${OPTLAB:-}" ]; then make build >/dev/null; OPTLAB=.build/release/optlab; fi
OUT=Reports/transformer
SCRATCH=${TMPDIR:-/tmp}/optlab-transformer
JOBS=${JOBS:-1}
TUNE_STEPS=${TUNE_STEPS:-150}
STEPS=${STEPS:-400}
SEEDS=${SEEDS:-0..2}
# Logged (and so evaluated: 64 training and 64 held-out windows) every LOG_EVERY steps;
# tuning needs only the final loss. The evaluations are not timed but cost as much as the steps.
LOG_EVERY=${LOG_EVERY:-20}
PROBLEM=charlm
[ "${RESUME:-0}" = 1 ] || rm -rf "$SCRATCH"
rm -rf "$OUT/plots" "$OUT"/traces.csv "$OUT"/summary.* "$OUT"/manifest.json "$OUT"/report.html "$OUT"/tuning
mkdir -p "$SCRATCH" "$OUT/tuning"

# tune OPTIMIZER LR_GRID WD1 [WD2]: `optlab tune` picks lr on LR_GRID with
# weight_decay=WD1 ("-": the optimizer's own decay), then, at that lr, tries
# weight_decay=WD2 (one more run); the spec with the lower final training loss
# is appended to $SCRATCH/tuned.txt.
tune() {
  opt=$1; grid=$2; wd1=$3; wd2=${4:-}
  if [ "$wd1" = - ]; then base=$opt; else base=$(with_key "$opt" "weight_decay=$wd1"); fi
  run_tune "$base" "lr=$grid"
  best=$spec; best_loss=$loss
  if [ -n "$wd2" ]; then
    # The lr-tuned spec with its weight_decay key dropped, so the grid sets it.
    run_tune "$(echo "$best" | sed -E 's/([(,])weight_decay=[^,)]*/\1/; s/,,/,/; s/\(,/(/; s/,\)/)/; s/\(\)//')" "weight_decay=$wd2"
    if awk -v a="$loss" -v b="$best_loss" 'BEGIN {exit !(a < b)}'; then best=$spec; fi
  fi
  echo "$best" >> "$SCRATCH/tuned.txt"
}

# run_tune BASE GRID: one `optlab tune` (kept in $SCRATCH under RESUME=1); sets
# spec (the tuned spec) and loss (its mean final training loss).
run_tune() {
  name=$(echo "$1 $2" | tr -c 'a-z0-9\n' '_')
  txt="$SCRATCH/tune-$name.txt"
  grep -q '→' "$txt" 2>/dev/null || $OPTLAB tune --problem "$PROBLEM" --optimizer "$1" --grid "$2" \
    --criterion final --steps "$TUNE_STEPS" --log-every "$TUNE_STEPS" --jobs "$JOBS" --quiet --out "$SCRATCH/tune-$name" > "$txt"
  cp "$SCRATCH/tune-$name/tuning.csv" "$OUT/tuning/$name.csv"
  spec=$(awk '/→/ {print $NF}' "$txt")
  # tuning.csv ends in …,mean_best_loss,mean_final_loss,diverged,errors,selected (never quoted).
  loss=$(awk -F, '$NF == "true" {print $(NF-3)}' "$SCRATCH/tune-$name/tuning.csv")
}

# with_key 'name(a=1)' 'k=v' → 'name(a=1,k=v)'; with_key name 'k=v' → 'name(k=v)'
with_key() {
  case $1 in
    *\)) echo "${1%)},$2)" ;;
    *) echo "$1($2)" ;;
  esac
}

: > "$SCRATCH/tuned.txt"
ADAM_GRID=1e-3..1e-2:3
tune adamw "$ADAM_GRID" 0.01 0.1
tune 'nadam(decoupled_weight_decay=true)' "$ADAM_GRID" 0.01 0.1
tune lion 3e-4..3e-3:3 0.1 1
tune adan "$ADAM_GRID" 0.01 0.1
tune muon 3e-3..3e-2:3 0.01 0.1
tune soap "$ADAM_GRID" 0.01 0.1
tune schedulefree_adamw "$ADAM_GRID" 0.01 0.1
tune sophia 3e-4..3e-3:3 0.01 0.1
tune kfac 1e-3..1e-1:3 0 1e-4
# Shampoo (issue 19, helper branch shampoo19): skipped when this build has no `shampoo`.
if $OPTLAB spec shampoo >/dev/null 2>&1; then
  tune 'shampoo(beta2=0.999,grafting=adam,precondition_frequency=10)' "$ADAM_GRID" 0 0.01
else
  echo "note: this optlab has no shampoo; the report leaves it out" >&2
fi

set --
while read -r spec; do set -- "$@" --optimizer "$spec"; done < "$SCRATCH/tuned.txt"
$OPTLAB compare --problem "$PROBLEM" "$@" --seeds "$SEEDS" --steps "$STEPS" --log-every "$LOG_EVERY" --jobs "$JOBS" --quiet --resume \
  --out "$SCRATCH/compare" >/dev/null

$OPTLAB merge "$SCRATCH/compare" --out "$OUT"
$OPTLAB report "$OUT" >/dev/null
$OPTLAB plot "$OUT/traces.csv" --problem "$PROBLEM" --x step --y loss --out "$OUT/plots/loss-vs-step.svg" \
  --title "charlm: training loss against steps"
$OPTLAB plot "$OUT/traces.csv" --problem "$PROBLEM" --x time_s --y loss --log-x --out "$OUT/plots/loss-vs-time.svg" \
  --title "charlm: training loss against optimizer seconds"
$OPTLAB plot "$OUT/traces.csv" --problem "$PROBLEM" --x step --y test_metric --linear-y \
  --out "$OUT/plots/bits-vs-step.svg" --title "charlm: held-out bits per character against steps"
$OPTLAB plot "$OUT/traces.csv" --problem "$PROBLEM" --x time_s --y test_metric --linear-y --log-x \
  --out "$OUT/plots/bits-vs-time.svg" --title "charlm: held-out bits per character against optimizer seconds"
echo "wrote $OUT (report.html, summary.md, plots/, tuning/)"
