#!/usr/bin/env python3
"""Fixture generator for the org.gradcam.localize tests. NOT run by the build.

The Java tests compare org.gradcam.localize against what SciPy itself computes. This script
computes those reference answers with scipy.ndimage and writes them, next to the inputs, into
src/test/resources/localize/. The outputs are committed; rerun the script only to change or
add cases:

    apt-get install -y python3-scipy python3-numpy    # Debian's SciPy
    /usr/bin/python3 src/test/python/make_localize_fixtures.py

The committed files were made with Debian's SciPy 1.10.1 / NumPy 1.24.2; SciPy 1.17.1 with
NumPy 2.4.6 produced the same .npy files and the same JSON apart from the recorded version.

Each case is NAME.npy (the heatmap) plus NAME.json:
    {"input": "NAME.npy",
     "scale": 255 | 1,             # the map is npy_values / scale (uint8 storage keeps files small)
     "runs": [{"dtype": "float64" | "float32",   # the dtype SciPy worked in
               "size": 20, "threshold": 0.02,
               "raw_count": pixels of the unsmoothed map > threshold,
               "boxes": [[xmin, ymin, xmax, ymax], ...],
               "smoothed": [[y, x, value], ...]   # optional: uniform_filter output samples
              }, ...]}
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy import ndimage as ndi

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "localize")


def course_boxes(m, threshold, size):
    """The published procedure, written as the experiment wrote it."""
    if (m > threshold).sum() == 0:
        return [[0, 0, m.shape[1], m.shape[0]]]
    smoothed = ndi.uniform_filter(m, size=size)
    filled = ndi.binary_fill_holes(smoothed > threshold)
    labels, _ = ndi.label(filled)
    return [[s[1].start, s[0].start, s[1].stop, s[0].stop] for s in ndi.find_objects(labels)]


def samples(smoothed):
    """Every pixel of a small map; otherwise every other border pixel (where reflection
    matters) plus a sparse interior grid, to keep the JSON a few KB."""
    h, w = smoothed.shape
    out = []
    for y in range(h):
        for x in range(w):
            border = y in (0, h - 1) or x in (0, w - 1)
            if h * w <= 200 or (border and (x + y) % 2 == 0) or (y % 7 == 3 and x % 7 == 3):
                out.append([y, x, float(smoothed[y, x])])
    return out


def write_case(name, stored, runs, scale=1):
    """stored: the array saved as NAME.npy; the map itself is stored / scale."""
    np.save(os.path.join(OUT, name + ".npy"), stored)
    base = stored.astype(np.float64) / scale if scale != 1 else stored
    results = []
    for dtype, size, threshold, with_smoothed in runs:
        m = base.astype(dtype)
        run = {"dtype": dtype, "size": size, "threshold": threshold,
               "raw_count": int((m > threshold).sum()),
               "boxes": course_boxes(m, threshold, size)}
        if with_smoothed:
            smoothed = ndi.uniform_filter(m, size=size)
            assert smoothed.dtype == np.dtype(dtype), "uniform_filter keeps the input dtype"
            run["smoothed"] = samples(smoothed)
        results.append(run)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"input": name + ".npy", "scale": scale, "scipy": scipy.__version__,
                   "runs": results}, f, separators=(",", ":"))
        f.write("\n")
    return results


def from_art(art, on=1.0):
    rows = [r for r in art.strip("\n").split("\n")]
    return np.array([[on if c == "#" else 0.0 for c in r] for r in rows], dtype=np.float64)


def main():
    os.makedirs(OUT, exist_ok=True)

    # Holes: a closed ring (hole filled), a ring opened by a 4-connected channel to the outside
    # (not a hole), and a ring whose pocket meets the outside only diagonally (filled, because
    # the background is 4-connected in SciPy's default structure).
    holes = from_art("""
....................
.#####..............
.#...#....######....
.#...#....#....#....
.#####....#....#....
..........#.........
..........######....
....................
.#####..............
.#...#..............
.#...#..............
.####...............
....................
""")
    r = write_case("holes", holes, [("float64", 1, 0.5, False), ("float32", 1, 0.5, False),
                                    ("float64", 3, 0.3, True)])
    assert len(r[0]["boxes"]) == 3

    # 4-connectivity: squares sharing an edge form one component, squares meeting at a corner
    # form two; the U shape and the bar inside it check raster-scan label order.
    touching = from_art("""
................
.##.............
.####....#...#..
...##....#.#.#..
.........#...#..
.........#####..
.##.............
.##.............
...##...........
...##...........
................
""")
    touching[touching > 0] = np.linspace(0.55, 0.95, int((touching > 0).sum()))
    r = write_case("connectivity", touching, [("float64", 1, 0.5, False),
                                              ("float32", 1, 0.5, False)])
    assert r[0]["boxes"] == r[1]["boxes"]
    np.save(os.path.join(OUT, "connectivity_f32.npy"), touching.astype(np.float32))

    # Even-size alignment at the borders: one bright pixel per map, near each edge and corner.
    # Threshold 0 makes the box the exact support of the smoothing window.
    h, w = 24, 30
    spots = {"tl": (0, 0), "tr": (0, w - 1), "bl": (h - 1, 0), "br": (h - 1, w - 1),
             "top": (0, 13), "left": (11, 0), "bottom": (h - 1, 16), "right": (12, w - 1),
             "near_tl": (1, 2), "near_br": (h - 2, w - 3)}
    for name, (y, x) in spots.items():
        spot = np.zeros((h, w), dtype=np.uint8)
        spot[y, x] = 255
        runs = [("float64", s, t, name == "near_tl") for s in (20, 3, 4)
                for t in (0.0, 0.003, 0.1)]
        write_case("border_" + name, spot, runs, scale=255)

    # Maps smaller than the window: reflection repeats (period 2 * length).
    tiny = np.array([[0.9, 0.1, 0.0, 0.3, 0.05], [0.2, 0.0, 0.7, 0.0, 0.4],
                     [0.0, 0.6, 0.0, 0.0, 0.8]])
    write_case("tiny", tiny, [("float64", 20, 0.3, True), ("float64", 4, 0.3, True),
                              ("float32", 20, 0.3, True), ("float64", 1, 1.0, False),
                              ("float64", 1, 0.3, True)])

    # Nothing above the threshold: values equal to it do not count (strict >).
    flat = np.full((10, 12), 0.2)
    flat[3:6, 4:9] = 0.125
    r = write_case("nothing_exceeds", flat, [("float64", 20, 0.2, False),
                                             ("float64", 3, 0.5, False),
                                             ("float64", 3, 0.15, False)])
    assert r[0]["boxes"] == [[0, 0, 12, 10]]

    # A pixel passes the raw count but smoothing dilutes it below the threshold: no box at all.
    lonely = np.zeros((16, 16))
    lonely[7, 8] = 0.5
    r = write_case("smoothed_away", lonely, [("float64", 20, 0.1, False),
                                             ("float64", 1, 0.1, False)])
    assert r[0]["raw_count"] == 1 and r[0]["boxes"] == []

    # The dtype matters: values just above the threshold in float64 round onto it in float32.
    edge = np.zeros((8, 10))
    edge[2:5, 3:7] = 0.1000000001
    r = write_case("dtype_matters", edge, [("float64", 1, 0.1, False),
                                           ("float32", 1, 0.1, False),
                                           ("float64", 3, 0.04, False),
                                           ("float32", 3, 0.04, False)])
    assert r[0]["boxes"] != r[1]["boxes"]

    # A realistic Grad-CAM-like map: a few smooth blobs after a ReLU, upsampled size 60x80,
    # quantised to uint8 (value / 255) like an 8-bit heatmap image so the fixture stays small.
    rng = np.random.RandomState(20240508)
    yy, xx = np.mgrid[0:60, 0:80]
    field = np.zeros((60, 80))
    for _ in range(6):
        cy, cx = rng.uniform(0, 60), rng.uniform(0, 80)
        sy, sx = rng.uniform(2, 7), rng.uniform(2, 8)
        field += rng.uniform(0.3, 1.0) * np.exp(-((yy - cy) ** 2 / (2 * sy ** 2)
                                                  + (xx - cx) ** 2 / (2 * sx ** 2)))
    field = np.maximum(field - 0.25, 0)
    field /= field.max()
    quantised = np.round(field * 255).astype(np.uint8)
    runs = [(d, 20, t, t == 0.02 and d == "float64") for d in ("float64", "float32") for t in (0.01, 0.02, 0.06)]
    runs += [("float32", 20, 0.06, True), ("float64", 20, 0.3, False), ("float64", 4, 0.06, False), ("float64", 20, 1.0, False)]
    r = write_case("random_blobs", quantised, runs, scale=255)
    for run in r:
        print("random_blobs", run["dtype"], run["size"], run["threshold"], run["boxes"])

    for f in sorted(os.listdir(OUT)):
        print(f"{os.path.getsize(os.path.join(OUT, f)):7d}  {f}")


if __name__ == "__main__":
    sys.exit(main())
