#!/usr/bin/env python3
"""Seconds per gradient of the `charlm` and `cnn` workloads in PyTorch
(float64, one thread): the reference side of `make bench-problems`.

The models are those of Tests/Reference/make_workload_reference.py (the
float64 PyTorch twins the lab is tested against to 1e-10), so both sides do
the same arithmetic: loss and gradient of all parameters (forward +
backward) on one batch — charlm: `batch` random training windows; cnn: the
full digits training set. Prints `spec,seconds` (best of --repeats after one
warm-up), one line per spec.

Usage: workload_gradients.py [--repeats 5] SPEC...     e.g.
       workload_gradients.py 'charlm(d=128,layers=4,context=128,batch=32)' cnn
"""
import argparse, os, re, sys, time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Reference"))
import make_workload_reference as ref  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def keys(spec):
    m = re.fullmatch(r"(\w+)(?:\((.*)\))?", spec)
    name, body = m.group(1), m.group(2) or ""
    return name, dict(kv.split("=") for kv in body.split(",") if kv)


def loss_closure(spec):
    name, k = keys(spec)
    torch.manual_seed(0)
    if name == "cnn":
        channels = [int(c) for c in k.get("channels", "16x32").split("x")]
        kernel, l2 = int(k.get("kernel", 3)), float(k.get("l2", 1e-4))
        xtr, ytr, _, _ = ref.digits_split(ROOT)
        shapes = ref.cnn_shapes(channels, kernel, 8, 10)
        return shapes, lambda x: ref.cnn_loss(x, shapes, xtr, ytr, channels, kernel, l2)
    if name == "charlm":
        cfg = dict(d=int(k.get("d", 64)), layers=int(k.get("layers", 2)), heads=int(k.get("heads", 4)),
                   context=int(k.get("context", 64)), batch=int(k.get("batch", 16)), mlp=int(k.get("mlp", 4)),
                   tie=k.get("tie", "false") in ("true", "1"), l2=float(k.get("l2", 0)))
        tokens, V, train = ref.corpus(ROOT)
        starts = torch.randint(0, train - cfg["context"] - 1, (cfg["batch"],)).tolist()
        idx, tgt = ref.charlm_batch(tokens, starts, cfg["context"])
        shapes = ref.charlm_shapes(V, cfg["d"], cfg["layers"], cfg["context"], cfg["mlp"], cfg["tie"])
        return shapes, lambda x: ref.charlm_loss(x, shapes, idx, tgt, cfg)
    raise SystemExit(f"unknown workload spec {spec!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("specs", nargs="+")
    args = ap.parse_args()
    torch.set_num_threads(1)
    for spec in args.specs:
        shapes, loss = loss_closure(spec)
        n = sum(torch.Size(s).numel() for _, s in shapes)
        x = (0.02 * torch.randn(n, dtype=torch.float64)).requires_grad_(True)
        best = float("inf")
        for r in range(args.repeats + 1):
            t0 = time.perf_counter()
            x.grad = None
            loss(x).backward()
            dt = time.perf_counter() - t0
            if r > 0:
                best = min(best, dt)
        print(f"{spec},{best:.6g}", flush=True)


if __name__ == "__main__":
    main()
