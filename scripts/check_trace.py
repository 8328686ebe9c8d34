#!/usr/bin/env python3
"""Recomputes an exported dense-attention trace (attnbench trace --variant dense ...) with NumPy in float64 and
compares it with attnbench's output: an independent check of our numbers in another framework.

    scripts/check_trace.py DIR

Exit status 0 when the scaled error (max |ours - numpy| / max(1, max |numpy|)) is within the tolerance for the
trace's dtype (1e-10 for float64, 1e-4 for float32), 1 when it is not, 2 when the trace cannot be checked.
"""
import json
import math
import sys
from pathlib import Path

TOLERANCE = {"float64": 1e-10, "float32": 1e-4}


def dense(x, wq, wk, wv, wo, heads, causal):
    import numpy as np
    b, n, d = x.shape
    dh = d // heads

    def split(t):
        return t.reshape(b, n, heads, dh).transpose(0, 2, 1, 3)

    q, k, v = split(x @ wq), split(x @ wk), split(x @ wv)
    s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh)
    if causal:
        s = np.where(np.tril(np.ones((n, n), dtype=bool)), s, -np.inf)
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    return (p @ v).transpose(0, 2, 1, 3).reshape(b, n, d) @ wo


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        import numpy as np
    except ImportError:
        print("check_trace: numpy is not installed", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    manifest_file = folder / "trace.json"
    if not manifest_file.is_file():
        print("check_trace: %s has no trace.json (make one with scripts/attnbench trace)" % folder, file=sys.stderr)
        return 2
    m = json.loads(manifest_file.read_text())
    if m.get("schema") != "attnbench.trace/1" or m.get("variant") != "dense:reference":
        print("check_trace: only dense:reference traces of schema attnbench.trace/1 can be checked here, got %s / %s"
              % (m.get("schema"), m.get("variant")), file=sys.stderr)
        return 2
    load = lambda name: np.load(folder / name).astype(np.float64)
    files = m["files"]
    w = {k: load(v) for k, v in files["parameters"].items()}
    expected = dense(load(files["input"]), w["wq"], w["wk"], w["wv"], w["wo"], m["problem"]["heads"],
                     m["problem"]["mode"] == "causal")
    ours = load(files["output"])
    error = float(np.max(np.abs(ours - expected)) / max(1.0, float(np.max(np.abs(expected)))))
    tolerance = TOLERANCE[m["dtype"]]
    verdict = "agrees" if error <= tolerance else "DISAGREES"
    print("%s: attnbench %s output %s with NumPy float64: scaled error %.3g (tolerance %.0e)"
          % (folder, m["dtype"], verdict, error, tolerance))
    return 0 if error <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
