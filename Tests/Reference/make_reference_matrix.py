#!/usr/bin/env python3
"""Regenerates Tests/OptimizersTests/ReferenceTrajectoriesMatrix.swift.

Runs the reference implementations of the matrix methods (Muon, …) in
float64 for 200 steps on the lab's softmax(data=digits) and mlp(data=digits)
problems, rebuilt here in torch from Problems/Data/digits.csv exactly as
Problems/Learning defines them (rows i % 5 == 4 held out, features
standardised with the training rows' mean and population std, constant
columns only centred; mean cross-entropy + (l2/2)·Σ‖W‖², biases not
regularised). The mlp starts from x0ᵢ = 0.1·sin(0.7·i + 0.3) (the Swift test
uses the same formula), softmax from 0 as the lab does.

Pinned environment: python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch==2.15.0
  soap: nikhilvyas/SOAP soap.py (commit a1e5535), passed with --soap PATH, with
        its float32 casts of the factors before eigh/qr removed (".data.float()"
        → ".data"), nothing else. Only sides whose factors have full rank, or
        one null direction, are preconditioned here (max_precond_dim), because
        eigenvectors within a repeated eigenvalue depend on the LAPACK build.
  adahessian: amirgholami/adahessian image_classification/optim_adahessian.py
        (commit 85ebc00), passed with --adahessian PATH, its Rademacher draw
        `2 * torch.randint_like(p, high=2) - 1` replaced by the probe the
        Swift test injects: zᵢ = +1 when ((i·7919 + t·104729) mod 1009) is
        even, else −1 (i the index in the flat parameter vector, t the 1-based step).
  sophia: Liuhong99/Sophia sophia.py SophiaG (commit a7e1572), passed with
        --sophia PATH, driven as train_sophiag.py drives it (step(bs=B); every
        k steps a cross-entropy on labels sampled from the model at the new
        point, backward, update_hessian()). The labels are the lab's: drawn
        row by row by inverting the cumulative softmax with SplitMix64 uniforms
        seeded SplitMix64.derive(0, t), reimplemented here, so both sides see
        the same vectors.
  shampoo: facebookresearch/optimizers DistributedShampoo (commit f606606,
        torch-shampoo 1.0.0), passed with --shampoo PATH (the repository root,
        put on sys.path; nothing patched): one device, the default
        RootInvShampooPreconditionerConfig (eigendecomposition root inverse,
        epsilon added before eigh) with factor_matrix_dtype and
        inv_factor_matrix_dtype set to float64 (the defaults are float32),
        grafting and momentum mapped to its AdaGrad/RMSprop/Adam/SGD
        PreconditionerConfigs and ClassicMomentumConfig.
  muon: torch.optim.Muon (torch 2.15.0, torch/optim/_muon.py) on the 2-D
        blocks with its Newton–Schulz iterate kept in float64 (the module's
        bfloat16 cast is patched to float64, nothing else), torch.optim.AdamW
        on the other blocks (KellerJordan/Muon's MuonWithAuxAdam split).

Usage: make_reference_matrix.py --soap soap.py --adahessian optim_adahessian.py --sophia sophia.py --shampoo optimizers/ > Tests/OptimizersTests/ReferenceTrajectoriesMatrix.swift
"""
import argparse, csv, inspect, math, os, sys, types

import torch
import torch.optim._muon as muon_module

torch.set_default_dtype(torch.float64)
STEPS = 200
HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS = os.path.join(HERE, "..", "..", "Problems", "Data", "digits.csv")


def patch_muon_to_float64():
    src = inspect.getsource(muon_module._zeropower_via_newtonschulz)
    assert src.count("torch.bfloat16") == 1
    ns = {}
    exec(src.replace("torch.bfloat16", "torch.float64"), muon_module.__dict__, ns)
    muon_module._zeropower_via_newtonschulz = ns["_zeropower_via_newtonschulz"]


def load_digits():
    with open(DIGITS) as f:
        rows = list(csv.reader(f))[1:]
    feats = [[float(v) for v in r[:-1]] for r in rows]
    labels = [int(float(r[-1])) for r in rows]
    train = [i for i in range(len(rows)) if i % 5 != 4]
    p = len(feats[0])
    n = len(train)
    mean = [sum(feats[i][j] for i in train) / n for j in range(p)]
    var = [sum((feats[i][j] - mean[j]) ** 2 for i in train) / n for j in range(p)]
    const = [all(feats[i][j] == feats[train[0]][j] for i in train) for j in range(p)]
    std = [0.0 if const[j] else math.sqrt(var[j]) for j in range(p)]
    x = torch.tensor([[(feats[i][j] - mean[j]) / std[j] if std[j] > 0 else feats[i][j] - mean[j]
                       for j in range(p)] for i in train])
    y = torch.tensor([labels[i] for i in train])
    return x, y


X, Y = load_digits()
CLASSES = int(Y.max()) + 1


MASK = (1 << 64) - 1


class SplitMix64:
    """The lab's SplitMix64 (Sources/LinearAlgebra/CounterRandom.swift)."""
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    @staticmethod
    def derive(seed, index):
        g = SplitMix64(seed ^ ((index * 0xD1B54A32D192ED03) & MASK))
        g.next()
        return g.next()


def sample_labels(logits, seed):
    """The lab's DenseNetwork.sampleLabels: one uniform per row, inverse cumulative softmax."""
    p = torch.softmax(logits, dim=1).tolist()
    rng = SplitMix64(seed)
    labels = []
    for row in p:
        u = rng.uniform()
        k, cumulative = 0, row[0]
        while u >= cumulative and k < len(row) - 1:
            k += 1
            cumulative += row[k]
        labels.append(k)
    return torch.tensor(labels)


def network(shapes, l2, activation):
    """shapes: [(name, shape)] in layout order; returns the loss (with its logits function attached)."""
    def logits(ps):
        h = X
        layers = len(ps) // 2
        for k in range(layers):
            w, b = ps[2 * k], ps[2 * k + 1]
            h = h @ w.T + b
            if k < layers - 1:
                h = activation(h)
        return h

    def loss(ps):
        reg = sum((ps[2 * k] * ps[2 * k]).sum() for k in range(len(ps) // 2))
        return torch.nn.functional.cross_entropy(logits(ps), Y) + 0.5 * l2 * reg
    loss.logits = logits
    return loss


def softmax_problem():
    shapes = [("W", [CLASSES, X.shape[1]]), ("b", [CLASSES])]
    x0 = [torch.zeros(s) for _, s in shapes]
    return x0, network(shapes, 1e-3, None)


def mlp_problem():
    shapes = [("layer1.weight", [32, X.shape[1]]), ("layer1.bias", [32]),
              ("layer2.weight", [CLASSES, 32]), ("layer2.bias", [CLASSES])]
    flat = torch.tensor([0.1 * math.sin(0.7 * i + 0.3) for i in range(sum(math.prod(s) for _, s in shapes))])
    x0, k = [], 0
    for _, s in shapes:
        n = math.prod(s)
        x0.append(flat[k:k + n].reshape(s).clone())
        k += n
    return x0, network(shapes, 1e-4, torch.tanh)


PROBLEMS = [("softmax(data=digits)", softmax_problem), ("mlp(data=digits)", mlp_problem)]


SOAP_CLASS = None
SHAMPOO = None
SOPHIA_CLASS = None
ADAHESSIAN_CLASS = None
PROBE = {"t": 0, "offset": 0}


def probe_like(p):
    """The injected Rademacher probe for the next parameter of step PROBE['t']."""
    n, k, t = p.numel(), PROBE["offset"], PROBE["t"]
    PROBE["offset"] += n
    values = [1.0 if ((i * 7919 + t * 104729) % 1009) % 2 == 0 else -1.0 for i in range(k, k + n)]
    return torch.tensor(values).reshape(p.shape)


def load_adahessian(path):
    src = open(path).read()
    old = "2 * torch.randint_like(p, high=2) - 1"
    assert src.count(old) == 1
    mod = types.ModuleType("optim_adahessian")
    mod.__dict__["_probe"] = probe_like
    exec(compile(src.replace(old, "_probe(p)"), path, "exec"), mod.__dict__)
    return mod.Adahessian


def load_soap(path):
    src = open(path).read()
    assert src.count(".data.float()") == 5
    mod = types.ModuleType("soap")
    exec(compile(src.replace(".data.float()", ".data"), path, "exec"), mod.__dict__)
    return mod.SOAP


def build(name, kw, params):
    kw = dict(kw)
    if name == "sophia":
        return [SOPHIA_CLASS(params, lr=kw.get("lr", 1e-4), betas=(kw.get("beta1", 0.965), kw.get("beta2", 0.99)),
                             rho=kw.get("rho", 0.04), weight_decay=kw.get("weight_decay", 0.1))]
    if name == "adahessian":
        return [ADAHESSIAN_CLASS(params, lr=kw.get("lr", 0.15), betas=(kw.get("beta1", 0.9), kw.get("beta2", 0.999)),
                                 eps=kw.get("eps", 1e-4), weight_decay=kw.get("weight_decay", 0),
                                 hessian_power=kw.get("hessian_power", 1))]
    if name == "soap":
        return [SOAP_CLASS(params, lr=kw.get("lr", 3e-3), betas=(kw.get("beta1", 0.95), kw.get("beta2", 0.95)),
                           shampoo_beta=kw.get("shampoo_beta", -1), eps=kw.get("eps", 1e-8),
                           weight_decay=kw.get("weight_decay", 0.01),
                           precondition_frequency=kw.get("precondition_frequency", 10),
                           max_precond_dim=kw.get("max_precond_dim", 10000),
                           merge_dims=bool(kw.get("merge_dims", 0)), precondition_1d=bool(kw.get("precondition_1d", 0)),
                           normalize_grads=bool(kw.get("normalize_grads", 0)),
                           correct_bias=bool(kw.get("correct_bias", 1)))]
    if name == "shampoo":
        S = SHAMPOO
        graft = kw.get("grafting", "none")
        eps = kw.get("grafting_eps", 1e-10)
        grafting = {
            "none": None,
            "sgd": S.SGDPreconditionerConfig(),
            "adagrad": S.AdaGradPreconditionerConfig(epsilon=eps),
            "rmsprop": S.RMSpropPreconditionerConfig(beta2=kw.get("grafting_beta2", 0.99), epsilon=eps),
            "adam": S.AdamPreconditionerConfig(beta2=kw.get("grafting_beta2", 0.999), epsilon=eps),
        }[graft]
        momentum = kw.get("momentum", 0)
        return [S.DistributedShampoo(
            params, lr=kw.get("lr", 0.01), betas=(kw.get("beta1", 0.9), kw.get("beta2", 1.0)),
            epsilon=kw.get("epsilon", 1e-12), weight_decay=kw.get("weight_decay", 0.0),
            max_preconditioner_dim=kw.get("max_preconditioner_dim", 1024),
            precondition_frequency=kw.get("precondition_frequency", 1),
            start_preconditioning_step=kw.get("start_preconditioning_step", -1),
            grafting_config=grafting,
            iterate_averaging_config=S.shampoo_types.ClassicMomentumConfig(momentum=momentum) if momentum else None,
            preconditioner_config=S.RootInvShampooPreconditionerConfig(
                amortized_computation_config=S.EigenConfig(), factor_matrix_dtype=torch.float64,
                inv_factor_matrix_dtype=torch.float64))]
    if name == "muon":
        mats = [p for p in params if p.ndim == 2]
        others = [p for p in params if p.ndim != 2]
        muon = torch.optim.Muon(
            mats, lr=kw.get("lr", 1e-3), weight_decay=kw.get("weight_decay", 0.1),
            momentum=kw.get("momentum", 0.95), nesterov=bool(kw.get("nesterov", 1)),
            ns_steps=kw.get("ns_steps", 5), eps=1e-7, adjust_lr_fn=kw.get("adjust_lr", "original"))
        aux = torch.optim.AdamW(others, lr=kw.get("aux_lr", 3e-4),
                                betas=(kw.get("aux_beta1", 0.9), kw.get("aux_beta2", 0.95)),
                                eps=kw.get("aux_eps", 1e-10), weight_decay=kw.get("aux_weight_decay", 0.0),
                                foreach=False)
        return [muon, aux]
    raise ValueError(name)


# (spec, keys, problems it runs on): SOAP only where its factors are well determined; Shampoo's
# 640 × 640 factor on softmax (a 10 × 64 block merged) only where the test stays short.
CASES = [
    ("shampoo", {}),
    ("shampoo", {"grafting": "adam"}, ["mlp(data=digits)"]),
    ("shampoo", {"grafting": "sgd", "lr": 0.05, "momentum": 0.5}, ["mlp(data=digits)"]),
    ("shampoo", {"grafting": "rmsprop", "lr": 0.003, "weight_decay": 0.01, "precondition_frequency": 5,
                 "start_preconditioning_step": 10, "epsilon": 1e-6}),
    ("shampoo", {"grafting": "adagrad", "max_preconditioner_dim": 20, "beta2": 0.99, "epsilon": 1e-8}),
    ("shampoo", {"grafting": "adam", "epsilon": 1e-3, "momentum": 0.5, "weight_decay": 0.01}, ["mlp(data=digits)"]),
    ("muon", {}),
    ("muon", {"lr": 0.02, "aux_lr": 0.01}),
    ("muon", {"lr": 0.01, "nesterov": 0, "momentum": 0.9, "weight_decay": 0.01}),
    ("muon", {"lr": 0.005, "adjust_lr": "match_rms_adamw", "ns_steps": 3, "aux_weight_decay": 0.1}),
    ("adahessian", {}),
    ("adahessian", {"lr": 0.05, "weight_decay": 0.001, "hessian_power": 0.5, "beta2": 0.99}),
    ("sophia", {"lr": 0.01}),
    ("sophia", {"lr": 0.003, "k": 3, "rho": 0.1, "weight_decay": 0.01, "beta2": 0.9}),
    ("soap", {"max_precond_dim": 10}, ["softmax(data=digits)"]),
    ("soap", {"max_precond_dim": 31, "precondition_frequency": 3, "shampoo_beta": 0.9, "weight_decay": 0, "lr": 0.01},
     ["mlp(data=digits)"]),
    ("soap", {"max_precond_dim": 31}, ["mlp(data=digits)"]),
    ("soap", {"max_precond_dim": 31, "normalize_grads": 1, "correct_bias": 0, "lr": 0.001}, ["mlp(data=digits)"]),
]


def spec(name, kw):
    return name if not kw else name + "(" + ",".join(f"{k}={v}" for k, v in sorted(kw.items())) + ")"


def run(name, kw, problem):
    x0, loss = problem()
    params = [p.clone().requires_grad_(True) for p in x0]
    opts = build(name, kw, params)
    losses = []
    for _ in range(STEPS + 1):
        for p in params:
            p.grad = None
        f = loss(params)
        losses.append(f.item())
        if len(losses) == STEPS + 1:
            break
        f.backward(create_graph=name == "adahessian")
        PROBE["t"], PROBE["offset"] = len(losses), 0
        if name == "sophia":
            t = len(losses)
            opts[0].step(bs=X.shape[0])
            if t % kw.get("k", 10) == 0:
                for p in params:
                    p.grad = None
                z = loss.logits(params)
                sampled = torch.nn.functional.cross_entropy(z, sample_labels(z.detach(), SplitMix64.derive(0, t)))
                sampled.backward()
                opts[0].update_hessian()
            continue
        for o in opts:
            o.step()
    return losses, torch.cat([p.detach().reshape(-1) for p in params]).tolist()


def main():
    global SOAP_CLASS, ADAHESSIAN_CLASS
    ap = argparse.ArgumentParser()
    ap.add_argument("--soap", required=True, help="nikhilvyas/SOAP soap.py")
    ap.add_argument("--adahessian", required=True, help="amirgholami/adahessian image_classification/optim_adahessian.py")
    ap.add_argument("--sophia", required=True, help="Liuhong99/Sophia sophia.py")
    ap.add_argument("--shampoo", required=True, help="facebookresearch/optimizers checkout (its root directory)")
    args = ap.parse_args()
    global SHAMPOO
    sys.path.insert(0, args.shampoo)
    import logging
    logging.disable(logging.WARNING)
    import distributed_shampoo as SHAMPOO
    import distributed_shampoo.shampoo_types  # noqa: F401  (ClassicMomentumConfig is not re-exported)
    global SOPHIA_CLASS
    mod = types.ModuleType("sophia")
    exec(compile(open(args.sophia).read(), args.sophia, "exec"), mod.__dict__)
    SOPHIA_CLASS = mod.SophiaG
    SOAP_CLASS = load_soap(args.soap)
    ADAHESSIAN_CLASS = load_adahessian(args.adahessian)
    patch_muon_to_float64()
    print("// Generated by Tests/Reference/make_reference_matrix.py (torch %s); do not edit." % torch.__version__)
    print("// spec|problem|losses after 0…200 steps|final point")
    print("let matrixReferenceTrajectoryText = \"\"\"")
    for case in CASES:
        name, kw = case[0], case[1]
        for pname, problem in PROBLEMS:
            if len(case) > 2 and pname not in case[2]:
                continue
            losses, final = run(name, kw, problem)
            print(f"{spec(name, kw)}|{pname}|{' '.join(repr(v) for v in losses)}|{' '.join(repr(v) for v in final)}")
    print("\"\"\"")


if __name__ == "__main__":
    main()
