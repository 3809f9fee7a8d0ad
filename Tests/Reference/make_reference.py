#!/usr/bin/env python3
"""Regenerates Tests/OptimizersTests/ReferenceTrajectories.swift.

Runs the OFFICIAL first-order optimizers in float64 for 200 steps on the
three problems of issue 5 and records the loss after every step and the
final point. The Swift tests compare the lab's optimizers with these values
to 1e-9 relative and never need Python.

Pinned environment (what produced the committed file):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install \
        torch==2.15.0 adamp==0.3.0 lion-pytorch==0.2.5 grams-pytorch==0.0.2
Single-file official implementations, passed by path (not vendored here):
    --adan    sail-sg/Adan adan.py                 (commit 2c65bea)
    --exadam  AhmedMostafa16/EXAdam exadam.py      (commit 989d7b6)
    --c-optim kyleliang919/C-Optim checkout dir    (commit 2c0517c; c_adamw.py, c_lion.py)

Two official files cannot run as published; the script works around them
without touching their update code:
  * EXAdam HEAD uses `np.sqrt` in __init__ without importing numpy: the
    script supplies `np` (math.sqrt) in the module's globals.
  * C-Optim c_adamw.py imports a missing `.opt_utils` (used only by its
    default foreach/async path): the script drops that import and runs the
    class with foreach=False, the HF-AdamW-style path the spec describes.

Usage: make_reference.py --adan adan.py --exadam exadam.py --c-optim DIR > out.swift
"""
import argparse, importlib.util, math, re, sys, types

import torch

torch.set_default_dtype(torch.float64)
STEPS = 200


def load_module(name, path, patch=None):
    src = open(path).read()
    if patch:
        src = patch(src)
    mod = types.ModuleType(name)
    mod.__file__ = path
    exec(compile(src, path, "exec"), mod.__dict__)
    return mod


# ---- problems (plain torch; autograd gives the gradients) ----
def rosenbrock_x0(d=6):
    return torch.tensor([-1.2 if i % 2 == 0 else 1.0 for i in range(d)])

def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()

def quadratic_x0(d=20):
    return torch.ones(d)

def quadratic(x, cond=1000.0):
    d = x.numel()
    lam = torch.tensor([cond ** (i / (d - 1)) for i in range(d)])
    return 0.5 * (lam * x * x).sum()

def rayleigh_x0(d=16):
    return torch.ones(1, d)   # one block of shape [1, d]: 2-D for AdamP/SGDP

def rayleigh(w):
    v = w.reshape(-1)
    av = 2 * v
    av[1:] -= v[:-1]
    av[:-1] -= v[1:]
    return (v * av).sum() / (v * v).sum()

PROBLEMS = [("rosenbrock(d=6)", rosenbrock, rosenbrock_x0),
            ("quadratic(d=20,cond=1000)", quadratic, quadratic_x0),
            ("rayleigh(d=16)", rayleigh, rayleigh_x0)]


def build(name, kw, params, mods):
    """The official optimizer for a lab spec (lab key names → official arguments)."""
    kw = dict(kw)
    betas2 = lambda d1, d2: (kw.pop("beta1", d1), kw.pop("beta2", d2))
    if name == "sgd":
        return torch.optim.SGD(params, lr=kw["lr"], momentum=kw.get("momentum", 0),
                               nesterov=kw.get("nesterov", False), weight_decay=kw.get("weight_decay", 0))
    if name in ("adam", "adamw"):
        b = betas2(0.9, 0.999)
        cls = torch.optim.Adam if name == "adam" else torch.optim.AdamW
        return cls(params, lr=kw.get("lr", 1e-3), betas=b, eps=kw.get("eps", 1e-8),
                   weight_decay=kw.get("weight_decay", 0 if name == "adam" else 1e-2),
                   amsgrad=kw.get("amsgrad", False), foreach=False)
    if name == "adan":
        b = (kw.get("beta1", 0.98), kw.get("beta2", 0.92), kw.get("beta3", 0.99))
        return mods["adan"].Adan(params, lr=kw.get("lr", 1e-3), betas=b, eps=kw.get("eps", 1e-8),
                                 weight_decay=kw.get("weight_decay", 0), max_grad_norm=kw.get("max_grad_norm", 0),
                                 foreach=False)
    if name == "lion":
        from lion_pytorch import Lion
        return Lion(params, lr=kw.get("lr", 1e-4), betas=betas2(0.9, 0.99), weight_decay=kw.get("weight_decay", 0))
    if name == "grams":
        from grams import Grams
        return Grams(params, lr=kw.get("lr", 1e-3), betas=betas2(0.9, 0.999), eps=kw.get("eps", 1e-6),
                     weight_decay=kw.get("weight_decay", 0))
    if name == "exadam":
        return mods["exadam"].EXAdam(params, lr=kw.get("lr", 1e-3), betas=betas2(0.9, 0.999),
                                     eps=kw.get("eps", 1e-8), weight_decay=kw.get("weight_decay", 0))
    if name == "adamp":
        from adamp import AdamP
        return AdamP(params, lr=kw.get("lr", 1e-3), betas=betas2(0.9, 0.999), eps=kw.get("eps", 1e-8),
                     weight_decay=kw.get("weight_decay", 0), delta=kw.get("delta", 0.1),
                     wd_ratio=kw.get("wd_ratio", 0.1), nesterov=kw.get("nesterov", False))
    if name == "sgdp":
        from adamp import SGDP
        return SGDP(params, lr=kw["lr"], momentum=kw.get("momentum", 0.9), weight_decay=kw.get("weight_decay", 0),
                    nesterov=kw.get("nesterov", False), delta=kw.get("delta", 0.1), wd_ratio=kw.get("wd_ratio", 0.1))
    if name == "cadamw":
        return mods["c_adamw"].AdamW(params, lr=kw.get("lr", 1e-3), betas=betas2(0.9, 0.999), eps=kw.get("eps", 1e-8),
                                     weight_decay=kw.get("weight_decay", 1e-2), no_deprecation_warning=True,
                                     foreach=False)
    if name == "clion":
        return mods["c_lion"].Lion(params, lr=kw.get("lr", 1e-4), betas=betas2(0.9, 0.99),
                                   weight_decay=kw.get("weight_decay", 0))
    raise KeyError(name)


# Cases are chosen well-conditioned: a 1e-14 perturbation of x0 changes no
# loss by more than 1e-10 relative (exadam(lr=0.01) on rayleigh is chaotic).
# (lab spec, keyword arguments) — lab defaults are passed explicitly where the
# official defaults differ (cadamw eps/weight_decay, clion betas).
CASES = [
    ("adam", {}), ("adam(amsgrad=1,lr=0.01,weight_decay=0.01)", {"lr": 0.01, "weight_decay": 0.01, "amsgrad": True}),
    ("adamw", {}), ("adamw(lr=0.01,weight_decay=0.1)", {"lr": 0.01, "weight_decay": 0.1}),
    ("adan", {}), ("adan(lr=0.01,max_grad_norm=1,weight_decay=0.02)", {"lr": 0.01, "weight_decay": 0.02, "max_grad_norm": 1.0}),
    ("lion", {}), ("lion(lr=0.001,weight_decay=0.1)", {"lr": 0.001, "weight_decay": 0.1}),
    ("grams", {}), ("grams(lr=0.01,weight_decay=0.1)", {"lr": 0.01, "weight_decay": 0.1}),
    ("exadam", {}), ("exadam(lr=0.005,weight_decay=0.01)", {"lr": 0.005, "weight_decay": 0.01}),
    ("adamp", {}), ("adamp(lr=0.01,nesterov=1,weight_decay=0.01)", {"lr": 0.01, "weight_decay": 0.01, "nesterov": True}),
    ("sgdp(lr=0.0001)", {"lr": 1e-4}),
    ("sgdp(lr=0.0001,nesterov=1,weight_decay=0.01)", {"lr": 1e-4, "weight_decay": 0.01, "nesterov": True}),
    ("sgd(lr=0.0001)", {"lr": 1e-4}),
    ("sgd(lr=0.0001,momentum=0.9,nesterov=1,weight_decay=0.01)", {"lr": 1e-4, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("cadamw", {}), ("cadamw(lr=0.01,weight_decay=0.1)", {"lr": 0.01, "weight_decay": 0.1}),
    ("clion", {}), ("clion(lr=0.001,weight_decay=0.1)", {"lr": 0.001, "weight_decay": 0.1}),
]


def run(spec, kw, problem, mods):
    _, f, x0 = problem
    x = x0().clone().requires_grad_(True)
    opt = build(spec.split("(")[0], kw, [x], mods)
    losses = []
    for _ in range(STEPS):
        loss = f(x)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        losses.append(f(x).item())
    return losses, x.detach().reshape(-1).tolist()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--adan", required=True)
    ap.add_argument("--exadam", required=True)
    ap.add_argument("--c-optim", required=True)
    a = ap.parse_args()
    mods = {
        "adan": load_module("adan", a.adan),
        "exadam": load_module("exadam", a.exadam),
        "c_adamw": load_module("c_adamw", a.c_optim + "/c_adamw.py",
                               lambda s: re.sub(r"from \.opt_utils import \([^)]*\)", "", s)),
        "c_lion": load_module("c_lion", a.c_optim + "/c_lion.py"),
    }
    mods["exadam"].np = types.SimpleNamespace(sqrt=math.sqrt)
    import adamp, lion_pytorch, importlib.metadata as md
    versions = ", ".join(f"{p} {md.version(p)}" for p in ("torch", "adamp", "lion-pytorch", "grams-pytorch"))
    out = sys.stdout
    out.write("// Generated by Tests/Reference/make_reference.py — do not edit.\n")
    out.write(f"// {versions}; Adan 2c65bea, EXAdam 989d7b6, C-Optim 2c0517c; float64, {STEPS} steps.\n")
    out.write("// Each line: spec|problem|loss after 0…200 steps|final x (Python repr, round-trip).\n")
    out.write("let referenceTrajectoryText = \"\"\"\n")
    for spec, kw in CASES:
        for problem in PROBLEMS:
            losses, xf = run(spec, kw, problem, mods)
            out.write(f"{spec}|{problem[0]}|{' '.join(map(repr, losses))}|{' '.join(map(repr, xf))}\n")
    out.write("\"\"\"\n")


if __name__ == "__main__":
    main()
