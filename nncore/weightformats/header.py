"""The description every weights file carries, and the checks it must pass when read.

Whatever the format, a weights file describes its model the same way: a format marker and
version, the layer sizes, the activations, the dtype, how the weights were first drawn, the
normaliser's statistics, the training recipe, the loss history and free-form meta. This
module builds that description from a network when saving (`header_for`) and, when loading,
checks every part of it as untrusted input (`check_header`, `check_keys`, `check_array`),
within limits far beyond any model nn-tutor trains but small enough that a hostile file
cannot make us allocate gigabytes. Anything wrong raises `WeightFileError` (an
`nncore.errors.NNCoreError` and a ValueError) saying exactly what and where.
"""

from __future__ import annotations

import json

import numpy as np

from ..activations import ACTIVATIONS
from ..errors import WeightFileError
from ..network import DTYPES, INITS, Network

__all__ = [
    "FORMAT_MARKER",
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "MAX_PARAMETERS",
    "MAX_LAYERS",
    "HEADER_KEYS",
    "header_for",
    "parse_json_text",
    "check_header",
    "check_keys",
    "check_array",
    "require_finite",
    "architecture_text",
]

FORMAT_MARKER = "nn-tutor-weights"
FORMAT_VERSION = 1

# Sanity limits for files from elsewhere: far beyond any model this program trains, small
# enough that a hostile header cannot make us allocate gigabytes.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_PARAMETERS = 10_000_000
MAX_LAYERS = 1_000

# The description every format carries (the .json file adds "layers").
HEADER_KEYS = (
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


# ---- saving: the description of a network ----------------------------------------------
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


def header_for(network: Network, normaliser, config, history, meta) -> dict:
    """The description of `network` that every format writes, as plain JSON-able data.

    `normaliser`, `config` and each `history` item may have `to_dict()` or be dicts;
    `meta` is a dict. TypeError when `network` is not a Network.
    """
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


# ---- loading: checking a description read from a file ----------------------------------
def parse_json_text(raw: bytes | str, what: str):
    """JSON text read from a file, parsed; WeightFileError naming `what` when it is not."""
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


def architecture_text(sizes) -> str:
    """The sizes as people write an architecture, e.g. "2-64-1"."""
    return "-".join(str(s) for s in sizes)


def check_keys(found: set, expected: set) -> None:
    """The array names in a file must be exactly those the architecture needs."""
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


def check_header(header) -> list[int]:
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
            f"the architecture {architecture_text(sizes)[:80]} declares {n_params:,} "
            f"parameters, more than the {MAX_PARAMETERS:,} accepted"
        )
    acts = header.get("activations")
    if not isinstance(acts, list) or not all(isinstance(a, str) for a in acts):
        raise WeightFileError("'activations' must be a list of names like \"relu\"")
    if len(acts) != len(sizes) - 1:
        raise WeightFileError(
            f"the architecture {architecture_text(sizes)} has {len(sizes) - 1} layers "
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


def require_finite(arr: np.ndarray, what: str, saving: bool = False) -> None:
    """WeightFileError naming the first NaN or inf in `arr`, if it holds one."""
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        subject = f"{what} cannot be saved: it" if saving else what
        raise WeightFileError(
            f"{subject} contains {int(bad.sum())} value(s) that are not finite numbers "
            f"(the first, {arr[where]}, at index {where})"
        )


def check_array(arr, shape: tuple[int, ...], dtype: str, what: str) -> np.ndarray:
    """`arr` itself, once it is an array of exactly `dtype` and `shape`, all finite."""
    if not isinstance(arr, np.ndarray):
        raise WeightFileError(f"{what} is not an array")
    if arr.dtype != np.dtype(dtype):
        raise WeightFileError(f"{what} is stored as {arr.dtype} but the file says {dtype}")
    if arr.shape != tuple(shape):
        raise WeightFileError(
            f"{what} has shape {arr.shape} but the architecture says {tuple(shape)}"
        )
    require_finite(arr, what)
    return arr
