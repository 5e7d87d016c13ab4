"""Check exported Keras files with h5py, the HDF5 library Keras itself uses.

For each file given, read it the way Keras's loaders look things up and check
that every weight is where they expect it, with the shape the edited config
implies:

  .keras  config.json, metadata.json and model.weights.h5 are present. Each
          layer of the config has `layers/<snake class>[_<k>]/vars/<i>`,
          counted per class within its model. A Sequential's InputLayer is left
          out, and nested models continue below their own path. Conv2D kernels
          end in `filters` and Dense kernels in `units`, and a layer's
          `build_config` input shape ends in its kernel's input channels.
  .h5     root attribute model_config; model_weights lists layer_names, each
          layer group lists weight_names, each weight is a dataset at
          `<layer>/<weight name>`, and Conv2D/Dense kernels match the config.

With `--keras EXPECTED.json`, it loads each file with Keras 3 itself instead
(JAX backend by default) and compares the predictions on the JSON's input with
its expected outputs. CI lacks Keras, so this check is run by hand.

Prints one line per file and exits with status 1 on the first problem.
Usage: python3 golden/check_keras_exports.py FILE...
       KERAS_BACKEND=jax python3 golden/check_keras_exports.py --keras golden/keras/expected-outputs.json FILE...
"""

import io
import json
import os
import re
import sys
import zipfile

import h5py


def snake_case(class_name):
    name = re.sub(r"\W+", "", class_name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def check_kernel(layer, kernel_shape, where):
    config = layer["config"]
    if layer["class_name"] == "Conv2D" and kernel_shape[-1] != config["filters"]:
        raise AssertionError(f"{where}: kernel {kernel_shape} but filters={config['filters']}")
    if layer["class_name"] == "Dense" and kernel_shape[-1] != config["units"]:
        raise AssertionError(f"{where}: kernel {kernel_shape} but units={config['units']}")
    build_shape = (layer.get("build_config") or {}).get("input_shape")
    if layer["class_name"] in ("Conv2D", "Dense") and build_shape and build_shape[-1] != kernel_shape[-2]:
        raise AssertionError(f"{where}: built for input {build_shape} but kernel {kernel_shape}")


def check_keras_layers(weights, layers, prefix, sequential):
    used = {}
    for layer in layers:
        if sequential and layer["class_name"] == "InputLayer":
            continue
        base = snake_case(layer["class_name"])
        used[base] = used.get(base, -1) + 1
        path = prefix + "layers/" + (base if used[base] == 0 else f"{base}_{used[base]}")
        if f"{path}/vars" not in weights:
            raise AssertionError(f"{path}/vars is missing for layer {layer['config']['name']}")
        variables = weights[f"{path}/vars"]
        if "0" in variables:
            check_kernel(layer, variables["0"].shape, path)
        if isinstance(layer["config"].get("layers"), list):
            check_keras_layers(weights, layer["config"]["layers"], path + "/", layer["class_name"] == "Sequential")


def check_keras_archive(path):
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        for required in ("config.json", "metadata.json", "model.weights.h5"):
            if required not in names:
                raise AssertionError(f"{path}: {required} is missing")
        config = json.loads(archive.read("config.json"))
        weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
    if "optimizer" in weights:
        raise AssertionError(f"{path}: optimizer state was written")
    check_keras_layers(weights, config["config"]["layers"], "", config["class_name"] == "Sequential")


def check_h5(path):
    with h5py.File(path, "r") as h5:
        model_config = h5.attrs["model_config"]
        config = json.loads(model_config.decode("utf8") if hasattr(model_config, "decode") else model_config)
        layers = {layer["config"]["name"]: layer for layer in config["config"]["layers"]}
        group = h5["model_weights"]
        for layer_name in (name.decode("utf8") for name in group.attrs["layer_names"]):
            layer_group = group[layer_name]
            for weight_name in (name.decode("utf8") for name in layer_group.attrs["weight_names"]):
                dataset = layer_group[weight_name]
                if weight_name.split("/")[-1].startswith("kernel") and layer_name in layers:
                    check_kernel(layers[layer_name], dataset.shape, f"{path}:{layer_name}/{weight_name}")


def check_with_keras(paths, expected_path):
    """Loads each file with Keras 3 and compares its predictions with the stored ones (keyed by file name, less a `pruned_` prefix)."""
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import keras
    import numpy as np

    # The regularizer class that residual_functional.keras names, registered as its writer would have.
    @keras.saving.register_keras_serializable(package="MyPackage")
    class Orthogonality(keras.regularizers.Regularizer):
        def __init__(self, factor=0.01):
            self.factor = factor

        def __call__(self, weights):
            return 0.0

        def get_config(self):
            return {"factor": self.factor}

    with open(expected_path) as handle:
        golden = json.load(handle)
    image = np.asarray(golden["input"], dtype=np.float32).reshape(1, *golden["inputShape"])
    for path in paths:
        name = os.path.basename(path).removeprefix("pruned_")
        output = np.asarray(keras.models.load_model(path).predict(image, verbose=0))[0]
        difference = float(np.abs(output - np.asarray(golden["expectedOutputs"][name])).max())
        if difference > 1e-5:
            print(f"FAILED {path}: Keras predicts {difference} away from {expected_path}")
            sys.exit(1)
        print(f"ok {path} (Keras {keras.__version__}, max difference {difference:.2g})")


def main(paths):
    if paths[:1] == ["--keras"]:
        check_with_keras(paths[2:], paths[1])
        return
    for path in paths:
        try:
            check_keras_archive(path) if path.endswith(".keras") else check_h5(path)
        except (AssertionError, KeyError) as problem:
            print(f"FAILED {path}: {problem}")
            sys.exit(1)
        print(f"ok {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
