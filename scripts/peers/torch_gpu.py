#!/usr/bin/env python3
"""PyTorch GPU peer for attnbench: times the layers attnbench's "dense" and "sigmoid" variants compute, on a CUDA GPU.

The layer is the one attnbench measures: Q, K, V = X Wq, X Wk, X Wv split into heads, the attention core per head,
heads concatenated and projected by Wo.
- dense: the core is torch.nn.functional.scaled_dot_product_attention (PyTorch picks its fastest kernel: flash,
  memory-efficient or cuDNN; the header line names the version), is_causal for causal.
- sigmoid: there is no fused sigmoid kernel in PyTorch, so the core is written in torch operations:
  sigmoid(Q K^T / sqrt(dh) - log n) V with the weights of future keys set to 0 (causal). It materialises the
  h x n x n weights, as attnbench's unfused "sigmoid" does.
With --core, only the attention core is timed, on Q, K, V of shape [B, h, n, dh] (no projections): the figure to put
beside attnbench's fused kernels timed alone (SelfCheck).

Timing follows the suite's JMH settings: warm-up iterations, then measurement iterations of a fixed duration, each
call timed on its own (like JMH's sample-time mode), after a synchronise. A layer call is timed as attnbench's JMH
benchmark times one: wall clock from the call to the end of a torch.cuda.synchronize() after it, host overhead
included. The core alone (--core) is timed with CUDA events around it, device time only, as attnbench's SelfCheck
times its fused kernels; --clock chooses otherwise. One JSON object per line
goes to stdout: a header with the versions, then one per measurement with the raw samples in milliseconds, the same
protocol as torch_cpu.py, so the attnbench sweep runner turns them into result rows (backend torch-gpu). Without
torch or without a CUDA device the only line is {"error": ...} and the exit status is 2; --probe checks just that.
"""
import argparse
import json
import math
import sys
import time

DTYPES = ("float32", "bfloat16", "float16")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--probe", action="store_true", help="only check that torch can use a CUDA device")
    p.add_argument("--list", action="store_true", help="print the measurements that would run, without torch")
    p.add_argument("--variant", default="dense", choices=["dense", "sigmoid"])
    p.add_argument("--core", action="store_true", help="time the attention core alone on [B, h, n, dh] inputs")
    p.add_argument("--clock", choices=["wall", "events"], help="wall: call plus synchronize (default for layers); "
                   "events: CUDA events around the call (default with --core)")
    p.add_argument("--lengths", default="1024", help="comma-separated sequence lengths")
    p.add_argument("--modes", default="bidirectional", help="comma-separated: bidirectional, causal")
    p.add_argument("--passes", default="forward", help="comma-separated: forward, forward+backward")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--head-dim", type=int, default=64)
    p.add_argument("--dtype", default="bfloat16", choices=DTYPES)
    p.add_argument("--threads", type=int, default=0, help="accepted for the protocol; the GPU ignores it")
    p.add_argument("--warmup-iterations", type=int, default=1)
    p.add_argument("--measurement-iterations", type=int, default=5)
    p.add_argument("--iteration-ms", type=int, default=1000)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args(argv)
    for mode in args.modes.split(","):
        if mode not in ("bidirectional", "causal"):
            p.error("unknown mode %r (known: bidirectional, causal)" % mode)
    for pass_ in args.passes.split(","):
        if pass_ not in ("forward", "forward+backward"):
            p.error("unknown pass %r (known: forward, forward+backward)" % pass_)
    try:
        lengths = [int(s) for s in args.lengths.split(",")]
    except ValueError:
        p.error("--lengths takes comma-separated integers, got %r" % args.lengths)
    if any(n < 1 for n in lengths) or args.batch < 1 or args.heads < 1 or args.head_dim < 1:
        p.error("lengths, batch, heads and head dim must be positive")
    args.length_list = lengths
    if args.clock is None:
        args.clock = "events" if args.core else "wall"
    return args


def plan(args):
    """The measurements, in the order they run: one JSON row each."""
    return [{"length": n, "mode": mode, "pass": pass_}
            for n in args.length_list for mode in args.modes.split(",") for pass_ in args.passes.split(",")]


def cuda_torch():
    """torch, when it imports and sees a CUDA device; else (None, why)."""
    try:
        import torch
    except ImportError as e:
        return None, "torch is not importable: %s" % e
    if not torch.cuda.is_available():
        return None, "torch %s sees no CUDA device (torch.cuda.is_available() is False)" % torch.__version__
    return torch, None


def main(argv=None):
    args = parse_args(argv)
    if args.list:
        for row in plan(args):
            print(json.dumps(row))
        return 0
    torch, why = cuda_torch()
    if torch is None:
        print(json.dumps({"error": why}), flush=True)
        return 2
    if args.probe:
        print(json.dumps({"ok": True, "device": torch.cuda.get_device_name(0)}))
        return 0
    torch.manual_seed(args.seed)
    dtype = getattr(torch, args.dtype)
    core = "scaled_dot_product_attention" if args.variant == "dense" else "sigmoid(QK^T/sqrt(dh) - log n)V in torch ops"
    print(json.dumps({"peer": "torch-gpu",
                      "backend_description": "PyTorch %s, CUDA %s, cuDNN %s on %s; %s%s; CUDA events"
                                             % (torch.__version__, torch.version.cuda, torch.backends.cudnn.version(),
                                                torch.cuda.get_device_name(0), core,
                                                ", core alone" if args.core else ", with the projections")
                                             .replace("; CUDA events", "; timed by CUDA events" if args.clock == "events"
                                                      else "; timed by wall clock to a synchronize")}),
          flush=True)
    for row in plan(args):
        try:
            row["samples_ms"] = measure(torch, dtype, args, row["length"], row["mode"] == "causal",
                                        row["pass"] == "forward+backward")
            row["status"] = "ok"
        except RuntimeError as e:  # torch reports allocation failures as RuntimeError (OutOfMemoryError is one)
            text = str(e).splitlines()[0] if str(e) else type(e).__name__
            row["status"] = "oom" if "out of memory" in text.lower() or "alloc" in text.lower() else "error"
            row["message"] = text
            torch.cuda.empty_cache()
        print(json.dumps(row), flush=True)
    return 0


def measure(torch, dtype, args, n, causal, backward):
    import torch.nn.functional as F
    b, h, dh = args.batch, args.heads, args.head_dim
    d = h * dh
    dev = "cuda"
    scale = 1.0 / math.sqrt(dh)
    future = torch.triu(torch.ones(n, n, dtype=torch.bool, device=dev), diagonal=1) if causal else None

    def attention(q, k, v):
        if args.variant == "dense":
            return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        w = torch.sigmoid(q @ k.transpose(-1, -2) * scale - math.log(n))
        if future is not None:
            w = w.masked_fill(future, 0.0)
        return w @ v

    if args.core:
        leaves = [torch.randn(b, h, n, dh, dtype=dtype, device=dev).requires_grad_(backward) for _ in range(3)]

        def layer():
            return attention(*leaves)
    else:
        weights = [(torch.randn(d, d, device=dev) / math.sqrt(d)).to(dtype).requires_grad_(backward) for _ in range(4)]
        wq, wk, wv, wo = weights
        x = torch.randn(b, n, d, dtype=dtype, device=dev, requires_grad=backward)
        leaves = weights + [x]

        def layer():
            q = (x @ wq).view(b, n, h, dh).transpose(1, 2)
            k = (x @ wk).view(b, n, h, dh).transpose(1, 2)
            v = (x @ wv).view(b, n, h, dh).transpose(1, 2)
            return attention(q, k, v).transpose(1, 2).reshape(b, n, d) @ wo

    def call():
        if backward:
            layer().float().sum().backward()
            for t in leaves:
                t.grad = None
        else:
            with torch.no_grad():
                layer()

    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)

    def timed():
        torch.cuda.synchronize()
        if args.clock == "events":
            start.record()
            call()
            end.record()
            end.synchronize()
            return start.elapsed_time(end)
        t0 = time.perf_counter()
        call()
        torch.cuda.synchronize()
        return (time.perf_counter() - t0) * 1e3

    def iteration(duration_ms, samples):
        spent = 0.0
        while spent < duration_ms:
            t = timed()
            spent += t
            if samples is not None:
                samples.append(t)

    for _ in range(args.warmup_iterations):
        iteration(args.iteration_ms, None)
    samples = []
    for _ in range(args.measurement_iterations):
        iteration(args.iteration_ms, samples)
    return samples


if __name__ == "__main__":
    sys.exit(main())
