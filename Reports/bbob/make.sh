#!/bin/sh
# Reports/bbob: the lab's black-box optimizers on COCO's bbob suite, next to
# Hansen's pycma BIPOP-CMA-ES, post-processed the COCO way.
#
#   Reports/bbob/make.sh            # budget 10^4·d (long: hours on 2 cores)
#   BUDGET=1000 Reports/bbob/make.sh
#
# Needs a Python with coco-experiment 2.8.2, cocopp, cma (pycma) and
# matplotlib: PYTHON=/path/to/python (default: .venv-coco/bin/python, made by
# `make coco-check`, plus `pip install cma matplotlib`).
set -eu
cd "$(dirname "$0")/../.."
BUDGET=${BUDGET:-10000}
DIMS=${DIMS:-2,5,10}
INSTANCES=${INSTANCES:-1-5}
PYTHON=${PYTHON:-.venv-coco/bin/python}
WORK=${WORK:-Reports/bbob/work}
OUT=Reports/bbob

swift build -c release -Xcc -fno-math-errno --product optlab
mkdir -p "$WORK"

# 1. pycma BIPOP on the same problems and budget (COCO's own observer writes
#    the data), in the background while the lab runs.
if [ ! -f "$WORK/pycma/done-$BUDGET-$DIMS" ]; then
    rm -rf "$WORK/pycma"
    ( "$PYTHON" Benchmarks/reference/pycma_bbob.py --dims "$DIMS" --instances "$INSTANCES" \
        --evals-per-dim "$BUDGET" --out "$WORK/pycma" > "$WORK/pycma.log" 2>&1 \
      && touch "$WORK/pycma/done-$BUDGET-$DIMS" ) &
fi

# 2. The lab: bbob-small (instances 1-5), cmaes none/ipop/bipop (active
#    covariance update, sigma0 = 2, pycma's stopping rules), nelder_mead with
#    restarts, zo_sgd, zo_adam; runs stop at COCO's final target f* + 1e-8.
.build/release/optlab run --suite bbob-small --dims "$DIMS" --max-evals-per-dim "$BUDGET" \
    --target-gap 1e-8 --out "$WORK/lab" --quiet --resume
rm -rf "$WORK/coco"
.build/release/optlab export --format coco "$WORK/lab" "$WORK/coco"
wait
[ -f "$WORK/pycma/done-$BUDGET-$DIMS" ] || { echo "pycma runs failed, see $WORK/pycma.log"; exit 1; }
cp -r "$WORK/pycma/exdata/pycma-bipop" "$WORK/coco/pycma-bipop"

# 3. ECDFs, ERT tables, convergence figures and the summary (cocopp reads every folder).
"$PYTHON" Reports/bbob/analyze.py "$WORK/coco" "$OUT" --budget "$BUDGET"
echo "Reports/bbob: see $OUT/summary.md, $OUT/*.svg, $OUT/*.png (full cocopp report: $PYTHON -m cocopp $WORK/coco/*)"
