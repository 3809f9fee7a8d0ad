#!/usr/bin/env python3
"""Reference values of the `cnn` and `charlm` problems (issue 17).

Builds the same architectures in float64 PyTorch, evaluates loss, gradient
and the Hessian-vector product (double backward) at fixed weights on a fixed
batch, and writes one JSON file per case into Tests/Reference/workloads/.
The Swift tests (Tests/ProblemsTests/WorkloadReferenceTests.swift) compare
the lab to these numbers to 1e-10 relative and never need Python.

Weights and direction are closed-form, so both sides make them without
exchanging files (i = 0-based index into the flat parameter vector, in the
lab's layout order, which is also the order of the parameters below):
    x_i = 0.3·sin(0.7·i + 0.2),    v_i = cos(1.1·i + 0.5)
The charlm batch is given by window starts in the training text (recorded in
the JSON); the cnn batch is the full training set (batch=0).

Environment that produced the committed files: Python 3, torch 2.15.0 (CPU),
numpy. Usage: make_workload_reference.py [--root REPO]   (writes the files)
"""
import argparse, json, math, os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def closed_form(n):
    i = torch.arange(n, dtype=torch.float64)
    return 0.3 * torch.sin(0.7 * i + 0.2), torch.cos(1.1 * i + 0.5)


# ----------------------------------------------------------------- cnn

def digits_split(root):
    """Training/test rows (i % 5 == 4 is test), standardised with the training
    rows' mean and population std; constant training columns only centred."""
    path = os.path.join(root, "Problems/Data/digits.csv")
    raw = np.loadtxt(path, delimiter=",", skiprows=1)
    x, y = raw[:, :-1], raw[:, -1].astype(np.int64)
    test = np.arange(len(y)) % 5 == 4
    xt = x[~test]
    mean = xt.mean(axis=0)
    std = np.sqrt(((xt - mean) ** 2).mean(axis=0))
    constant = (xt == xt[0]).all(axis=0)
    std = np.where(constant, 0.0, std)
    def standardise(rows):
        centred = rows - mean
        return np.where(std > 0, centred / np.where(std > 0, std, 1), centred)
    return (torch.tensor(standardise(x[~test])), torch.tensor(y[~test]),
            torch.tensor(standardise(x[test])), torch.tensor(y[test]))


def cnn_shapes(channels, kernel, side, classes):
    shapes, cin, size = [], 1, side
    for l, c in enumerate(channels):
        shapes += [(f"conv{l+1}.weight", (c, cin, kernel, kernel)), (f"conv{l+1}.bias", (c,))]
        cin, size = c, size // 2
    shapes += [("linear.weight", (classes, cin * size * size)), ("linear.bias", (classes,))]
    return shapes


def unflatten(flat, shapes):
    out, k = {}, 0
    for name, shape in shapes:
        n = math.prod(shape)
        out[name] = flat[k:k + n].view(shape)
        k += n
    assert k == flat.numel()
    return out


def cnn_loss(flat, shapes, images, labels, channels, kernel, l2):
    p = unflatten(flat, shapes)
    side = int(round(math.sqrt(images.shape[1])))
    h = images.view(-1, 1, side, side)
    for l in range(len(channels)):
        h = F.conv2d(h, p[f"conv{l+1}.weight"], p[f"conv{l+1}.bias"], padding=kernel // 2)
        h = F.max_pool2d(F.relu(h), 2)
    logits = F.linear(h.flatten(1), p["linear.weight"], p["linear.bias"])
    reg = sum((p[n] ** 2).sum() for n, _ in shapes if n.endswith("weight"))
    return F.cross_entropy(logits, labels) + 0.5 * l2 * reg


# -------------------------------------------------------------- charlm

def corpus(root):
    with open(os.path.join(root, "Problems/Data/shakespeare.txt"), encoding="utf-8", newline="") as f:
        text = f.read()
    vocab = sorted(set(text))
    index = {c: i for i, c in enumerate(vocab)}
    tokens = torch.tensor([index[c] for c in text], dtype=torch.long)
    return tokens, len(vocab), len(text) * 9 // 10


def charlm_shapes(V, d, layers, context, mlp, tie):
    s = [("embed.token.weight", (V, d)), ("embed.position.weight", (context, d))]
    for l in range(layers):
        p = f"block{l}."
        s += [(p + "ln1.weight", (d,)), (p + "ln1.bias", (d,)),
              (p + "attn.qkv.weight", (3 * d, d)), (p + "attn.qkv.bias", (3 * d,)),
              (p + "attn.proj.weight", (d, d)), (p + "attn.proj.bias", (d,)),
              (p + "ln2.weight", (d,)), (p + "ln2.bias", (d,)),
              (p + "mlp.fc.weight", (mlp * d, d)), (p + "mlp.fc.bias", (mlp * d,)),
              (p + "mlp.proj.weight", (d, mlp * d)), (p + "mlp.proj.bias", (d,))]
    s += [("ln_f.weight", (d,)), ("ln_f.bias", (d,))]
    if not tie:
        s += [("head.weight", (V, d))]
    return s


def charlm_loss(flat, shapes, idx, tgt, cfg):
    p = unflatten(flat, shapes)
    B, T = idx.shape
    d, H = cfg["d"], cfg["heads"]
    x = p["embed.token.weight"][idx] + p["embed.position.weight"][torch.arange(T)]
    mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
    for l in range(cfg["layers"]):
        q_ = f"block{l}."
        h = F.layer_norm(x, (d,), p[q_ + "ln1.weight"], p[q_ + "ln1.bias"], eps=1e-5)
        qkv = F.linear(h, p[q_ + "attn.qkv.weight"], p[q_ + "attn.qkv.bias"])
        q, k, v = qkv.split(d, dim=2)
        q, k, v = (t.view(B, T, H, d // H).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // H)
        att = F.softmax(att.masked_fill(~mask, float("-inf")), dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, d)
        x = x + F.linear(y, p[q_ + "attn.proj.weight"], p[q_ + "attn.proj.bias"])
        h = F.layer_norm(x, (d,), p[q_ + "ln2.weight"], p[q_ + "ln2.bias"], eps=1e-5)
        u = F.gelu(F.linear(h, p[q_ + "mlp.fc.weight"], p[q_ + "mlp.fc.bias"]), approximate="tanh")
        x = x + F.linear(u, p[q_ + "mlp.proj.weight"], p[q_ + "mlp.proj.bias"])
    x = F.layer_norm(x, (d,), p["ln_f.weight"], p["ln_f.bias"], eps=1e-5)
    head = p["embed.token.weight"] if cfg["tie"] else p["head.weight"]
    logits = x @ head.T
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))
    reg = sum((p[n] ** 2).sum() for n, s in shapes if len(s) == 2)
    return loss + 0.5 * cfg["l2"] * reg


def charlm_batch(tokens, starts, T):
    idx = torch.stack([tokens[s:s + T] for s in starts])
    tgt = torch.stack([tokens[s + 1:s + T + 1] for s in starts])
    return idx, tgt


# ------------------------------------------------------------ output

def derivatives(loss_fn, n):
    x, v = closed_form(n)
    x.requires_grad_(True)
    f = loss_fn(x)
    (g,) = torch.autograd.grad(f, x, create_graph=True)
    (hv,) = torch.autograd.grad(g, x, grad_outputs=v)
    return f.item(), g.detach().tolist(), hv.detach().tolist()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    args = ap.parse_args()
    out_dir = os.path.join(args.root, "Tests/Reference/workloads")
    os.makedirs(out_dir, exist_ok=True)
    cases = []

    xtr, ytr, _, _ = digits_split(args.root)
    for spec, channels, kernel, l2 in [("cnn(channels=4x4)", [4, 4], 3, 1e-4),
                                       ("cnn(channels=3x2x2,kernel=5,l2=0.01)", [3, 2, 2], 5, 1e-2)]:
        shapes = cnn_shapes(channels, kernel, 8, 10)
        n = sum(math.prod(s) for _, s in shapes)
        f, g, hv = derivatives(lambda x: cnn_loss(x, shapes, xtr, ytr, channels, kernel, l2), n)
        cases.append(("cnn_" + str(len(cases)), {"spec": spec, "value": f, "gradient": g, "hvp": hv}))

    tokens, V, train = corpus(args.root)
    for spec, cfg, starts in [
        ("charlm(d=8,layers=2,heads=2,context=8,batch=2)",
         dict(d=8, layers=2, heads=2, context=8, batch=2, mlp=4, tie=False, l2=0.0), [1000, 500000]),
        ("charlm(d=12,layers=1,heads=3,context=6,batch=3,mlp=2,tie=true,l2=0.01)",
         dict(d=12, layers=1, heads=3, context=6, batch=3, mlp=2, tie=True, l2=0.01), [7, 123456, train - 7]),
    ]:
        shapes = charlm_shapes(V, cfg["d"], cfg["layers"], cfg["context"], cfg["mlp"], cfg["tie"])
        n = sum(math.prod(s) for _, s in shapes)
        idx, tgt = charlm_batch(tokens, starts, cfg["context"])
        f, g, hv = derivatives(lambda x: charlm_loss(x, shapes, idx, tgt, cfg), n)
        cases.append(("charlm_" + str(len(cases) - 2), {"spec": spec, "starts": starts, "value": f, "gradient": g, "hvp": hv}))

    for name, case in cases:
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(case, f)
        print(name, case["spec"], case["value"], len(case["gradient"]))


if __name__ == "__main__":
    main()
