#!/usr/bin/env python3
"""Regenerates Tests/OptimizersTests/ReferenceTrajectoriesTorchOptim.swift.

Runs torch.optim's Adagrad, RMSprop, Adadelta, Adamax, NAdam, RAdam,
Adafactor, Rprop and ASGD (foreach=False: the single-tensor path) in float64 for
200 steps on the three problems of make_reference.py (imported from this
directory), and Adafactor also on softmax(data=digits), whose weight matrix
is the block Adafactor factors. Records the loss after every step and the
final point; the Swift tests compare the lab's optimizers with these values
to 1e-9 relative and never need Python. The loss is taken at the lab's
evaluation point: for ASGD the average ax (state["ax"], its answer) once a
step has been taken, else the parameters; the final point is the iterate.

softmax(data=digits) is the lab's problem (Problems/Learning) rebuilt here:
rows i % 5 == 4 are test rows; features standardised with the training rows'
mean and population std, sums taken in file order as the lab does (a
constant training feature is only centred); f = mean cross-entropy over the
training rows + (l2/2)‖W‖², l2 = 1e-3, W [10, 64] then b [10], x0 = 0.
The script stops unless f(x0) agrees with the lab's value ln 10 to 1e-12;
the Swift test then compares every loss of every step.

Pinned environment (what produced the committed file):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch==2.15.0

Usage: make_reference_torchoptim.py [--check] > ReferenceTrajectoriesTorchOptim.swift
       make_reference_torchoptim.py --stack   (the 3-D Adafactor vector of SpecTestVectorTests)
    --check  also reruns every case with every gradient entry multiplied by
             1 ± 1e-14, and from x0·(1 + 1e-14), and prints, on stderr, the largest relative change
             of any loss (the cases below are chosen so that it stays
             below 1e-10: well-conditioned, so ulp-level differences of
             operation order cannot reach the tests' 1e-9).
"""
import argparse, importlib.util, math, os, sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_reference", os.path.join(HERE, "make_reference.py"))
base = importlib.util.module_from_spec(spec)
spec.loader.exec_module(base)   # sets float64 as torch's default dtype

torch.set_default_dtype(torch.float64)
STEPS = base.STEPS
DIGITS = os.path.join(HERE, "..", "..", "Problems", "Data", "digits.csv")
L2 = 1e-3


# ---- softmax(data=digits): the lab's split, standardisation and loss ----
def load_digits():
    rows = [line.strip().split(",") for line in open(DIGITS).read().splitlines()[1:] if line.strip()]
    feats = [[float(v) for v in r[:-1]] for r in rows]
    labels = [int(r[-1]) for r in rows]
    train = [i for i in range(len(rows)) if i % 5 != 4]
    p = len(feats[0])
    mean = [0.0] * p
    for i in train:
        for j in range(p):
            mean[j] += feats[i][j]
    mean = [m / len(train) for m in mean]
    var = [0.0] * p
    for i in train:
        for j in range(p):
            d = feats[i][j] - mean[j]
            var[j] += d * d
    constant = [all(feats[i][j] == feats[train[0]][j] for i in train) for j in range(p)]
    std = [0.0 if constant[j] else math.sqrt(var[j] / len(train)) for j in range(p)]
    X = [[(feats[i][j] - mean[j]) / std[j] if std[j] > 0 else feats[i][j] - mean[j] for j in range(p)] for i in train]
    return torch.tensor(X), torch.tensor([labels[i] for i in train]), p, max(labels) + 1


X, Y, P, C = load_digits()

def softmax_x0():
    return [torch.zeros(C, P), torch.zeros(C)]

def softmax_loss(params):
    W, b = params
    z = X @ W.T + b
    return (torch.logsumexp(z, dim=1) - z[torch.arange(len(Y)), Y]).mean() + 0.5 * L2 * (W * W).sum()


def single(f, x0):
    """A one-tensor problem of make_reference.py as a list-of-tensors problem."""
    return (lambda ps: f(ps[0])), (lambda: [x0()])

PROBLEMS = {name: single(f, x0) for name, f, x0 in base.PROBLEMS}
PROBLEMS["softmax(data=digits)"] = (softmax_loss, softmax_x0)
STANDARD = [name for name, _, _ in base.PROBLEMS]


def build(name, kw, params):
    """torch.optim's optimizer for a lab spec (lab keys → torch arguments)."""
    kw = dict(kw)
    betas = lambda: (kw.pop("beta1", 0.9), kw.pop("beta2", 0.999))
    O = torch.optim
    if name == "adagrad":
        return O.Adagrad(params, foreach=False, **kw)
    if name == "rmsprop":
        return O.RMSprop(params, foreach=False, **kw)
    if name == "adadelta":
        return O.Adadelta(params, foreach=False, **kw)
    if name == "adamax":
        b = betas()
        return O.Adamax(params, betas=b, foreach=False, **kw)
    if name == "nadam":
        b = betas()
        return O.NAdam(params, betas=b, foreach=False, **kw)
    if name == "radam":
        b = betas()
        return O.RAdam(params, betas=b, foreach=False, **kw)
    if name == "adafactor":
        eps = (kw.pop("eps1", None), kw.pop("eps2", 1e-3))
        return O.Adafactor(params, eps=eps, foreach=False, **kw)
    if name == "rprop":
        etas = (kw.pop("eta_minus", 0.5), kw.pop("eta_plus", 1.2))
        sizes = (kw.pop("step_min", 1e-6), kw.pop("step_max", 50))
        return O.Rprop(params, etas=etas, step_sizes=sizes, foreach=False, **kw)
    if name == "asgd":
        return O.ASGD(params, foreach=False, **kw)
    raise KeyError(name)


def evaluation_point(opt, params):
    """ASGD's average ax after a step (the lab's evaluationPoint), else the parameters."""
    if not isinstance(opt, torch.optim.ASGD):
        return params
    return [opt.state[p]["ax"] if p in opt.state else p for p in params]


# (lab spec, torch keyword arguments, problems). Every optimizer runs on
# the three standard problems and adafactor also on softmax(data=digits);
# a spec skips a problem where its trajectory is ill-conditioned (--check
# above 1e-10): near the minimum of the scale-invariant rayleigh quotient,
# rmsprop at lr 0.01, adafactor at lr 0.01 and nadam at lr 0.01 wander
# along the neutral direction ‖w‖, where 1e-14 grows to 1e-5 … 1e-1.
# rprop is sign-based: its arithmetic is exact, so the lab reproduces
# torch's quadratic run although a changed x0 would change it (8e-8).
# asgd with torch's t0 = 1e6 never averages within 200 steps (ax is a copy
# of the iterate); t0=20 and t0=0 exercise the average (mu = 1/(t − t0)) and
# lambd·lr = 1e-3 the decay of eta (by 9% over 200 steps) and the shrinking
# of θ by (1 − lambd·eta).
ROSE, QUAD, RAYL = STANDARD
SOFT = "softmax(data=digits)"
CASES = [
    ("adagrad", {}, STANDARD),
    ("adagrad(initial_accumulator_value=0.1,lr=0.1,lr_decay=0.01,weight_decay=0.01)",
     {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.01, "initial_accumulator_value": 0.1}, STANDARD),
    ("rmsprop", {}, [ROSE, QUAD]),
    ("rmsprop(lr=0.001)", {"lr": 0.001}, STANDARD),
    ("rmsprop(centered=1,lr=0.001,momentum=0.5,weight_decay=0.01)",
     {"lr": 0.001, "centered": True, "momentum": 0.5, "weight_decay": 0.01}, STANDARD),
    ("rmsprop(alpha=0.9,centered=1,lr=0.0003)", {"lr": 0.0003, "alpha": 0.9, "centered": True}, STANDARD),
    ("adadelta", {}, STANDARD),
    ("adadelta(lr=0.5,rho=0.95,weight_decay=0.01)", {"lr": 0.5, "rho": 0.95, "weight_decay": 0.01}, STANDARD),
    ("adamax", {}, STANDARD),
    ("adamax(lr=0.01,weight_decay=0.01)", {"lr": 0.01, "weight_decay": 0.01}, STANDARD),
    ("nadam", {}, STANDARD),
    ("nadam(lr=0.003,momentum_decay=0.01,weight_decay=0.01)",
     {"lr": 0.003, "momentum_decay": 0.01, "weight_decay": 0.01}, STANDARD),
    ("nadam(decoupled_weight_decay=1,weight_decay=0.1)", {"decoupled_weight_decay": True, "weight_decay": 0.1}, STANDARD),
    ("radam", {}, STANDARD),
    ("radam(lr=0.01,weight_decay=0.01)", {"lr": 0.01, "weight_decay": 0.01}, STANDARD),
    ("radam(decoupled_weight_decay=1,lr=0.01,weight_decay=0.1)",
     {"lr": 0.01, "decoupled_weight_decay": True, "weight_decay": 0.1}, STANDARD),
    ("adafactor", {}, [ROSE, QUAD, SOFT]),
    ("adafactor(lr=0.003)", {"lr": 0.003}, STANDARD + [SOFT]),
    ("adafactor(d=2,lr=0.005,weight_decay=0.01)", {"lr": 0.005, "d": 2.0, "weight_decay": 0.01}, STANDARD + [SOFT]),
    ("adafactor(beta2_decay=-0.5,eps1=1e-30,eps2=0.01)", {"beta2_decay": -0.5, "eps1": 1e-30, "eps2": 0.01},
     [ROSE, QUAD, SOFT]),
    ("rprop", {}, STANDARD),
    ("rprop(eta_minus=0.3,eta_plus=1.5,lr=0.001,step_max=1,step_min=0.0001)",
     {"lr": 0.001, "eta_minus": 0.3, "eta_plus": 1.5, "step_min": 1e-4, "step_max": 1.0}, STANDARD),
    ("asgd(lr=0.0001)", {"lr": 1e-4}, STANDARD),
    ("asgd(alpha=0.5,lambd=10,lr=0.0001,t0=20,weight_decay=0.01)",
     {"lr": 1e-4, "lambd": 10.0, "alpha": 0.5, "t0": 20.0, "weight_decay": 0.01}, STANDARD),
    ("asgd(lambd=0.001,lr=0.0002,t0=0)", {"lr": 2e-4, "lambd": 1e-3, "t0": 0.0}, STANDARD),
]


def run(spec, kw, problem, jitter=0.0, scale=1.0):
    """Losses after 0…STEPS steps and the final point. `jitter` multiplies
    every gradient entry by 1 ± jitter (alternating signs), `scale` the
    start point: stand-ins for the ulp-level differences of another
    implementation's operation order."""
    f, x0 = PROBLEMS[problem]
    params = [(p.clone() * scale).requires_grad_(True) for p in x0()]
    opt = build(spec.split("(")[0], kw, params)
    losses = []
    for _ in range(STEPS):
        loss = f(params)
        point = evaluation_point(opt, params)
        losses.append((loss if point is params else f(point)).item())
        opt.zero_grad()
        loss.backward()
        if jitter:
            for p in params:
                signs = 1 - 2 * (torch.arange(p.numel()) % 2).reshape(p.shape)
                p.grad.mul_(1 + jitter * signs)
        opt.step()
    with torch.no_grad():
        losses.append(f(evaluation_point(opt, params)).item())
    return losses, [v for p in params for v in p.detach().reshape(-1).tolist()]


def stack_case():
    """The values of SpecTestVectorTests' adafactorFactorsEachMatrixOfAStackAsTorch:
    Adafactor(lr=0.05, weight_decay=0.1) on W [2, 2, 3] and b [2], 3 steps."""
    x = torch.tensor([0.3, -1.2, 0.8, 2.0, -0.5, 0.1, 1.5, 0.7, -0.9, 0.05, -2.2, 1.1]).reshape(2, 2, 3)
    b = torch.tensor([0.4, -0.6])
    x.requires_grad_(True)
    b.requires_grad_(True)
    opt = torch.optim.Adafactor([x, b], lr=0.05, weight_decay=0.1, foreach=False)
    grads = [[0.5, -0.25, 0.125, 1.0, 0.0, -0.75, 0.2, 0.3, -0.4, 0.6, -0.1, 0.05, 0.9, -0.3],
             [-0.3, 0.6, 0.2, -0.1, 0.4, 0.8, -0.5, 0.1, 0.3, -0.2, 0.7, -0.6, -0.2, 0.5],
             [0.1, 0.1, -0.2, 0.3, -0.3, 0.0, 0.4, -0.4, 0.5, 0.2, -0.6, 0.3, 0.1, 0.1]]
    for g in grads:
        x.grad = torch.tensor(g[:12]).reshape(2, 2, 3)
        b.grad = torch.tensor(g[12:])
        opt.step()
        print(", ".join(map(repr, [*x.detach().reshape(-1).tolist(), *b.detach().tolist()])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--stack", action="store_true", help="print the 3-D Adafactor test vector instead")
    a = ap.parse_args()
    if a.stack:
        return stack_case()
    f0 = softmax_loss(softmax_x0()).item()
    if abs(f0 - math.log(10)) > 1e-12 * math.log(10):
        sys.exit(f"softmax(data=digits): f(x0) = {f0!r}, the lab's is ln 10 = {math.log(10)!r}")
    out = sys.stdout
    out.write("// Generated by Tests/Reference/make_reference_torchoptim.py — do not edit.\n")
    out.write(f"// torch {torch.__version__.split('+')[0]} (torch.optim, foreach=False); float64, {STEPS} steps.\n")
    out.write("// Each line: spec|problem|loss after 0…200 steps|final x (Python repr, round-trip).\n")
    out.write("let referenceTrajectoryTorchOptimText = \"\"\"\n")
    for spec_, kw, problems in CASES:
        for problem in problems:
            losses, xf = run(spec_, kw, problem)
            if a.check:
                worst = 0.0
                for perturbed, _ in (run(spec_, kw, problem, jitter=1e-14), run(spec_, kw, problem, scale=1 + 1e-14)):
                    worst = max([worst] + [abs(p - q) / max(abs(p), abs(q), 1e-300) for p, q in zip(losses, perturbed)])
                print(f"{worst:9.2e}  {spec_} on {problem}", file=sys.stderr)
            out.write(f"{spec_}|{problem}|{' '.join(map(repr, losses))}|{' '.join(map(repr, xf))}\n")
    out.write("\"\"\"\n")


if __name__ == "__main__":
    main()
