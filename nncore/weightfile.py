"""Saving a trained network to disk and reading it back, in three formats.

A weights file holds everything needed to use or study a model again: the layer sizes, the
activations, the dtype, the weights and biases, the normaliser's statistics (so predictions
come out in the original units), the training recipe, the loss history and a format marker
with a version number. A classifier's file also holds its task, its loss and its class names
(format version 2); a regression network is written as version 1, as it always was, and a
file of version 1 loads as regression with the mean squared error. The same content can be written three ways, chosen by the extension
(each format is a module of `nncore.weightformats`, the description they share is
`nncore.weightformats.header`):

- `.npz`: NumPy's zip of arrays, plus the description as a JSON text stored in a byte
  array. Read with `allow_pickle=False`: no Python object in the file is ever rebuilt.
- `.json`: a text file a person can open and read, with arrays as nested lists (one matrix
  row per line). Python writes every float64 as the shortest text that reads back to the
  same bits; float32 values are written as their exact float64 value and cast back.
- `.safetensors`: laid out as the state dict of PyTorch's
  `nn.Sequential(Linear, ReLU, Linear, ReLU, ..., Linear)`: layer k's weight is key
  `"{2k}.weight"` with shape (out, in) (our matrix transposed) and its bias `"{2k}.bias"`
  with shape (out,); the activations sit at the odd indices and have no parameters. So
  `model.load_state_dict(safetensors.torch.load_file(path))` works as is. The rest of the
  description goes into the file's string metadata. A softmax output is not in that
  Sequential (the model gives the logits); the metadata says to apply `torch.softmax`.

Every format reads back bit for bit. Writes are atomic (`nncore.atomicwrite`: a temporary
file in the same folder, flushed to disk, then renamed over the target), so a crash or an
error never leaves a half-written model behind. Reading treats the file as untrusted: it is
opened by `nncore.untrusted_file` (a regular file of at most MAX_FILE_BYTES, nothing else),
each format bounds what it inflates and parses before doing it, and every shape, dtype,
number and name is checked. Anything wrong raises `WeightFileError`, one line that names the
file and says exactly what and where (`WeightFileError` is an `nncore.errors.NNCoreError`
and a ValueError). Handing `save` something that is not a Network raises TypeError.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .atomicwrite import write_atomically
from .errors import WeightFileError
from .network import Network
from .normaliser import Normaliser
from .safetext import one_line, shown
from .untrusted_file import read_bounded, shown_path
from .weightformats import json_file, npz_file, safetensors_file
from .weightformats.header import (
    FORMAT_MARKER,
    FORMAT_VERSION,
    MAX_CLASSES,
    MAX_FILE_BYTES,
    MAX_LAYERS,
    MAX_PARAMETERS,
    REGRESSION_FORMAT_VERSION,
    architecture_text,
    header_for,
    require_finite,
)

__all__ = [
    "WeightFile",
    "WeightFileError",
    "save",
    "load",
    "format_of",
    "FORMATS",
    # re-exported from nncore.weightformats.header
    "FORMAT_MARKER",
    "FORMAT_VERSION",
    "REGRESSION_FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "MAX_PARAMETERS",
    "MAX_LAYERS",
    "MAX_CLASSES",
]

# Each format's module, by extension: EXTENSION, looks_like, write and read.
_FORMAT_MODULES = {module.EXTENSION: module for module in (npz_file, json_file, safetensors_file)}
FORMATS = tuple(_FORMAT_MODULES)  # (".npz", ".json", ".safetensors")


@dataclass
class WeightFile:
    """What `load` found in a weights file.

    `network` is ready to use; `normaliser` maps between original and network units (None
    when the model was saved without one); `config` is the training recipe as a plain dict;
    `history` holds one dict per trained epoch; `meta` is free-form information saved with
    the model; `format` is the extension the file was read as. `task` is "regression" or
    "classification", `loss` the network's loss ("mse" or "cross_entropy", also
    `network.loss_name`) and `classes` a classifier's class names (None for regression).
    """

    network: Network
    normaliser: Normaliser | None = None
    config: dict | None = None
    history: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    format: str = ""
    task: str = "regression"
    loss: str = "mse"
    classes: tuple[str, ...] | None = None

    @property
    def epochs_trained(self) -> int:
        """Epochs recorded in the history (the last report's epoch number when present)."""
        if not self.history:
            return 0
        last = self.history[-1].get("epoch")
        if isinstance(last, int) and not isinstance(last, bool):
            return last
        return len(self.history)


# ---- choosing a format --------------------------------------------------------------------
def format_of(path, format: str | None = None) -> str:
    """The format (one of FORMATS) named by `format` or, when None, by the path's extension."""
    if format is not None:
        key = str(format).lower()
        key = key if key.startswith(".") else "." + key
        if key not in FORMATS:
            raise WeightFileError(
                f"unknown weights format {shown(str(format))}; use one of {', '.join(FORMATS)}"
            )
        return key
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext not in FORMATS:
        extension = f"extension {shown(ext)}" if ext else "no extension"
        raise WeightFileError(
            f"{shown_path(os.fspath(path))} has {extension}; weights files end in {', '.join(FORMATS)}"
        )
    return ext


# ---- saving -------------------------------------------------------------------------------
def save(
    path,
    network: Network,
    normaliser=None,
    config=None,
    history=None,
    meta=None,
    format: str | None = None,
    classes=None,
) -> None:
    """Write `network` and what describes it to `path`, atomically.

    `normaliser` and `config` may be objects with `to_dict()` or plain dicts; `history` a
    list of objects with `to_dict()` or dicts; `meta` a dict of JSON-able values. The format
    comes from the extension unless `format` (".npz", ".json", ".safetensors") is given.
    `classes` names a classifier's classes (e.g. `dataset.classes`; None: "class 0",
    "class 1", ...); a regression network takes none. Nothing is written when the network
    holds NaN or infinite numbers.
    """
    fmt = format_of(path, format)
    path = os.fspath(path)
    if os.path.isdir(path):
        raise WeightFileError(f"{shown_path(path)} is a folder; give a file name ending in {fmt}")
    header = header_for(network, normaliser, config, history, meta, classes)
    for k, (w, b) in enumerate(zip(network.weights, network.biases)):
        require_finite(w, f"layer {k} weight", saving=True)
        require_finite(b, f"layer {k} bias", saving=True)
    module = _FORMAT_MODULES[fmt]
    write_atomically(path, lambda tmp: module.write(tmp, header, network))


# ---- loading ------------------------------------------------------------------------------
def load(path, format: str | None = None) -> WeightFile:
    """Read a weights file written by `save`, checking everything in it.

    The file is opened by `nncore.untrusted_file`: a regular file only (a FIFO, a device or
    a folder is refused without waiting on it) of at most MAX_FILE_BYTES. Raises
    WeightFileError (never anything else for a bad file), one line naming the file and what
    is wrong with it.
    """
    path = _fspath(path)
    try:
        fmt = format_of(path, format)
    except WeightFileError:
        if os.path.isdir(path):  # a better sentence than "no extension" (for the message only)
            raise WeightFileError(f"{shown_path(path)} is a folder, not a weights file") from None
        raise
    data = read_bounded(path, what="weights file", error=WeightFileError, limit=MAX_FILE_BYTES)
    if not data:
        raise WeightFileError(f"{shown_path(path)} is empty")
    _check_content_kind(data, fmt, path)
    try:
        header, weights, biases = _FORMAT_MODULES[fmt].read(data)
        return _assemble(header, weights, biases, fmt)
    except WeightFileError as exc:  # the formats' checks do not know the file's name
        raise WeightFileError(one_line(f"{shown_path(path)}: {exc}")) from None


def _fspath(path):
    try:
        return os.fspath(path)
    except TypeError:
        raise TypeError(f"expected a file path, not {type(path).__name__}") from None


def _check_content_kind(data: bytes, fmt: str, path: str) -> None:
    """Refuse early, and helpfully, a file whose first bytes are not of its format."""
    if _FORMAT_MODULES[fmt].looks_like(data):
        return
    for other, module in _FORMAT_MODULES.items():
        if other != fmt and module.looks_like(data):
            raise WeightFileError(
                f"{shown_path(path)} is named {fmt} but its content looks like a {other} file; "
                f"rename it to end in {other}"
            )
    raise WeightFileError(
        f"{shown_path(path)} is not a weights file: its content is not {fmt[1:]} (it may be "
        "truncated, corrupted or something else entirely)"
    )


def _normaliser_from(plain: dict, sizes: list[int]) -> Normaliser:
    """Rebuild the Normaliser (which checks its own numbers) and match it to the network."""
    try:
        normaliser = Normaliser.from_dict(plain)
    except (TypeError, ValueError) as exc:
        raise WeightFileError(
            f"the saved {exc}"
            if str(exc).startswith("normaliser")
            else f"the saved normaliser is invalid: {exc}"
        ) from None
    if (normaliser.n_inputs, normaliser.n_outputs) != (sizes[0], sizes[-1]):
        raise WeightFileError(
            f"the normaliser is for {normaliser.n_inputs} inputs and {normaliser.n_outputs} "
            f"outputs but the network {architecture_text(sizes)} has {sizes[0]} and {sizes[-1]}"
        )
    return normaliser


def _assemble(header: dict, weights, biases, fmt: str) -> WeightFile:
    sizes = header["sizes"]
    network = Network(  # the task, loss and classes were checked with the header
        sizes,
        activations=header["activations"],
        init="he",
        seed=0,
        dtype=header["dtype"],
        loss=header["loss"],
    )
    network.load_parameters(weights, biases)
    network.init = header.get("init")
    network.seed = header.get("seed")
    plain_norm = header.get("normaliser")
    normaliser = None if plain_norm is None else _normaliser_from(plain_norm, sizes)
    return WeightFile(
        network=network,
        normaliser=normaliser,
        config=header.get("config"),
        history=list(header.get("history") or []),
        meta=dict(header.get("meta") or {}),
        format_version=header["format_version"],
        format=fmt,
        task=header["task"],
        loss=header["loss"],
        classes=None if header.get("classes") is None else tuple(header["classes"]),
    )
