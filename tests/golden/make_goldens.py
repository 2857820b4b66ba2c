#!/usr/bin/python3
"""Prints the golden numbers pasted into the C++ tests (run once; output kept for reference).

Usage: /usr/bin/python3 tests/golden/make_goldens.py [path/to/kata.txt] > tests/golden/goldens.txt

Everything comes from numpy's legacy np.random (MT19937 + polar Gaussians), the kata's own
code (sections 2 and 3, re-run here with full-precision printing) and np.quantile.
"""
import re
import subprocess
import sys

import numpy as np

KATA = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/seed/000_e8a7e02abd65a700.txt"


def r(x):
    return repr(float(x))


print("numpy", np.__version__)

print("\n# numpy_random_test.cpp")
for seed in [0, 1, 42, 2**31 - 1, 2**32 - 1]:
    np.random.seed(seed)
    print(f"seed {seed} random_sample(5):", ", ".join(r(v) for v in np.random.random_sample(5)))
    np.random.seed(seed)
    print(f"seed {seed} randn(5):", ", ".join(r(v) for v in np.random.randn(5)))
    np.random.seed(seed)
    print(f"seed {seed} uniform(0.3,1.0,5):", ", ".join(r(v) for v in np.random.uniform(0.3, 1.0, 5)))

# randint (legacy masked rejection), then a random_sample to show how many words it used.
for seed in [0, 42]:
    np.random.seed(seed)
    a = np.random.randint(0, 4, size=8)
    b = np.random.randint(0, 5, size=8)
    c = np.random.randint(0, 1, size=2)
    d = np.random.randint(0, 1000, size=4)
    print(f"seed {seed} randint 4 (8), 5 (8), 1 (2), 1000 (4), random_sample():",
          list(map(int, a)), list(map(int, b)), list(map(int, c)), list(map(int, d)), r(np.random.random_sample()))

# The cached second Gaussian: randn(3) then randn(2) continues the pairs.
np.random.seed(7)
a = np.random.randn(3)
b = np.random.randn(2)
print("seed 7 randn(3) then randn(2):", ", ".join(r(v) for v in list(a) + list(b)))
# A reseed forgets the cache: randn(1), reseed(7), randn(2) equals the first two of seed 7.
np.random.seed(7)
np.random.randn(1)
np.random.seed(7)
print("seed 7 randn(1), reseed(7), randn(2):", ", ".join(r(v) for v in np.random.randn(2)))
# A uniform draw in between an odd number of Gaussians does not consume the cached one.
np.random.seed(3)
x1 = np.random.randn()
u = np.random.random_sample()
x2 = np.random.randn()
print("seed 3 randn(), random_sample(), randn():", r(x1), r(u), r(x2))
np.random.seed(5)
print("seed 5 randn(2,3) row-major:", ", ".join(r(v) for v in np.random.randn(2, 3).ravel()))

print("\n# kata_test.cpp: section 2 (gradient), the kata's code with repr(norm)")
hidden_dim = 16
np.random.seed(42)
Wh = np.random.randn(hidden_dim, hidden_dim) * 0.9 / np.sqrt(hidden_dim)
for distance in [1, 5, 10, 20, 50, 100, 200]:
    grad = np.eye(hidden_dim)
    for t in range(distance):
        tanh_deriv = np.diag(np.random.uniform(0.3, 1.0, hidden_dim))
        J = tanh_deriv @ Wh
        grad = J @ grad
    print(distance, r(np.linalg.norm(grad)))
print("Wh spectral radius", r(max(abs(np.linalg.eigvals(Wh)))), "sigma_max", r(np.linalg.norm(Wh, 2)))

print("\n# kata_test.cpp: section 3 (retention), the kata's code with repr(cos_sim)")


class SimpleRNN:
    def __init__(self, input_dim, hidden_dim):
        self.Wh = np.random.randn(hidden_dim, hidden_dim) * 0.5 / np.sqrt(hidden_dim)
        self.Wx = np.random.randn(input_dim, hidden_dim) * 0.5 / np.sqrt(input_dim)


target_signal = np.array([1.0, -1.0, 0.5, -0.5])
for n_steps in [0, 5, 10, 25, 50, 100, 200]:
    np.random.seed(42)
    rnn_test = SimpleRNN(input_dim=4, hidden_dim=16)
    h = np.zeros(16)
    h = np.tanh(h @ rnn_test.Wh + target_signal @ rnn_test.Wx)
    h_after_signal = h.copy()
    for t in range(n_steps):
        noise = np.random.randn(4) * 0.01
        h = np.tanh(h @ rnn_test.Wh + noise @ rnn_test.Wx)
    cos_sim = np.dot(h, h_after_signal) / (np.linalg.norm(h) * np.linalg.norm(h_after_signal) + 1e-8)
    print(n_steps, r(cos_sim))

print("\n# kata_test.cpp: the kata's own printed lines for sections 2 and 3 (its code block, run as is)")
text = open(KATA, encoding="utf-8").read()
code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
start = out.index("=== 2.")
end = out.index("=== Why Transformers Won")
print(out[start:end])

print("# timing_test.cpp: np.quantile (method 'linear')")
arrays = [[3.0, 1.0, 2.0], [1.0, 2.0, 3.0, 4.0], [7.5], [0.5, -2.0, 9.0, 4.25, 4.25, 1e-3, 13.0]]
for a in arrays:
    print(a, ", ".join(r(np.quantile(a, q)) for q in [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]))
