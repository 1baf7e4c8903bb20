#!/usr/bin/env python3
"""PyTorch's Guided Backpropagation on torchvision ONNX fixtures (issue 12). NOT run by the build.

Rebuilds the reduced torchvision models of make_torchvision_onnx.py (same builders, seeds and
normalisation steps; their logits are checked against the fixture's logits.npy first, so the
weights are those of the committed model.onnx) and writes, beside each fixture's files,

* guided_backprop.npy  [2,3,H,W] float32: d(top-1 logit)/d(input) of each image of input.npy,
                       every nn.ReLU and nn.ReLU6 module's backward replaced by the guided rule
                       relu(grad_out) * [0 < x (< 6)], as pytorch-grad-cam's
                       GuidedBackpropReLUModel does for nn.ReLU (the Java side applies the same
                       rule to ReLU6, which the importer turns Clip(0, 6) into)

    /usr/bin/python3 src/test/python/make_guided_backprop_fixtures.py

Needs the packages of make_torchvision_onnx.py (Debian python3-torch 1.13, torchvision 0.14).
"""
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_torchvision_onnx as tv  # noqa: E402

# Models whose rectifiers are all nn.ReLU / nn.ReLU6 modules (no functional relu in forward).
NAMES = ["resnet18", "mobilenet_v2"]


class GuidedRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, upper):
        ctx.save_for_backward(x)
        ctx.upper = upper
        return x.clamp(min=0) if upper is None else x.clamp(0, upper)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        open_ = x > 0 if ctx.upper is None else (x > 0) & (x < ctx.upper)
        return g.clamp(min=0) * open_.to(g.dtype), None


class Guided(nn.Module):
    def __init__(self, upper):
        super().__init__()
        self.upper = upper

    def forward(self, x):
        return GuidedRelu.apply(x, self.upper)


def guide(module):
    replaced = 0
    for name, child in module.named_children():
        if isinstance(child, nn.ReLU6):
            setattr(module, name, Guided(6.0))
            replaced += 1
        elif isinstance(child, nn.ReLU):
            setattr(module, name, Guided(None))
            replaced += 1
        else:
            replaced += guide(child)
    return replaced


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    builders = {name: (builder, seed) for name, builder, _, seed in tv.FIXTURES}
    for name in NAMES:
        builder, seed = builders[name]
        torch.manual_seed(seed)
        model, hw, _, _ = builder()
        for m in model.modules():
            if hasattr(m, "inplace"):
                m.inplace = False
        tv.randomize_normalisation(model, hw, seed)
        tv.scale_logits(model, hw, seed)
        folder = os.path.join(tv.OUT, name)
        x = np.load(os.path.join(folder, "input.npy"))
        with torch.no_grad():
            logits = model(torch.from_numpy(x)).numpy()
        expected = np.load(os.path.join(folder, "logits.npy"))
        if not np.allclose(logits, expected, atol=1e-5):
            raise ValueError(f"{name}: rebuilt logits differ from the fixture's by "
                             f"{np.abs(logits - expected).max()}")
        replaced = guide(model)
        t = torch.from_numpy(x).requires_grad_(True)
        y = model(t)
        top1 = y.argmax(dim=1)
        y.gather(1, top1[:, None]).sum().backward()
        g = t.grad.numpy().astype(np.float32)
        np.save(os.path.join(folder, "guided_backprop.npy"), g)
        print(f"{name}: {replaced} rectifier modules guided, top-1 {top1.tolist()}, "
              f"|grad| max {np.abs(g).max():.4g}, zero share {(g == 0).mean():.3f}")


if __name__ == "__main__":
    main()
