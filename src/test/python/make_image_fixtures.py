#!/usr/bin/env python3
"""Generates the reference fixtures of the org.gradcam.image tests with Pillow, NumPy and SciPy.

Not run by the build. Rerun by hand from the repository root when a case is added:

    /usr/bin/python3 src/test/python/make_image_fixtures.py

Needs Debian packages python3-pil python3-numpy python3-scipy imagemagick (PyPI is not used).
Fixtures were generated with Pillow 9.4.0, NumPy 1.24.2, SciPy 1.10.1, ImageMagick 6.9.11.
Everything is deterministic (fixed seeds), so a rerun reproduces the committed files.

Writes into src/test/resources/image/:

* Resizing (ResizeTest). Inputs are lossless PNGs; the expected outputs are
  ``PIL.Image.resize((w, h), NEAREST | BILINEAR)`` of the PNG, saved as PNG.
  ``resize_cases.csv`` lists ``input,width,height,method,expected``.
  - noise_37x23.png, noise_10x7.png: uniform random RGB noise (the harshest case).
  - jpeg_decoded_45x31.png: a synthetic picture saved as JPEG by Pillow and decoded again by
    Pillow. JPEG decoders differ slightly, so for JPEG-based cases the decoded pixels are
    stored losslessly and only the resizing is compared.
* The real photo (ResizeTest): /work/shared/data/voc2007-test/JPEGImages/001150.jpg is NOT
  committed. Only Pillow's resized results voc_001150_224x224_{nearest,bilinear}.png and
  voc_001150_decoded.txt (size and SHA-256 of Pillow's decoded RGB bytes, so the test can tell
  whether Java decoded exactly the same pixels) are written.
* Reading (ImagesTest): gray_8bit.png (mode L), rgba.png (RGBA with varying alpha),
  gray_alpha.png (LA), palette.png (P) and for each ``<name>.expected.png`` =
  ``Image.open(f).convert("RGB")``, which is what Keras' load_img does.
  ``blocks.png`` (colour blocks) converted into ``cmyk.jpg`` (CMYK JPEG, Adobe transform 0,
  by Pillow), ``ycck.jpg`` (CMYK stored as YCCK, Adobe transform 2, by ImageMagick) and
  ``jpeg_decoded_45x31.png`` into ``progressive.jpg`` (progressive RGB JPEG, ImageMagick
  ``-interlace JPEG``); ``progressive.expected.png`` is Pillow's decoding of it.
* Heatmap upsampling (HeatmapUpsamplerTest): heat_<h>x<w>_to_<H>x<W>.npy holding the float32
  input map and ..._expected.npy the float32 result of bilinear interpolation with half-pixel
  centres and clamped edges, computed by a direct NumPy formula and checked here against
  ``scipy.ndimage.zoom(order=1, mode="nearest", grid_mode=True)``.
"""
import csv
import hashlib
import os
import subprocess

import numpy as np
import scipy
import scipy.ndimage
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "src/test/resources/image")
VOC_PHOTO = os.path.abspath(os.path.join(
    ROOT, "..", "shared", "data", "voc2007-test", "JPEGImages", "001150.jpg"))
METHODS = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR}


def path(name):
    return os.path.join(OUT, name)


def save_png(array_or_image, name):
    img = array_or_image if isinstance(array_or_image, Image.Image) else Image.fromarray(array_or_image)
    img.save(path(name), optimize=True)


def resize_fixtures(rng):
    inputs = {}
    inputs["noise_37x23.png"] = rng.integers(0, 256, (23, 37, 3), dtype=np.uint8)
    inputs["noise_10x7.png"] = rng.integers(0, 256, (7, 10, 3), dtype=np.uint8)
    yy, xx = np.mgrid[0:31, 0:45]
    smooth = np.stack([xx * 5, yy * 8, (xx + yy) * 3], axis=-1).clip(0, 255).astype(np.uint8)
    Image.fromarray(smooth).save(path("tmp.jpg"), quality=75)
    inputs["jpeg_decoded_45x31.png"] = np.asarray(Image.open(path("tmp.jpg")).convert("RGB"))
    os.remove(path("tmp.jpg"))
    for name, pixels in inputs.items():
        save_png(pixels, name)

    cases = [
        ("noise_37x23.png", 16, 16), ("noise_37x23.png", 96, 80), ("noise_37x23.png", 50, 11),
        ("noise_37x23.png", 5, 3), ("noise_10x7.png", 24, 24), ("noise_10x7.png", 3, 5),
        ("noise_10x7.png", 10, 13), ("jpeg_decoded_45x31.png", 16, 16),
        ("jpeg_decoded_45x31.png", 100, 70),
    ]
    rows = []
    for name, w, h in cases:
        img = Image.open(path(name))
        for method, resample in METHODS.items():
            expected = "%s_to_%dx%d_%s.png" % (name[:-4], w, h, method)
            save_png(img.resize((w, h), resample), expected)
            rows.append([name, w, h, method, expected])
    with open(path("resize_cases.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["input", "width", "height", "method", "expected"])
        writer.writerows(rows)


def voc_fixtures():
    if not os.path.exists(VOC_PHOTO):
        print("skipping real photo, not found:", VOC_PHOTO)
        return
    img = Image.open(VOC_PHOTO).convert("RGB")
    raw = np.asarray(img).tobytes()
    with open(path("voc_001150_decoded.txt"), "w") as f:
        f.write("width=%d\nheight=%d\nsha256=%s\n" % (img.width, img.height, hashlib.sha256(raw).hexdigest()))
    for method, resample in METHODS.items():
        save_png(img.resize((224, 224), resample), "voc_001150_224x224_%s.png" % method)


def reading_fixtures(rng):
    yy, xx = np.mgrid[0:20, 0:30]
    gray = ((xx * 7 + yy * 3) % 256).astype(np.uint8)
    rgba = np.stack([xx * 8, yy * 12, 255 - xx * 8, (xx + yy) * 5], axis=-1).clip(0, 255).astype(np.uint8)
    images = {
        "gray_8bit.png": Image.fromarray(gray, "L"),
        "rgba.png": Image.fromarray(rgba, "RGBA"),
        "gray_alpha.png": Image.fromarray(np.stack([gray, 255 - gray], axis=-1), "LA"),
        "palette.png": Image.fromarray(rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)).quantize(16),
    }
    for name, img in images.items():
        save_png(img, name)
        save_png(Image.open(path(name)).convert("RGB"), name[:-4] + ".expected.png")

    # Six colour blocks 16x16 each: red, green, blue / white, black, mid grey.
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0), (128, 128, 128)]
    blocks = np.zeros((32, 48, 3), dtype=np.uint8)
    for i, c in enumerate(colours):
        blocks[(i // 3) * 16:(i // 3 + 1) * 16, (i % 3) * 16:(i % 3 + 1) * 16] = c
    save_png(blocks, "blocks.png")
    # Pillow stores CMYK as is (Adobe transform 0); ImageMagick/libjpeg stores it as YCCK
    # (Adobe transform 2). Both are naive conversions without an ICC profile.
    Image.fromarray(blocks).convert("CMYK").save(path("cmyk.jpg"), quality=95)
    subprocess.run(["convert", path("blocks.png"), "-colorspace", "CMYK", "-quality", "95",
                    path("ycck.jpg")], check=True)
    subprocess.run(["convert", path("jpeg_decoded_45x31.png"), "-interlace", "JPEG",
                    "-quality", "90", path("progressive.jpg")], check=True)
    save_png(Image.open(path("progressive.jpg")).convert("RGB"), "progressive.expected.png")


def bilinear_half_pixel(m, out_h, out_w):
    """Direct formula: sample at (i + 0.5) * in / out - 0.5, clamped to [0, in - 1]."""
    h, w = m.shape
    def axis(n_in, n_out):
        src = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
        lo = np.floor(src).astype(int)
        hi = np.minimum(lo + 1, n_in - 1)
        return lo, hi, src - lo
    y0, y1, fy = axis(h, out_h)
    x0, x1, fx = axis(w, out_w)
    m = m.astype(np.float64)
    top = m[y0][:, x0] * (1 - fx) + m[y0][:, x1] * fx
    bottom = m[y1][:, x0] * (1 - fx) + m[y1][:, x1] * fx
    return top * (1 - fy[:, None]) + bottom * fy[:, None]


def heatmap_fixtures(rng):
    for (h, w), (out_h, out_w) in [((14, 14), (37, 50)), ((7, 5), (31, 23)), ((2, 3), (9, 4))]:
        m = rng.random((h, w)).astype(np.float32)
        expected = bilinear_half_pixel(m, out_h, out_w)
        by_scipy = scipy.ndimage.zoom(m.astype(np.float64), (out_h / h, out_w / w), order=1,
                                      mode="nearest", grid_mode=True)
        assert by_scipy.shape == expected.shape
        assert np.allclose(by_scipy, expected, atol=1e-9), np.abs(by_scipy - expected).max()
        stem = "heat_%dx%d_to_%dx%d" % (h, w, out_h, out_w)
        np.save(path(stem + ".npy"), m)
        np.save(path(stem + "_expected.npy"), np.ascontiguousarray(expected, dtype=np.float32))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)
    resize_fixtures(rng)
    voc_fixtures()
    reading_fixtures(rng)
    heatmap_fixtures(rng)
    print("fixtures written to", OUT)


if __name__ == "__main__":
    main()
