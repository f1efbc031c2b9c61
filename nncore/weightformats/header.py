"""The description every weights file carries, and the checks it must pass when read.

Whatever the format, a weights file describes its model the same way: a format marker and
version, the layer sizes, the activations, the dtype, how the weights were first drawn, the
normaliser's statistics, the training recipe, the loss history and free-form meta. A
classifier's file (format version 2) also says its task ("classification"), its loss
("cross_entropy") and the names of its classes; a file without them (version 1, which
regression networks are still written as, byte for byte as before) is a regression network
learning the mean squared error, so every file written before classifiers existed still
loads exactly as it did, and an older nn-tutor refuses a classifier instead of misreading
it. Softmax, which has no parameters, is allowed on the output layer only. This
module builds that description from a network when saving (`header_for`) and, when loading,
checks every part of it as untrusted input (`check_header`, `check_keys`, `check_array`),
within limits far beyond any model nn-tutor trains but small enough that a hostile file
cannot make us allocate gigabytes. Anything wrong raises `WeightFileError` (an
`nncore.errors.NNCoreError` and a ValueError) saying exactly what and where.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import numpy as np

from ..activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, get_output_activation
from ..classification import default_class_names
from ..errors import SettingsError, WeightFileError
from ..losses import LOSSES
from ..network import DTYPES, INITS, Network, check_loss
from ..safetext import printable_part, shown

__all__ = [
    "FORMAT_MARKER",
    "FORMAT_VERSION",
    "REGRESSION_FORMAT_VERSION",
    "TASKS",
    "MAX_CLASSES",
    "MAX_CLASS_NAME_CHARS",
    "MAX_FILE_BYTES",
    "MAX_PARAMETERS",
    "MAX_LAYERS",
    "MAX_DESCRIPTION_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_INT_DIGITS",
    "JsonLimits",
    "DESCRIPTION_LIMITS",
    "quoted_value",
    "HEADER_KEYS",
    "header_for",
    "check_class_names",
    "parse_json_text",
    "check_header",
    "check_keys",
    "check_array",
    "require_finite",
    "architecture_text",
]

FORMAT_MARKER = "nn-tutor-weights"
FORMAT_VERSION = 2  # the newest version this program reads and writes (classifiers)
REGRESSION_FORMAT_VERSION = 1  # what a regression network is written as, unchanged since 1
TASKS = ("regression", "classification")

# A classifier's class names are outside text shown in menus, messages and the terminal:
# a bounded number of short, printable names (a name is a label such as "setosa").
MAX_CLASSES = 1_000
MAX_CLASS_NAME_CHARS = 100

# Sanity limits for files from elsewhere: far beyond any model this program trains, small
# enough that a hostile header cannot make us allocate gigabytes.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_PARAMETERS = 10_000_000
MAX_LAYERS = 1_000

# The description alone (the .npz 'header' entry, the .safetensors header): the layer sizes,
# the recipe, meta and the history, which at about 150 bytes an epoch holds some 400,000
# epochs in this much text.
MAX_DESCRIPTION_BYTES = 64 * 1024 * 1024
# Limits checked on JSON text before Python builds any object from it (`parse_json_text`).
# A weights file nests five deep (file, "layers", a layer, "weights", a row); meta and the
# recipe a little deeper. Each value costs Python 30 to 60 bytes, an empty list alone 56, so
# counting values and lists first keeps a hostile file from turning 60 MB of "[],[],..." into
# gigabytes: the limits are what the largest model and history need, not what the text holds.
MAX_JSON_DEPTH = 32
MAX_INT_DIGITS = 40  # whole numbers in a weights file are sizes, seeds and counts

# The description every format carries (the .json file adds "layers").
HEADER_KEYS = (
    "format",
    "format_version",
    "sizes",
    "activations",
    "task",  # from version 2 on, with "loss" and "classes"
    "loss",
    "classes",
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


def header_for(network: Network, normaliser, config, history, meta, classes=None) -> dict:
    """The description of `network` that every format writes, as plain JSON-able data.

    `normaliser`, `config` and each `history` item may have `to_dict()` or be dicts;
    `meta` is a dict; `classes` a classifier's class names (None: "class 0", "class 1",
    ...). A regression network gets the version-1 description it always had; a classifier
    a version-2 one with its task, loss and class names. TypeError when `network` is not a
    Network.
    """
    if not isinstance(network, Network):
        raise TypeError(f"expected a Network to save; got {type(network).__name__}")
    class_part = _class_part(network, classes)
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
        "format_version": FORMAT_VERSION if class_part else REGRESSION_FORMAT_VERSION,
        "sizes": list(network.sizes),
        "activations": list(network.activation_names),
        **class_part,
        "dtype": network.dtype.name,
        "init": network.init,
        "seed": network.seed,
        "normaliser": plain_norm,
        "config": plain_config,
        "history": history_items,
        "meta": plain_meta,
    }


def _class_part(network: Network, classes) -> dict:
    """A classifier's task, loss and class names ({} for a regression network)."""
    if not network.is_classifier:
        if classes is not None:
            raise WeightFileError(
                "class names are saved with a classifier (loss='cross_entropy'); this network "
                "is for regression"
            )
        return {}
    names = default_class_names(network.n_classes) if classes is None else classes
    if isinstance(names, str) or not hasattr(names, "__iter__"):
        raise WeightFileError(f"classes must be a list of names; got {type(names).__name__}")
    names = list(names)
    if not all(isinstance(name, str) for name in names):
        raise WeightFileError("every class name must be a text")
    check_class_names(names, network.n_classes)
    return {"task": "classification", "loss": network.loss_name, "classes": names}


def check_class_names(names: list, n_classes: int) -> None:
    """Class names, from a file or to be saved: n_classes distinct, short, printable texts."""
    if len(names) > MAX_CLASSES:
        raise WeightFileError(
            f"'classes' holds {len(names):,} names; at most {MAX_CLASSES:,} are accepted"
        )
    for i, name in enumerate(names):
        if not isinstance(name, str):
            raise WeightFileError(f"class name {i} is {_json_kind(name)}, not a text")
        if not name.strip() or len(name) > MAX_CLASS_NAME_CHARS:
            raise WeightFileError(
                f"class name {i} ({shown(name)}) must be 1 to {MAX_CLASS_NAME_CHARS} "
                f"characters, not blank; it has {len(name):,}"
            )
        if printable_part(name) != name:
            raise WeightFileError(
                f"class name {i} ({shown(name)}) holds control characters (line breaks, "
                "escapes); class names are plain text"
            )
    if len(set(names)) != len(names):
        twice = next(name for k, name in enumerate(names) if name in names[:k])
        raise WeightFileError(f"the class name {shown(twice)} is given twice")
    if len(names) != n_classes:
        raise WeightFileError(
            f"the network tells {n_classes} classes apart but {len(names)} class names are given"
        )


# ---- loading: checking a description read from a file ----------------------------------
class JsonLimits(NamedTuple):
    """How much JSON text may hold: values of any kind (numbers, texts, lists, ...) and,
    of those, lists and objects. Both are counted, as upper bounds, before parsing."""

    values: int
    containers: int


# The description: ten numbers an epoch for 500,000 epochs, one object an epoch.
DESCRIPTION_LIMITS = JsonLimits(values=5_000_000, containers=1_000_000)


def parse_json_text(raw: bytes | str, what: str, limits: JsonLimits = DESCRIPTION_LIMITS):
    """JSON text read from a file, parsed; WeightFileError naming `what` when it is not.

    Before anything is built, the text's shape is checked (`_check_json_shape`: its depth
    and how many values and lists it can hold at most, against `limits`); whole numbers of
    more than MAX_INT_DIGITS digits are refused while parsing, before Python converts them.
    """
    try:
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        _check_json_shape(data, what, limits)  # a WeightFileError of its own when refused
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(text, parse_int=_bounded_int)
    except UnicodeError as exc:  # also a str holding lone surrogates, which cannot be encoded
        where = f" (byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else ""
        raise WeightFileError(f"the {what} is not UTF-8 text{where}") from None
    except json.JSONDecodeError as exc:
        raise WeightFileError(
            f"the {what} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except _TooManyDigits as exc:
        raise WeightFileError(
            f"the {what} holds a whole number of {exc.digits:,} digits; numbers in a weights "
            f"file have at most {MAX_INT_DIGITS}"
        ) from None
    except RecursionError:
        raise WeightFileError(f"the {what} is nested too deeply to be a weights file") from None
    except WeightFileError:
        raise
    except (ValueError, OverflowError) as exc:  # anything else Python refuses to convert
        raise WeightFileError(
            f"the {what} holds a value Python cannot read ({shown(str(exc))})"
        ) from None


class _TooManyDigits(Exception):
    def __init__(self, digits: int):
        super().__init__(digits)
        self.digits = digits


def _bounded_int(text: str) -> int:
    """json's parse_int: a whole number, refused before conversion when absurdly long
    (Python itself refuses more than 4,300 digits, with a ValueError of its own)."""
    digits = len(text) - text.startswith("-")
    if digits > MAX_INT_DIGITS:
        raise _TooManyDigits(digits)
    return int(text)


_DEPTH_CHUNK = 1 << 20  # bytes scanned at a time for the nesting depth


def _check_json_shape(data: bytes, what: str, limits: JsonLimits) -> None:
    """Refuse JSON text that is nested too deeply or could hold too many values, cheaply.

    Counting happens on the bytes, at C speed, before any object exists: every list or
    object opens with '[' or '{', and every value but the first of its list or object
    follows a ',', so the counts of those bytes bound what the text can hold (texts that
    contain them only make the bound looser). The depth is then measured by `_max_depth`.
    """
    containers = data.count(b"[") + data.count(b"{")
    if containers > limits.containers:
        raise WeightFileError(
            f"the {what} holds up to {containers:,} lists and objects, more than the "
            f"{limits.containers:,} a weights file of this kind needs"
        )
    values = data.count(b",") + containers + 1
    if values > limits.values:
        raise WeightFileError(
            f"the {what} holds up to {values:,} values, more than the {limits.values:,} a "
            "weights file of this kind needs"
        )
    if containers > MAX_JSON_DEPTH and _max_depth(data) > MAX_JSON_DEPTH:
        raise WeightFileError(
            f"the {what} is nested too deeply to be a weights file (lists and objects more "
            f"than {MAX_JSON_DEPTH} deep)"
        )


_BRACKET_STEP = np.zeros(256, dtype=np.int8)  # +1 for '[' and '{', -1 for ']' and '}'
_BRACKET_STEP[[ord("["), ord("{")]] = 1
_BRACKET_STEP[[ord("]"), ord("}")]] = -1
_NOT_STRUCTURE = bytes(c for c in range(256) if c not in b'[]{}"')  # deleted by translate


def _max_depth(data: bytes) -> int:
    """How deeply the lists and objects of JSON text nest, brackets inside texts ignored.

    A '"' opens or closes a text unless an odd number of backslashes comes just before it;
    a bracket counts when an even number of real quotes precedes it. Done with NumPy a
    chunk at a time, carrying from chunk to chunk the depth, whether a text is open and
    how many backslashes ended the chunk, so memory stays a few MB whatever the size.
    """
    if b"\\" not in data:
        # No escapes, so every quote is real: keep only quotes and brackets (at C speed;
        # a weights file has few), which nest exactly as in the whole text.
        data = data.translate(None, _NOT_STRUCTURE)
    codes = np.frombuffer(data, dtype=np.uint8)  # (n,) a view, no copy
    depth = deepest = 0
    in_text = 0  # 1 while inside a text
    backslashes = 0  # the run of backslashes that ended the previous chunk
    for start in range(0, codes.size, _DEPTH_CHUNK):
        end = min(start + _DEPTH_CHUNK, codes.size)
        chunk = codes[start:end]  # (m,)
        steps = _BRACKET_STEP[chunk]  # (m,) +1, -1 or 0 for each byte
        at = np.flatnonzero(steps)  # (k,) where the brackets are
        if in_text or data.find(b'"', start, end) >= 0 or data.find(b"\\", start, end) >= 0:
            quote, backslash = chunk == ord('"'), chunk == ord("\\")
            index = np.arange(chunk.size, dtype=np.int64)  # (m,)
            # the last position at or before each i that is not a backslash (-1: none yet)
            last_plain = np.maximum.accumulate(np.where(backslash, -1, index))  # (m,)
            before = np.empty(chunk.size, dtype=np.int64)  # backslashes just before each i
            before[0] = backslashes
            run = index[:-1] - last_plain[:-1]  # run of backslashes ending at i - 1
            before[1:] = np.where(last_plain[:-1] < 0, index[:-1] + 1 + backslashes, run)
            real_quote = quote & (before % 2 == 0)  # (m,)
            inside = (in_text + np.cumsum(real_quote)) % 2 == 1  # (m,) within a text
            end_plain = int(last_plain[-1])
            backslashes = chunk.size - 1 - end_plain + (backslashes if end_plain < 0 else 0)
            in_text = int(inside[-1])
            at = at[~inside[at]]  # (k',) the brackets outside texts
        else:
            backslashes = 0
        if at.size:
            running = depth + np.cumsum(steps[at], dtype=np.int64)  # (k',)
            deepest = max(deepest, int(running.max()))
            depth = int(running[-1])
    return deepest


def quoted_value(value) -> str:
    """A value read from a file, shown briefly and safely in a message."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return f"an object with {len(value):,} keys"
    if isinstance(value, list) and len(value) > 8:
        text = json.dumps(value[:8], default=str)[:-1] + f", … ({len(value):,} items)]"
    else:
        text = json.dumps(value, default=str)
    return printable_part(text if len(text) <= 80 else text[:79] + "…")


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
                + ", ".join(shown(k) for k in missing[:6])
                + (" ..." if len(missing) > 6 else "")
            )
        if extra:
            parts.append(
                "unexpected "
                + ", ".join(shown(k) for k in extra[:6])
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
            f"{quoted_value(marker)}, expected {FORMAT_MARKER!r}"
        )
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise WeightFileError(
            f"'format_version' must be a positive whole number; got {quoted_value(version)}"
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
            f"(like [2, 64, 1]); got {quoted_value(sizes)}"
        )
    if len(sizes) - 1 > MAX_LAYERS:
        raise WeightFileError(
            f"'sizes' declares {len(sizes) - 1} layers; at most {MAX_LAYERS} are accepted"
        )
    if any(s < 1 for s in sizes):
        raise WeightFileError(f"every layer size must be at least 1; got {quoted_value(sizes)}")
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
    for k, name in enumerate(acts[:-1]):
        if name in OUTPUT_ACTIVATIONS:
            raise WeightFileError(
                f"layer {k}'s activation is {shown(name)}, which only the output layer may "
                f"have (it is not elementwise); hidden layers use {', '.join(ACTIVATIONS)}"
            )
        if name not in ACTIVATIONS:
            raise WeightFileError(
                f"layer {k}'s activation {shown(name)} is unknown; known: {', '.join(ACTIVATIONS)}"
            )
    if acts[-1] not in ACTIVATIONS and acts[-1] not in OUTPUT_ACTIVATIONS:
        known = ", ".join([*ACTIVATIONS, *OUTPUT_ACTIVATIONS])
        raise WeightFileError(
            f"the output layer's activation {shown(acts[-1])} is unknown; known: {known}"
        )
    _check_task(header, version, sizes)
    if header.get("dtype") not in DTYPES:
        raise WeightFileError(
            f"'dtype' must be one of {', '.join(DTYPES)}; got {quoted_value(header.get('dtype'))}"
        )
    init = header.get("init", None)
    if init is not None and init not in INITS:
        raise WeightFileError(
            f"'init' must be one of {', '.join(INITS)} or null; got {quoted_value(init)}"
        )
    seed = header.get("seed", None)
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise WeightFileError(f"'seed' must be a whole number or null; got {quoted_value(seed)}")
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


def _check_task(header: dict, version: int, sizes: list[int]) -> None:
    """The task, loss and class names (version 2), or their version-1 meaning (regression
    with the mean squared error); filled into `header` for whoever assembles the network."""
    if version < 2:  # written before classifiers: whatever else the file holds
        header.update(task="regression", loss="mse", classes=None)
    for key in ("task", "loss"):
        if key not in header:
            raise WeightFileError(f"a format version {version} file must say its {key!r}")
    task, loss, classes = header["task"], header["loss"], header.get("classes")
    if task not in TASKS:
        raise WeightFileError(f"'task' must be one of {', '.join(TASKS)}; got {quoted_value(task)}")
    if loss not in LOSSES:
        raise WeightFileError(
            f"'loss' must be one of {', '.join(LOSSES)}; got {quoted_value(loss)}"
        )
    if (task == "classification") != (loss == "cross_entropy"):
        raise WeightFileError(
            f"a {task} file cannot learn with the loss {shown(loss)} (classification goes "
            "with cross_entropy, regression with mse)"
        )
    try:
        check_loss(loss, get_output_activation(header["activations"][-1]), sizes[-1])
    except SettingsError as exc:
        raise WeightFileError(f"the output layer does not fit the loss: {exc}") from None
    if task == "regression":
        if classes is not None:
            raise WeightFileError("'classes' must be null for a regression network")
        return
    if not isinstance(classes, list):
        raise WeightFileError(f"'classes' must be a list of names; got {_json_kind(classes)}")
    check_class_names(classes, 2 if sizes[-1] == 1 else sizes[-1])


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
