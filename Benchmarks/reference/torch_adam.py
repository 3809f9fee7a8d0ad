#!/usr/bin/env python3
"""torch.optim.Adam(fused=True) on float64 parameters, timed like `optlab bench update`.

The reference for `optlab bench update --optimizer adam --compare-torch` (and
`make bench-torch`): one untimed warm-up step (it allocates the state), then
STEPS timed `opt.step()` calls, one by one; the best is printed, with the same
N, thread count and gradient distribution as the Swift row.

Usage: torch_adam.py [--dim N] [--steps S] [--threads T] [--weight-decay L]
                     [--amsgrad] [--header]
Prints: optimizer,dim,threads,steps,seconds_per_step,torch_version,cpu_capability

Exit status 3 (and one line on stderr) when torch cannot be imported, so a
caller can tell "no torch here" from a failed measurement.
"""
import argparse
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dim", type=int, default=10_000_000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--amsgrad", action="store_true")
    parser.add_argument("--header", action="store_true")
    args = parser.parse_args()
    if args.dim < 1 or args.steps < 1 or args.threads < 1:
        print("torch_adam.py: --dim, --steps and --threads must be positive integers", file=sys.stderr)
        return 2
    try:
        import torch
    except ImportError as error:
        print(f"torch_adam.py: {sys.executable} cannot import torch ({error})", file=sys.stderr)
        return 3

    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(1)
    x = torch.nn.Parameter(torch.rand(args.dim, dtype=torch.float64, generator=generator) - 0.5)
    x.grad = torch.rand(args.dim, dtype=torch.float64, generator=generator) - 0.5
    opt = torch.optim.Adam([x], lr=1e-3, weight_decay=args.weight_decay, amsgrad=args.amsgrad, fused=True)
    with torch.no_grad():
        opt.step()   # allocates exp_avg, exp_avg_sq (and max_exp_avg_sq)
        best = float("inf")
        for _ in range(args.steps):
            t0 = time.perf_counter()
            opt.step()
            best = min(best, time.perf_counter() - t0)

    if args.header:
        print("optimizer,dim,threads,steps,seconds_per_step,torch_version,cpu_capability")
    capability = torch.backends.cpu.get_cpu_capability()
    print(f"torch.optim.Adam(fused=True),{args.dim},{args.threads},{args.steps},{best!r},{torch.__version__},{capability}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
