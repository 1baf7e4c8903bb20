#!/usr/bin/env python3
"""Writes src/test/resources/org/gradcam/cam/eigencam_svd.json for EigenCamSvdTest with NumPy.

Not run by the build. Rerun by hand from the repository root:

    /usr/bin/python3 src/test/python/make_eigencam_fixture.py

Each case: float32 activations (h, w, k), channels last, and Eigen-CAM's signed projection as
pytorch-grad-cam's get_2d_projection computes it (centre each channel, project on the first
right singular vector of NumPy's SVD), before the ReLU, with the one convention of ours: the
sign makes the projection correlate positively with each pixel's total activation.
"""
import json

import numpy as np

OUT = "src/test/resources/org/gradcam/cam/eigencam_svd.json"
rng = np.random.default_rng(12)


def projection(a):
    h, w, k = a.shape
    x = a.reshape(h * w, k).astype(np.float64)
    total = x.sum(axis=1)
    x = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=True)
    p = x @ vt[0, :]
    return -p if p @ total < 0 else p


def close_top_singular_values(h, w, k, s):
    """Centred columns with singular values s (the first two within 1e-4), plus channel offsets."""
    n = h * w
    q, _ = np.linalg.qr(np.c_[np.ones(n), rng.normal(size=(n, len(s)))])
    u = q[:, 1:]  # orthonormal and orthogonal to the ones vector: each column has mean zero
    v, _ = np.linalg.qr(rng.normal(size=(k, len(s))))
    x = u @ np.diag(s) @ v.T + rng.uniform(0, 2, size=k)
    return x.reshape(h, w, k)


cases = {
    "random 4x5, 6 channels (more pixels than channels)": rng.gamma(2, 1, size=(4, 5, 6)),
    "random 2x2, 9 channels (more channels than pixels)": rng.gamma(2, 1, size=(2, 2, 9)),
    "relu-like 7x7, 32 channels": np.maximum(0, rng.normal(size=(7, 7, 32))),
    # Power iteration needs thousands of steps here: (1 / 1.0001)^2 per step.
    "top two singular values 1e-4 apart": close_top_singular_values(
        6, 6, 10, [1.0001, 1.0, 0.5, 0.2]),
}
out = []
for name, a in cases.items():
    a = a.astype(np.float32)
    h, w, k = a.shape
    out.append({"name": name, "height": h, "width": w, "channels": k,
                "activations": [float(v) for v in a.ravel()],
                "projection": [float(v) for v in projection(a)]})
with open(OUT, "w") as f:
    json.dump({"numpy": np.__version__, "cases": out}, f, indent=1)
    f.write("\n")
