#!/usr/bin/env python3
"""Generates the fixtures of CenterCropTest with torchvision's own evaluation transform.

Not run by the build. Rerun by hand from the repository root:

    /usr/bin/python3 src/test/python/make_center_crop_fixtures.py

Needs Debian packages python3-torchvision python3-pil python3-numpy (PyPI is not used).
Generated with torchvision 0.14, Pillow 9.4.0. Deterministic (fixed seed).

Writes into src/test/resources/image/:

* noise_23x37.png: a portrait input (uniform RGB noise, 23 wide, 37 high); the landscape inputs
  noise_37x23.png and noise_10x7.png are make_image_fixtures.py's.
* center_crop_cases.csv: ``input,resize_short,crop_height,crop_width,method,resized_width,
  resized_height,left,top,expected``, one row per case, where ``expected`` is the PNG of
  ``transforms.Compose([Resize(resize_short, interpolation), CenterCrop((crop_height,
  crop_width))])`` applied to the input opened by Pillow, resized_width/height are what
  torchvision's ``Resize`` produced and left/top the crop's corner in the resized picture, found
  by searching the resized picture for the crop (independent of the formula under test).
  Cases include crop offsets of x.5 (Python rounds halves to even: 6.5 -> 6, 2.5 -> 2).
"""
import csv
import os

import numpy as np
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "src/test/resources/image")
METHODS = {"nearest": InterpolationMode.NEAREST, "bilinear": InterpolationMode.BILINEAR}

# (input, resize_short, crop_height, crop_width)
CASES = [
    ("noise_37x23.png", 16, 12, 12),   # resized 25x16: left (25-12)/2 = 6.5 -> 6, top 2
    ("noise_37x23.png", 20, 15, 11),   # non-square crop
    ("noise_37x23.png", 23, 23, 23),   # short side unchanged: no resize, crop only
    ("noise_10x7.png", 9, 9, 7),       # upscaled 12x9: left 2.5 -> 2
    ("noise_10x7.png", 14, 11, 13),    # upscaled 20x14: left 3.5 -> 4, top 1.5 -> 2
    ("noise_23x37.png", 16, 16, 16),   # portrait: resized 16x25, top 4.5 -> 4
    ("noise_23x37.png", 11, 13, 9),    # portrait, non-square crop
]


def find(haystack, needle):
    """The (left, top) where needle sits in haystack, by exhaustive search."""
    hh, hw = haystack.shape[:2]
    nh, nw = needle.shape[:2]
    hits = [(x, y) for y in range(hh - nh + 1) for x in range(hw - nw + 1)
            if np.array_equal(haystack[y:y + nh, x:x + nw], needle)]
    assert len(hits) == 1, hits
    return hits[0]


def main():
    rng = np.random.default_rng(20261202)
    Image.fromarray(rng.integers(0, 256, (37, 23, 3), dtype=np.uint8)).save(
        os.path.join(OUT, "noise_23x37.png"), optimize=True)
    rows = []
    for name, short, ch, cw in CASES:
        img = Image.open(os.path.join(OUT, name)).convert("RGB")
        for method, mode in METHODS.items():
            resized = transforms.Resize(short, interpolation=mode)(img)
            cropped = transforms.CenterCrop((ch, cw))(resized)
            assert cropped.size == (cw, ch)
            left, top = find(np.asarray(resized), np.asarray(cropped))
            expected = "%s_short%d_crop%dx%d_%s.png" % (name[:-4], short, ch, cw, method)
            cropped.save(os.path.join(OUT, expected), optimize=True)
            rows.append([name, short, ch, cw, method, resized.width, resized.height, left, top,
                         expected])
    with open(os.path.join(OUT, "center_crop_cases.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["input", "resize_short", "crop_height", "crop_width", "method",
                    "resized_width", "resized_height", "left", "top", "expected"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
