#!/usr/bin/env python3
"""Regenerates Tests/OptimizersTests/ReferenceTrajectoriesAdaptive.swift.

The adaptive methods of issue 18 (adopt, ademamix, mars, schedulefree_adamw,
schedulefree_sgd, prodigy) run as their OFFICIAL implementations in float64
for 200 steps on the three problems of make_reference.py, plus
softmax(data=digits) (a [10, 64] weight matrix and a [10] bias: the matrix
blocks MARS treats differently), written here in torch exactly as the lab's
Problems/Learning does it (rows i % 5 == 4 held out, features standardised
with the training rows' mean and population std, x0 = 0, mean cross-entropy
+ (l2/2)·‖W‖² with l2 = 1e-3). The script checks f(x0) against ln 10.

Schedule-Free methods train at y and are judged at x = lerp(y, z, 1 − 1/β)
(the reference's eval()): their loss column is f(x), computed from a copy
so that y is never touched (calling eval()/train() in the loop would round
y on every round trip); the final point is y, the optimizer's iterate.

Pinned environment:
    /tmp/venv/bin/pip install torch==2.15.0 prodigyopt==1.1.2 schedulefree==1.4.1
Single-file official implementations, passed by path (not vendored here):
    --adopt     iShohei220/adopt src/adopt/adopt.py            (commit 6468572)
    --ademamix  apple/ml-ademamix pytorch/ademamix.py          (commit c3d73c0)
    --mars      AGI-Arena/MARS MARS/optimizers/mars.py         (commit 4831e28)

Notes on the references (no update code is changed):
  * mars.py decorates its Newton–Schulz helper (mars-shampoo only) with
    @torch.compile at import; the script replaces that decorator by the
    identity, which changes nothing for mars-adamw / mars-lion.
  * mars(approx=false): on these full-batch problems the gradient at the
    previous point on the current batch IS the previous gradient, so the
    reference's approx=True trajectory is also the exact one (the reference's
    own exact-mode helpers raise KeyError on the first step).
  * schedulefree: AdamWScheduleFree / SGDScheduleFree with foreach=False
    (one tensor per problem block; the foreach path does the same arithmetic).
  * prodigyopt prints "Using decoupled weight decay" to stdout when built with
    decouple and weight_decay > 0: the script sends that line to stderr.
  * Cases are well-conditioned (measured by perturbing x0 by 1e-14 relative);
    prodigy with safeguard_warmup or beta1 = 0 on rayleigh is chaotic (0.9 and
    2e-2) and runs on the other problems only.

Usage: make_reference_adaptive.py --adopt adopt.py --ademamix ademamix.py --mars mars.py \
           --digits Problems/Data/digits.csv > out.swift
"""
import argparse, math, os, sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_reference import PROBLEMS, STEPS, load_module  # noqa: E402

torch.set_default_dtype(torch.float64)


# ---- softmax(data=digits), as Problems/Learning builds it ----
def load_digits(path):
    lines = open(path).read().strip().split("\n")[1:]
    rows = [[float(v) for v in line.split(",")] for line in lines]
    features = [r[:-1] for r in rows]
    labels = [int(r[-1]) for r in rows]
    p = len(features[0])
    train = [i for i in range(len(rows)) if i % 5 != 4]
    # Sequential sums in row order, as StandardizedSplit does.
    mean = [0.0] * p
    for i in train:
        for j in range(p):
            mean[j] += features[i][j]
    mean = [m / len(train) for m in mean]
    var = [0.0] * p
    for i in train:
        for j in range(p):
            d = features[i][j] - mean[j]
            var[j] += d * d
    first = train[0]
    constant = [all(features[i][j] == features[first][j] for i in train) for j in range(p)]
    std = [0.0 if constant[j] else math.sqrt(var[j] / len(train)) for j in range(p)]
    x = [[(features[i][j] - mean[j]) / std[j] if std[j] > 0 else features[i][j] - mean[j] for j in range(p)]
         for i in train]
    return torch.tensor(x), torch.tensor([labels[i] for i in train]), p, max(labels) + 1


def make_softmax(digits_path, l2=1e-3):
    X, y, p, c = load_digits(digits_path)

    def x0():
        return [torch.zeros(c, p), torch.zeros(c)]

    def f(params):
        W, b = params
        z = X @ W.T + b
        return (torch.logsumexp(z, dim=1) - z[torch.arange(len(y)), y]).mean() + 0.5 * l2 * (W * W).sum()

    return ("softmax(data=digits)", f, x0)


def build(name, kw, params, mods):
    """The official optimizer for a lab spec (lab key names → official arguments)."""
    g = kw.get
    if name == "adopt":
        return mods["adopt"].ADOPT(params, lr=g("lr", 1e-3), betas=(g("beta1", 0.9), g("beta2", 0.9999)),
                                   eps=g("eps", 1e-6), weight_decay=g("weight_decay", 0.0),
                                   decouple=g("decouple", False), foreach=False)
    if name == "ademamix":
        return mods["ademamix"].AdEMAMix(params, lr=g("lr", 1e-3),
                                         betas=(g("beta1", 0.9), g("beta2", 0.999), g("beta3", 0.9999)),
                                         alpha=g("alpha", 2.0), beta3_warmup=g("beta3_warmup"),
                                         alpha_warmup=g("alpha_warmup"), eps=g("eps", 1e-8),
                                         weight_decay=g("weight_decay", 0))
    if name == "mars":
        return mods["mars"].MARS(params, lr=g("lr", 3e-3), betas=(g("beta1", 0.95), g("beta2", 0.99)),
                                 eps=g("eps", 1e-8), weight_decay=g("weight_decay", 0.0), gamma=g("gamma", 0.025),
                                 is_approx=True, mars_type="mars-" + g("variant", "adamw"),
                                 optimize_1d=g("optimize_1d", False), lr_1d=g("lr_1d", 3e-3),
                                 betas_1d=(g("beta1_1d", 0.9), g("beta2_1d", 0.95)),
                                 weight_decay_1d=g("weight_decay_1d", 0.1))
    if name == "schedulefree_adamw":
        from schedulefree import AdamWScheduleFree
        return AdamWScheduleFree(params, lr=g("lr", 0.0025), betas=(g("beta1", 0.9), g("beta2", 0.999)),
                                 eps=g("eps", 1e-8), weight_decay=g("weight_decay", 0), warmup_steps=g("warmup_steps", 0),
                                 r=g("r", 0.0), weight_lr_power=g("weight_lr_power", 2.0), foreach=False)
    if name == "schedulefree_sgd":
        from schedulefree import SGDScheduleFree
        return SGDScheduleFree(params, lr=g("lr", 1.0), momentum=g("momentum", 0.9),
                               weight_decay=g("weight_decay", 0), warmup_steps=g("warmup_steps", 0),
                               r=g("r", 0.0), weight_lr_power=g("weight_lr_power", 2.0), foreach=False)
    if name == "prodigy":
        from prodigyopt import Prodigy
        import contextlib
        with contextlib.redirect_stdout(sys.stderr):   # it prints "Using decoupled weight decay"
                return Prodigy(params, lr=g("lr", 1.0), betas=(g("beta1", 0.9), g("beta2", 0.999)), beta3=g("beta3"),
                           eps=g("eps", 1e-8), weight_decay=g("weight_decay", 0), decouple=g("decouple", True),
                           use_bias_correction=g("use_bias_correction", False),
                           safeguard_warmup=g("safeguard_warmup", False), d0=g("d0", 1e-6), d_coef=g("d_coef", 1.0),
                           growth_rate=g("growth_rate", float("inf")))
    raise KeyError(name)


def is_schedule_free(opt):
    return opt.__class__.__module__.startswith("schedulefree")


def evaluation_point(opt, params):
    """x for Schedule-Free (eval()'s lerp, on copies), else the parameters themselves."""
    if not is_schedule_free(opt):
        return params
    group = opt.param_groups[0]
    beta = group["betas"][0] if "betas" in group else group["momentum"]
    out = []
    for p in params:
        z = opt.state[p].get("z") if p in opt.state else None
        out.append(p.detach().clone() if z is None else torch.lerp(p.detach(), z, 1 - 1 / beta))
    return out


# (lab spec, keyword arguments, problems): ANALYTIC = the three problems of
# make_reference.py, "softmax" = softmax(data=digits), or a list of analytic
# problem names. Cases are well-conditioned: a 1e-14 relative perturbation of
# x0 changes no loss by more than ~1e-9 relative (measured; prodigy with
# safeguard_warmup or beta1=0 on rayleigh is chaotic: 0.9 and 2e-2, left out).
ANALYTIC = None
CASES = [
    ("adopt", {}, ANALYTIC),
    ("adopt(lr=0.01,weight_decay=0.01)", {"lr": 0.01, "weight_decay": 0.01}, ANALYTIC),
    ("adopt(decouple=1,lr=0.01,weight_decay=0.1)", {"lr": 0.01, "weight_decay": 0.1, "decouple": True}, ANALYTIC),
    ("ademamix", {}, ANALYTIC),
    ("ademamix(alpha=5,lr=0.01,weight_decay=0.01)", {"lr": 0.01, "alpha": 5.0, "weight_decay": 0.01}, ANALYTIC),
    ("ademamix(alpha_warmup=100,beta3_warmup=150,lr=0.005)",
     {"lr": 0.005, "alpha_warmup": 100, "beta3_warmup": 150}, ANALYTIC),
    ("mars", {}, ANALYTIC),
    ("mars(lr=0.01,weight_decay=0.01)", {"lr": 0.01, "weight_decay": 0.01}, ANALYTIC),
    ("mars(lr=0.001,variant=lion,weight_decay=0.1)", {"lr": 0.001, "variant": "lion", "weight_decay": 0.1}, ANALYTIC),
    ("mars(optimize_1d=1)", {"optimize_1d": True}, ANALYTIC),
    ("mars(approx=0)", {}, ANALYTIC),
    ("mars", {}, "softmax"),
    ("mars(lr=0.01,weight_decay=0.01)", {"lr": 0.01, "weight_decay": 0.01}, "softmax"),
    ("mars(lr=0.001,variant=lion)", {"lr": 0.001, "variant": "lion"}, "softmax"),
    ("mars(approx=0,gamma=0.1,lr_1d=0.01,weight_decay_1d=0.01)",
     {"gamma": 0.1, "lr_1d": 0.01, "weight_decay_1d": 0.01}, "softmax"),
    ("schedulefree_adamw", {}, ANALYTIC),
    ("schedulefree_adamw(lr=0.01,warmup_steps=20,weight_decay=0.01)",
     {"lr": 0.01, "warmup_steps": 20, "weight_decay": 0.01}, ANALYTIC),
    ("schedulefree_adamw(beta1=0.95,lr=0.005,r=1,weight_lr_power=1)",
     {"lr": 0.005, "beta1": 0.95, "r": 1.0, "weight_lr_power": 1.0}, ANALYTIC),
    ("schedulefree_sgd(lr=0.0001)", {"lr": 1e-4}, ANALYTIC),
    ("schedulefree_sgd(lr=0.0001,momentum=0.5,warmup_steps=10,weight_decay=0.01)",
     {"lr": 1e-4, "momentum": 0.5, "warmup_steps": 10, "weight_decay": 0.01}, ANALYTIC),
    ("prodigy", {}, ANALYTIC),
    ("prodigy(use_bias_correction=1,weight_decay=0.01)", {"use_bias_correction": True, "weight_decay": 0.01}, ANALYTIC),
    ("prodigy(d0=0.0001,decouple=0,growth_rate=1.05,safeguard_warmup=1,weight_decay=0.01)",
     {"d0": 1e-4, "decouple": False, "growth_rate": 1.05, "safeguard_warmup": True, "weight_decay": 0.01},
     ["quadratic(d=20,cond=1000)"]),
    ("prodigy(beta1=0,beta3=0.99,lr=0.5)", {"beta1": 0.0, "beta3": 0.99, "lr": 0.5},
     ["rosenbrock(d=6)", "quadratic(d=20,cond=1000)"]),
]


def run(spec, kw, problem, mods):
    _, f, x0 = problem
    start = x0()
    params = [t.clone().requires_grad_(True) for t in (start if isinstance(start, list) else [start])]
    single = not isinstance(start, list)
    call = (lambda ps: f(ps[0])) if single else f
    opt = build(spec.split("(")[0], kw, params, mods)
    if is_schedule_free(opt):
        opt.train()
    losses = []
    with torch.no_grad():
        losses.append(call(params).item())
    for _ in range(STEPS):
        opt.zero_grad()
        loss = call(params)
        loss.backward()
        opt.step()
        with torch.no_grad():
            losses.append(call(evaluation_point(opt, params)).item())
    final = torch.cat([p.detach().reshape(-1) for p in params]).tolist()
    return losses, final


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--adopt", required=True)
    ap.add_argument("--ademamix", required=True)
    ap.add_argument("--mars", required=True)
    ap.add_argument("--digits", required=True)
    a = ap.parse_args()
    mods = {
        "adopt": load_module("adopt", a.adopt),
        "ademamix": load_module("ademamix", a.ademamix),
        "mars": load_module("mars", a.mars, lambda s: s.replace("@torch.compile\n", "")),
    }
    softmax = make_softmax(a.digits)
    f0 = softmax[1](softmax[2]())
    assert abs(f0.item() - math.log(10)) <= 1e-15 * math.log(10), f0.item()
    import importlib.metadata as md
    versions = ", ".join(f"{p} {md.version(p)}" for p in ("torch", "prodigyopt", "schedulefree"))
    out = sys.stdout
    out.write("// Generated by Tests/Reference/make_reference_adaptive.py — do not edit.\n")
    out.write(f"// {versions}; ADOPT 6468572, AdEMAMix c3d73c0, MARS 4831e28; float64, {STEPS} steps.\n")
    out.write("// Each line: spec|problem|loss after 0…200 steps (Schedule-Free: at x)|final iterate (Python repr).\n")
    out.write("let referenceTrajectoryTextAdaptive = \"\"\"\n")
    for spec, kw, which in CASES:
        problems = ([softmax] if which == "softmax" else PROBLEMS if which is None
                    else [p for p in PROBLEMS if p[0] in which])
        for problem in problems:
            losses, xf = run(spec, kw, problem, mods)
            out.write(f"{spec}|{problem[0]}|{' '.join(map(repr, losses))}|{' '.join(map(repr, xf))}\n")
    out.write("\"\"\"\n")


if __name__ == "__main__":
    main()
