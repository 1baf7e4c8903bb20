#!/usr/bin/env python3
"""torchvision ONNX fixtures with PyTorch's own Grad-CAM (issue 9). NOT run by the build.

For every torchvision classification architecture of issue 9 this builds the torchvision model
class with seeded random weights, REDUCED (fewer blocks, narrow widths, small inputs) so each
file is small but keeps every op type the full model exports, exports it with
torch.onnx.export (default node naming, dynamic batch axis) and writes what PyTorch itself
computes, so the Java side (ONNX Runtime as oracle, OnnxScopes, the importer) is checked
against an independent implementation:

    /usr/bin/python3 src/test/python/make_torchvision_onnx.py [mirror]

(mirror defaults to ../shared/data; the two inputs are its VOC2007 test images 000001.jpg and
001150.jpg). Needs Debian python3-torch 1.13, python3-torchvision 0.14, python3-onnx 1.12,
python3-pil; generated with exactly those (torch 1.13.0a0, torchvision 0.14.1a0, onnx 1.12.0,
NumPy 1.24.2, Pillow 9.4.0). Export uses the CPU and is deterministic; rerunning rewrites the
same tensors (the .onnx bytes may differ in the producer string only).

Writes src/test/resources/onnx/torchvision/<fixture>/:

* model.onnx          the export: input "input" [batch,3,H,W] NCHW, output "logits" [batch,10]
* input.npy           [2,3,H,W] float32: the two images, Pillow BILINEAR resize to HxW, /255,
                      torchvision's ImageNet mean/std (the model's own preprocessing)
* logits.npy          [2,10] float32: PyTorch's logits (model.eval())
* cam_<key>.npy       [2,h,w] float32: PyTorch Grad-CAM at that layer, raw (no normalisation,
                      no upsampling): ReLU(sum_c mean_hw(dy/dA_c) * A_c), y = the image's top-1
                      logit, A captured by a forward hook on the module, its gradient by
                      retain_grad (one backward of the sum of the top-1 logits: in eval mode the
                      images of a batch are independent)
* activations_<key>.npy  [2,C,h,w] float32: A itself

and manifest.json beside the folders: per fixture its files, opset, input shape, top-1 per
image, the ONNX op types present, and the layers: key ("default" = the last conv feature map:
the last 4-D spatial tensor before the classifier that no pooling op produced; otherwise the
module path), the module
path (null when the default is not a module output: DenseNet applies a functional ReLU after
"features"), and the ONNX tensor that is that output. The tensor is found here by the scope
rule (produced by a node inside the module's scope, consumed outside it); for the default it
is also checked to be the data input of the global pool / flatten node. That equality of the
tensor's values with PyTorch's activations is checked on the Java side through ONNX Runtime.

Reductions keep the op types: BatchNorm in eval mode with running statistics first estimated
on random inputs (so activations keep a sane scale through depth) and then perturbed, and
random affine parameters (the exporter folds BN into the preceding Conv; DenseNet's BN that
follows a Concat stays a BatchNormalization node); ceil_mode pooling (SqueezeNet, GoogLeNet);
grouped and depthwise convs (ResNeXt, RegNet, MobileNets, EfficientNet, ConvNeXt); SE blocks
(EfficientNet, MobileNet V3, RegNet Y); hardswish and hardsigmoid (MobileNet V3: HardSigmoid +
Mul at opset 13, HardSwish at 17); channel shuffle with the dynamic batch (ShuffleNet V2:
Shape/Gather/Unsqueeze/Concat/Reshape/Transpose, Split); LayerNorm (ConvNeXt: decomposed
into ReduceMean/Sub/Pow/Sqrt/Div at 13, LayerNormalization at 17) and GELU (Erf); the
transform_input prologue of GoogLeNet and Inception V3 (Gather/Unsqueeze/Mul/Add/Concat).
ConvNeXt's layer scale is drawn in [0.3, 1] instead of 1e-6 so the blocks matter.
"""
import functools
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision.models import densenet as tv_densenet
from torchvision.models.convnext import CNBlockConfig, ConvNeXt
from torchvision.models.densenet import DenseNet
from torchvision.models.efficientnet import EfficientNet, MBConvConfig
from torchvision.models.googlenet import GoogLeNet, Inception
from torchvision.models.googlenet import BasicConv2d as GBasicConv2d
from torchvision.models.inception import (BasicConv2d, Inception3, InceptionA, InceptionAux,
                                          InceptionB, InceptionC, InceptionD, InceptionE)
from torchvision.models.mobilenetv2 import MobileNetV2
from torchvision.models.mobilenetv3 import InvertedResidualConfig, MobileNetV3
from torchvision.models.regnet import BlockParams, RegNet
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet
from torchvision.models.shufflenetv2 import ShuffleNetV2
from torchvision.models.squeezenet import Fire, SqueezeNet
from torchvision.models.vgg import VGG, make_layers
from torchvision.models.alexnet import AlexNet

OUT = os.path.join("src", "test", "resources", "onnx", "torchvision")
IMAGES = ["000001.jpg", "001150.jpg"]
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
CLASSES = 10


# ---------------------------------------------------------------------------------------------
# Reduced torchvision models. Each builder returns (model, (H, W), default, explicit modules);
# default is a module path, or ("relu_after", path) for a functional ReLU after that module.


def resnet18():
    m = ResNet(BasicBlock, [1, 1, 1, 1], num_classes=CLASSES)
    narrow_resnet(m, BasicBlock, [2, 1, 1, 1], [8, 16, 32, 64])
    return m, (96, 96), "layer4", ["layer3", "layer2.0"]


def resnext50():
    # Bottleneck blocks with groups (ResNeXt) cover resnet50/101/152 and resnext's grouped 3x3.
    m = ResNet(Bottleneck, [1, 1, 1, 1], num_classes=CLASSES, groups=2, width_per_group=8)
    narrow_resnet(m, Bottleneck, [1, 1, 2, 1], [8, 8, 16, 16])
    return m, (96, 96), "layer4", ["layer3.1"]


def narrow_resnet(m, block, layers, planes):
    m.inplanes = planes[0]
    m.conv1 = nn.Conv2d(3, planes[0], kernel_size=7, stride=2, padding=3, bias=False)
    m.bn1 = nn.BatchNorm2d(planes[0])
    m.layer1 = m._make_layer(block, planes[0], layers[0])
    m.layer2 = m._make_layer(block, planes[1], layers[1], stride=2)
    m.layer3 = m._make_layer(block, planes[2], layers[2], stride=2)
    m.layer4 = m._make_layer(block, planes[3], layers[3], stride=2)
    m.fc = nn.Linear(planes[3] * block.expansion, CLASSES)


def densenet():
    m = DenseNet(growth_rate=8, block_config=(2, 2, 2, 2), num_init_features=16, bn_size=2,
                 num_classes=CLASSES)
    return m, (96, 96), ("relu_after", "features"), ["features.denseblock4", "features.transition2"]


def efficientnet():
    setting = [MBConvConfig(1, 3, 1, 16, 8, 1), MBConvConfig(6, 3, 2, 8, 16, 2),
               MBConvConfig(6, 5, 2, 16, 24, 1)]
    m = EfficientNet(setting, dropout=0.2, stochastic_depth_prob=0.0, num_classes=CLASSES)
    return m, (64, 64), "features", ["features.2"]


def mobilenet_v2():
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 2, 2], [6, 64, 1, 2]]
    m = MobileNetV2(num_classes=CLASSES, width_mult=0.5, inverted_residual_setting=setting)
    return m, (64, 64), "features", ["features.3"]


def mobilenet_v3():
    c = InvertedResidualConfig
    setting = [c(16, 3, 16, 16, True, "RE", 2, 1, 1.0), c(16, 3, 64, 24, False, "RE", 2, 1, 1.0),
               c(24, 3, 72, 24, False, "RE", 1, 1, 1.0), c(24, 5, 96, 40, True, "HS", 2, 1, 1.0),
               c(40, 5, 120, 40, True, "HS", 1, 1, 1.0)]
    m = MobileNetV3(setting, last_channel=64, num_classes=CLASSES)
    return m, (64, 64), "features", ["features.4"]


def vgg():
    # vgg16's layout (conv/ReLU stacks, max pools, adaptive 7x7 pool, 3-layer classifier),
    # fewer convs and narrow; 112x112 keeps the 7x7 feature map of the full model.
    m = VGG(make_layers([8, "M", 16, "M", 32, 32, "M", 32, 32, "M"]), num_classes=CLASSES,
            init_weights=True)
    m.classifier = nn.Sequential(nn.Linear(32 * 7 * 7, 64), nn.ReLU(True), nn.Dropout(),
                                 nn.Linear(64, 64), nn.ReLU(True), nn.Dropout(),
                                 nn.Linear(64, CLASSES))
    return m, (112, 112), "features.14", ["features.9", "avgpool"]


def alexnet():
    m = AlexNet(num_classes=CLASSES)
    m.features = nn.Sequential(
        nn.Conv2d(3, 16, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(16, 24, kernel_size=5, padding=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(24, 32, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(32, 24, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(24, 24, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2))
    # 127x127 gives a 3x3 feature map (224 gives 6x6); the adaptive pool keeps "identity" size.
    m.avgpool = nn.AdaptiveAvgPool2d((3, 3))
    m.classifier = nn.Sequential(nn.Dropout(), nn.Linear(24 * 3 * 3, 64), nn.ReLU(inplace=True),
                                 nn.Dropout(), nn.Linear(64, 64), nn.ReLU(inplace=True),
                                 nn.Linear(64, CLASSES))
    return m, (127, 127), "features.11", ["features.7"]


def narrow_squeezenet(m, div):
    layers = []
    for layer in m.features:
        if isinstance(layer, nn.Conv2d):
            layers.append(nn.Conv2d(3, layer.out_channels // div, layer.kernel_size, layer.stride))
        elif isinstance(layer, Fire):
            layers.append(Fire(layer.inplanes // div, layer.squeeze.out_channels // div,
                               layer.expand1x1.out_channels // div,
                               layer.expand3x3.out_channels // div))
        else:
            layers.append(layer)
    m.features = nn.Sequential(*layers)
    m.classifier[1] = nn.Conv2d(512 // div, CLASSES, kernel_size=1)


def squeezenet1_1():
    m = SqueezeNet("1_1", num_classes=CLASSES)
    narrow_squeezenet(m, 8)
    # Non-square, and sizes where ceil_mode changes the pooled size (32 -> 16, 16 -> 8, 8 -> 4).
    return m, (65, 81), "classifier.2", ["features", "features.7"]


def squeezenet1_0():
    m = SqueezeNet("1_0", num_classes=CLASSES)
    narrow_squeezenet(m, 8)
    return m, (96, 96), "classifier.2", ["features.12"]


class NarrowGoogLeNetConv(GBasicConv2d):
    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__(in_channels if in_channels == 3 else in_channels // 8,
                         out_channels // 8, **kwargs)


def googlenet():
    m = GoogLeNet(num_classes=CLASSES, aux_logits=False, transform_input=True, init_weights=True,
                  blocks=[NarrowGoogLeNetConv,
                          functools.partial(Inception, conv_block=NarrowGoogLeNetConv),
                          None])
    m.fc = nn.Linear(1024 // 8, CLASSES)
    return m, (96, 96), "inception5b", ["inception4a"]


class NarrowInceptionConv(BasicConv2d):
    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__(in_channels if in_channels == 3 else in_channels // 16,
                         out_channels // 16, **kwargs)


def inception_v3():
    blocks = [NarrowInceptionConv] + [functools.partial(b, conv_block=NarrowInceptionConv)
                                      for b in (InceptionA, InceptionB, InceptionC, InceptionD,
                                                InceptionE, InceptionAux)]
    m = Inception3(num_classes=CLASSES, aux_logits=False, transform_input=True,
                   inception_blocks=blocks, init_weights=True)
    m.fc = nn.Linear(2048 // 16, CLASSES)
    # 139x139 gives a 3x3 map at Mixed_7c (299 gives 8x8; 75, the minimum, gives 1x1).
    return m, (139, 139), "Mixed_7c", ["Mixed_6e"]


def shufflenet_v2():
    m = ShuffleNetV2([2, 1, 1], [8, 16, 32, 64, 128], num_classes=CLASSES)
    return m, (96, 96), "conv5", ["stage2"]


def regnet_y():
    params = BlockParams.from_init_params(depth=4, w_0=8, w_a=8.0, w_m=2.0, group_width=8,
                                          se_ratio=0.25)
    m = RegNet(params, num_classes=CLASSES, stem_width=8)
    return m, (64, 64), "trunk_output", ["trunk_output.block2"]


def convnext():
    setting = [CNBlockConfig(8, 16, 1), CNBlockConfig(16, 32, 2), CNBlockConfig(32, None, 1)]
    m = ConvNeXt(setting, stochastic_depth_prob=0.0, layer_scale=1.0, num_classes=CLASSES)
    return m, (64, 64), "features", ["features.3"]


# (fixture name, builder, opset, seed)
FIXTURES = [
    ("resnet18", resnet18, 13, 1),
    ("resnet18_opset17", resnet18, 17, 1),
    ("resnext50_opset11", resnext50, 11, 2),
    ("densenet121", densenet, 13, 3),
    ("efficientnet_b0", efficientnet, 13, 4),
    ("mobilenet_v2", mobilenet_v2, 13, 5),
    ("mobilenet_v3", mobilenet_v3, 13, 6),
    ("mobilenet_v3_opset17", mobilenet_v3, 17, 6),
    ("vgg16", vgg, 13, 7),
    ("alexnet", alexnet, 13, 8),
    ("squeezenet1_1", squeezenet1_1, 13, 9),
    ("squeezenet1_0_opset11", squeezenet1_0, 11, 10),
    ("googlenet", googlenet, 13, 11),
    ("inception_v3", inception_v3, 13, 12),
    ("shufflenet_v2", shufflenet_v2, 13, 13),
    ("regnet_y", regnet_y, 13, 14),
    ("convnext", convnext, 13, 15),
    ("convnext_opset17", convnext, 17, 15),
]


# ---------------------------------------------------------------------------------------------


def load_inputs(mirror, hw):
    h, w = hw
    batch = []
    for name in IMAGES:
        path = os.path.join(mirror, "voc2007-test", "JPEGImages", name)
        img = Image.open(path).convert("RGB").resize((w, h), Image.BILINEAR)
        x = (np.asarray(img, dtype=np.float32) / 255.0 - MEAN) / STD
        batch.append(x.transpose(2, 0, 1))
    return np.ascontiguousarray(np.stack(batch).astype(np.float32))


def randomize_normalisation(model, hw, seed):
    """Non-trivial BatchNorm/LayerNorm parameters and running statistics."""
    g = torch.Generator().manual_seed(seed)
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in bns:
            bn.weight.uniform_(0.5, 1.5, generator=g)
            bn.bias.normal_(0.0, 0.2, generator=g)
            bn.reset_running_stats()
            bn.momentum = None  # cumulative average over the calibration batches
        for m in model.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.uniform_(0.5, 1.5, generator=g)
                m.bias.normal_(0.0, 0.2, generator=g)
            if hasattr(m, "layer_scale"):  # ConvNeXt's CNBlock
                m.layer_scale.uniform_(0.3, 1.0, generator=g)
        if bns:
            model.train()
            for _ in range(4):
                model(torch.randn(8, 3, *hw, generator=g))
            model.eval()
            for bn in bns:
                std = bn.running_var.sqrt()
                bn.running_mean.add_(0.1 * std * torch.randn(std.shape, generator=g))
                bn.running_var.mul_(torch.empty(std.shape).uniform_(0.7, 1.3, generator=g))
    model.eval()


def scale_logits(model, hw, seed):
    """Scale the last layer so logits have a standard deviation near 1 on random inputs (some
    torchvision inits give logits of 1e-3, where a top-1 would hinge on rounding)."""
    last = [m for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))][-1]
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        std = float(model(torch.randn(8, 3, *hw, generator=g)).std())
        last.weight.mul_(1.0 / std)
        last.bias.mul_(1.0 / std)


class Capture:
    """Forward hook keeping the module's output (once) with its gradient."""

    def __init__(self):
        self.out = None

    def keep(self, tensor):
        if self.out is not None:
            raise RuntimeError("module called more than once; its output is ambiguous")
        tensor.retain_grad()
        self.out = tensor


def grad_cam(model, x, default):
    """PyTorch Grad-CAM at a module path or ("relu_after", path); returns cam, activations."""
    cap = Capture()
    if isinstance(default, tuple):
        kind, path = default
        assert kind == "relu_after"
        armed = []
        handle = model.get_submodule(path).register_forward_hook(
            lambda mod, inp, out: armed.append(True))
        original = F.relu

        def relu(t, inplace=False):
            y = original(t, inplace=False)
            if armed:  # the first functional ReLU after the module: DenseNet's F.relu(features)
                armed.clear()
                cap.keep(y)
            return y

        tv_densenet.F.relu = relu
    else:
        handle = model.get_submodule(default).register_forward_hook(
            lambda mod, inp, out: cap.keep(out))
    try:
        model.zero_grad()
        logits = model(torch.from_numpy(x))
    finally:
        handle.remove()
        if isinstance(default, tuple):
            tv_densenet.F.relu = original
    top1 = logits.argmax(dim=1)
    logits.gather(1, top1[:, None]).sum().backward()
    a = cap.out.detach()
    weights = cap.out.grad.mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * a).sum(dim=1))
    return cam.numpy().astype(np.float32), a.numpy().astype(np.float32), top1.tolist()


# ---------------------------------------------------------------------------------------------
# Scope analysis of the exported graph (the rule OnnxScopes implements in Java; here only to
# write the expected names into the manifest, the Java test checks the values through ORT).


def scope_paths(segments):
    """Module path of each scope prefix: torch writes a module's name without the parent's
    prefix, except that numeric atoms keep the nearest non-numeric one ('layer4.1' under
    'layer4', 'block.0' under 'block')."""
    full, prev = [], ""
    for seg in segments:
        parent = full[-1] if full else ""
        if prev and seg.startswith(prev + ".") and all(
                a.isdigit() for a in seg[len(prev) + 1:].split(".")):
            path = parent + seg[len(prev):]
        else:
            path = seg if not parent else parent + "." + seg
        full.append(path)
        prev = seg
    return full


def module_output(graph, module):
    inside = set()
    for i, node in enumerate(graph.node):
        if node.name.startswith("/") and module in scope_paths(node.name.split("/")[1:-1]):
            inside.add(i)
    if not inside:
        raise KeyError(f"no scope for module {module}")
    produced = {o: i for i in inside for o in graph.node[i].output}
    outputs = {o.name for o in graph.output}
    crossing = set()
    for i, node in enumerate(graph.node):
        if i in inside:
            continue
        for name in node.input:
            if name in produced:
                crossing.add(name)
    crossing |= outputs & produced.keys()
    crossing = {t for t in crossing if graph.node[produced[t]].op_type != "Constant"}
    if len(crossing) != 1:
        raise ValueError(f"module {module}: outputs {sorted(crossing)}")
    return crossing.pop()


def pool_input(model, static):
    """The default layer: walking back from the logits along the data path, the first 4-D
    tensor with a spatial extent that no pooling op produced: the last conv feature map, the
    input of the global pool or flatten, or of VGG's and AlexNet's last max pool and adaptive
    pool (as block5_conv3 is Keras VGG16's and the Grad-CAM paper's layer). Shapes come from
    an export with a fixed batch (static), where ONNX shape inference also sees through the
    reshapes the dynamic batch turns into Shape/Gather/Concat; data nodes keep their names."""
    graph = model.graph
    inferred = onnx.shape_inference.infer_shapes(static).graph
    shapes = {v.name: [d.dim_value if d.HasField("dim_value") else None
                       for d in v.type.tensor_type.shape.dim]
              for v in list(inferred.value_info) + list(inferred.input) + list(inferred.output)}
    producer = {o: n for n in graph.node for o in n.output}
    constant = {i.name for i in graph.initializer}
    tensor = graph.output[0].name
    while tensor in producer:
        shape = shapes.get(tensor)
        if shape is None or (len(shape) > 1 and None in shape[1:]):
            raise ValueError(f"shape of {tensor} unknown: {shape}")
        # [N,C,h,w] with h*w > 1; not ConvNeXt's NHWC [N,1,1,C] in its head's LayerNorm
        if (len(shape) == 4 and sum(d > 1 for d in shape[1:]) >= 2
                and "Pool" not in producer[tensor].op_type):
            return tensor
        data = [i for i in producer[tensor].input
                if i and i not in constant and i in producer
                and producer[i].op_type not in ("Constant", "Shape")]
        if not data:
            break
        tensor = data[0]
    raise ValueError("no 4-D tensor before the logits")


def main():
    mirror = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    manifest = {"generator": "src/test/python/make_torchvision_onnx.py",
                "torch": torch.__version__, "torchvision": torchvision.__version__,
                "onnx": onnx.__version__, "images": IMAGES, "fixtures": []}
    only = set(sys.argv[2:])
    for name, builder, opset, seed in FIXTURES:
        if only and name not in only:
            continue
        torch.manual_seed(seed)
        model, hw, default, explicit = builder()
        for m in model.modules():  # hooks must see each module's own output, not an in-place edit
            if hasattr(m, "inplace"):
                m.inplace = False
        randomize_normalisation(model, hw, seed)
        scale_logits(model, hw, seed)
        x = load_inputs(mirror, hw)
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        onnx_path = os.path.join(folder, "model.onnx")
        with torch.no_grad():
            logits = model(torch.from_numpy(x)).numpy().astype(np.float32)
            torch.onnx.export(model, torch.from_numpy(x), onnx_path, opset_version=opset,
                              input_names=["input"], output_names=["logits"],
                              dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
            static_path = os.path.join(folder, "static.onnx.tmp")
            torch.onnx.export(model, torch.from_numpy(x), static_path, opset_version=opset,
                              input_names=["input"], output_names=["logits"])
        proto = onnx.load(onnx_path)
        graph = proto.graph
        default_tensor = pool_input(proto, onnx.load(static_path))
        os.remove(static_path)
        np.save(os.path.join(folder, "input.npy"), x)
        np.save(os.path.join(folder, "logits.npy"), logits)
        layers = []
        for key, spec in [("default", default)] + [(m, m) for m in explicit]:
            cam, act, top1 = grad_cam(model, x, spec)
            if isinstance(spec, tuple):
                module, tensor = None, default_tensor
            else:
                module, tensor = spec, module_output(graph, spec)
            if key == "default" and tensor != default_tensor:
                raise ValueError(f"{name}: default {tensor} is not the pool input {default_tensor}")
            np.save(os.path.join(folder, f"cam_{key}.npy"), cam)
            np.save(os.path.join(folder, f"activations_{key}.npy"), act)
            if not (cam.reshape(2, -1).max(axis=1) > 0).all():
                raise ValueError(f"{name} {key}: an all-zero map, nothing to compare")
            layers.append({"key": key, "module": module, "tensor": tensor,
                           "cam": f"{name}/cam_{key}.npy",
                           "activations": f"{name}/activations_{key}.npy",
                           "shape": list(act.shape)})
        top = np.sort(logits, axis=1)
        margin = float((top[:, -1] - top[:, -2]).min())
        ops = sorted({n.op_type for n in graph.node})
        size = os.path.getsize(onnx_path)
        print(f"{name}: opset {opset}, input {list(x.shape)}, {size} bytes, top-1 "
              f"{logits.argmax(1).tolist()} margin {margin:.4g}, logits range "
              f"{logits.min():.3g}..{logits.max():.3g}, layers "
              + ", ".join(f"{l['key']}={l['tensor']} {l['shape']}" for l in layers))
        manifest["fixtures"].append({
            "name": name, "architecture": builder.__name__, "file": f"{name}/model.onnx",
            "opset": opset, "seed": seed, "input": f"{name}/input.npy",
            "inputShape": list(x.shape), "logits": f"{name}/logits.npy",
            "top1": logits.argmax(1).tolist(), "top1Margin": margin, "opTypes": ops,
            "bytes": size, "layers": layers})
    if not only:
        with open(os.path.join(OUT, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
