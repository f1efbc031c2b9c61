"""How much memory a training run will need, estimated before anything is allocated.

A network of two million neurons in one layer, five million points trained all at once, or
a 2000 × 2000 grid: each is easy to type and each would, a while later, end in MemoryError
(or in the operating system killing the program). Counting the arrays a run will hold takes
microseconds, so nncore counts first and refuses clearly, naming the estimate and the limit.

What a run holds (bytes, `it` = 8 for float64 or 4 for float32, P = number of parameters):

- parameters: the weights and biases, P · it, and two snapshots of them (the weights an
  epoch started from, and the last sound ones, kept to undo a divergence): 3 · P · it;
- gradients: one P · it buffer per set of pass buffers (see below);
- optimiser state: Adam keeps two running averages (2 · P · it), momentum a velocity
  (P · it), plain gradient descent nothing; each also has one P · it scratch buffer;
- activations and errors: every layer of k neurons keeps, for every row of a batch, its
  weighted sum z, its output a and its error signal (3 · it · k bytes) and two one-byte
  flags (ReLU's "was it active" and "did it ever fire"): the widest layer dominates. A full
  batch is the whole training set; mini-batches need a second, smaller set of buffers for
  the last, shorter batch;
- evaluation: the validation data (and, when a target R² is checked, the training data)
  pass through the network in chunks of at most `EVAL_CHUNK_ROWS` rows, with their own
  buffers;
- pass buffers: each set of buffers also holds a few runs of `BLOCK_ELEMENTS` values a layer
  (tiled biases, a row of zeros) that the fast kernels work in;
- data: the points as given and as split into training and validation (2 · 8 bytes a
  value), the normalised copy in the run's dtype and, for mini-batches, a shuffled copy.

Measured with tracemalloc (tests/nncore/test_memory.py), the estimate is within a factor
of two of the peak a real run allocates.

The limit is the smaller of `DEFAULT_LIMIT` (4 GB) and half the memory the machine has
available when the run is set up (Linux: MemAvailable in /proc/meminfo and the container's
cgroup limit; elsewhere os.sysconf; 4 GB when neither can be read). The environment variable
NNCORE_MEMORY_LIMIT sets it instead, e.g. "2G", "512M", "1.5GB" or a number of bytes (units
are powers of 1000; "GiB", "MiB" are powers of 1024): small in tests, large on big machines.
Estimates up to `ALWAYS_ALLOWED` (50 MB, less than Python and NumPy themselves take) are
never refused, so the recipes and small runs work whatever the variable says.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field

from .errors import SettingsError
from .safetext import shown

__all__ = [
    "ALWAYS_ALLOWED",
    "BLOCK_ELEMENTS",
    "DEFAULT_LIMIT",
    "EVAL_CHUNK_ROWS",
    "LIMIT_VARIABLE",
    "MemoryEstimate",
    "estimate_data",
    "estimate_prediction",
    "estimate_training",
    "format_bytes",
    "memory_limit",
    "parse_size",
    "require_fits",
]

DEFAULT_LIMIT = 4_000_000_000  # 4 GB: the most a run takes unless NNCORE_MEMORY_LIMIT says
LIMIT_VARIABLE = "NNCORE_MEMORY_LIMIT"
ALWAYS_ALLOWED = 50_000_000  # 50 MB: never refused (nor is the limit read for it)
EVAL_CHUNK_ROWS = 65_536  # evaluation and prediction pass the data in chunks of this many rows
BLOCK_ELEMENTS = 8192  # nncore.kernels.Workspace.BLOCK: the kernels' runs of values
_ITEMSIZE = {"float64": 8, "float32": 4}
# Per parameter, in units of P · it: the state each optimiser keeps plus its scratch buffer.
_OPTIMISER_COPIES = {"gd": 1, "sgd": 1, "momentum": 2, "adam": 3}
_DATA_ITEMSIZE = 8  # datasets are float64 whatever the run computes in
# Computing the targets of n points needs the inputs, the targets and a few working arrays of
# n values (the formula's intermediate results, the finiteness check): measured peaks stay
# below 12 arrays of n float64 for the built-in functions and the grid's mesh.
_DATA_WORKING_ARRAYS = 6


@dataclass(frozen=True)
class MemoryEstimate:
    """An estimate in bytes: `parts` maps what the memory is for to its bytes, `total` adds
    them; `rows` is the number of rows one training pass holds (for the message)."""

    parts: dict[str, int] = field(default_factory=dict)
    rows: int = 0

    @property
    def total(self) -> int:
        return sum(self.parts.values())

    def describe(self, largest: int = 3) -> str:
        """The total and its largest parts, e.g. "12.3 GB (activations and errors 12.1 GB,
        data 160 MB, parameters 9.6 MB)"."""
        ranked = sorted(self.parts.items(), key=lambda kv: kv[1], reverse=True)
        shown_parts = ", ".join(f"{name} {format_bytes(b)}" for name, b in ranked[:largest] if b)
        return f"{format_bytes(self.total)} ({shown_parts})" if shown_parts else "nothing"


def format_bytes(n: float) -> str:
    """Bytes for people, in powers of 1000: 512 bytes, 9.6 MB, 12.3 GB, 1.2 TB."""
    if not math.isfinite(n) or n < 1000:
        return f"{n:,.0f} bytes" if math.isfinite(n) else "an unknown amount"
    for unit in ("kB", "MB", "GB", "TB", "PB"):
        n /= 1000
        if n < 999.95 or unit == "PB":
            return f"{n:.1f} {unit}" if n < 100 else f"{n:,.0f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


# ---- the estimates --------------------------------------------------------------------------


def _sizes(sizes) -> tuple[int, ...]:
    return tuple(int(s) for s in sizes)


def _row_bytes(sizes: tuple[int, ...], it: int, flags: int) -> int:
    """Bytes one row of a batch holds across the layers: z, a, error (it each) + flags."""
    return sum((3 * it + flags) * k for k in sizes[1:])


def estimate_training(
    sizes,
    n_train: int,
    n_val: int = 0,
    batch_size: int | None = None,
    optimizer: str = "sgd",
    dtype: str = "float64",
) -> MemoryEstimate:
    """The memory a run of `sizes` (inputs first) on `n_train` training and `n_val`
    validation rows needs, as described at the top of this module. With `n_train` 0 (the
    data are not known yet) a full batch counts no rows and a mini-batch `batch_size` rows.
    Sizes are plain counts; nothing is checked or allocated here."""
    sizes = _sizes(sizes)
    it = _ITEMSIZE.get(str(dtype), 8)
    n_train, n_val = max(int(n_train), 0), max(int(n_val), 0)
    P = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    # Rows of a training pass: the whole set, or one batch and the last, shorter one.
    if batch_size is None:
        batch, rest = n_train, 0
    elif n_train == 0:
        batch, rest = int(batch_size), 0
    else:
        batch = min(int(batch_size), n_train)
        rest = n_train % batch
    train_rows = batch + rest
    # Evaluation passes (chunks): validation every epoch, training when a target is checked
    # (a full batch that fits in one chunk reuses the training buffers).
    eval_rows = min(n_val, EVAL_CHUNK_ROWS)
    train_chunk = min(n_train, EVAL_CHUNK_ROWS)
    if train_chunk and train_chunk != batch:
        eval_rows += train_chunk
    buffer_sets = sum(1 for rows in (batch, rest, min(n_val, EVAL_CHUNK_ROWS)) if rows)
    buffer_sets += 1 if train_chunk and train_chunk != batch else 0
    values = sizes[0] + sizes[-1]  # inputs and targets of one row
    data_rows = n_train + n_val
    data = data_rows * values * (2 * _DATA_ITEMSIZE + it)
    if batch_size is not None and batch < n_train:
        data += n_train * values * it  # the shuffled copy
    parts = {
        "activations and errors": train_rows * _row_bytes(sizes, it, flags=2),
        "evaluation": eval_rows * _row_bytes(sizes, it, flags=1),
        "parameters": 3 * P * it,
        "gradients": max(buffer_sets, 1) * P * it,
        "optimiser state": _OPTIMISER_COPIES.get(str(optimizer), 1) * P * it,
        "pass buffers": max(buffer_sets, 1) * (len(sizes) - 1) * 2 * BLOCK_ELEMENTS * it,
        "data": data,
    }
    return MemoryEstimate(parts, rows=train_rows)


def estimate_data(n_points: int, n_inputs: int = 2, n_outputs: int = 1) -> MemoryEstimate:
    """The memory making a dataset of `n_points` points from a function needs (the points
    and the working arrays the targets are computed in), before any training."""
    n = max(int(n_points), 0)
    parts = {
        "the points": n * (n_inputs + n_outputs) * _DATA_ITEMSIZE,
        "working arrays": n * _DATA_WORKING_ARRAYS * _DATA_ITEMSIZE,
    }
    return MemoryEstimate(parts, rows=n)


def estimate_prediction(sizes, n_rows: int, dtype: str = "float64") -> MemoryEstimate:
    """The memory predicting `n_rows` rows with a network of `sizes` needs, the rows passed
    through it in chunks of at most `EVAL_CHUNK_ROWS` (each layer's z and a for a chunk,
    the network, the inputs and the predictions)."""
    sizes = _sizes(sizes)
    it = _ITEMSIZE.get(str(dtype), 8)
    n = max(int(n_rows), 0)
    P = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    parts = {
        "evaluation": min(n, EVAL_CHUNK_ROWS) * sum(2 * it * k for k in sizes[1:]),
        "parameters": P * it,
        "data": n * (sizes[0] + sizes[-1]) * 2 * _DATA_ITEMSIZE,
    }
    return MemoryEstimate(parts, rows=min(n, EVAL_CHUNK_ROWS))


# ---- the limit ------------------------------------------------------------------------------

_UNITS = {
    "": 1,
    "b": 1,
    "k": 10**3,
    "kb": 10**3,
    "m": 10**6,
    "mb": 10**6,
    "g": 10**9,
    "gb": 10**9,
    "t": 10**12,
    "tb": 10**12,
    "ki": 2**10,
    "kib": 2**10,
    "mi": 2**20,
    "mib": 2**20,
    "gi": 2**30,
    "gib": 2**30,
    "ti": 2**40,
    "tib": 2**40,
}
_SIZE_TEXT = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*", re.IGNORECASE)


def parse_size(text: str, what: str = LIMIT_VARIABLE) -> int:
    """Bytes from text like "2G", "512 MB", "1.5GiB" or "4000000000" (SettingsError if not)."""
    match = _SIZE_TEXT.fullmatch(text[:40])
    unit = match.group(2).lower() if match else None
    if match is None or unit not in _UNITS or len(text) > 40:
        raise SettingsError(f"{what} is {shown(text)}, not a memory size like 2G, 512M or 1.5GB")
    size = float(match.group(1)) * _UNITS[unit]
    if not (1 <= size < 1e18):
        raise SettingsError(f"{what} is {shown(text)}; give a size above 0, like 2G or 512M")
    return int(size)


def _available_bytes() -> int | None:
    """Memory available now: MemAvailable, capped by a cgroup (container) limit; None if
    neither /proc nor os.sysconf can say."""
    available = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        available = None
    if available is None:
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, OSError, ValueError):
            available = None
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as fh:
            cap = fh.read(64).strip()
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as fh:
            used = int(fh.read(64).strip())
        if cap.isdigit():
            free_in_group = max(int(cap) - used, 0)
            available = free_in_group if available is None else min(available, free_in_group)
    except (OSError, ValueError):
        pass
    return available if available is None or available > 0 else None


def memory_limit() -> tuple[int, str]:
    """(bytes a run may take, how that number was chosen, in words)."""
    text = os.environ.get(LIMIT_VARIABLE)
    if text is not None and text.strip():
        return parse_size(text), f"set by {LIMIT_VARIABLE}={shown(text.strip(), 20)}"
    available = _available_bytes()
    if available is None:
        return DEFAULT_LIMIT, f"the default; set {LIMIT_VARIABLE} to change it"
    if available // 2 < DEFAULT_LIMIT:
        return available // 2, (
            f"half the {format_bytes(available)} available now; set {LIMIT_VARIABLE} to change it"
        )
    return DEFAULT_LIMIT, f"the default; set {LIMIT_VARIABLE} to change it"


def _advice(estimate: MemoryEstimate) -> str:
    """What would shrink the largest part."""
    largest = max(estimate.parts, key=lambda k: estimate.parts[k], default="")
    if largest == "activations and errors":
        return "; smaller mini-batches, fewer points or narrower layers need less"
    if largest in ("parameters", "gradients", "optimiser state"):
        return "; fewer or narrower layers need less"
    if largest == "evaluation":
        return "; fewer points or narrower layers need less"
    if largest in ("data", "the points", "working arrays"):
        return "; fewer points need less"
    return ""


def require_fits(estimate: MemoryEstimate, what: str) -> None:
    """Raise SettingsError when `estimate` exceeds the limit, e.g. "this run needs about
    12.3 GB (activations and errors 12.1 GB, ...), more than the 4.0 GB this machine allows
    (the default; set NNCORE_MEMORY_LIMIT to change it); smaller mini-batches ... need less"."""
    if estimate.total <= ALWAYS_ALLOWED:
        return
    limit, why = memory_limit()
    if estimate.total <= limit:
        return
    raise SettingsError(
        f"{what} needs about {estimate.describe()}, more than the {format_bytes(limit)} "
        f"this machine allows ({why}){_advice(estimate)}"
    )
