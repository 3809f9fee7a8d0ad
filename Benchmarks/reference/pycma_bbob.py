#!/usr/bin/env python3
"""Hansen's pycma with BIPOP restarts on COCO's bbob suite, logged by COCO itself.

The external row of Reports/bbob: `cma.fmin2(problem, x0, 2, restarts=9,
bipop=True)` (pycma's defaults otherwise: active CMA, its termination
criteria) on bbob f1-f24, the given instances and dimensions, with a budget of
K*d evaluations per run (pycma's `maxfevals`) and a stop at COCO's
final target f* + 1e-8 (`final_target_hit`, as COCO's experiments do).
x0 is COCO's `initial_solution` (the origin), as for the lab's runs; restarts
start from x0 again (pycma's behaviour for an array x0).

COCO's bbob observer writes the data (folder `pycma-bipop` under the result
folder), which cocopp reads next to `optlab export --format coco` output.

Versions used for Reports/bbob: cma 4.5.0, coco-experiment 2.8.2.
Usage: pycma_bbob.py --dims 2,5,10 --instances 1-5 --evals-per-dim 10000 --out DIR
"""
import argparse, os, warnings

import cma
import cocoex
import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dims', default='2,5,10')
    ap.add_argument('--instances', default='1-5')
    ap.add_argument('--functions', default='1-24')
    ap.add_argument('--evals-per-dim', type=int, default=10000)
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    os.chdir(args.out)
    suite = cocoex.Suite('bbob', 'instances: ' + args.instances,
                         'dimensions: %s function_indices: %s' % (args.dims, args.functions))
    observer = cocoex.Observer('bbob', 'result_folder: pycma-bipop algorithm_name: pycma-bipop '
                               'algorithm_info: "cma %s fmin2 restarts=9 bipop=True sigma0=2"' % cma.__version__)
    warnings.simplefilter('ignore')
    for problem in suite:
        problem.observe_with(observer)
        budget = args.evals_per_dim * problem.dimension
        x0 = problem.initial_solution
        # Stop at COCO's final target (f* + 1e-8), which cocoex 2.8 reports as final_target_hit.
        options = {'maxfevals': budget, 'verbose': -9, 'seed': 1,
                   'termination_callback': lambda es, p=problem: bool(p.final_target_hit)}
        cma.fmin2(problem, x0, 2, options, restarts={'maxrestarts': 9, 'maxfevals': budget}, bipop=True)
        problem.free()
    print('pycma BIPOP runs written to', os.path.join(args.out, 'exdata', 'pycma-bipop'))


if __name__ == '__main__':
    main()
