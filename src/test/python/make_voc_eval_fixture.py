#!/usr/bin/env python3
"""Independent cross-check fixture for org.gradcam.eval.VocEvaluator.

Computes AP and recall on the published rayanramoul/GradCAM pickles with a plain transcription of
the VOC devkit voc_eval logic (as in detectron2's pascal_voc_evaluation.py) in numpy, and writes
them as JSON for VocEvaluatorCrossCheckTest. One deliberate change: detections are ranked with a
*stable* sort (numpy's default argsort is not stable, and every published score is 4.0, so the
devkit's result would depend on the numpy build). Also writes a tiny protocol-4 pickle that
exercises numpy's _reconstruct/__setstate__ path (the published pickles use protocol 5).

Run with Debian's numpy (apt-get install python3-numpy), from the project directory:
    /usr/bin/python3 src/test/python/make_voc_eval_fixture.py ../shared/data
"""
import csv
import json
import os
import pickle
import sys

import numpy as np

OUT = "src/test/resources/org/gradcam/eval"


def image_id(key):
    return key.replace("\\", "/").split("/")[-1].rsplit(".", 1)[0]


def voc_ap(rec, prec, use_07_metric):
    if use_07_metric:
        ap = 0.0
        for t in np.arange(0.0, 1.1, 0.1):
            p = np.max(prec[rec >= t]) if np.sum(rec >= t) > 0 else 0.0
            ap = ap + p / 11.0
        return ap
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])


def voc_eval(gt, difficult, det, ovthresh, use_07_metric, ignore_difficult):
    recs, npos = {}, 0
    for img, boxes in gt.items():
        diff = difficult[img] if ignore_difficult else np.zeros(len(boxes), dtype=bool)
        recs[img] = {"bbox": boxes.astype(float), "difficult": diff, "det": [False] * len(boxes)}
        npos += int(np.sum(~diff))
    ids, conf, bb = [], [], []
    for img, rows in det.items():
        for row in rows:
            ids.append(img)
            conf.append(row[4])
            bb.append(row[:4])
    order = np.argsort(-np.array(conf), kind="stable")
    bb = np.array(bb)[order].astype(float)
    ids = [ids[k] for k in order]
    nd = len(ids)
    tp, fp = np.zeros(nd), np.zeros(nd)
    for d in range(nd):
        r = recs[ids[d]]
        b = bb[d]
        ovmax, jmax = -np.inf, -1
        g = r["bbox"]
        if g.size > 0:
            ixmin = np.maximum(g[:, 0], b[0])
            iymin = np.maximum(g[:, 1], b[1])
            ixmax = np.minimum(g[:, 2], b[2])
            iymax = np.minimum(g[:, 3], b[3])
            iw = np.maximum(ixmax - ixmin + 1.0, 0.0)
            ih = np.maximum(iymax - iymin + 1.0, 0.0)
            inters = iw * ih
            uni = ((b[2] - b[0] + 1.0) * (b[3] - b[1] + 1.0)
                   + (g[:, 2] - g[:, 0] + 1.0) * (g[:, 3] - g[:, 1] + 1.0) - inters)
            overlaps = inters / uni
            ovmax, jmax = np.max(overlaps), np.argmax(overlaps)
        if ovmax > ovthresh:
            if not r["difficult"][jmax]:
                if not r["det"][jmax]:
                    tp[d] = 1.0
                    r["det"][jmax] = True
                else:
                    fp[d] = 1.0
        else:
            fp[d] = 1.0
    fp, tp = np.cumsum(fp), np.cumsum(tp)
    rec = tp / float(npos)
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    return float(voc_ap(rec, prec, use_07_metric)), float(rec[-1])


def main(data):
    res = os.path.join(data, "published/rayanramoul-GradCAM/results")
    with open(os.path.join(res, "all_gt_dogs.pickle"), "rb") as f:
        gt = {image_id(k): v for k, v in pickle.load(f).items()}
    csv_dogs = {}
    with open(os.path.join(data, "voc2007-test/voc2007_test_objects.csv")) as f:
        for row in csv.DictReader(f):
            if row["class"] == "dog":
                box = tuple(int(row[c]) for c in ("xmin", "ymin", "xmax", "ymax"))
                csv_dogs.setdefault(row["image_id"], []).append((box, row["difficult"] == "1"))
    difficult = {}
    for img, boxes in gt.items():
        pool = list(csv_dogs[img])
        flags = []
        for b in boxes:
            match = next(p for p in pool if p[0] == tuple(int(x) for x in b))
            pool.remove(match)
            flags.append(match[1])
        difficult[img] = np.array(flags, dtype=bool)
    out = {"images": len(gt), "gt_boxes": int(sum(len(v) for v in gt.values())),
           "difficult": int(sum(v.sum() for v in difficult.values())), "numpy": np.__version__,
           "detections": {}, "results": {}}
    for t in ("0.01", "0.02", "0.06"):
        with open(os.path.join(res, "all_detected_dogs%s.pickle" % t), "rb") as f:
            det = {image_id(k): v for k, v in pickle.load(f).items()}
        out["detections"][t] = int(sum(len(v) for v in det.values()))
        for metric07 in (False, True):
            for ignore in (False, True):
                key = "%s/%s/%s" % (t, "11-point" if metric07 else "all-point",
                                    "ignore" if ignore else "count")
                out["results"][key] = {}
                for iou in (0.3, 0.4, 0.5):
                    ap, rec = voc_eval(gt, difficult, det, iou, metric07, ignore)
                    out["results"][key][str(iou)] = {"ap": ap, "recall": rec}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "published_voc_eval.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
    tiny = {"a\\000001.jpg": np.array([[1, 2, 3, 4]], dtype=np.int64),
            "b/000002.jpg": np.array([[0.5, 1.5, 2.5, 3.5, 0.9]], dtype=np.float32),
            "000003": np.array([[1, 2, 3, 4, 1], [5, 6, 7, 8, 0]], dtype=np.int32)}
    with open(os.path.join(OUT, "protocol4.pickle"), "wb") as f:
        pickle.dump(tiny, f, protocol=4)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
