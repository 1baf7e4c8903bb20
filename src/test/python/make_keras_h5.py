#!/usr/bin/env python3
"""Writes the Keras model fixtures of org.gradcam.model.keras.KerasModelsTest, with h5py.

Not run by the build. Rerun by hand from the repository root (Debian's h5py and NumPy):

    /usr/bin/python3 src/test/python/make_keras_h5.py

There is no Keras here, so the files are written in exactly the layout Keras writes:

- `model.save('m.h5')` (keras/src/legacy/saving/legacy_h5_format.py, save_model_to_hdf5 and
  save_weights_to_hdf5_group; tf.keras 2 hdf5_format.py is the same): root attributes
  `model_config` (JSON, utf-8 bytes), `keras_version`, `backend`; group `model_weights` with
  attributes `layer_names`, `backend`, `keras_version`; one group per layer whose attribute
  `weight_names` lists its weights (an empty list for layers without any), each weight a
  dataset at that relative path (`conv/kernel:0` in Keras 2, so a sub-group `conv`;
  `sequential/conv/kernel` in Keras 3; `conv_W_1:0` in old files).
- Keras 3 `model.save('m.keras')`: a zip of `metadata.json`, `config.json` (the new config
  form: `module`, `registered_name`, `inbound_nodes` as `{"args": [...]}` with
  `keras_history`, `batch_shape`, dtype policies) and `model.weights.h5` with
  `layers/<layer>/vars/0, 1, ...` (keras/src/saving/saving_lib.py, H5IOStore).

Weights are seeded random. The reference logits (pre-softmax) are computed here, independently
of TensorFlow, with NumPy in float64, with Keras' channels-last semantics written out: SAME
padding split with the extra pixel at the bottom/right, average pooling not counting padding,
flatten in (height, width, channels) order, BatchNormalization with the config's epsilon,
Normalization dividing by max(sqrt(variance), 1e-7), ReLU's max_value / negative_slope /
threshold as Keras documents them.

Outputs into src/test/resources/org/gradcam/model/keras/: per model `<name>.h5` or `.keras`,
`<name>.input.npy` (N x H x W x 3 float32) and `<name>.logits.npy` (N x classes float32); and
the error fixtures `error_*.h5`.
"""
import copy
import io
import json
import os
import zipfile

import h5py
import numpy as np

OUT = "src/test/resources/org/gradcam/model/keras/"
rng = np.random.default_rng(20261202)


# ---------------------------------------------------------------- NumPy reference layers

def same_pads(n, k, s, d=1):
    ke = (k - 1) * d + 1
    out = -(-n // s)
    total = max((out - 1) * s + ke - n, 0)
    return total // 2, total - total // 2  # TF/Keras: the extra pixel goes bottom/right


def pad_same(x, k, s, d, value=0.0):
    ph = same_pads(x.shape[1], k[0], s[0], d[0])
    pw = same_pads(x.shape[2], k[1], s[1], d[1])
    return np.pad(x, ((0, 0), ph, pw, (0, 0)), constant_values=value)


def windows(x, k, s, d):
    """Yields (i, j, patch) with patch[n, oh, ow, c] = x[n, oh*s + i*d, ow*s + j*d, c]."""
    oh = (x.shape[1] - ((k[0] - 1) * d[0] + 1)) // s[0] + 1
    ow = (x.shape[2] - ((k[1] - 1) * d[1] + 1)) // s[1] + 1
    for i in range(k[0]):
        for j in range(k[1]):
            yield i, j, x[:, i * d[0]: i * d[0] + (oh - 1) * s[0] + 1: s[0],
                          j * d[1]: j * d[1] + (ow - 1) * s[1] + 1: s[1], :]


def conv2d(x, kernel, bias, s=(1, 1), padding="valid", d=(1, 1)):
    k = kernel.shape[:2]
    if padding == "same":
        x = pad_same(x, k, s, d)
    out = 0
    for i, j, patch in windows(x, k, s, d):
        out = out + patch @ kernel[i, j]
    return out + (0 if bias is None else bias)


def depthwise(x, kernel, bias, s=(1, 1), padding="valid"):
    k = kernel.shape[:2]
    if padding == "same":
        x = pad_same(x, k, s, (1, 1))
    out = 0
    for i, j, patch in windows(x, k, s, (1, 1)):
        # output channel c * multiplier + m, as tf.nn.depthwise_conv2d
        out = out + (patch[..., :, None] * kernel[i, j]).reshape(patch.shape[:3] + (-1,))
    return out + (0 if bias is None else bias)


def pool(x, k, s, padding, kind):
    if padding == "same":
        xp = pad_same(x, k, s, (1, 1), -np.inf if kind == "max" else 0.0)
        ones = pad_same(np.ones_like(x[..., :1]), k, s, (1, 1))
    else:
        xp, ones = x, np.ones_like(x[..., :1])
    if kind == "max":
        return np.max([p for _, _, p in windows(xp, k, s, (1, 1))], axis=0)
    total = sum(p for _, _, p in windows(xp, k, s, (1, 1)))
    count = sum(p for _, _, p in windows(ones, k, s, (1, 1)))
    return total / count  # padding is not counted, as TF's AvgPool


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "sigmoid": sigmoid,
    "swish": lambda x: x * sigmoid(x),
    "silu": lambda x: x * sigmoid(x),
    "tanh": np.tanh,
    "elu": lambda x: np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1),
    "softmax": lambda x: x,  # the model's last softmax: the reference keeps the logits
}


def relu_layer(x, max_value, negative_slope, threshold):
    y = np.where(x >= threshold, x, negative_slope * (x - threshold))
    return y if max_value is None else np.minimum(y, max_value)


# ---------------------------------------------------------------- model description

class Net:
    """A Keras model being described: layers with configs, weights and a NumPy forward."""

    def __init__(self, name, input_shape, functional, input_name="input_1"):
        self.name = name
        self.functional = functional
        self.input_shape = input_shape
        self.input_name = input_name
        self.layers = []  # (class_name, config, inputs, weights[(role, array)], forward)
        self.output = input_name
        self.nodes = {}  # layer name -> its own Keras 2 inbound_nodes (TFOpLambda)
        self.subnets = {}  # layer name -> a Net used as that layer

    def add(self, cls, name, inputs=None, weights=(), forward=None, **config):
        config = dict(name=name, trainable=True, dtype="float32", **config)
        inputs = inputs or [self.output]
        self.layers.append((cls, config, inputs, list(weights), forward))
        self.output = name
        return name

    def w(self, *shape, lo=-0.5, hi=0.5):
        return rng.uniform(lo, hi, shape).astype(np.float32)

    # layers -----------------------------------------------------------
    def conv(self, name, filters, k, inputs=None, s=1, padding="valid", d=1, act="linear",
             bias=True):
        cin = self.channels(inputs)
        weights = [("kernel", self.w(k, k, cin, filters, lo=-0.4, hi=0.4))]
        if bias:
            weights.append(("bias", self.w(filters, lo=-0.2, hi=0.2)))
        fwd = lambda x, w: ACTIVATIONS[act](conv2d(x[0], w[0], w[1] if bias else None, (s, s),
                                                   padding, (d, d)))
        return self.add("Conv2D", name, inputs, weights, fwd, filters=filters,
                        kernel_size=[k, k], strides=[s, s], padding=padding,
                        data_format="channels_last", dilation_rate=[d, d], groups=1,
                        activation=act, use_bias=bias,
                        kernel_initializer={"class_name": "GlorotUniform", "config": {"seed": None}},
                        bias_initializer={"class_name": "Zeros", "config": {}},
                        kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                        kernel_constraint=None, bias_constraint=None)

    def depthwise(self, name, k, m, inputs=None, s=1, padding="valid", act="linear"):
        cin = self.channels(inputs)
        weights = [("depthwise_kernel", self.w(k, k, cin, m)), ("bias", self.w(cin * m))]
        fwd = lambda x, w: ACTIVATIONS[act](depthwise(x[0], w[0], w[1], (s, s), padding))
        return self.add("DepthwiseConv2D", name, inputs, weights, fwd, kernel_size=[k, k],
                        strides=[s, s], padding=padding, depth_multiplier=m,
                        data_format="channels_last", dilation_rate=[1, 1], activation=act,
                        use_bias=True)

    def separable(self, name, filters, k, m=1, inputs=None, s=1, padding="valid", act="linear"):
        cin = self.channels(inputs)
        weights = [("depthwise_kernel", self.w(k, k, cin, m)),
                   ("pointwise_kernel", self.w(1, 1, cin * m, filters)),
                   ("bias", self.w(filters))]
        fwd = lambda x, w: ACTIVATIONS[act](
            conv2d(depthwise(x[0], w[0], None, (s, s), padding), w[1], w[2]))
        return self.add("SeparableConv2D", name, inputs, weights, fwd, filters=filters,
                        kernel_size=[k, k], strides=[s, s], padding=padding,
                        depth_multiplier=m, data_format="channels_last", dilation_rate=[1, 1],
                        activation=act, use_bias=True)

    def dense(self, name, units, act="linear", inputs=None):
        cin = self.channels(inputs)
        weights = [("kernel", self.w(cin, units)), ("bias", self.w(units, lo=-0.1, hi=0.1))]
        fwd = lambda x, w: ACTIVATIONS[act](x[0] @ w[0] + w[1])
        return self.add("Dense", name, inputs, weights, fwd, units=units, activation=act,
                        use_bias=True)

    def batchnorm(self, name, eps, center=True, scale=True, inputs=None):
        c = self.channels(inputs)
        weights = []
        if scale:
            weights.append(("gamma", self.w(c, lo=0.5, hi=1.5)))
        if center:
            weights.append(("beta", self.w(c)))
        weights += [("moving_mean", self.w(c)), ("moving_variance", self.w(c, lo=0.02, hi=2.0))]

        def fwd(x, w):
            g = w[0] if scale else 1.0
            b = w[int(scale)] if center else 0.0
            mean, var = w[-2], w[-1]
            return (x[0] - mean) / np.sqrt(var + eps) * g + b
        return self.add("BatchNormalization", name, inputs, weights, fwd, axis=[3],
                        momentum=0.99, epsilon=eps, center=center, scale=scale)

    def activation(self, name, act, inputs=None):
        return self.add("Activation", name, inputs, (), lambda x, w: ACTIVATIONS[act](x[0]),
                        activation=act)

    def relu(self, name, max_value=None, negative_slope=0.0, threshold=0.0, inputs=None):
        fwd = lambda x, w: relu_layer(x[0], max_value, negative_slope, threshold)
        return self.add("ReLU", name, inputs, (), fwd, max_value=max_value,
                        negative_slope=negative_slope, threshold=threshold)

    def pool(self, name, kind, k, s=None, padding="valid", inputs=None):
        st = s or k
        fwd = lambda x, w: pool(x[0], (k, k), (st, st), padding, kind)
        return self.add("MaxPooling2D" if kind == "max" else "AveragePooling2D", name, inputs,
                        (), fwd, pool_size=[k, k], padding=padding,
                        strides=None if s is None else [s, s], data_format="channels_last")

    def gap(self, name, keepdims=False, inputs=None):
        fwd = lambda x, w: x[0].mean(axis=(1, 2), keepdims=keepdims)
        return self.add("GlobalAveragePooling2D", name, inputs, (), fwd,
                        data_format="channels_last", keepdims=keepdims)

    def flatten(self, name, inputs=None):
        # channels-last: row-major over (height, width, channels)
        return self.add("Flatten", name, inputs, (),
                        lambda x, w: x[0].reshape(x[0].shape[0], -1), data_format="channels_last")

    def dropout(self, name, inputs=None):
        return self.add("Dropout", name, inputs, (), lambda x, w: x[0], rate=0.5,
                        noise_shape=None, seed=None)

    def merge(self, cls, name, inputs, **config):
        fwd = {"Add": lambda x, w: sum(x), "Multiply": lambda x, w: np.prod(x, axis=0),
               "Concatenate": lambda x, w: np.concatenate(x, axis=-1)}[cls]
        return self.add(cls, name, inputs, (), fwd, **config)

    def zeropad(self, name, padding, inputs=None):
        (t, b), (l, r) = padding
        fwd = lambda x, w: np.pad(x[0], ((0, 0), (t, b), (l, r), (0, 0)))
        return self.add("ZeroPadding2D", name, inputs, (), fwd, padding=[[t, b], [l, r]],
                        data_format="channels_last")

    def rescaling(self, name, scale, offset, inputs=None):
        return self.add("Rescaling", name, inputs, (), lambda x, w: x[0] * scale + offset,
                        scale=scale, offset=offset)

    def normalization(self, name, mean, variance, adapted, inputs=None):
        mean = np.asarray(mean, np.float32)
        variance = np.asarray(variance, np.float32)
        fwd = lambda x, w: (x[0] - mean) / np.maximum(np.sqrt(variance), 1e-7)
        if adapted:  # adapt(): the statistics are weights (mean, variance, count)
            weights = [("mean", mean), ("variance", variance), ("count", np.int64(1000))]
            return self.add("Normalization", name, inputs, weights, fwd, axis=[-1], mean=None,
                            variance=None, invert=False)
        return self.add("Normalization", name, inputs, (), fwd, axis=[-1],
                        mean=mean.tolist(), variance=variance.tolist(), invert=False)

    def reshape(self, name, target, inputs=None):
        fwd = lambda x, w: x[0].reshape((x[0].shape[0],) + tuple(target))
        return self.add("Reshape", name, inputs, (), fwd, target_shape=list(target))

    def identity(self, cls, name, inputs=None, **config):
        return self.add(cls, name, inputs, (), lambda x, w: x[0], **config)

    def submodel(self, name, sub, inputs=None):
        """A model used as a layer. Its HDF5 group lists all its weights, trainable ones of every
        layer first, then the non-trainable ones (Keras' layer.weights of a model), named
        <layer>/<weight>:0."""
        trainable, frozen = [], []
        for _, c, _, weights, _ in sub.layers:
            for role, value in weights:
                entry = (role, value, f"{c['name']}/{role}:0")
                (frozen if role in NON_TRAINABLE else trainable).append(entry)
        self.subnets[name] = sub
        config = keras2_config(sub)
        self.layers.append((config["class_name"], dict(config["config"], name=name),
                            inputs or [self.output], trainable + frozen,
                            lambda x, w: sub.forward(x[0])[sub.output]))
        self.output = name
        return name

    def tf_op(self, cls, function, kwargs, fwd):
        """Keras 2's TFOpLambda / SlicingOpLambda: a TF function called on a KerasTensor. Its
        node keeps the single input unwrapped, with the call's other arguments as kwargs."""
        name = "tf." + function
        self.nodes[name] = [[self.output, 0, 0, kwargs]]
        self.layers.append((cls, {"name": name, "trainable": True, "dtype": "float32",
                                  "function": function}, [self.output], [],
                            lambda x, w: fwd(x[0])))
        self.output = name
        return name

    # shapes -----------------------------------------------------------
    def forward(self, x):
        values = {self.input_name: x.astype(np.float64)}
        for cls, config, inputs, weights, fwd in self.layers:
            values[config["name"]] = fwd([values[i] for i in inputs],
                                         [np.asarray(w[1], np.float64) for w in weights])
        return values

    def channels(self, inputs):
        probe = np.zeros((1,) + tuple(self.input_shape))
        src = (inputs or [self.output])[0]
        return self.forward(probe)[src].shape[-1]


# ---------------------------------------------------------------- Keras file layouts

def keras2_config(net):
    if net.input_shape is None:  # a Sequential only ever called on another model's tensor
        return {"class_name": "Sequential",
                "config": {"name": net.name,
                           "layers": [{"class_name": cls, "config": config}
                                      for cls, config, _, _, _ in net.layers]}}
    layers = [{"class_name": "InputLayer",
               "config": {"batch_input_shape": [None] + list(net.input_shape),
                          "dtype": "float32", "sparse": False, "ragged": False,
                          "name": net.input_name}}]
    if net.functional:
        layers[0]["name"] = net.input_name
        layers[0]["inbound_nodes"] = []
    for cls, config, inputs, _, _ in net.layers:
        entry = {"class_name": cls, "config": config}
        if net.functional:
            entry["name"] = config["name"]
            entry["inbound_nodes"] = net.nodes.get(config["name"],
                                                   [[[i, 0, 0, {}] for i in inputs]])
        layers.append(entry)
    if net.functional:
        return {"class_name": "Functional",
                "config": {"name": net.name, "trainable": True, "layers": layers,
                           "input_layers": [[net.input_name, 0, 0]],
                           "output_layers": [[net.output, 0, 0]]},
                "keras_version": "2.12.0", "backend": "tensorflow"}
    return {"class_name": "Sequential",
            "config": {"name": net.name, "layers": layers},
            "keras_version": "2.12.0", "backend": "tensorflow"}


def keras3_config(net, shapes):
    """The new Keras 3 config form of config.json."""
    policy = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
              "registered_name": None}

    def tensor(name):
        return {"class_name": "__keras_tensor__",
                "config": {"shape": [None] + list(shapes[name]), "dtype": "float32",
                           "keras_history": [name, 0, 0]}}
    layers = [{"module": "keras.layers", "class_name": "InputLayer",
               "config": {"batch_shape": [None] + list(net.input_shape), "dtype": "float32",
                          "sparse": False, "name": net.input_name},
               "registered_name": None, "name": net.input_name, "inbound_nodes": []}]
    for cls, config, inputs, _, _ in net.layers:
        c = dict(config, dtype=policy)
        module = "keras.layers"
        if config["name"] in net.subnets:
            sub = net.subnets[config["name"]]
            probe = np.zeros((1,) + tuple(sub.input_shape))
            inner = keras3_config(sub, {k: v.shape[1:] for k, v in sub.forward(probe).items()})
            cls, module, c = inner["class_name"], inner["module"], dict(inner["config"],
                                                                         name=config["name"])
        entry = {"module": module, "class_name": cls, "config": c, "registered_name": None,
                 "build_config": {"input_shape": [None] + list(shapes[inputs[0]])}}
        if net.functional:
            args = [tensor(inputs[0])] if len(inputs) == 1 else [[tensor(i) for i in inputs]]
            entry["name"] = config["name"]
            entry["inbound_nodes"] = [{"args": args, "kwargs": {}}]
        layers.append(entry)
    if not net.functional:
        layers[0].pop("inbound_nodes")
        return {"module": "keras", "class_name": "Sequential",
                "config": {"name": net.name, "trainable": True, "dtype": policy,
                           "layers": layers},
                "registered_name": None, "build_config": {"input_shape": None},
                "compile_config": None}
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "config": {"name": net.name, "trainable": True, "layers": layers,
                       "input_layers": [net.input_name, 0, 0],
                       "output_layers": [net.output, 0, 0]},
            "registered_name": "Functional",
            "build_config": {"input_shape": None},
            "compile_config": None}


def write_attr_list(group, name, values):
    # Keras: group.attrs[name] = data, a list of utf-8 bytes (h5py stores [] as empty float64)
    group.attrs[name] = [v.encode("utf8") for v in values] if values else []


NON_TRAINABLE = {"moving_mean", "moving_variance", "mean", "variance", "count"}
OLD_NAMES = {"kernel": "W", "bias": "b", "gamma": "gamma", "beta": "beta",
             "moving_mean": "running_mean", "moving_variance": "running_std"}


def weight_path(net, layer, role, naming, index):
    if naming == "keras2":
        return f"{layer}/{role}:0"
    if naming == "keras3":
        return f"{net.name}/{layer}/{role}" if not net.functional else f"{layer}/{role}"
    return f"{layer}_{OLD_NAMES[role]}_1:0"  # old flat names, as the VGG16 weights file


def save_h5(net, path, config, keras_version, naming):
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = keras_version.encode("utf8")
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        g = f.create_group("model_weights")
        names = ([net.input_name] if net.functional else []) + [c["name"] for _, c, _, _, _ in
                                                                  net.layers]
        write_attr_list(g, "layer_names", names)
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = keras_version.encode("utf8")
        weights = {c["name"]: w for _, c, _, w, _ in net.layers}
        weights[net.input_name] = []
        order = sorted(names) if naming == "keras3" else names  # Keras 3 sorts by name
        for name in order:
            lg = g.create_group(name)
            wnames = [w[2] if len(w) == 3 else weight_path(net, name, w[0], naming, i)
                      for i, w in enumerate(weights[name])]
            write_attr_list(lg, "weight_names", wnames)
            for wn, (_, value, *_) in zip(wnames, weights[name]):
                lg.create_dataset(wn, data=value)
        if naming == "keras3":
            write_attr_list(g.create_group("top_level_model_weights"), "weight_names", [])


def save_keras3(net, path, shapes):
    buf = io.BytesIO()
    def write(group, net):
        layers = group.create_group("layers")
        layers.create_group(net.input_name).create_group("vars")
        for _, c, _, weights, _ in net.layers:
            g = layers.create_group(c["name"])
            v = g.create_group("vars")
            if c["name"] in net.subnets:  # a nested model: its own layers/<layer>/vars
                write(g, net.subnets[c["name"]])
                continue
            for i, (_, value) in enumerate(weights):
                v.create_dataset(str(i), data=value)
    with h5py.File(buf, "w") as f:
        write(f, net)
        f.create_group("vars")
    with zipfile.ZipFile(path, "w") as z:
        # fixed entry dates, so that a rerun writes the same bytes
        entry = lambda name: zipfile.ZipInfo(name, date_time=(2026, 12, 2, 2, 0, 0))
        z.writestr(entry("metadata.json"), json.dumps({"keras_version": "3.3.3",
                                                       "date_saved": "2026-12-02@02:00:00"}))
        z.writestr(entry("config.json"), json.dumps(keras3_config(net, shapes)))
        z.writestr(entry("model.weights.h5"), buf.getvalue())


def save_reference(net, name, n=2, lo=0.0, hi=255.0):
    x = rng.uniform(lo, hi, (n,) + tuple(net.input_shape)).astype(np.float32)
    values = net.forward(x)
    np.save(OUT + name + ".input.npy", x)
    np.save(OUT + name + ".logits.npy", values[net.output].astype(np.float32))
    return {k: v.shape[1:] for k, v in net.forward(x[:1]).items()}


# ---------------------------------------------------------------- the fixtures

def sequential_keras2():
    """Keras 2 Sequential, old flat weight names (as in the VGG16 weights file)."""
    net = Net("sequential", (20, 20, 3), functional=False, input_name="rescaling_input")
    net.rescaling("rescaling", 1 / 127.5, -1.0)
    net.conv("conv_s2_same", 4, 3, s=2, padding="same", act="relu")
    net.batchnorm("bn_eps", eps=0.01)
    net.zeropad("zero_padding2d", ((1, 0), (0, 1)))
    net.conv("conv_dilated", 6, 3, d=2, act="swish", bias=False)
    net.pool("max_same", "max", 3, s=2, padding="same")
    net.pool("avg_valid", "avg", 2)
    net.dropout("dropout")
    net.flatten("flatten")
    net.dense("fc", 8, act="relu6")
    net.dense("predictions", 3, act="softmax")
    save_reference(net, "sequential_keras2")
    save_h5(net, OUT + "sequential_keras2.h5", keras2_config(net), "2.12.0", "old")
    return net


def functional_keras2():
    """Keras 2 functional, two branches merged by Add, Multiply and Concatenate."""
    net = Net("model", (12, 12, 3), functional=True)
    net.normalization("normalization", rng.uniform(60, 180, 3), rng.uniform(500, 4000, 3),
                      adapted=True)
    stem = net.conv("stem", 8, 3, padding="same")
    net.batchnorm("stem_bn", eps=1e-3, center=False)
    stem = net.relu("stem_relu", max_value=6.0)
    a = net.depthwise("dw", 3, 2, inputs=[stem], padding="same")
    a = net.relu("leaky", negative_slope=0.1, threshold=0.5, inputs=[a])
    b = net.separable("sep", 16, 3, inputs=[stem], padding="same", act="sigmoid")
    add = net.merge("Add", "add", [a, b])
    sw = net.activation("swish", "swish", inputs=[add])
    mul = net.merge("Multiply", "multiply", [add, sw])
    cat = net.merge("Concatenate", "concat", [add, mul], axis=-1)
    net.pool("avg_same", "avg", 3, s=2, padding="same", inputs=[cat])
    net.pool("max_valid", "max", 2, s=1)
    last = net.conv("last_conv", 10, 1, act="tanh")
    net.gap("gap", inputs=[last])
    net.reshape("reshape", (1, 1, 10))
    net.flatten("flatten")
    net.dense("logits", 4)
    net.activation("probs", "softmax")
    save_reference(net, "functional_keras2")
    save_h5(net, OUT + "functional_keras2.h5", keras2_config(net), "2.12.0", "keras2")
    return net


def sequential_keras3():
    """Keras 3 Sequential in HDF5: weight paths `sequential/<layer>/kernel`, no `:0`."""
    net = Net("sequential", (10, 10, 3), functional=False, input_name="input_layer")
    net.rescaling("rescaling", 1 / 255.0, 0.0)
    net.conv("conv2d", 5, 3, act="relu")
    net.batchnorm("batch_normalization", eps=1e-3)
    net.pool("max_pooling2d", "max", 2)
    net.conv("conv2d_1", 6, 3, padding="same", act="relu6")
    net.gap("global_average_pooling2d")
    net.dense("dense", 5, act="softmax")
    save_reference(net, "sequential_keras3")
    config = keras2_config(net)
    config["keras_version"] = "3.3.3"
    # Keras 3 writes batch_shape where Keras 2 wrote batch_input_shape
    inp = config["config"]["layers"][0]["config"]
    inp["batch_shape"] = inp.pop("batch_input_shape")
    save_h5(net, OUT + "sequential_keras3.h5", config, "3.3.3", "keras3")
    return net


def functional_keras3():
    """Keras 3 `.keras` archive: new config form, variables under layers/<name>/vars."""
    net = Net("functional", (8, 8, 3), functional=True, input_name="input_layer")
    x = net.normalization("normalization", [120.0, 110.0, 100.0], [3600.0, 3000.0, 2500.0],
                          adapted=False)
    a = net.conv("conv2d", 6, 3, padding="same", act="relu", inputs=[x])
    b = net.conv("conv2d_1", 6, 1, act="elu", inputs=[x])
    s = net.merge("Add", "add", [a, b])
    m = net.merge("Multiply", "multiply", [a, b])
    c = net.merge("Concatenate", "concatenate", [s, m], axis=3)
    net.batchnorm("batch_normalization", eps=1e-5, center=True, scale=False, inputs=[c])
    net.gap("global_average_pooling2d", keepdims=True)
    net.flatten("flatten")
    net.dense("dense", 3, act="softmax")
    shapes = save_reference(net, "functional_keras3")
    save_keras3(net, OUT + "functional_keras3.keras", shapes)
    return net


def nested_keras2():
    """Fine-tuning as Keras tutorials do it: an augmentation Sequential and a pretrained base
    model used as layers of a new functional model, with a layer name the base also has."""
    aug = Net("augmentation", None, functional=False)
    aug.identity("RandomFlip", "random_flip", mode="horizontal", seed=None)
    aug.identity("RandomRotation", "random_rotation", inputs=["random_flip"], factor=0.1,
                 fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0)
    base = Net("base", (16, 16, 3), functional=True, input_name="input_1")
    base.conv("conv", 6, 3, padding="same")
    base.batchnorm("bn", eps=1e-3)
    base.relu("relu")
    base.conv("block_conv", 8, 3, padding="same", act="relu")
    base.pool("pool", "max", 2)
    net = Net("finetuned", (16, 16, 3), functional=True, input_name="input_2")
    net.layers.append(("Sequential", dict(keras2_config(aug)["config"]), ["input_2"], [],
                       lambda x, w: x[0]))
    net.output = "augmentation"
    net.rescaling("rescaling", 1 / 255.0, 0.0)
    net.submodel("base", base)
    net.gap("gap")
    net.dropout("dropout")
    net.dense("fc", 8)
    net.relu("relu")  # also a layer name of the base model
    net.dense("dense", 3, act="softmax")
    save_reference(net, "nested_keras2")
    save_h5(net, OUT + "nested_keras2.h5", keras2_config(net), "2.12.0", "keras2")
    return net


def tfop_keras2():
    """keras.applications' preprocess_input called inside a Keras 2 model: x / 127.5 - 1
    (MobileNet V2's tf mode) then caffe mode's [..., ::-1] and bias_add."""
    net = Net("model", (8, 8, 3), functional=True)
    net.tf_op("TFOpLambda", "math.truediv", {"y": 127.5, "name": None}, lambda x: x / 127.5)
    net.tf_op("TFOpLambda", "math.subtract", {"y": 1.0, "name": None}, lambda x: x - 1.0)
    net.tf_op("SlicingOpLambda", "__operators__.getitem",
              {"slice_spec": {"class_name": "__tuple__", "items": [
                  {"class_name": "__ellipsis__"}, {"start": None, "stop": None, "step": -1}]}},
              lambda x: x[..., ::-1])
    bias = [-0.25, 0.5, 0.125]
    net.tf_op("TFOpLambda", "nn.bias_add", {"bias": bias, "data_format": None},
              lambda x: x + np.asarray(bias))
    net.conv("conv2d", 4, 3, act="relu")
    net.gap("global_average_pooling2d")
    net.dense("dense", 2)
    save_reference(net, "tfop_keras2")
    save_h5(net, OUT + "tfop_keras2.h5", keras2_config(net), "2.12.0", "keras2")
    return net


def error_tfop():
    net = Net("model", (6, 6, 3), functional=True)
    net.tf_op("TFOpLambda", "math.pow", {"y": 2.0, "name": None}, lambda x: x ** 2)
    net.conv("conv2d", 2, 3)
    net.flatten("flatten")
    net.dense("dense", 2)
    save_h5(net, OUT + "error_unsupported_tfop.h5", keras2_config(net), "2.12.0", "keras2")


def nested_keras3():
    """Keras 3 `.keras` Sequential around a pretrained functional base."""
    base = Net("base", (10, 10, 3), functional=True, input_name="input_layer")
    base.conv("conv2d", 5, 3, padding="same")
    base.batchnorm("batch_normalization", eps=1e-3)
    base.activation("activation", "relu")
    base.conv("top_conv", 6, 3, act="swish")
    net = Net("sequential", (10, 10, 3), functional=False, input_name="input_layer_1")
    net.rescaling("rescaling", 1 / 127.5, -1.0)
    net.submodel("base", base)
    net.gap("global_average_pooling2d")
    net.dense("dense", 4, act="softmax")
    shapes = save_reference(net, "nested_keras3")
    save_keras3(net, OUT + "nested_keras3.keras", shapes)
    return net


def error_fixtures():
    def small(name):
        net = Net("sequential", (6, 6, 3), functional=False, input_name="input_layer")
        net.conv("conv2d", 2, 3, act="relu")
        net.flatten("flatten")
        net.dense("dense", 2)
        return net

    net = small("unsupported_layer")
    cfg = keras2_config(net)
    cfg["config"]["layers"].insert(2, {"class_name": "Cropping2D", "config": {
        "name": "cropping2d", "trainable": True, "dtype": "float32",
        "cropping": [[1, 1], [1, 1]], "data_format": "channels_last"}})
    save_h5(net, OUT + "error_unsupported_layer.h5", cfg, "2.12.0", "keras2")

    net = small("unsupported_option")
    cfg = keras2_config(net)
    cfg["config"]["layers"][1]["config"]["data_format"] = "channels_first"
    save_h5(net, OUT + "error_unsupported_option.h5", cfg, "2.12.0", "keras2")

    net = small("unsupported_activation")
    cfg = keras2_config(net)
    cfg["config"]["layers"][1]["config"]["activation"] = "gelu"
    save_h5(net, OUT + "error_unsupported_activation.h5", cfg, "2.12.0", "keras2")

    net = small("wrong_shape")
    cfg = keras2_config(net)
    cfg["config"]["layers"][3]["config"]["units"] = 3  # the stored kernel is 32 x 2
    save_h5(net, OUT + "error_wrong_shape.h5", cfg, "2.12.0", "keras2")

    net = small("weights_only")  # save_weights: no model_config, layer groups at the root
    with h5py.File(OUT + "error_weights_only.h5", "w") as f:
        write_attr_list(f, "layer_names", [c["name"] for _, c, _, _, _ in net.layers])
        for _, c, _, weights, _ in net.layers:
            lg = f.create_group(c["name"])
            wnames = [f"{c['name']}/{role}:0" for role, _ in weights]
            write_attr_list(lg, "weight_names", wnames)
            for wn, (_, v) in zip(wnames, weights):
                lg.create_dataset(wn, data=v)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    sequential_keras2()
    functional_keras2()
    sequential_keras3()
    functional_keras3()
    error_fixtures()
    nested_keras2()
    tfop_keras2()
    nested_keras3()
    error_tfop()
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(OUT + f))
