#!/usr/bin/python3
"""Time the kata's numpy recurrence on this machine, in ns per step.

The loop timed is the kata's forward pass: starting from a zero hidden state, every input
row x (shape (D,)) updates h <- tanh(h @ Wh + x @ Wx), with Wh (H, H) and Wx (D, H) drawn
as in the kata and the inputs a Python list of randn(D) * 0.1 arrays. Each repetition
times several passes over a length-L sequence; the median over repetitions is printed.

Usage: /usr/bin/python3 bench/kata_numpy_step.py [--hidden 32] [--input 8] [--length 1000]
       [--repetitions 15] [--passes 5] [--json]
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np


def forward(Wh, Wx, xs):
    h = np.zeros(Wh.shape[0])
    for x in xs:
        h = np.tanh(h @ Wh + x @ Wx)
    return h


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--input", type=int, default=8)
    ap.add_argument("--length", type=int, default=1000)
    ap.add_argument("--repetitions", type=int, default=15)
    ap.add_argument("--passes", type=int, default=5, help="forward passes per timed repetition")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    rng = np.random.RandomState(42)
    Wh = rng.randn(a.hidden, a.hidden) * 0.5 / np.sqrt(a.hidden)
    Wx = rng.randn(a.input, a.hidden) * 0.5 / np.sqrt(a.input)
    xs = [rng.randn(a.input) * 0.1 for _ in range(a.length)]

    forward(Wh, Wx, xs)  # warm-up
    per_step_ns = []
    for _ in range(a.repetitions):
        t0 = time.perf_counter()
        for _ in range(a.passes):
            forward(Wh, Wx, xs)
        dt = time.perf_counter() - t0
        per_step_ns.append(dt * 1e9 / (a.passes * a.length))

    med = statistics.median(per_step_ns)
    if a.json:
        print(json.dumps({"hidden": a.hidden, "input": a.input, "length": a.length,
                          "repetitions": a.repetitions, "passes": a.passes,
                          "median_ns_per_step": med, "min_ns_per_step": min(per_step_ns),
                          "max_ns_per_step": max(per_step_ns), "numpy": np.__version__,
                          "python": sys.version.split()[0]}))
    else:
        print(f"numpy {np.__version__}, H={a.hidden} D={a.input} L={a.length}: "
              f"median {med:.0f} ns/step over {a.repetitions} repetitions "
              f"(min {min(per_step_ns):.0f}, max {max(per_step_ns):.0f})")


if __name__ == "__main__":
    main()
