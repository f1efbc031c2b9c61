"""Saving a trained network to disk and reading it back, in three formats.

A weights file holds everything needed to use or study a model again: the layer sizes, the
activations, the dtype, the weights and biases, the normaliser's statistics (so predictions
come out in the original units), the training recipe, the loss history and a format marker
with a version number. The same content can be written three ways, chosen by the extension:

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
  description goes into the file's string metadata.

Every format reads back bit for bit. Writes are atomic (a temporary file in the same
folder, flushed to disk, then renamed over the target), so a crash or an error never leaves
a half-written model behind. Reading treats the file as untrusted: every shape, dtype,
number and name is checked, and anything wrong raises `WeightFileError` with a message that
says exactly what and where (`WeightFileError` is an `nncore.errors.NNCoreError` and a
ValueError). Handing `save` something that is not a Network raises TypeError.

Why it is long (about 820 lines): three formats, each read as untrusted input, and every
check has its own message; the checks shared by all formats sit beside the readers.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .errors import WeightFileError
from .network import DTYPES, INITS, Network

FORMATS = (".npz", ".json", ".safetensors")
FORMAT_MARKER = "nn-tutor-weights"
FORMAT_VERSION = 1

# Sanity limits for files from elsewhere: far beyond any model this program trains, small
# enough that a hostile header cannot make us allocate gigabytes.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_PARAMETERS = 10_000_000
MAX_LAYERS = 1_000

# The description every format carries (the .json file adds "layers").
_HEADER_KEYS = (
    "format",
    "format_version",
    "sizes",
    "activations",
    "dtype",
    "init",
    "seed",
    "normaliser",
    "config",
    "history",
    "meta",
)

_TORCH_ACTIVATION_MODULES = {
    "relu": "ReLU()",
    "leaky_relu": "LeakyReLU(negative_slope=0.01)",
    "sigmoid": "Sigmoid()",
    "tanh": "Tanh()",
    "linear": "Identity()",
}


@dataclass
class WeightFile:
    """What `load` found in a weights file.

    `network` is ready to use; `normaliser` maps between original and network units (None
    when the model was saved without one); `config` is the training recipe as a plain dict;
    `history` holds one dict per trained epoch; `meta` is free-form information saved with
    the model; `format` is the extension the file was read as.
    """

    network: Network
    normaliser: Any = None
    config: dict | None = None
    history: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    format: str = ""

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
                f"unknown weights format {format!r}; use one of {', '.join(FORMATS)}"
            )
        return key
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext not in FORMATS:
        shown = f"extension {ext!r}" if ext else "no extension"
        raise WeightFileError(
            f"{os.fspath(path)!r} has {shown}; weights files end in {', '.join(FORMATS)}"
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
) -> None:
    """Write `network` and what describes it to `path`, atomically.

    `normaliser` and `config` may be objects with `to_dict()` or plain dicts; `history` a
    list of objects with `to_dict()` or dicts; `meta` a dict of JSON-able values. The format
    comes from the extension unless `format` (".npz", ".json", ".safetensors") is given.
    Nothing is written when the network holds NaN or infinite numbers.
    """
    fmt = format_of(path, format)
    path = os.fspath(path)
    if os.path.isdir(path):
        raise WeightFileError(f"{path!r} is a folder; give a file name ending in {fmt}")
    header = _header_for(network, normaliser, config, history, meta)
    for k, (w, b) in enumerate(zip(network.weights, network.biases)):
        _require_finite(w, f"layer {k} weight", saving=True)
        _require_finite(b, f"layer {k} bias", saving=True)
    if fmt == ".npz":
        _write_atomically(path, lambda tmp: _write_npz(tmp, header, network))
    elif fmt == ".json":
        _write_atomically(path, lambda tmp: _write_json(tmp, header, network))
    else:
        _write_atomically(path, lambda tmp: _write_safetensors(tmp, header, network))


def _to_plain(value, what: str):
    """`value` as JSON-able Python data (numpy scalars and arrays become numbers and lists)."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        value = value.to_dict()
    try:
        text = json.dumps(value, default=_json_default)
    except (TypeError, ValueError) as exc:
        raise WeightFileError(f"the {what} cannot be stored in a weights file: {exc}") from None
    return json.loads(text)


def _json_default(obj):
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"values of type {type(obj).__name__} are not JSON")


def _header_for(network: Network, normaliser, config, history, meta) -> dict:
    if not isinstance(network, Network):
        raise TypeError(f"expected a Network to save; got {type(network).__name__}")
    history_items = [] if history is None else [_to_plain(h, "history") for h in history]
    if not all(isinstance(h, dict) for h in history_items):
        raise WeightFileError("every history item must be a dict or have to_dict()")
    plain_meta = {} if meta is None else _to_plain(meta, "meta")
    if not isinstance(plain_meta, dict):
        raise WeightFileError("meta must be a dict")
    plain_config = None if config is None else _to_plain(config, "config")
    if plain_config is not None and not isinstance(plain_config, dict):
        raise WeightFileError("config must be a dict or have to_dict()")
    plain_norm = None if normaliser is None else _to_plain(normaliser, "normaliser")
    if plain_norm is not None and not isinstance(plain_norm, dict):
        raise WeightFileError("the normaliser must be a dict or have to_dict()")
    return {
        "format": FORMAT_MARKER,
        "format_version": FORMAT_VERSION,
        "sizes": list(network.sizes),
        "activations": list(network.activation_names),
        "dtype": network.dtype.name,
        "init": network.init,
        "seed": network.seed,
        "normaliser": plain_norm,
        "config": plain_config,
        "history": history_items,
        "meta": plain_meta,
    }


def _write_atomically(path: str, write_to: Callable[[str], None]) -> None:
    """Let `write_to(tmp)` fill a temporary file beside `path`, then swap it into place.

    The temporary file is flushed to the disk before the rename, and removed on any error
    (also KeyboardInterrupt), so `path` always holds either the old file or the new one.
    """
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise WeightFileError(f"cannot write {path!r}: the folder {directory!r} does not exist")
    tmp = _create_temporary(path, directory)
    try:
        write_to(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if os.path.exists(path):  # overwriting keeps the old file's mode
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WeightFileError(f"cannot write {path!r}: {exc.strerror or exc}") from None
        raise
    _fsync_directory(directory)


def _create_temporary(path: str, directory: str) -> str:
    """A new, empty, uniquely named file beside `path`.

    Created with mode 0o666 so the system applies the user's umask, exactly as for any
    file a program writes (tempfile.mkstemp would make it readable by its owner only).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(directory, f".{os.path.basename(path)}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, flags, 0o666))
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise WeightFileError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    raise WeightFileError(f"cannot write {path!r}: no free temporary name in {directory!r}")


def _fsync_directory(directory: str) -> None:
    # Makes the rename itself durable on POSIX; not possible (nor needed) on Windows.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_npz(tmp: str, header: dict, network: Network) -> None:
    text = json.dumps(header, ensure_ascii=False)
    arrays = {"header": np.frombuffer(text.encode("utf-8"), dtype=np.uint8)}
    for k, (w, b) in enumerate(zip(network.weights, network.biases)):
        arrays[f"weights_{k}"] = np.ascontiguousarray(w)  # (fan_in, fan_out)
        arrays[f"biases_{k}"] = np.ascontiguousarray(b)  # (1, fan_out)
    with open(tmp, "wb") as fh:
        np.savez(fh, allow_pickle=False, **arrays)


def _write_json(tmp: str, header: dict, network: Network) -> None:
    doc = dict(header)
    doc["layers"] = [
        {
            "weights": w.astype(np.float64).tolist(),  # exact for float32
            "biases": b.astype(np.float64).reshape(-1).tolist(),
        }
        for w, b in zip(network.weights, network.biases)
    ]
    # Indented for reading, but a list of plain numbers or names (a matrix row, the sizes)
    # and each history entry stay on one line. Placeholders carry a random part no real
    # string can guess; they are swapped for the compact text after indenting.
    compact: list[str] = []
    nonce = secrets.token_hex(8)

    def one_line(value) -> str:
        compact.append(json.dumps(value, ensure_ascii=False))
        return f"@@{nonce}:{len(compact) - 1}@@"

    def shorten(value):
        if isinstance(value, dict):
            return {key: shorten(v) for key, v in value.items()}
        if isinstance(value, list):
            if value and all(not isinstance(v, (list, dict)) for v in value):
                return one_line(value)
            return [shorten(v) for v in value]
        return value

    history = doc.pop("history")
    doc = shorten(doc)
    doc["history"] = [one_line(h) for h in history]
    doc["layers"] = doc.pop("layers")  # keep the arrays last
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    text = re.sub(f'"@@{nonce}:([0-9]+)@@"', lambda m: compact[int(m.group(1))], text)
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text + "\n")


def _sequential_text(network: Network) -> str:
    """The `nn.Sequential(...)` whose state dict the .safetensors layout matches."""
    parts = []
    for k, name in enumerate(network.activation_names):
        parts.append(f"nn.Linear({network.sizes[k]}, {network.sizes[k + 1]})")
        if name != "linear" or k < network.n_layers - 1:
            parts.append("nn." + _TORCH_ACTIVATION_MODULES[name])
    return "nn.Sequential(" + ", ".join(parts) + ")"


def _write_safetensors(tmp: str, header: dict, network: Network) -> None:
    from safetensors.numpy import save_file

    tensors = {}
    for k, (w, b) in enumerate(zip(network.weights, network.biases)):
        tensors[f"{2 * k}.weight"] = np.ascontiguousarray(w.T)  # (out, in)
        tensors[f"{2 * k}.bias"] = np.ascontiguousarray(b.reshape(-1))  # (out,)
    metadata = {
        key: (value if key == "format" else json.dumps(value, ensure_ascii=False))
        for key, value in header.items()
    }
    metadata["pytorch_module"] = _sequential_text(network)
    save_file(tensors, tmp, metadata=metadata)


# ---- loading ------------------------------------------------------------------------------
def load(path, format: str | None = None) -> WeightFile:
    """Read a weights file written by `save`, checking everything in it.

    Raises WeightFileError (never anything else for a bad file) naming what is wrong.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise WeightFileError(f"{path!r} is a folder, not a weights file")
    fmt = format_of(path, format)
    data = _read_bytes(path)
    _check_content_kind(data, fmt, path)
    if fmt == ".npz":
        header, weights, biases = _read_npz(data)
    elif fmt == ".json":
        header, weights, biases = _read_json(data)
    else:
        header, weights, biases = _read_safetensors(data)
    return _assemble(header, weights, biases, fmt)


def _read_bytes(path: str) -> bytes:
    if not os.path.exists(path):
        raise WeightFileError(f"no such file: {path!r}")
    if os.path.isdir(path):
        raise WeightFileError(f"{path!r} is a folder, not a weights file")
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise WeightFileError(
                f"{path!r} is {size:,} bytes, larger than the {MAX_FILE_BYTES:,} a weights "
                "file may have"
            )
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise WeightFileError(f"cannot read {path!r}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise WeightFileError(f"{path!r} is larger than the {MAX_FILE_BYTES:,} bytes allowed")
    if not data:
        raise WeightFileError(f"{path!r} is empty")
    return data


_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    ".npz": lambda data: data[:4] in (b"PK\x03\x04", b"PK\x05\x06"),
    ".json": lambda data: data.lstrip()[:1] == b"{",
    # 8 bytes giving the header's length, then the header, a JSON object.
    ".safetensors": lambda data: len(data) >= 10 and data[8:9] == b"{",
}


def _check_content_kind(data: bytes, fmt: str, path: str) -> None:
    """Refuse early, and helpfully, a file whose first bytes are not of its format."""
    if _SIGNATURES[fmt](data):
        return
    for other, matches in _SIGNATURES.items():
        if other != fmt and matches(data):
            raise WeightFileError(
                f"{path!r} is named {fmt} but its content looks like a {other} file; "
                f"rename it to end in {other}"
            )
    raise WeightFileError(
        f"{path!r} is not a weights file: its content is not {fmt[1:]} (it may be "
        "truncated, corrupted or something else entirely)"
    )


def _parse_json_text(raw: bytes | str, what: str):
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise WeightFileError(f"the {what} is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise WeightFileError(
            f"the {what} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise WeightFileError(f"the {what} is nested too deeply to be a weights file") from None


# .npz --------------------------------------------------------------------------------------
def _npz_scan(data: bytes) -> None:
    """Check every entry's declared dtype and shape before NumPy allocates anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    # A damaged archive can make zipfile raise almost anything (BadZipFile, EOFError,
    # NotImplementedError for a garbled version field, ...): all mean "not readable".
    except Exception as exc:
        raise WeightFileError(f"the .npz archive is damaged or truncated ({exc})") from None
    with archive:
        total = 0
        for info in archive.infolist():
            name = info.filename
            if not name.endswith(".npy"):
                raise WeightFileError(f"the .npz archive holds an unexpected entry {name!r}")
            total += info.file_size
            if total > MAX_FILE_BYTES:
                raise WeightFileError(
                    "the .npz archive unpacks to more data than a weights file may hold"
                )
            try:
                with archive.open(info) as fh:
                    version = np.lib.format.read_magic(fh)
                    if version == (1, 0):
                        shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
                    elif version == (2, 0):
                        shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
                    else:
                        raise WeightFileError(
                            f"entry {name[:-4]!r} uses .npy version {version}, not 1.0 or 2.0"
                        )
            except WeightFileError:
                raise
            # zipfile and NumPy's header reader raise many kinds of errors on damaged input.
            except Exception as exc:
                raise WeightFileError(
                    f"entry {name[:-4]!r} of the .npz archive is damaged ({exc})"
                ) from None
            if dtype.hasobject:
                raise WeightFileError(
                    f"entry {name[:-4]!r} holds Python objects (pickled data); weights files "
                    "contain numbers only, and pickled data is never loaded"
                )
            count = math.prod(shape)
            if count * dtype.itemsize > info.file_size:
                raise WeightFileError(
                    f"entry {name[:-4]!r} declares shape {tuple(shape)} but holds only "
                    f"{info.file_size:,} bytes"
                )


def _read_npz(data: bytes):
    _npz_scan(data)
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except Exception as exc:
        raise WeightFileError(f"the .npz archive could not be read ({exc})") from None
    raw_header = arrays.pop("header", None)
    if raw_header is None:
        raise WeightFileError("the .npz archive has no 'header' entry describing the model")
    if raw_header.dtype != np.uint8 or raw_header.ndim != 1:
        raise WeightFileError("the .npz 'header' entry must be a 1-D uint8 array of JSON text")
    header = _parse_json_text(raw_header.tobytes(), "header of the .npz archive")
    sizes = _check_header(header)
    expected = {f"{kind}_{k}" for k in range(len(sizes) - 1) for kind in ("weights", "biases")}
    _check_keys(set(arrays), expected)
    weights, biases = [], []
    for k in range(len(sizes) - 1):
        weights.append(
            _check_array(
                arrays[f"weights_{k}"],
                (sizes[k], sizes[k + 1]),
                header["dtype"],
                f"layer {k} weight",
            )
        )
        biases.append(
            _check_array(
                arrays[f"biases_{k}"], (1, sizes[k + 1]), header["dtype"], f"layer {k} bias"
            )
        )
    return header, weights, biases


# .json -------------------------------------------------------------------------------------
def _read_json(data: bytes):
    doc = _parse_json_text(data, "file")
    sizes = _check_header(doc)
    layers = doc.get("layers")
    if not isinstance(layers, list):
        raise WeightFileError("'layers' must be a list with one entry per layer")
    if len(layers) != len(sizes) - 1:
        raise WeightFileError(
            f"the architecture {_arch(sizes)} has {len(sizes) - 1} layers "
            f"but 'layers' holds {len(layers)}"
        )
    weights, biases = [], []
    for k, layer in enumerate(layers):
        if not isinstance(layer, dict) or set(layer) != {"weights", "biases"}:
            raise WeightFileError(
                f"layer {k} must be an object with exactly the keys 'weights' and 'biases'"
            )
        w = _nested_numbers(layer["weights"], (sizes[k], sizes[k + 1]), f"layer {k} weight")
        b = _nested_numbers(layer["biases"], (sizes[k + 1],), f"layer {k} bias")
        dt = np.dtype(doc["dtype"])
        with np.errstate(over="ignore"):  # too large for float32 becomes inf, refused below
            w, b = w.astype(dt), b.astype(dt).reshape(1, -1)
        weights.append(_check_array(w, (sizes[k], sizes[k + 1]), doc["dtype"], f"layer {k} weight"))
        biases.append(_check_array(b, (1, sizes[k + 1]), doc["dtype"], f"layer {k} bias"))
    return doc, weights, biases


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _nested_numbers(value, shape: tuple[int, ...], what: str) -> np.ndarray:
    """A list (of lists) of JSON numbers with exactly `shape`, as float64."""
    if len(shape) == 1:
        if not isinstance(value, list):
            raise WeightFileError(f"{what} must be a list of numbers")
        if len(value) != shape[0]:
            raise WeightFileError(
                f"{what} has {len(value)} numbers but the architecture says {shape[0]}"
            )
        for j, v in enumerate(value):
            if not _is_number(v):
                raise WeightFileError(f"{what} entry {j} is {json.dumps(v)[:40]}, not a number")
        return np.array(value, dtype=np.float64)
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise WeightFileError(f"{what} must be a list of rows, each a list of numbers")
    n_cols = len(value[0]) if value else 0
    for i, row in enumerate(value):
        if len(row) != n_cols:
            raise WeightFileError(f"{what} row {i} has {len(row)} numbers but row 0 has {n_cols}")
    if (len(value), n_cols) != shape:
        raise WeightFileError(
            f"{what} has shape {(len(value), n_cols)} but the architecture says {shape}"
        )
    for i, row in enumerate(value):
        for j, v in enumerate(row):
            if not _is_number(v):
                raise WeightFileError(
                    f"{what} entry ({i}, {j}) is {json.dumps(v)[:40]}, not a number"
                )
    return np.array(value, dtype=np.float64)


# .safetensors ------------------------------------------------------------------------------
def _read_safetensors(data: bytes):
    from safetensors.numpy import load as load_tensors

    declared = int.from_bytes(data[:8], "little")
    if declared > len(data) - 8:
        raise WeightFileError(
            f"the .safetensors header claims {declared:,} bytes but the "
            f"file has only {len(data) - 8:,} after it (truncated?)"
        )
    raw = _parse_json_text(data[8 : 8 + declared], "header of the .safetensors file")
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
        raise WeightFileError(f"the .safetensors file could not be read ({exc})") from None
    header = {}
    for key, value in metadata.items():
        if key not in _HEADER_KEYS:
            continue  # e.g. "pytorch_module", written for people
        if not isinstance(value, str):
            raise WeightFileError(f"metadata entry {key!r} is not text")
        header[key] = (
            value if key == "format" else _parse_json_text(value, f"metadata entry {key!r}")
        )
    sizes = _check_header(header)
    expected = {f"{2 * k}.{kind}" for k in range(len(sizes) - 1) for kind in ("weight", "bias")}
    _check_keys(set(tensors), expected)
    weights, biases = [], []
    for k in range(len(sizes) - 1):
        n_in, n_out = sizes[k], sizes[k + 1]
        w = _check_array(
            tensors[f"{2 * k}.weight"],
            (n_out, n_in),
            header["dtype"],
            f"layer {k} weight ('{2 * k}.weight', stored as (out, in))",
        )
        b = _check_array(
            tensors[f"{2 * k}.bias"], (n_out,), header["dtype"], f"layer {k} bias ('{2 * k}.bias')"
        )
        weights.append(np.ascontiguousarray(w.T))  # back to (fan_in, fan_out)
        biases.append(b.reshape(1, -1).copy())
    return header, weights, biases


# shared checks -----------------------------------------------------------------------------
def _arch(sizes) -> str:
    return "-".join(str(s) for s in sizes)


def _check_keys(found: set, expected: set) -> None:
    missing, extra = sorted(expected - found), sorted(found - expected)
    if missing or extra:
        parts = []
        if missing:
            parts.append(
                "missing "
                + ", ".join(repr(k) for k in missing[:6])
                + (" ..." if len(missing) > 6 else "")
            )
        if extra:
            parts.append(
                "unexpected "
                + ", ".join(repr(k) for k in extra[:6])
                + (" ..." if len(extra) > 6 else "")
            )
        raise WeightFileError("the arrays do not match the architecture: " + "; ".join(parts))


def _json_kind(value) -> str:
    """What a parsed JSON value is, in JSON's own words."""
    for kind, name in (
        (bool, "true/false"),
        (str, "text"),
        (dict, "an object"),
        (list, "a list"),
        ((int, float), "a number"),
    ):
        if isinstance(value, kind):
            return name
    return "null"


def _check_header(header) -> list[int]:
    """Validate the description shared by all formats; return the layer sizes."""
    if not isinstance(header, dict):
        raise WeightFileError("the model description must be a JSON object")
    marker = header.get("format")
    if marker != FORMAT_MARKER:
        if marker is None:
            raise WeightFileError(
                f"this is not an nn-tutor weights file: the 'format' marker "
                f"({FORMAT_MARKER!r}) is missing"
            )
        raise WeightFileError(
            f"this is not an nn-tutor weights file: 'format' is "
            f"{str(marker)[:60]!r}, expected {FORMAT_MARKER!r}"
        )
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise WeightFileError(
            f"'format_version' must be a positive whole number; got {json.dumps(version)[:40]}"
        )
    if version > FORMAT_VERSION:
        raise WeightFileError(
            f"the file uses format version {version}, newer than this "
            f"program reads ({FORMAT_VERSION}); update nn-tutor to open it"
        )
    sizes = header.get("sizes")
    if (
        not isinstance(sizes, list)
        or len(sizes) < 2
        or not all(isinstance(s, int) and not isinstance(s, bool) for s in sizes)
    ):
        raise WeightFileError(
            "'sizes' must be a list of at least two whole numbers "
            f"(like [2, 64, 1]); got {json.dumps(sizes)[:60]}"
        )
    if len(sizes) - 1 > MAX_LAYERS:
        raise WeightFileError(
            f"'sizes' declares {len(sizes) - 1} layers; at most {MAX_LAYERS} are accepted"
        )
    if any(s < 1 for s in sizes):
        raise WeightFileError(f"every layer size must be at least 1; got {sizes}")
    n_params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    if n_params > MAX_PARAMETERS:
        raise WeightFileError(
            f"the architecture {_arch(sizes)[:80]} declares {n_params:,} "
            f"parameters, more than the {MAX_PARAMETERS:,} accepted"
        )
    acts = header.get("activations")
    if not isinstance(acts, list) or not all(isinstance(a, str) for a in acts):
        raise WeightFileError("'activations' must be a list of names like \"relu\"")
    if len(acts) != len(sizes) - 1:
        raise WeightFileError(
            f"the architecture {_arch(sizes)} has {len(sizes) - 1} layers "
            f"but {len(acts)} activations are given"
        )
    for k, name in enumerate(acts):
        if name not in ACTIVATIONS:
            raise WeightFileError(
                f"layer {k}'s activation {name[:40]!r} is unknown; known: {', '.join(ACTIVATIONS)}"
            )
    if header.get("dtype") not in DTYPES:
        raise WeightFileError(
            f"'dtype' must be one of {', '.join(DTYPES)}; got "
            f"{json.dumps(header.get('dtype'))[:40]}"
        )
    init = header.get("init", None)
    if init is not None and init not in INITS:
        raise WeightFileError(
            f"'init' must be one of {', '.join(INITS)} or null; got {json.dumps(init)[:40]}"
        )
    seed = header.get("seed", None)
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise WeightFileError(f"'seed' must be a whole number or null; got {json.dumps(seed)[:40]}")
    for key, kind in (("normaliser", dict), ("config", dict), ("meta", dict), ("history", list)):
        value = header.get(key)
        if value is not None and not isinstance(value, kind):
            need = "an object" if kind is dict else "a list"
            raise WeightFileError(f"'{key}' must be {need} or null; got {_json_kind(value)}")
    history = header.get("history") or []
    for i, item in enumerate(history):
        if not isinstance(item, dict):
            raise WeightFileError(f"history entry {i} must be an object")
    return sizes


def _require_finite(arr: np.ndarray, what: str, saving: bool = False) -> None:
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        subject = f"{what} cannot be saved: it" if saving else what
        raise WeightFileError(
            f"{subject} contains {int(bad.sum())} value(s) that are not finite numbers "
            f"(the first, {arr[where]}, at index {where})"
        )


def _check_array(arr, shape: tuple[int, ...], dtype: str, what: str) -> np.ndarray:
    if not isinstance(arr, np.ndarray):
        raise WeightFileError(f"{what} is not an array")
    if arr.dtype != np.dtype(dtype):
        raise WeightFileError(f"{what} is stored as {arr.dtype} but the file says {dtype}")
    if arr.shape != tuple(shape):
        raise WeightFileError(
            f"{what} has shape {arr.shape} but the architecture says {tuple(shape)}"
        )
    _require_finite(arr, what)
    return arr


def _normaliser_from(plain: dict, sizes: list[int]):
    """Rebuild the Normaliser (which checks its own numbers) and match it to the network."""
    from .data import Normaliser

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
            f"outputs but the network {_arch(sizes)} has {sizes[0]} and {sizes[-1]}"
        )
    return normaliser


def _assemble(header: dict, weights, biases, fmt: str) -> WeightFile:
    sizes = header["sizes"]
    network = Network(
        sizes, activations=header["activations"], init="he", seed=0, dtype=header["dtype"]
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
    )
