"""The .safetensors format: laid out as the state dict of a PyTorch `nn.Sequential`.

The network is stored as `nn.Sequential(Linear, ReLU, Linear, ReLU, ..., Linear)`: layer k's
weight is key "{2k}.weight" with shape (out, in) (our matrix transposed) and its bias
"{2k}.bias" with shape (out,); the activations sit at the odd indices and have no
parameters. So `model.load_state_dict(safetensors.torch.load_file(path))` works as is. The
description (see `nncore.weightformats.header`) goes into the file's string metadata, each
entry as JSON text, plus "pytorch_module": the `nn.Sequential(...)` to build, for people.
A softmax output has no parameters and is not elementwise, so it is left out of that
Sequential (the model then gives the logits) and "pytorch_output" says to apply
`torch.softmax(model(x), dim=1)` for the class probabilities; a sigmoid output stays in it
as `nn.Sigmoid()`.

The bytes are made in memory by safetensors' serialiser and written into the temporary file
`nncore.atomicwrite` made (so the file gets the same mode, under the umask, as every file
we write; the library's own `save_file` would create it readable by its owner only). When
reading, the header's declared length is checked before the header is read or parsed.
"""

from __future__ import annotations

import json

import numpy as np

from ..errors import WeightFileError
from ..network import Network
from ..safetext import shown
from .header import (
    HEADER_KEYS,
    MAX_DESCRIPTION_BYTES,
    MAX_LAYERS,
    check_array,
    check_header,
    check_keys,
    parse_json_text,
)

__all__ = ["EXTENSION", "looks_like", "write", "read"]

EXTENSION = ".safetensors"

# The header: the description (as metadata) and about 100 bytes naming each of the at most
# two tensors a layer has.
MAX_HEADER_BYTES = MAX_DESCRIPTION_BYTES + 2 * MAX_LAYERS * 256

_TORCH_ACTIVATION_MODULES = {
    "relu": "ReLU()",
    "leaky_relu": "LeakyReLU(negative_slope=0.01)",
    "sigmoid": "Sigmoid()",
    "tanh": "Tanh()",
    "linear": "Identity()",
}


# What a softmax classifier's metadata tells a PyTorch user (the model gives the logits).
SOFTMAX_NOTE = "probabilities = torch.softmax(model(x), dim=1)  # softmax is not in the Sequential"


def looks_like(data: bytes) -> bool:
    """Whether the bytes start like a .safetensors file: 8 bytes giving the header's length,
    then the header, a JSON object."""
    return len(data) >= 10 and data[8:9] == b"{"


def _sequential_text(network: Network) -> str:
    """The `nn.Sequential(...)` whose state dict the .safetensors layout matches."""
    parts = []
    for k, name in enumerate(network.activation_names):
        parts.append(f"nn.Linear({network.sizes[k]}, {network.sizes[k + 1]})")
        last = k == network.n_layers - 1
        if last and name in ("linear", "softmax"):  # no module: the logits come out
            continue
        parts.append("nn." + _TORCH_ACTIVATION_MODULES[name])
    return "nn.Sequential(" + ", ".join(parts) + ")"


def write(tmp: str, header: dict, network: Network) -> None:
    """Write the arrays and the description (as metadata) to the file `tmp`."""
    from safetensors.numpy import save

    tensors = {}
    for k, (w, b) in enumerate(zip(network.weights, network.biases)):
        tensors[f"{2 * k}.weight"] = np.ascontiguousarray(w.T)  # (out, in)
        tensors[f"{2 * k}.bias"] = np.ascontiguousarray(b.reshape(-1))  # (out,)
    metadata = {
        key: (value if key == "format" else json.dumps(value, ensure_ascii=False))
        for key, value in header.items()
    }
    metadata["pytorch_module"] = _sequential_text(network)
    if network.activation_names[-1] == "softmax":
        metadata["pytorch_output"] = SOFTMAX_NOTE
    data = save(tensors, metadata=metadata)  # the whole file's bytes, made in memory
    with open(tmp, "wb") as fh:  # the file atomicwrite created, with its mode
        fh.write(data)


def read(data: bytes) -> tuple[dict, list[np.ndarray], list[np.ndarray]]:
    """(description, weights, biases) from the bytes of a .safetensors file, all checked."""
    from safetensors.numpy import load as load_tensors

    declared = int.from_bytes(data[:8], "little")
    if declared > MAX_HEADER_BYTES:
        raise WeightFileError(
            f"the .safetensors header claims {declared:,} bytes, more than the "
            f"{MAX_HEADER_BYTES:,} a weights file's header may have"
        )
    if declared > len(data) - 8:
        raise WeightFileError(
            f"the .safetensors header claims {declared:,} bytes but the "
            f"file has only {len(data) - 8:,} after it (truncated?)"
        )
    raw = parse_json_text(data[8 : 8 + declared], "header of the .safetensors file")
    if not isinstance(raw, dict):
        raise WeightFileError("the .safetensors header is not a JSON object")
    metadata = raw.get("__metadata__")
    if not isinstance(metadata, dict) or "format" not in metadata:
        raise WeightFileError(
            "this .safetensors file has no nn-tutor description in its "
            "metadata (no 'format' marker), so it was not saved by nn-tutor"
        )
    try:
        tensors = load_tensors(data)
    # The Rust reader reports damage as SafetensorError; anything it raises means "bad file".
    except Exception as exc:
        raise WeightFileError(
            f"the .safetensors file could not be read ({shown(str(exc))})"
        ) from None
    header = {}
    for key, value in metadata.items():
        if key not in HEADER_KEYS:
            continue  # e.g. "pytorch_module", written for people
        if not isinstance(value, str):
            raise WeightFileError(f"metadata entry {shown(key)} is not text")
        header[key] = (
            value if key == "format" else parse_json_text(value, f"metadata entry {shown(key)}")
        )
    sizes = check_header(header)
    expected = {f"{2 * k}.{kind}" for k in range(len(sizes) - 1) for kind in ("weight", "bias")}
    check_keys(set(tensors), expected)
    weights, biases = [], []
    for k in range(len(sizes) - 1):
        n_in, n_out = sizes[k], sizes[k + 1]
        w = check_array(
            tensors[f"{2 * k}.weight"],
            (n_out, n_in),
            header["dtype"],
            f"layer {k} weight ('{2 * k}.weight', stored as (out, in))",
        )
        b = check_array(
            tensors[f"{2 * k}.bias"], (n_out,), header["dtype"], f"layer {k} bias ('{2 * k}.bias')"
        )
        weights.append(np.ascontiguousarray(w.T))  # back to (fan_in, fan_out)
        biases.append(b.reshape(1, -1).copy())
    return header, weights, biases
