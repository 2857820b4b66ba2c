#!/usr/bin/python3
"""Time the kata's numpy recurrence on this machine, in ns per step.

The loop timed is the kata's forward pass: starting from a zero hidden state, every input
row x (shape (D,)) updates h <- tanh(h @ Wh + x @ Wx), with Wh (H, H) and Wx (D, H) drawn
as in the kata and the inputs a Python list of randn(D) * 0.1 arrays. Each repetition
times several passes over a length-L sequence with both the wall clock (perf_counter) and
the process CPU clock (process_time, which leaves out time the process spent descheduled on
a busy machine); the medians over repetitions are printed.

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
    steps = a.passes * a.length
    wall_ns, cpu_ns = [], []
    for _ in range(a.repetitions):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(a.passes):
            forward(Wh, Wx, xs)
        c1, w1 = time.process_time(), time.perf_counter()
        wall_ns.append((w1 - w0) * 1e9 / steps)
        cpu_ns.append((c1 - c0) * 1e9 / steps)

    wall, cpu = statistics.median(wall_ns), statistics.median(cpu_ns)
    if a.json:
        print(json.dumps({"hidden": a.hidden, "input": a.input, "length": a.length,
                          "repetitions": a.repetitions, "passes": a.passes,
                          "median_cpu_ns_per_step": cpu, "median_wall_ns_per_step": wall,
                          "min_cpu_ns_per_step": min(cpu_ns), "max_cpu_ns_per_step": max(cpu_ns),
                          "numpy": np.__version__, "python": sys.version.split()[0]}))
    else:
        print(f"numpy {np.__version__}, H={a.hidden} D={a.input} L={a.length}, "
              f"{a.repetitions} repetitions of {a.passes} passes: median {cpu:.0f} ns/step CPU "
              f"(min {min(cpu_ns):.0f}, max {max(cpu_ns):.0f}), {wall:.0f} ns/step wall")


if __name__ == "__main__":
    main()
