#!/usr/bin/env python3
"""Writes the .npy fixtures of org.gradcam.data.NpyTest with NumPy.

Not run by the build. Rerun by hand from the repository root:

    /usr/bin/python3 src/test/python/make_npy_fixtures.py

One 2x3 array per dtype and byte order Npy reads, into src/test/resources/org/gradcam/data/npy/.
"""
import numpy as np

OUT = "src/test/resources/org/gradcam/data/npy/"
FLOATS = [1.5, -2.0, 3.0e-8, 65504.0, -0.0, 7.0]
INTS = [1, -2, 3, 100, 0, 7]
UINTS = [1, 254, 3, 100, 0, 255]
for dtype in ["<f4", ">f4", "<f8", ">f8", "<i4", ">i4", "<i8", "|u1", "|i1"]:
    values = FLOATS if dtype[1] == "f" else UINTS if dtype == "|u1" else INTS
    name = dtype.replace("<", "le_").replace(">", "be_").replace("|", "")
    np.save(OUT + name + ".npy", np.array(values, dtype=dtype).reshape(2, 3))
