#!/usr/bin/env python3
"""PyTorch peer for attnbench: times the same dense attention layer as attnbench's "dense" variant on this CPU.

The layer is the one attnbench measures: Q, K, V = X Wq, X Wk, X Wv split into heads, softmax(Q K^T / sqrt(dh)) V
per head (causal: future positions masked), heads concatenated and projected by Wo. Debian's torch 1.13 has no
scaled_dot_product_attention, so the attention is written out in torch operations.

Timing follows the suite's JMH settings: warm-up iterations, then measurement iterations of a fixed duration, each
call timed on its own (like JMH's sample-time mode). One JSON object per line goes to stdout: first a header with
the library versions, then one per measurement with the raw samples in milliseconds. The attnbench sweep runner
turns these into result rows, so statistics and the results file are made in one place.
"""
import argparse
import json
import math
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lengths", required=True, help="comma-separated sequence lengths")
    p.add_argument("--modes", default="bidirectional", help="comma-separated: bidirectional, causal")
    p.add_argument("--passes", default="forward", help="comma-separated: forward, forward+backward")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--head-dim", type=int, default=64)
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup-iterations", type=int, default=1)
    p.add_argument("--measurement-iterations", type=int, default=5)
    p.add_argument("--iteration-ms", type=int, default=1000)
    p.add_argument("--seed", type=int, default=42)
    return p.parse_args()


def main():
    args = parse_args()
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"error": "torch is not importable: %s" % e}))
        return 2
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    dtype = torch.float32 if args.dtype == "float32" else torch.float64
    print(json.dumps({"peer": "torch-cpu",
                      "backend_description": "PyTorch %s (BLAS: %s, %d threads), softmax(QK^T/sqrt(dh))V in torch ops"
                                             % (torch.__version__, blas_library(torch), torch.get_num_threads())}),
          flush=True)
    b, h, dh = args.batch, args.heads, args.head_dim
    d = h * dh
    for n in [int(s) for s in args.lengths.split(",")]:
        for mode in args.modes.split(","):
            for pass_ in args.passes.split(","):
                row = {"length": n, "mode": mode, "pass": pass_}
                try:
                    row["samples_ms"] = measure(torch, dtype, b, n, h, dh, d, mode == "causal",
                                                pass_ == "forward+backward", args)
                    row["status"] = "ok"
                except RuntimeError as e:  # torch reports allocation failures as RuntimeError
                    text = str(e).splitlines()[0] if str(e) else type(e).__name__
                    row["status"] = "oom" if "alloc" in text.lower() or "memory" in text.lower() else "error"
                    row["message"] = text
                print(json.dumps(row), flush=True)
    return 0


def blas_library(torch):
    """The BLAS this torch really calls: Debian's torch uses the system libblas.so.3, which is the slow reference
    BLAS unless an optimised one (libopenblas0-pthread) is installed. Read from the libraries mapped after a product."""
    if torch.backends.mkl.is_available():
        return "MKL"
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line and "blas" in line.split("/")[-1].lower()}
    return ", ".join(sorted(paths)) or "unknown"


def measure(torch, dtype, b, n, h, dh, d, causal, backward, args):
    weights = [(torch.randn(d, d, dtype=dtype) / math.sqrt(d)).requires_grad_(backward) for _ in range(4)]
    wq, wk, wv, wo = weights
    x = torch.randn(b, n, d, dtype=dtype, requires_grad=backward)
    future = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1) if causal else None
    scale = 1.0 / math.sqrt(dh)

    def layer():
        q = (x @ wq).view(b, n, h, dh).transpose(1, 2) * scale
        k = (x @ wk).view(b, n, h, dh).transpose(1, 2)
        v = (x @ wv).view(b, n, h, dh).transpose(1, 2)
        s = q @ k.transpose(-1, -2)
        if future is not None:
            s = s.masked_fill(future, float("-inf"))
        o = (torch.softmax(s, dim=-1) @ v).transpose(1, 2).reshape(b, n, d)
        return o @ wo

    def call():
        if backward:
            layer().sum().backward()
            for t in weights + [x]:
                t.grad = None
        else:
            with torch.no_grad():
                layer()

    def iteration(duration_s, samples):
        end = time.perf_counter() + duration_s
        while True:
            start = time.perf_counter()
            call()
            stop = time.perf_counter()
            if samples is not None:
                samples.append((stop - start) * 1e3)
            if stop >= end:
                return

    for _ in range(args.warmup_iterations):
        iteration(args.iteration_ms / 1e3, None)
    samples = []
    for _ in range(args.measurement_iterations):
        iteration(args.iteration_ms / 1e3, samples)
    return samples


if __name__ == "__main__":
    sys.exit(main())
