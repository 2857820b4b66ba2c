#!/usr/bin/python3
"""One training step of experiment 7's tanh RNN and LSTM in PyTorch on one CPU thread, the
same model and sizes as bench/bench_train.cpp: H = 32, batch 32, lag 80, one-hot inputs of
size 8 (4 symbols + 4 distractors), a linear read-out from the last position to 4 logits,
mean cross-entropy, full BPTT, Adam (lr 3e-3). For the benchmark only: nothing in the build
or the tests needs torch (Debian: apt-get install python3-torch).

Usage: /usr/bin/python3 bench/torch_train.py [repeats]
Prints, per model, the median ms per step over `repeats` (default 5) timed blocks.
"""
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
H, B, T, K, M = 32, 32, 80, 4, 4


class Model(torch.nn.Module):
    def __init__(self, kind):
        super().__init__()
        cell = torch.nn.RNN if kind == "rnn" else torch.nn.LSTM
        self.rnn = cell(K + M, H)  # (T, B, D) in, tanh for the RNN
        self.readout = torch.nn.Linear(H, K)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.readout(out[-1])


def batch():
    first = torch.randint(0, K, (B,))
    rest = K + torch.randint(0, M, (T - 1, B))
    tokens = torch.cat([first[None], rest])
    return torch.nn.functional.one_hot(tokens, K + M).float(), first


def time_model(kind, repeats):
    model = Model(kind)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    x, y = batch()

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(20):  # warm-up
        step()
    per_block = 50
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(per_block):
            step()
        times.append(1e3 * (time.perf_counter() - start) / per_block)
    return statistics.median(times)


if __name__ == "__main__":
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print("torch", torch.__version__, "threads", torch.get_num_threads())
    for kind in ["rnn", "lstm"]:
        print(f"torch {kind} H={H} B={B} T={T}: {time_model(kind, repeats):.3f} ms/step (median of {repeats})")
