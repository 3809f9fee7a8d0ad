#!/usr/bin/env python3
"""`make coco-check`: the lab's bbob suite and COCO data against COCO itself.

1. Values: for f = 1..24, instances 1..5, d in {2, 5, 10, 20}, 1,000 random
   points per case (half uniform in [-5, 5]^d, half in [-6, 6]^d, outside
   COCO's box where the penalties act), `optlab eval` against `cocoex`
   (coco-experiment 2.8.2): the largest relative difference must be <= 1e-12.
2. Data: runs cmaes(restarts=bipop) and nelder_mead(restarts=1000) on the
   bbob-small suite (d = 2, 3; budget 200*d), exports the run set with
   `optlab export --format coco`, loads every folder with cocopp and compares
   cocopp's ERT per (function, dimension, target) with the lab's ert.csv for
   COCO's 51 targets: <= 1e-9 relative (both infinite counts as equal).

Usage: coco_check.py OPTLAB [--points 1000] [--work DIR]
"""
import argparse, csv, math, os, subprocess, sys, tempfile, warnings

import numpy as np


def check_values(optlab, points, work):
    import cocoex
    rng = np.random.default_rng(20260)
    suite = cocoex.Suite('bbob', 'instances: 1-5', 'dimensions: 2,5,10,20')
    worst, worst_case, cases = 0.0, None, 0
    path = os.path.join(work, 'points.csv')
    for p in suite:
        f, d, inst = p.id_function, p.dimension, p.id_instance
        half = points // 2
        X = np.vstack([rng.uniform(-5, 5, (half, d)), rng.uniform(-6, 6, (points - half, d))])
        np.savetxt(path, X, delimiter=',', fmt='%.17g')
        out = subprocess.run([optlab, 'eval', '--problem', f'bbob(f={f},instance={inst},d={d})', '--points', path],
                             capture_output=True, text=True, check=True).stdout.split()
        lab = np.array([float(v) for v in out[1:]])
        ref = np.array([p(x) for x in X])
        rel = np.abs(lab - ref) / np.maximum(np.abs(ref), 1e-300)
        cases += 1
        if rel.max() > worst:
            worst, worst_case = float(rel.max()), p.id
    print(f'values: {cases} cases x {points} points, largest relative difference {worst:.3g}'
          + (f' ({worst_case})' if worst_case else ''))
    return worst <= 1e-12


def check_ert(optlab, work):
    import cocopp
    runs, export = os.path.join(work, 'runs'), os.path.join(work, 'coco')
    subprocess.run([optlab, 'compare', '--suite', 'bbob-small', '--dims', '2,3', '--max-evals-per-dim', '200',
                    '--optimizer', 'cmaes(restarts=bipop,sigma=2)', '--optimizer', 'nelder_mead(restarts=1000)',
                    '--out', runs, '--quiet'], check=True, capture_output=True)
    subprocess.run([optlab, 'export', '--format', 'coco', runs, export], check=True)
    lab = {}
    with open(os.path.join(export, 'ert.csv')) as fh:
        for row in csv.DictReader(fh):
            key = (row['folder'], int(row['function']), int(row['dimension']))
            lab.setdefault(key, []).append((float(row['target']), float(row['ert'])))
    worst, compared = 0.0, 0
    for folder in sorted({k[0] for k in lab}):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            dsl = cocopp.pproc.DataSetList(os.path.join(export, folder))
        for ds in dsl:
            entries = lab[(folder, ds.funcId, ds.dim)]
            theirs = ds.detERT([t for t, _ in entries])
            for (t, mine), other in zip(entries, theirs):
                compared += 1
                if math.isinf(mine) and math.isinf(other):
                    continue
                rel = abs(mine - other) / max(abs(other), 1e-300)
                if not rel <= worst:
                    worst = rel
                    if rel > 1e-9:
                        print(f'  ERT differs: {folder} f{ds.funcId} d{ds.dim} target {t:g}: lab {mine} cocopp {other}')
    print(f'ERT: {compared} (optimizer, function, dimension, target) entries, largest relative difference {worst:.3g}')
    return compared > 0 and worst <= 1e-9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('optlab')
    ap.add_argument('--points', type=int, default=1000)
    ap.add_argument('--work')
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix='coco-check-')
    os.makedirs(work, exist_ok=True)
    optlab = os.path.abspath(args.optlab)
    os.chdir(work)
    ok_values = check_values(optlab, args.points, work)
    ok_ert = check_ert(optlab, work)
    print('coco-check:', 'PASS' if ok_values and ok_ert else 'FAIL', f'(work files in {work})')
    sys.exit(0 if ok_values and ok_ert else 1)


if __name__ == '__main__':
    main()
