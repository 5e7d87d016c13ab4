"""Write small Keras files in the layouts Keras itself saves, plus their expected outputs.

The files are built with h5py, zipfile and NumPy only (no Keras), so the
workbench's Keras importers are tested on files they did not write. The layouts
follow Keras's saving code:

  Keras 3 `.keras` (keras/src/saving/saving_lib.py): a zip archive holding
    metadata.json  {"keras_version", "date_saved"}
    config.json    the serialized model: `module`, `class_name`, `config`,
                   `registered_name`, `build_config`, `compile_config`; layers
                   with DTypePolicy dtypes and `__keras_tensor__` inbound nodes
    model.weights.h5 (H5IOStore)
      vars/                          the model's own variables (none)
      layers/<snake class>[_<k>]/vars/<i>
                                     each layer of `model.layers`, named by its
                                     class (`conv2d`, `conv2d_1`, ...), never by its
                                     layer name; variables in creation order
      optimizer/vars/<i>             iterations, learning rate, then slots
  Keras 2 `.h5` (keras/saving/legacy/hdf5_format.py):
    root attributes model_config, training_config (JSON bytes),
      keras_version, backend
    model_weights/ with attributes layer_names, keras_version, backend
      <layer>/ with attribute weight_names (NUL-padded bytes)
        <layer>/<weight>:0           one dataset per weight
    optimizer_weights/               optimizer state

Expected outputs come from a float64 NumPy forward pass of the stored float32
weights on a fixed input, so they share no code with the TypeScript app.

Usage: python3 golden/make_keras_fixtures.py  (writes into golden/keras/)
Needs h5py and NumPy; on Debian, `apt-get install python3-h5py` provides both for /usr/bin/python3.
"""

import io
import json
import os
import zipfile

import h5py
import numpy as np

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras")
SIZE = 8
rng = np.random.default_rng(20250721)


# Keras 3 serializes Functional by its source module (Sequential and DTypePolicy by `keras`), and can load it only from that.
FUNCTIONAL_MODULE = "keras.src.models.functional"


def policy():
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def initializer(name):
    return {"module": "keras.initializers", "class_name": name, "config": {}, "registered_name": None}


def tensor(source, shape):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32", "keras_history": [source, 0, 0]}}


def call(*args):
    return [{"args": list(args), "kwargs": {}}]


def keras3_layer(class_name, config, input_shape=None, inbound=None):
    entry = {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}
    if input_shape is not None:
        entry["build_config"] = {"input_shape": input_shape}
    if inbound is not None:
        entry["name"] = config["name"]
        entry["inbound_nodes"] = inbound
    return entry


def conv_config(name, filters, activation="linear", **extra):
    config = {
        "name": name, "trainable": True, "dtype": policy(), "filters": filters, "kernel_size": [3, 3],
        "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1],
        "groups": 1, "activation": activation, "use_bias": True,
        "kernel_initializer": initializer("GlorotUniform"), "bias_initializer": initializer("Zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None,
    }
    config.update(extra)
    return config


def bn_config(name, center=True, scale=True):
    return {
        "name": name, "trainable": True, "dtype": policy(), "axis": -1, "momentum": 0.99, "epsilon": 0.001,
        "center": center, "scale": scale, "beta_initializer": initializer("Zeros"), "gamma_initializer": initializer("Ones"),
        "moving_mean_initializer": initializer("Zeros"), "moving_variance_initializer": initializer("Ones"),
        "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None,
        "synchronized": False,
    }


def dense_config(name, units):
    return {
        "name": name, "trainable": True, "dtype": policy(), "units": units, "activation": "linear", "use_bias": True,
        "kernel_initializer": initializer("GlorotUniform"), "bias_initializer": initializer("Zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
    }


def f32(array):
    return np.asarray(array, dtype=np.float32)


def conv_weights(in_channels, filters, duplicate=None):
    """HWIO kernel and bias; duplicate=(source, target, scale) makes a filter a positive multiple of another."""
    kernel = f32(rng.uniform(-0.5, 0.5, (3, 3, in_channels, filters)))
    bias = f32(rng.uniform(-0.1, 0.1, filters))
    if duplicate:
        source, target, scale = duplicate
        kernel[..., target] = scale * kernel[..., source]
        bias[target] = scale * bias[source]
    return kernel, bias


def bn_weights(channels):
    return (f32(rng.uniform(0.5, 1.5, channels)), f32(rng.uniform(-0.2, 0.2, channels)),
            f32(rng.uniform(-0.1, 0.1, channels)), f32(rng.uniform(0.5, 1.5, channels)))


# ---- float64 reference ops (NHWC, batch of one image) ----

def conv_same(x, kernel, bias):
    x = x.astype(np.float64)
    kernel = kernel.astype(np.float64)
    padded = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    height, width, _ = x.shape
    out = np.zeros((height, width, kernel.shape[3]))
    for y in range(height):
        for x_pos in range(width):
            out[y, x_pos] = np.tensordot(padded[y:y + 3, x_pos:x_pos + 3, :], kernel, axes=([0, 1, 2], [0, 1, 2]))
    return out + bias


def batch_norm(x, gamma, beta, mean, variance, epsilon=0.001):
    return (x - mean) / np.sqrt(variance.astype(np.float64) + epsilon) * gamma + beta


def relu(x):
    return np.maximum(x, 0)


def max_pool_2x2(x):
    height, width, channels = x.shape
    return x.reshape(height // 2, 2, width // 2, 2, channels).max(axis=(1, 3))


# ---- writers ----

def write_keras_archive(path, config, weights_by_path, optimizer_vars):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        h5.create_group("vars")
        for group_path, variables in weights_by_path.items():
            group = h5.create_group(group_path).create_group("vars")
            for index, value in enumerate(variables):
                group[str(index)] = value
        if optimizer_vars is not None:
            group = h5.create_group("optimizer").create_group("vars")
            for index, value in enumerate(optimizer_vars):
                group[str(index)] = value
    metadata = {"keras_version": "3.5.0", "date_saved": "2025-07-21@12:00:00"}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in [("metadata.json", json.dumps(metadata)), ("config.json", json.dumps(config)),
                           ("model.weights.h5", buffer.getvalue())]:
            # A fixed timestamp keeps the fixture bytes the same on every run.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 7, 21, 12, 0, 0)), data)


def functional_keras3(image):
    """input -> stem conv -> BN -> ReLU -> inner conv (relu, a duplicated filter) -> conv -> add residual -> GAP -> dense."""
    stem_kernel, stem_bias = conv_weights(3, 4)
    stem_bn = bn_weights(4)
    inner_kernel, inner_bias = conv_weights(4, 6, duplicate=(1, 5, 2.0))
    back_kernel, back_bias = conv_weights(6, 4)
    head_kernel = f32(rng.uniform(-0.5, 0.5, (4, 3)))
    head_bias = f32(rng.uniform(-0.1, 0.1, 3))

    shape = lambda channels: [None, SIZE, SIZE, channels]  # noqa: E731
    custom_regularizer = {"module": "my_package.regularizers", "class_name": "Orthogonality",
                          "config": {"factor": 0.01}, "registered_name": "MyPackage>Orthogonality"}
    layers = [
        keras3_layer("InputLayer", {"batch_shape": shape(3), "dtype": "float32", "sparse": False, "name": "image"}, inbound=[]),
        keras3_layer("Conv2D", conv_config("stem", 4, kernel_regularizer=custom_regularizer), shape(3), call(tensor("image", shape(3)))),
        keras3_layer("BatchNormalization", bn_config("stem_bn"), shape(4), call(tensor("stem", shape(4)))),
        keras3_layer("Activation", {"name": "stem_relu", "trainable": True, "dtype": policy(), "activation": "relu"}, shape(4),
                     call(tensor("stem_bn", shape(4)))),
        keras3_layer("Conv2D", conv_config("inner", 6, activation="relu"), shape(4), call(tensor("stem_relu", shape(4)))),
        keras3_layer("Conv2D", conv_config("back", 4), shape(6), call(tensor("inner", shape(6)))),
        keras3_layer("Add", {"name": "residual", "trainable": True, "dtype": policy()}, [shape(4), shape(4)],
                     call([tensor("back", shape(4)), tensor("stem_relu", shape(4))])),
        keras3_layer("GlobalAveragePooling2D", {"name": "pool", "trainable": True, "dtype": policy(), "data_format": "channels_last",
                                                "keepdims": False}, shape(4), call(tensor("residual", shape(4)))),
        keras3_layer("Dense", dense_config("logits", 3), [None, 4], call(tensor("pool", [None, 4]))),
    ]
    config = {
        "module": FUNCTIONAL_MODULE, "class_name": "Functional",
        "config": {"name": "residual_net", "trainable": True, "layers": layers,
                   "input_layers": ["image", 0, 0], "output_layers": [["logits", 0, 0]]},
        "registered_name": "Functional", "build_config": {"input_shape": None},
        "compile_config": {"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
                                         "config": {"name": "adam", "learning_rate": 0.001}, "registered_name": None},
                           "loss": "sparse_categorical_crossentropy", "metrics": None, "loss_weights": None,
                           "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False},
    }
    # Storage paths follow model.layers order and class names, not layer names.
    weights = {
        "layers/input_layer": [],
        "layers/conv2d": [stem_kernel, stem_bias],
        "layers/batch_normalization": list(stem_bn),
        "layers/activation": [],
        "layers/conv2d_1": [inner_kernel, inner_bias],
        "layers/conv2d_2": [back_kernel, back_bias],
        "layers/add": [],
        "layers/global_average_pooling2d": [],
        "layers/dense": [head_kernel, head_bias],
    }
    # Adam keeps iterations and the learning rate, then a momentum and a velocity for each trainable variable in model order.
    trainable = [stem_kernel, stem_bias, stem_bn[0], stem_bn[1], inner_kernel, inner_bias, back_kernel, back_bias, head_kernel, head_bias]
    optimizer = [np.int64(7), np.float32(0.001)] + [np.zeros_like(value) for value in trainable for _ in range(2)]
    write_keras_archive(os.path.join(OUT_DIR, "residual_functional.keras"), config, weights, optimizer)

    stem = relu(batch_norm(conv_same(image, stem_kernel, stem_bias), *stem_bn))
    inner = relu(conv_same(stem, inner_kernel, inner_bias))
    summed = conv_same(inner, back_kernel, back_bias) + stem
    return summed.mean(axis=(0, 1)) @ head_kernel.astype(np.float64) + head_bias


def sequential_keras3(image):
    """input -> conv (a duplicated filter) -> BN without scale -> ReLU layer -> max pool -> conv -> flatten -> dense."""
    first_kernel, first_bias = conv_weights(3, 5, duplicate=(0, 3, 0.5))
    _, beta, mean, variance = bn_weights(5)
    # Normalize filter 3 (= 0.5 x filter 0) to the same map as filter 0, so the dependency survives BatchNorm.
    mean[3] = 0.5 * mean[0]
    variance[3] = 0.25 * (variance[0] + 0.001) - 0.001
    beta[3] = beta[0]
    second_kernel, second_bias = conv_weights(5, 2)
    head_kernel = f32(rng.uniform(-0.3, 0.3, (4 * 4 * 2, 2)))
    head_bias = f32(rng.uniform(-0.1, 0.1, 2))

    input_shape = [None, SIZE, SIZE, 3]
    layers = [
        keras3_layer("InputLayer", {"batch_shape": input_shape, "dtype": "float32", "sparse": False, "name": "input_layer"}),
        keras3_layer("Conv2D", conv_config("conv2d", 5), input_shape),
        keras3_layer("BatchNormalization", bn_config("batch_normalization", scale=False), [None, SIZE, SIZE, 5]),
        keras3_layer("ReLU", {"name": "re_lu", "trainable": True, "dtype": policy(), "max_value": None,
                              "negative_slope": 0.0, "threshold": 0.0}, [None, SIZE, SIZE, 5]),
        keras3_layer("MaxPooling2D", {"name": "max_pooling2d", "trainable": True, "dtype": policy(), "pool_size": [2, 2],
                                      "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, [None, SIZE, SIZE, 5]),
        keras3_layer("Conv2D", conv_config("conv2d_1", 2), [None, 4, 4, 5]),
        keras3_layer("Flatten", {"name": "flatten", "trainable": True, "dtype": policy(), "data_format": "channels_last"}, [None, 4, 4, 2]),
        keras3_layer("Dense", dense_config("dense", 2), [None, 32]),
    ]
    config = {
        "module": "keras", "class_name": "Sequential",
        "config": {"name": "sequential", "trainable": True, "dtype": policy(), "layers": layers, "build_input_shape": input_shape},
        "registered_name": None, "build_config": {"input_shape": input_shape}, "compile_config": None,
    }
    # Sequential.layers leaves out the InputLayer, so no group is written for it.
    weights = {
        "layers/conv2d": [first_kernel, first_bias],
        "layers/batch_normalization": [beta, mean, variance],
        "layers/re_lu": [],
        "layers/max_pooling2d": [],
        "layers/conv2d_1": [second_kernel, second_bias],
        "layers/flatten": [],
        "layers/dense": [head_kernel, head_bias],
    }
    write_keras_archive(os.path.join(OUT_DIR, "plain_sequential.keras"), config, weights, None)

    first = conv_same(image, first_kernel, first_bias)
    normalized = relu((first - mean) / np.sqrt(variance.astype(np.float64) + 0.001) + beta)
    second = conv_same(max_pool_2x2(normalized), second_kernel, second_bias)
    return second.reshape(-1) @ head_kernel.astype(np.float64) + head_bias


def nested_keras3(image):
    """Functional with a nested Sequential: input -> conv (relu, a duplicated filter) -> [conv (relu, a duplicated filter) -> conv] -> GAP -> dense."""
    outer_kernel, outer_bias = conv_weights(3, 4, duplicate=(0, 2, 3.0))
    block_kernel, block_bias = conv_weights(4, 5, duplicate=(4, 1, 0.25))
    block_out_kernel, block_out_bias = conv_weights(5, 3)
    head_kernel = f32(rng.uniform(-0.5, 0.5, (3, 2)))
    head_bias = f32(rng.uniform(-0.1, 0.1, 2))

    shape = lambda channels: [None, SIZE, SIZE, channels]  # noqa: E731
    block = {
        "module": "keras", "class_name": "Sequential",
        "config": {"name": "block", "trainable": True, "dtype": policy(), "build_input_shape": shape(4), "layers": [
            keras3_layer("InputLayer", {"batch_shape": shape(4), "dtype": "float32", "sparse": False, "name": "block_input"}),
            keras3_layer("Conv2D", conv_config("block_conv", 5, activation="relu"), shape(4)),
            keras3_layer("Conv2D", conv_config("block_out", 3), shape(5)),
        ]},
        "registered_name": None, "build_config": {"input_shape": shape(4)},
        "name": "block", "inbound_nodes": call(tensor("outer_conv", shape(4))),
    }
    layers = [
        keras3_layer("InputLayer", {"batch_shape": shape(3), "dtype": "float32", "sparse": False, "name": "image"}, inbound=[]),
        keras3_layer("Conv2D", conv_config("outer_conv", 4, activation="relu"), shape(3), call(tensor("image", shape(3)))),
        block,
        keras3_layer("GlobalAveragePooling2D", {"name": "pool", "trainable": True, "dtype": policy(), "data_format": "channels_last",
                                                "keepdims": False}, shape(3), call(tensor("block", shape(3)))),
        keras3_layer("Dense", dense_config("logits", 2), [None, 3], call(tensor("pool", [None, 3]))),
    ]
    config = {
        "module": FUNCTIONAL_MODULE, "class_name": "Functional",
        "config": {"name": "nested_net", "trainable": True, "layers": layers,
                   "input_layers": [["image", 0, 0]], "output_layers": [["logits", 0, 0]]},
        "registered_name": "Functional", "build_config": {"input_shape": None}, "compile_config": None,
    }
    # A nested model keeps its layers below its own path; its Sequential.layers omits the InputLayer.
    weights = {
        "layers/input_layer": [],
        "layers/conv2d": [outer_kernel, outer_bias],
        "layers/sequential": [],
        "layers/sequential/layers/conv2d": [block_kernel, block_bias],
        "layers/sequential/layers/conv2d_1": [block_out_kernel, block_out_bias],
        "layers/global_average_pooling2d": [],
        "layers/dense": [head_kernel, head_bias],
    }
    write_keras_archive(os.path.join(OUT_DIR, "nested_functional.keras"), config, weights, None)

    outer = relu(conv_same(image, outer_kernel, outer_bias))
    inner = conv_same(relu(conv_same(outer, block_kernel, block_bias)), block_out_kernel, block_out_bias)
    return inner.mean(axis=(0, 1)) @ head_kernel.astype(np.float64) + head_bias


def keras2_h5(image):
    """Keras 2 functional: conv (relu, a duplicated filter) -> max pool -> conv -> flatten -> dense."""
    first_kernel, first_bias = conv_weights(3, 4, duplicate=(2, 0, 1.5))
    second_kernel, second_bias = conv_weights(4, 3)
    head_kernel = f32(rng.uniform(-0.3, 0.3, (4 * 4 * 3, 2)))
    head_bias = f32(rng.uniform(-0.1, 0.1, 2))

    def inbound(source):
        return [[[source, 0, 0, {}]]]

    def keras2_conv(name, filters, activation, source):
        config = conv_config(name, filters, activation)
        config["dtype"] = "float32"
        config["kernel_initializer"] = {"class_name": "GlorotUniform", "config": {"seed": None}}
        config["bias_initializer"] = {"class_name": "Zeros", "config": {}}
        config["kernel_regularizer"] = {"class_name": "L2", "config": {"l2": 0.0005}}
        del config["groups"]
        return {"class_name": "Conv2D", "config": config, "name": name, "inbound_nodes": inbound(source)}

    layers = [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, SIZE, SIZE, 3], "dtype": "float32", "sparse": False,
                                                "ragged": False, "name": "input_1"}, "name": "input_1", "inbound_nodes": []},
        keras2_conv("conv2d", 4, "relu", "input_1"),
        {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "trainable": True, "dtype": "float32", "pool_size": [2, 2],
                                                  "padding": "valid", "strides": [2, 2], "data_format": "channels_last"},
         "name": "max_pooling2d", "inbound_nodes": inbound("conv2d")},
        keras2_conv("conv2d_1", 3, "linear", "max_pooling2d"),
        {"class_name": "Flatten", "config": {"name": "flatten", "trainable": True, "dtype": "float32", "data_format": "channels_last"},
         "name": "flatten", "inbound_nodes": inbound("conv2d_1")},
        {"class_name": "Dense", "config": {"name": "dense", "trainable": True, "dtype": "float32", "units": 2, "activation": "softmax",
                                           "use_bias": True, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                                           "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None,
                                           "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
                                           "bias_constraint": None},
         "name": "dense", "inbound_nodes": inbound("flatten")},
    ]
    model_config = {"class_name": "Functional", "config": {"name": "model", "layers": layers,
                                                           "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]}}
    training_config = {"loss": "sparse_categorical_crossentropy", "metrics": None, "weighted_metrics": None, "loss_weights": None,
                       "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.001}}}
    weights = [("input_1", []), ("conv2d", [("kernel:0", first_kernel), ("bias:0", first_bias)]), ("max_pooling2d", []),
               ("conv2d_1", [("kernel:0", second_kernel), ("bias:0", second_bias)]), ("flatten", []),
               ("dense", [("kernel:0", head_kernel), ("bias:0", head_bias)])]

    with h5py.File(os.path.join(OUT_DIR, "keras2_functional.h5"), "w") as h5:
        h5.attrs["backend"] = b"tensorflow"
        h5.attrs["keras_version"] = b"2.15.0"
        h5.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        h5.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        group = h5.create_group("model_weights")
        group.attrs["layer_names"] = np.array([name.encode("utf8") for name, _ in weights])
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = b"2.15.0"
        for name, variables in weights:
            layer_group = group.create_group(name)
            # An empty name list becomes an empty float64 array, as in Keras 2.
            layer_group.attrs["weight_names"] = np.array([f"{name}/{role}".encode("utf8") for role, _ in variables])
            for role, value in variables:
                layer_group.create_dataset(f"{name}/{role}", data=value)
        optimizer = h5.create_group("optimizer_weights")
        optimizer.create_dataset("Adam/iter:0", data=np.int64(7))

    first = relu(conv_same(image, first_kernel, first_bias))
    second = conv_same(max_pool_2x2(first), second_kernel, second_bias)
    logits = second.reshape(-1) @ head_kernel.astype(np.float64) + head_bias
    exponentials = np.exp(logits - logits.max())
    return exponentials / exponentials.sum()


def depthwise_same(x, kernel, bias):
    """3x3 depthwise convolution with depth multiplier 1, 'same' padding."""
    padded = np.pad(x.astype(np.float64), ((1, 1), (1, 1), (0, 0)))
    height, width, _ = x.shape
    out = np.zeros(x.shape)
    for y in range(height):
        for x_pos in range(width):
            out[y, x_pos] = (padded[y:y + 3, x_pos:x_pos + 3, :] * kernel[:, :, :, 0]).sum(axis=(0, 1))
    return out + bias


def keras3_legacy_h5(image):
    """Keras 3 `model.save("x.h5")`: conv (a duplicated filter) -> depthwise conv -> BN -> ReLU -> 1x1 conv -> GAP -> dense.

    Keras 3's legacy writer names weights by variable path without `:0`, which
    for a Sequential starts with the model name (`sequential/depthwise_conv2d/kernel`:
    Keras 3 calls the depthwise kernel `kernel`), stores each weight at that path
    below its layer's group,
    leaves the Sequential's InputLayer out of layer_names, and adds an empty
    `top_level_model_weights` group.
    """
    conv_kernel, conv_bias = conv_weights(3, 4, duplicate=(1, 3, 2.0))
    depthwise_kernel = f32(rng.uniform(-0.5, 0.5, (3, 3, 4, 1)))
    depthwise_kernel[:, :, 3, 0] = depthwise_kernel[:, :, 1, 0]
    depthwise_bias = f32(rng.uniform(-0.1, 0.1, 4))
    depthwise_bias[3] = 2.0 * depthwise_bias[1]
    gamma, beta, mean, variance = bn_weights(4)
    # Channel 3 is twice channel 1 before BatchNorm; these statistics map both to the same output.
    gamma[3], beta[3], mean[3] = gamma[1], beta[1], 2.0 * mean[1]
    variance[3] = 4.0 * (variance[1] + 0.001) - 0.001
    point_kernel = f32(rng.uniform(-0.5, 0.5, (1, 1, 4, 3)))
    point_bias = f32(rng.uniform(-0.1, 0.1, 3))
    head_kernel = f32(rng.uniform(-0.5, 0.5, (3, 2)))
    head_bias = f32(rng.uniform(-0.1, 0.1, 2))

    def layer(class_name, config):
        return {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}

    point_config = conv_config("pointwise", 3)
    point_config["kernel_size"] = [1, 1]
    depthwise_config = {"name": "depthwise_conv2d", "trainable": True, "dtype": policy(), "kernel_size": [3, 3], "strides": [1, 1],
                        "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "depth_multiplier": 1,
                        "activation": "linear", "use_bias": True, "depthwise_initializer": initializer("GlorotUniform"),
                        "bias_initializer": initializer("Zeros"), "depthwise_regularizer": None, "bias_regularizer": None,
                        "activity_regularizer": None, "depthwise_constraint": None, "bias_constraint": None}
    layers = [
        layer("InputLayer", {"batch_shape": [None, SIZE, SIZE, 3], "dtype": "float32", "sparse": False, "name": "input_layer"}),
        layer("Conv2D", conv_config("conv2d", 4)),
        layer("DepthwiseConv2D", depthwise_config),
        layer("BatchNormalization", bn_config("batch_normalization")),
        layer("ReLU", {"name": "re_lu", "trainable": True, "dtype": policy(), "max_value": None, "negative_slope": 0.0, "threshold": 0.0}),
        layer("Conv2D", point_config),
        layer("GlobalAveragePooling2D", {"name": "pool", "trainable": True, "dtype": policy(), "data_format": "channels_last",
                                         "keepdims": False}),
        layer("Dense", dense_config("dense", 2)),
    ]
    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "trainable": True, "dtype": policy(), "layers": layers}}
    weights = [("conv2d", [("kernel", conv_kernel), ("bias", conv_bias)]),
               ("depthwise_conv2d", [("kernel", depthwise_kernel), ("bias", depthwise_bias)]),
               ("batch_normalization", [("gamma", gamma), ("beta", beta), ("moving_mean", mean), ("moving_variance", variance)]),
               ("re_lu", []), ("pointwise", [("kernel", point_kernel), ("bias", point_bias)]), ("pool", []),
               ("dense", [("kernel", head_kernel), ("bias", head_bias)])]

    with h5py.File(os.path.join(OUT_DIR, "keras3_legacy_sequential.h5"), "w") as h5:
        h5.attrs["keras_version"] = b"3.5.0"
        h5.attrs["backend"] = b"tensorflow"
        h5.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        group = h5.create_group("model_weights")
        group.attrs["layer_names"] = np.array([name.encode("utf8") for name, _ in weights])
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = b"3.5.0"
        for name, variables in sorted(weights):
            layer_group = group.create_group(name)
            # Keras 3 names a Sequential's weights by variable path, which starts with the model name.
            paths = [f"sequential/{name}/{role}" for role, _ in variables]
            layer_group.attrs["weight_names"] = np.array([path.encode("utf8") for path in paths])
            for path, (_, value) in zip(paths, variables):
                layer_group.create_dataset(path, data=value)
        group.create_group("top_level_model_weights").attrs["weight_names"] = np.array([])

    first = conv_same(image, conv_kernel, conv_bias)
    normalized = relu(batch_norm(depthwise_same(first, depthwise_kernel, depthwise_bias), gamma, beta, mean, variance))
    pointwise = np.tensordot(normalized, point_kernel[0, 0].astype(np.float64), axes=([2], [0])) + point_bias
    return pointwise.mean(axis=(0, 1)) @ head_kernel.astype(np.float64) + head_bias


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    image = f32(rng.uniform(0, 1, (SIZE, SIZE, 3)))
    expected = {
        "residual_functional.keras": functional_keras3(image).tolist(),
        "plain_sequential.keras": sequential_keras3(image).tolist(),
        "nested_functional.keras": nested_keras3(image).tolist(),
        "keras2_functional.h5": keras2_h5(image).tolist(),
        "keras3_legacy_sequential.h5": keras3_legacy_h5(image).tolist(),
    }
    golden = {
        "generatedBy": "golden/make_keras_fixtures.py (h5py + NumPy, float64 forward pass)",
        "inputShape": [SIZE, SIZE, 3],
        "input": image.reshape(-1).astype(np.float64).tolist(),
        "expectedOutputs": expected,
    }
    with open(os.path.join(OUT_DIR, "expected-outputs.json"), "w") as handle:
        json.dump(golden, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
