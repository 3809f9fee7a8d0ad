#!/usr/bin/env python3
"""Reports/bbob: runtime ECDFs, ERT tables and convergence figures from COCO data.

Reads every algorithm folder under COCO_DIR with cocopp (the lab's folders
written by `optlab export --format coco`, pycma's written by COCO's own
observer), and writes into OUT:

  ecdf-d<D>.svg         runtime ECDFs (all functions and COCO's five groups)
  convergence-d<D>.png  per function: median over instances of the best f - f* so far
  summary.md            ECDF areas per dimension and group, the BIPOP check, ERT tables
  ecdf-area.csv, ert.csv

Runtime ECDF (COCO's definition, without cocopp's simulated restarts): over
all (function, instance, target) pairs with COCO's 51 targets 10^(i/5),
i = 2 ... -8, the fraction reached within a budget of x evaluations per
dimension. Its area is the mean over pairs of (log10 B - log10 max(1, t/d)) /
log10 B for reached pairs (t = evaluations to the target), 0 otherwise,
with B the budget per dimension: 1 means everything solved at once.

Usage: analyze.py COCO_DIR OUT --budget K
"""
import argparse, csv, math, os, warnings

import numpy as np

warnings.simplefilter('ignore')
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import cocopp

plt.rcParams['svg.fonttype'] = 'none'   # text as text: smaller files

GROUPS = [('all', range(1, 25)), ('separable f1-f5', range(1, 6)), ('low/moderate cond. f6-f9', range(6, 10)),
          ('high cond. f10-f14', range(10, 15)), ('multimodal f15-f19', range(15, 20)),
          ('weak structure f20-f24', range(20, 25))]
TARGETS = [float(np.power(10, i / 5)) for i in range(10, -41, -1)]
NAMES = {
    'cmaes_active-true_restarts-bipop_sigma-2': 'lab cmaes BIPOP', 'cmaes_active-true_restarts-ipop_sigma-2': 'lab cmaes IPOP',
    'cmaes_active-true_sigma-2_stop-hansen': 'lab cmaes', 'nelder_mead_restarts-1000': 'lab nelder_mead+restarts',
    'zo_sgd': 'lab zo_sgd', 'zo_adam': 'lab zo_adam', 'pycma-bipop': 'pycma BIPOP (external)',
}


def load(coco_dir):
    algs = {}
    for folder in sorted(os.listdir(coco_dir)):
        path = os.path.join(coco_dir, folder)
        if not os.path.isdir(path):
            continue
        dsl = cocopp.pproc.DataSetList(path)
        algs[NAMES.get(folder, folder)] = {(ds.funcId, ds.dim): ds for ds in dsl}
    return algs


def runtimes(ds):
    """Evaluations to each target per run (nan when not reached)."""
    return np.array(ds.detEvals(TARGETS))   # targets x runs


def ecdf_area(dsets, functions, dim, budget):
    scores = []
    logb = math.log10(budget)
    for f in functions:
        ds = dsets.get((f, dim))
        if ds is None:
            continue
        for t in runtimes(ds).ravel():
            scores.append(0.0 if not np.isfinite(t) else max(0.0, logb - math.log10(max(1.0, t / dim))) / logb)
    return float(np.mean(scores)) if scores else float('nan')


def ecdf_curve(dsets, functions, dim, grid):
    values = []
    for f in functions:
        ds = dsets.get((f, dim))
        if ds is not None:
            values.extend((runtimes(ds) / dim).ravel())
    values = np.array(values)
    if values.size == 0:
        return np.full(grid.shape, np.nan)
    return np.array([np.mean(np.nan_to_num(values, nan=np.inf) <= g) for g in grid])


def ert(ds, target):
    return float(ds.detERT([target])[0])


def convergence(ds):
    """evals, median over runs of the best f - f* after that many evaluations."""
    fv = ds.funvals
    evals, med = fv[:, 0], np.median(fv[:, 1:], axis=1)
    if len(evals) > 120:   # thin to about 100 points, log-spaced in evaluations
        keep = np.unique(np.searchsorted(evals, np.logspace(0, np.log10(evals[-1]), 100)).clip(0, len(evals) - 1))
        evals, med = evals[keep], med[keep]
    return evals, med


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('coco_dir')
    ap.add_argument('out')
    ap.add_argument('--budget', type=float, required=True, help='evaluations per dimension')
    args = ap.parse_args()
    algs = load(args.coco_dir)
    names = list(algs)
    dims = sorted({d for a in algs.values() for (_, d) in a})
    os.makedirs(args.out, exist_ok=True)
    lines = ['# bbob: the lab\'s black-box optimizers next to pycma\'s BIPOP-CMA-ES', '']
    areas = {}
    grid = np.logspace(0, math.log10(args.budget), 100)
    with open(os.path.join(args.out, 'ecdf-area.csv'), 'w', newline='') as fh:
        w = csv.writer(fh)
        w.writerow(['algorithm', 'dimension', 'group', 'ecdf_area'])
        for d in dims:
            fig, axes = plt.subplots(2, 3, figsize=(15, 8.5), sharex=True, sharey=True)
            for ax, (group, functions) in zip(axes.ravel(), GROUPS):
                for name in names:
                    area = ecdf_area(algs[name], functions, d, args.budget)
                    areas[(name, d, group)] = area
                    w.writerow([name, d, group, '%.6f' % area])
                    ax.semilogx(grid, ecdf_curve(algs[name], functions, d, grid), label=name,
                                lw=2.2 if 'BIPOP' in name else 1.2, ls='--' if 'pycma' in name else '-')
                ax.set_title('%s, d = %d' % (group, d))
                ax.set_ylim(0, 1)
                ax.grid(alpha=0.3)
            for ax in axes[1]:
                ax.set_xlabel('evaluations / dimension')
            for ax in axes[:, 0]:
                ax.set_ylabel('fraction of (function, instance, target) pairs')
            axes[0, 0].legend(fontsize=8, loc='upper left')
            fig.suptitle('Runtime ECDFs, bbob instances 1-5, 51 targets 1e2 ... 1e-8, budget %g·d' % args.budget)
            fig.tight_layout()
            fig.savefig(os.path.join(args.out, 'ecdf-d%d.svg' % d))
            plt.close(fig)
            # Per-function convergence.
            fig, axes = plt.subplots(4, 6, figsize=(20, 12), sharex=True)
            for f, ax in zip(range(1, 25), axes.ravel()):
                for name in names:
                    ds = algs[name].get((f, d))
                    if ds is None:
                        continue
                    evals, med = convergence(ds)
                    ax.loglog(np.maximum(evals / d, 1e-1), np.maximum(med, 1e-9), label=name,
                              lw=2 if 'BIPOP' in name else 1, ls='--' if 'pycma' in name else '-')
                ax.set_title('f%d' % f, fontsize=9)
                ax.axhline(1e-8, color='k', lw=0.5)
            axes[0, 0].legend(fontsize=6)
            fig.suptitle('Median over instances 1-5 of the best f - f* against evaluations / dimension, d = %d' % d)
            fig.tight_layout()
            fig.savefig(os.path.join(args.out, 'convergence-d%d.png' % d), dpi=70)
            plt.close(fig)

    lines += ['Runtime ECDF areas (1 = every target at once; 0 = none within %g·d evaluations):' % args.budget, '']
    header = '| algorithm | d | ' + ' | '.join(g for g, _ in GROUPS) + ' |'
    lines += [header, '|' + '---|' * (len(GROUPS) + 2)]
    for d in dims:
        for name in names:
            lines.append('| %s | %d | ' % (name, d) + ' | '.join('%.3f' % areas[(name, d, g)] for g, _ in GROUPS) + ' |')
    lines += ['']
    lab, ref = 'lab cmaes BIPOP', 'pycma BIPOP (external)'
    if lab in algs and ref in algs:
        lines += ['BIPOP check (target: the lab\'s ECDF area within 5 % of pycma\'s in every dimension):', '']
        for d in dims:
            a, b = areas[(lab, d, 'all')], areas[(ref, d, 'all')]
            lines.append('- d = %d: lab %.4f, pycma %.4f, ratio %.3f — %s' % (
                d, a, b, a / b, 'within 5 %' if abs(a / b - 1) <= 0.05 else 'NOT within 5 %'))
        lines += ['']
    with open(os.path.join(args.out, 'ert.csv'), 'w', newline='') as fh:
        w = csv.writer(fh)
        w.writerow(['algorithm', 'dimension', 'function', 'target', 'ert', 'successes', 'runs'])
        for d in dims:
            for target, label in ((1e-2, '1e-2'), (1e-8, '1e-8')):
                lines += ['ERT / d to reach f − f* ≤ %s, d = %d (successes/runs; ∞: none):' % (label, d), '',
                          '| f | ' + ' | '.join(names) + ' |', '|' + '---|' * (len(names) + 1)]
                for f in range(1, 25):
                    cells = []
                    for name in names:
                        ds = algs[name].get((f, d))
                        if ds is None:
                            cells.append('–')
                            continue
                        e = ert(ds, target)
                        succ = int(np.sum(np.isfinite(ds.detEvals([target])[0])))
                        w.writerow([name, d, f, label, e, succ, ds.nbRuns()])
                        cells.append(('%.3g' % (e / d) if np.isfinite(e) else '∞') + ' (%d/%d)' % (succ, ds.nbRuns()))
                    lines.append('| f%d | ' % f + ' | '.join(cells) + ' |')
                lines += ['']
    lines += ['Figures: ' + ', '.join('[ecdf-d%d.svg](ecdf-d%d.svg), [convergence-d%d.png](convergence-d%d.png)'
                                       % (d, d, d, d) for d in dims), '']
    with open(os.path.join(args.out, 'summary.md'), 'w') as fh:
        fh.write('\n'.join(lines))
    print('\n'.join(lines[:6 + len(dims) * len(names) + 3 + len(dims) + 2]))


if __name__ == '__main__':
    main()
