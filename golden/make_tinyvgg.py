"""Write golden LinDeps figures for the CNN Explainer Tiny VGG model to golden/tinyvgg.json.

The figures come from float64 NumPy/SciPy and share no code with the TypeScript
app, so the app's results on the same model can be checked against them.

Method (LinDeps, arXiv 2507.21573), one pass on the original network:
  For each prunable Conv2D layer, X is the tensor that the next linear layer
  reads (after ReLU and max pooling; for Conv -> Flatten -> Dense, the 4-D
  tensor before Flatten). M = X reshaped to (N*H*W) x C is factored by pivoted
  QR, M[:, P] = Q R. Pivot position k is kept while |R_kk| > tol * |R_00|, and
  the rank is the first position that fails (at least 1). T = R11^-1 R12 gives
  X[:, d] ~= sum_k T[k, d] X[:, k] for every dependent channel d. Surgery
  removes output channels d from the layer and, in the consumer, adds
  T[k, d] * W[..., d, :] to W[..., k, :] before deleting input channels d.
  All prunings found on the original features are applied together.

Inputs: the model folder is $LINDEPS_REALMODELS/cnn-explainer-tinyvgg, where
LINDEPS_REALMODELS defaults to ../shared/realmodels relative to the repository
root. JPEGs are decoded by `djpeg -pnm` (libjpeg-turbo, default options) and
scaled to pixel/255, RGB, channels-last.

Output keys (tolerance keys are the strings "1e-5" and "1e-2"):
  model, generatedBy, definitions   -- source and plain-text definitions
  classNames                        -- output class names, index = class
  images[]                          -- sorted by file name
    file, label, probabilities[10], top1, correct
  original
    imageCount, top1Correct, params, flops
  layers[]                          -- prunable Conv2D layers in model order
    name, consumer, tapLayer, channels, tapShape [N, H, W, C]
    pivotOrder[C]                   -- original channel index at each pivot position
    diagRatios[C]                   -- |R_kk| / |R_00| in pivot order
    byTolerance.<tol>
      tolerance, rank
      keptChannels[rank]            -- pivot order, rows of T
      dependentChannels[]           -- pivot order, columns of T
      dependentDiagRatios[], dependentRelativeResiduals[]
      T[rank][len(dependentChannels)]
      consumerMaxAbsDiff            -- max |consumer pre-activation change| when only
                                       this layer is pruned, on the original features
      consumerMaxAbsOutput          -- max |consumer pre-activation| for scale
  pruned.<tol>
    tolerance, removedChannels{layer: [...]}, channelsAfter{layer: n}
    paramsBefore, paramsAfter, flopsBefore, flopsAfter
    probabilities[image][10], top1[image], top1Correct, top1Unchanged,
    maxAbsProbDiff                  -- over all images and classes
"""

import json
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import scipy.linalg
from numpy.lib.stride_tricks import sliding_window_view

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_NAME = "cnn-explainer-tinyvgg"
OUTPUT_PATH = REPO_ROOT / "golden" / "tinyvgg.json"

TOLERANCES = {"1e-5": 1e-5, "1e-2": 1e-2}

# Dense output order, and the class of each image file-name prefix, in the CNN
# Explainer demo that ships this model.
CLASS_NAMES = ["lifeboat", "ladybug", "pizza", "bell pepper", "school bus",
               "koala", "espresso", "red panda", "orange", "sport car"]
PREFIX_LABELS = {"boat": 0, "bug": 1, "pizza": 2, "pepper": 3, "bus": 4,
                 "koala": 5, "espresso": 6, "panda": 7, "orange": 8, "car": 9}

# Layer sequence of the Sequential model in model.json.
LAYERS = [
    ("conv_1_1", "conv"), ("relu_1_1", "relu"), ("conv_1_2", "conv"),
    ("relu_1_2", "relu"), ("max_pool_1", "pool"), ("conv_2_1", "conv"),
    ("relu_2_1", "relu"), ("conv_2_2", "conv"), ("relu_2_2", "relu"),
    ("max_pool_2", "pool"), ("flatten", "flatten"), ("output", "dense"),
]

# Prunable layer -> (layer whose output is the tap X, consumer linear layer).
# The output layer is never pruned.
PRUNABLE = {
    "conv_1_1": ("relu_1_1", "conv_1_2"),
    "conv_1_2": ("max_pool_1", "conv_2_1"),
    "conv_2_1": ("relu_2_1", "conv_2_2"),
    "conv_2_2": ("max_pool_2", "output"),
}


def models_dir():
    default = REPO_ROOT.parent / "shared" / "realmodels"
    return Path(os.environ.get("LINDEPS_REALMODELS", default)) / MODEL_NAME


def load_weights(folder):
    """Read the float32 shard in manifest order into float64 arrays by name."""
    model = json.loads((folder / "model.json").read_text())
    weights = {}
    for group in model["weightsManifest"]:
        blob = b"".join((folder / p).read_bytes() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            if spec["dtype"] != "float32":
                raise ValueError(f"unsupported dtype {spec['dtype']} for {spec['name']}")
            count = int(np.prod(spec["shape"]))
            data = np.frombuffer(blob, dtype="<f4", count=count, offset=offset)
            weights[spec["name"]] = data.reshape(spec["shape"]).astype(np.float64)
            offset += 4 * count
        if offset != len(blob):
            raise ValueError(f"shard size {len(blob)} does not match manifest size {offset}")
    return weights


def decode_jpeg(path):
    """Decode a JPEG with djpeg into an (H, W, 3) float64 array scaled to [0, 1]."""
    ppm = subprocess.run(["djpeg", "-pnm", str(path)], check=True,
                         capture_output=True).stdout
    # The header is magic, width, height and maxval, separated by whitespace and
    # optional '#' comments, followed by one whitespace byte before the pixels.
    header = re.match(rb"(P[56])(?:\s+|#[^\n]*\n)+(\d+)(?:\s+|#[^\n]*\n)+(\d+)"
                      rb"(?:\s+|#[^\n]*\n)+(\d+)\s", ppm)
    if header is None:
        raise ValueError(f"djpeg output for {path} is not a binary PGM/PPM")
    magic, width, height, maxval = header.groups()
    if int(maxval) != 255:
        raise ValueError(f"{path}: expected maxval 255, got {int(maxval)}")
    channels = 3 if magic == b"P6" else 1
    pixels = np.frombuffer(ppm, dtype=np.uint8, offset=header.end(),
                           count=int(width) * int(height) * channels)
    image = pixels.reshape(int(height), int(width), channels)
    if channels == 1:
        # NOTE: untested, because every shipped image is RGB. A grayscale decode
        # is replicated to three channels so the input shape still matches.
        image = np.repeat(image, 3, axis=2)
    return image.astype(np.float64) / 255.0


def conv2d(x, kernel, bias):
    """Valid, stride-1 cross-correlation on NHWC input, as TF Conv2D computes it."""
    kh, kw = kernel.shape[:2]
    windows = sliding_window_view(x, (kh, kw), axis=(1, 2))  # N, H', W', C, kh, kw
    return np.einsum("nyxcij,ijco->nyxo", windows, kernel, optimize=True) + bias


def max_pool(x):
    """2x2 max pooling with stride 2 and valid padding."""
    n, h, w, c = x.shape
    x = x[:, :h // 2 * 2, :w // 2 * 2, :]
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def forward(x, weights):
    """Run the network and return every layer's output by name (logits under 'logits')."""
    outputs = {}
    for name, kind in LAYERS:
        if kind == "conv":
            x = conv2d(x, weights[f"{name}/kernel"], weights[f"{name}/bias"])
        elif kind == "relu":
            x = np.maximum(x, 0.0)
        elif kind == "pool":
            x = max_pool(x)
        elif kind == "flatten":
            # Channels-last flatten: row index (y * W + x) * C + c.
            x = x.reshape(x.shape[0], -1)
        else:
            outputs["logits"] = x @ weights[f"{name}/kernel"] + weights[f"{name}/bias"]
            x = softmax(outputs["logits"])
        outputs[name] = x
    return outputs


def analyse(tap):
    """Factor the tap features by pivoted QR and return (pivot order, R)."""
    m = tap.reshape(-1, tap.shape[-1])
    _, r, pivots = scipy.linalg.qr(m, pivoting=True, mode="economic")
    return pivots, r


def dependencies(pivots, r, tol):
    """Apply the rank rule at tol and return the kept/dependent split and T."""
    diag = np.abs(np.diag(r))
    passing = diag > tol * diag[0]
    failing = np.flatnonzero(~passing)
    rank = max(1, int(failing[0])) if failing.size else len(diag)
    t = scipy.linalg.solve_triangular(r[:rank, :rank], r[:rank, rank:])
    dependent_positions = range(rank, len(diag))
    residuals = [np.linalg.norm(r[rank:, j]) / np.linalg.norm(r[:, j])
                 for j in dependent_positions]
    return {
        "rank": rank,
        "kept": [int(c) for c in pivots[:rank]],
        "dependent": [int(c) for c in pivots[rank:]],
        "dependentDiagRatios": [float(diag[j] / diag[0]) for j in dependent_positions],
        "dependentRelativeResiduals": [float(v) for v in residuals],
        "T": t,
    }


def consumer_input_view(weights, consumer, channels):
    """Return the consumer kernel with input channels on axis -2 and a function that restores its layout."""
    kernel = weights[f"{consumer}/kernel"]
    if kernel.ndim == 4:
        return kernel.copy(), lambda k: k
    # Dense after Flatten: rows (y * W + x) * C + c become axes (y*x, c, units).
    units = kernel.shape[1]
    view = kernel.reshape(-1, channels, units).copy()
    return view, lambda k: k.reshape(-1, units)


def recover_consumer(weights, consumer, channels, dep):
    """Fold the dependent input channels into the kept ones and delete them."""
    kernel, restore = consumer_input_view(weights, consumer, channels)
    folded = kernel.copy()
    for col, d in enumerate(dep["dependent"]):
        for row, k in enumerate(dep["kept"]):
            folded[..., k, :] += dep["T"][row, col] * kernel[..., d, :]
    keep = sorted(dep["kept"])
    return restore(folded[..., keep, :])


def prune(weights, deps_by_layer, channels_by_layer):
    """Apply every layer's surgery together and return the new weights."""
    pruned = dict(weights)
    # Input-axis changes of consumers first, from the original kernels. They
    # commute with the output-axis deletions below, which act on another axis.
    for name, dep in deps_by_layer.items():
        consumer = PRUNABLE[name][1]
        pruned[f"{consumer}/kernel"] = recover_consumer(
            pruned, consumer, channels_by_layer[name], dep)
    for name, dep in deps_by_layer.items():
        keep = sorted(dep["kept"])
        pruned[f"{name}/kernel"] = pruned[f"{name}/kernel"][..., keep]
        pruned[f"{name}/bias"] = pruned[f"{name}/bias"][keep]
    return pruned


def count_params(weights):
    return int(sum(w.size for w in weights.values()))


def count_flops(weights, input_shape):
    """Return 2 x multiply-accumulates of Conv2D and Dense layers for one image."""
    h, w = input_shape
    flops = 0
    for name, kind in LAYERS:
        if kind == "conv":
            kh, kw, cin, cout = weights[f"{name}/kernel"].shape
            h, w = h - kh + 1, w - kw + 1
            flops += 2 * h * w * kh * kw * cin * cout
        elif kind == "pool":
            h, w = h // 2, w // 2
        elif kind == "dense":
            flops += 2 * weights[f"{name}/kernel"].size
    return int(flops)


def consumer_preactivation(x, weights, consumer):
    kernel, bias = weights[f"{consumer}/kernel"], weights[f"{consumer}/bias"]
    if kernel.ndim == 4:
        return conv2d(x, kernel, bias)
    return x.reshape(x.shape[0], -1) @ kernel + bias


def main():
    folder = models_dir()
    weights = load_weights(folder)

    files = sorted(p.name for p in (folder / "img").glob("*.jpeg"))
    images = np.stack([decode_jpeg(folder / "img" / f) for f in files])
    unknown = [f for f in files if f.split("_")[0] not in PREFIX_LABELS]
    if unknown:
        raise ValueError(f"no class for file-name prefix of {unknown}; expected one of {sorted(PREFIX_LABELS)}")
    labels = np.array([PREFIX_LABELS[f.split("_")[0]] for f in files])

    original = forward(images, weights)
    probs = original["output"]
    top1 = probs.argmax(axis=1)
    input_shape = images.shape[1:3]

    layers = []
    deps = {tol_key: {} for tol_key in TOLERANCES}
    for name, (tap_layer, consumer) in PRUNABLE.items():
        tap = original[tap_layer]
        channels = tap.shape[-1]
        pivots, r = analyse(tap)
        diag = np.abs(np.diag(r))
        consumer_out = consumer_preactivation(tap, weights, consumer)

        by_tol = {}
        for tol_key, tol in TOLERANCES.items():
            dep = dependencies(pivots, r, tol)
            deps[tol_key][name] = dep
            # Predicted error: the consumer alone, rewritten for this layer only,
            # applied to the original tap restricted to the kept channels.
            rewritten = {f"{consumer}/kernel": recover_consumer(weights, consumer, channels, dep),
                         f"{consumer}/bias": weights[f"{consumer}/bias"]}
            kept_tap = tap[..., sorted(dep["kept"])]
            diff = consumer_preactivation(kept_tap, rewritten, consumer) - consumer_out
            by_tol[tol_key] = {
                "tolerance": tol,
                "rank": dep["rank"],
                "keptChannels": dep["kept"],
                "dependentChannels": dep["dependent"],
                "dependentDiagRatios": dep["dependentDiagRatios"],
                "dependentRelativeResiduals": dep["dependentRelativeResiduals"],
                "T": dep["T"].tolist(),
                "consumerMaxAbsDiff": float(np.abs(diff).max()),
                "consumerMaxAbsOutput": float(np.abs(consumer_out).max()),
            }

        layers.append({
            "name": name,
            "consumer": consumer,
            "tapLayer": tap_layer,
            "channels": channels,
            "tapShape": list(tap.shape),
            "pivotOrder": [int(c) for c in pivots],
            "diagRatios": (diag / diag[0]).tolist(),
            "byTolerance": by_tol,
        })

    pruned_results = {}
    for tol_key, tol in TOLERANCES.items():
        channels = {name: weights[f"{name}/kernel"].shape[-1] for name in PRUNABLE}
        pruned_weights = prune(weights, deps[tol_key], channels)
        pruned_probs = forward(images, pruned_weights)["output"]
        pruned_top1 = pruned_probs.argmax(axis=1)
        pruned_results[tol_key] = {
            "tolerance": tol,
            "removedChannels": {n: sorted(d["dependent"]) for n, d in deps[tol_key].items()},
            "channelsAfter": {n: int(pruned_weights[f"{n}/bias"].size) for n in PRUNABLE},
            "paramsBefore": count_params(weights),
            "paramsAfter": count_params(pruned_weights),
            "flopsBefore": count_flops(weights, input_shape),
            "flopsAfter": count_flops(pruned_weights, input_shape),
            "probabilities": pruned_probs.tolist(),
            "top1": pruned_top1.tolist(),
            "top1Correct": int((pruned_top1 == labels).sum()),
            "top1Unchanged": int((pruned_top1 == top1).sum()),
            "maxAbsProbDiff": float(np.abs(pruned_probs - probs).max()),
        }

    result = {
        "model": MODEL_NAME,
        "generatedBy": "golden/make_tinyvgg.py (float64 NumPy/SciPy, djpeg -pnm decoding)",
        "definitions": {
            "input": "RGB pixel/255, 64x64, channels-last, decoded by djpeg -pnm with default options",
            "rankRule": "pivot position k is kept while |R_kk| > tol * |R_00|; rank = first k that fails, at least 1",
            "diagRatio": "|R_kk| / |R_00|",
            "relativeResidual": "||R[rank:, j]|| / ||R[:, j]|| for dependent pivot position j",
            "T": "R11^-1 R12; rows = keptChannels, columns = dependentChannels, both in pivot order",
            "params": "all weights including biases",
            "flops": "2 x multiply-accumulates of Conv2D and Dense layers, per image",
            "consumerMaxAbsDiff": "max |pre-activation change| of the consumer when only this layer is pruned, on the original features",
        },
        "classNames": CLASS_NAMES,
        "images": [
            {"file": f, "label": int(labels[i]), "probabilities": probs[i].tolist(),
             "top1": int(top1[i]), "correct": bool(top1[i] == labels[i])}
            for i, f in enumerate(files)
        ],
        "original": {
            "imageCount": len(files),
            "top1Correct": int((top1 == labels).sum()),
            "params": count_params(weights),
            "flops": count_flops(weights, input_shape),
        },
        "layers": layers,
        "pruned": pruned_results,
    }
    OUTPUT_PATH.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {OUTPUT_PATH.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
