"""Writes the pickle fixtures of ReadersTest (src/test/resources/org/gradcam/data/pickles/).

Run by hand with Debian's python3-numpy: python3 src/test/python/make_pickle_fixtures.py
Good pickles: the published detections layout (dict image path -> float64 Nx5) at every
protocol, so each way numpy pickles an array is read. Bad ones: a NaN or infinite score, a NaN
coordinate, inverted boxes, and pickles that call os.system or eval when Python loads them
(built with __reduce__, never loaded here).
"""
import os
import pickle
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "resources/org/gradcam/data/pickles"
KEY = "voc_dataset\\VOCdevkit\\VOC2007\\JPEGImages\\000001.jpg"
GOOD = np.array([[48.0, 240.0, 195.0, 371.0, 0.75], [8.0, 12.0, 352.0, 498.0, 0.25]])


class System:
    def __reduce__(self):
        return (os.system, ("echo pwned > /tmp/gradcam-pickle-pwned",))


class Eval:
    def __reduce__(self):
        return (eval, ("__import__('os').system('echo pwned')",))


def dump(name, obj, protocol=4):
    with open(OUT / name, "wb") as f:
        pickle.dump(obj, f, protocol=protocol)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for protocol in range(6):
        dump(f"detections_protocol{protocol}.pickle", {KEY: GOOD}, protocol)
    for name, row in {"nan_score": [48, 240, 195, 371, np.nan],
                      "inf_score": [48, 240, 195, 371, np.inf],
                      "nan_box": [np.nan, 240, 195, 371, 0.5],
                      "inverted_detection": [195, 240, 48, 371, 0.5]}.items():
        dump(f"{name}.pickle", {KEY: np.array([row], dtype=np.float64)})
    dump("inverted_gt.pickle", {KEY: np.array([[48, 371, 195, 240]], dtype=np.int32)})
    dump("os_system_protocol0.pickle", {KEY: System()}, 0)
    dump("os_system_protocol4.pickle", {KEY: System()}, 4)
    dump("eval_protocol2.pickle", {KEY: Eval()}, 2)


if __name__ == "__main__":
    main()
