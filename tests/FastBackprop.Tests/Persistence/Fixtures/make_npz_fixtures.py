#!/usr/bin/env python3
"""Writes the checked-in .npz fixtures with NumPy itself (Debian's python3-numpy 1.24), so that the tests read
files NumPy wrote, not files FastBackprop wrote. CI does not need NumPy: the outputs are checked in.

    /usr/bin/python3 make_npz_fixtures.py

worked-example-torch.npz
    The seeds' 2-2-2 worked example (shared/DESIGN.md) in PyTorch's nn.Linear layout, float64, np.savez
    (stored). weight[j, i] joins input i to unit j: layers.0.weight = [[w1, w2], [w3, w4]].
mlp-3-4-2-float32.npz
    A 3-4-2 network (tanh hidden, sigmoid output), float32 weights from a seeded generator,
    np.savez_compressed (deflate), with layers.0.weight stored in Fortran order.
mlp-3-4-2-float32.expected.txt
    For the inputs below, the outputs NumPy computes in float64 from those float32 weights: one sample per
    line, inputs then outputs, repr'd.
"""
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))

np.savez(
    os.path.join(here, "worked-example-torch.npz"),
    **{
        "layers.0.weight": np.array([[0.15, 0.20], [0.25, 0.30]], dtype=np.float64),
        "layers.0.bias": np.array([0.35, 0.35], dtype=np.float64),
        "layers.1.weight": np.array([[0.40, 0.45], [0.50, 0.55]], dtype=np.float64),
        "layers.1.bias": np.array([0.60, 0.60], dtype=np.float64),
    },
)

rng = np.random.default_rng(20261202)
w0 = rng.uniform(-1, 1, size=(4, 3)).astype(np.float32)
b0 = rng.uniform(-0.5, 0.5, size=4).astype(np.float32)
w1 = rng.uniform(-1, 1, size=(2, 4)).astype(np.float32)
b1 = rng.uniform(-0.5, 0.5, size=2).astype(np.float32)
np.savez_compressed(
    os.path.join(here, "mlp-3-4-2-float32.npz"),
    **{"layers.0.weight": np.asfortranarray(w0), "layers.0.bias": b0, "layers.1.weight": w1, "layers.1.bias": b1},
)

inputs = np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5], [0.25, 0.75, -1.5]])
hidden = np.tanh(inputs @ w0.astype(np.float64).T + b0.astype(np.float64))
outputs = 1.0 / (1.0 + np.exp(-(hidden @ w1.astype(np.float64).T + b1.astype(np.float64))))
with open(os.path.join(here, "mlp-3-4-2-float32.expected.txt"), "w") as f:
    f.write("# inputs (3) then outputs (2) per sample; written by make_npz_fixtures.py with NumPy " + np.__version__ + "\n")
    for x, y in zip(inputs, outputs):
        f.write(" ".join(repr(float(v)) for v in list(x) + list(y)) + "\n")
