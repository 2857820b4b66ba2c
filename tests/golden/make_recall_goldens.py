#!/usr/bin/python3
"""Prints the golden numbers pasted into tests/recall_test.cpp (experiment 8, associative recall).

Usage: /usr/bin/python3 tests/golden/make_recall_goldens.py > tests/golden/recall_goldens.txt

An independent numpy re-implementation of core/experiments/recall.h: the same draws from
numpy's legacy np.random, the fixed state S = sum_i v_i k_i^T, softmax attention over the cache
at beta = sharpness * sqrt(d), and decoding by cosine similarity to the stored values.
"""
import numpy as np


def r(x):
    return repr(float(x))


def draw(d, N):
    G = np.random.randn(N, d)
    V = np.random.randn(N, d)
    return (G / np.linalg.norm(G, axis=1, keepdims=True)).T, V.T  # (d, N) each


def fixed_state(K, V):
    S = sum(np.outer(V[:, i], K[:, i]) for i in range(K.shape[1]))  # written as the sum, not a product
    return S @ K


def attention(K, V, beta):
    out = np.empty_like(V)
    for i in range(K.shape[1]):
        s = beta * (K.T @ K[:, i])
        a = np.exp(s - s.max())
        out[:, i] = V @ (a / a.sum())
    return out


def accuracy(R, V):
    U = V / np.linalg.norm(V, axis=0, keepdims=True)
    return np.mean(np.argmax(U.T @ R, axis=0) == np.arange(V.shape[1]))


print("numpy", np.__version__)
seed, dims, pairs, sharpness = 7, [5, 12], [3, 12, 40], 1.0
print(f"# seed {seed}, dims {dims}, pairs {pairs}, sharpness {sharpness}, one seed")
np.random.seed(seed)
for d in dims:
    K, V = draw(d, max(pairs))
    for n in pairs:
        Rf = fixed_state(K[:, :n], V[:, :n])
        Ra = attention(K[:, :n], V[:, :n], sharpness * np.sqrt(d))
        print(f"d {d} n {n} fixed {r(accuracy(Rf, V[:, :n]))} attention {r(accuracy(Ra, V[:, :n]))}")
        if n == max(pairs):
            print(f"d {d} n {n} fixed readout col 0:", ", ".join(r(x) for x in Rf[:, 0]))
            print(f"d {d} n {n} attention readout col {n - 1}:", ", ".join(r(x) for x in Ra[:, n - 1]))
