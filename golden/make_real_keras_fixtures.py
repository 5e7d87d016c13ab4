"""Save small models with real Keras 3 as .keras and .h5, plus Keras's own predictions.

The files in golden/keras/real/ are what Keras itself writes, so the
workbench's importers are tested against the real layouts and names, not only
against golden/make_keras_fixtures.py's reconstruction of them. For example,
Keras 3 prefixes a Sequential's `.h5` weight names with the model name, and
nested models store their layers below their own path.

Each model has one planted dependent filter (an exact copy of another), so
pruning removes exactly one filter and leaves the predictions unchanged:

  real_sequential     Sequential: conv c1 (filter 5 copies filter 2, and
                      BatchNorm treats both alike) -> BN -> ReLU -> conv c2 ->
                      max pool -> flatten -> dense
  real_depthwise      functional: conv stem -> DepthwiseConv2D dw -> 1x1 conv
                      pw -> residual Add with stem -> ReLU -> conv head (filter
                      4 copies filter 0) -> GAP -> dense
  real_nested         functional with a nested Sequential `block` (conv b1,
                      filter 4 copies filter 0 -> conv b2) -> GAP -> dense

Keras's predictions on a fixed input go to golden/keras/real/predictions.json.

Usage (needs Keras 3 and JAX, which CI lacks; CI only reads the stored files):
  pip install keras jax
  KERAS_BACKEND=jax python3 golden/make_real_keras_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras", "real")
SHAPE = (8, 8, 3)


def copy_filter(layer, source, target):
    """Makes `target` an exact copy of filter `source` (kernel's last axis, and the bias)."""
    kernel, bias = layer.get_weights()
    kernel[..., target] = kernel[..., source]
    bias[target] = bias[source]
    layer.set_weights([kernel, bias])


def sequential_model():
    model = keras.Sequential([
        keras.Input(SHAPE),
        layers.Conv2D(6, 3, padding="same", name="c1"),
        layers.BatchNormalization(name="bn"),
        layers.ReLU(name="relu"),
        layers.Conv2D(4, 3, activation="relu", name="c2"),
        layers.MaxPooling2D(name="pool"),
        layers.Flatten(name="flatten"),
        layers.Dense(3, name="logits"),
    ], name="seq")
    copy_filter(model.get_layer("c1"), 2, 5)
    bn = model.get_layer("bn")
    rng = np.random.default_rng(1)
    gamma, beta, mean, variance = (rng.uniform(low, high, 6).astype(np.float32)
                                   for low, high in [(0.5, 1.5), (-0.2, 0.2), (-0.1, 0.1), (0.5, 1.5)])
    for values in (gamma, beta, mean, variance):
        values[5] = values[2]
    bn.set_weights([gamma, beta, mean, variance])
    return model


def depthwise_model():
    image = keras.Input(SHAPE, name="image")
    stem = layers.Conv2D(4, 3, padding="same", activation="relu", name="stem")(image)
    x = layers.DepthwiseConv2D(3, padding="same", name="dw")(stem)
    x = layers.Conv2D(4, 1, name="pw")(x)
    x = layers.Add(name="residual")([stem, x])
    x = layers.ReLU(name="relu")(x)
    head = layers.Conv2D(5, 3, padding="same", activation="relu", name="head")
    x = head(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    model = keras.Model(image, layers.Dense(2, name="logits")(x), name="func_dw")
    copy_filter(head, 0, 4)
    return model


def nested_model():
    block = keras.Sequential([
        keras.Input((8, 8, 4)),
        layers.Conv2D(5, 3, padding="same", activation="relu", name="b1"),
        layers.Conv2D(4, 1, name="b2"),
    ], name="block")
    image = keras.Input(SHAPE, name="image")
    x = layers.Conv2D(4, 3, padding="same", activation="relu", name="stem")(image)
    x = block(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    model = keras.Model(image, layers.Dense(2, name="logits")(x), name="outer")
    copy_filter(block.get_layer("b1"), 0, 4)
    return model


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    keras.utils.set_random_seed(20251205)
    image = np.random.default_rng(7).uniform(0, 1, (1, *SHAPE)).astype(np.float32)
    predictions = {}
    for name, build in [("real_sequential", sequential_model), ("real_depthwise", depthwise_model), ("real_nested", nested_model)]:
        model = build()
        output = np.asarray(model.predict(image, verbose=0))[0]
        for extension in (".keras", ".h5"):
            path = os.path.join(OUT_DIR, name + extension)
            model.save(path)
            reloaded = keras.models.load_model(path)
            difference = np.abs(np.asarray(reloaded.predict(image, verbose=0))[0] - output).max()
            assert difference < 1e-6, f"{path} reloads with predictions {difference} off"
            predictions[name + extension] = output.astype(np.float64).tolist()
    golden = {
        "generatedBy": f"golden/make_real_keras_fixtures.py (Keras {keras.__version__}, {keras.backend.backend()} backend)",
        "inputShape": list(SHAPE),
        "input": image.reshape(-1).astype(np.float64).tolist(),
        "expectedOutputs": predictions,
    }
    with open(os.path.join(OUT_DIR, "predictions.json"), "w") as handle:
        json.dump(golden, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
