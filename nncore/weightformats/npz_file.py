"""The .npz format: NumPy's zip of arrays, with the description as JSON text in a byte array.

Layer k's weights are the entry "weights_k", shape (fan_in, fan_out), and its biases
"biases_k", shape (1, fan_out); the entry "header" holds the description (see
`nncore.weightformats.header`) as UTF-8 JSON in a uint8 array. Reading never rebuilds a
Python object (`allow_pickle=False`), and a zip archive is bounded in three steps before
anything is inflated or allocated, so a hostile archive cannot ask for gigabytes or minutes:

1. the entries are counted on the raw bytes (each entry of a zip's central directory starts
   with the signature PK\\1\\2), so an archive of 60,000 tiny entries is refused before
   zipfile lists them;
2. every entry's declared uncompressed size, and their total, is checked against what the
   largest model needs (the description has its own, smaller limit), so a zip bomb whose
   header inflates to 250 MB is refused without inflating a byte of it;
3. every entry's .npy header (dtype and shape) is read and checked against the entry's
   declared size, and an entry is then read through zipfile, which never yields more than
   the declared size (an entry that lies about it fails its CRC check and is refused).
"""

from __future__ import annotations

import io
import json
import math
import zipfile

import numpy as np

from ..errors import WeightFileError
from ..network import Network
from ..safetext import shown
from .header import (
    MAX_DESCRIPTION_BYTES,
    MAX_LAYERS,
    MAX_PARAMETERS,
    check_array,
    check_header,
    check_keys,
    parse_json_text,
)

__all__ = ["EXTENSION", "looks_like", "write", "read", "MAX_ENTRIES"]

EXTENSION = ".npz"

MAX_ENTRIES = 2 * MAX_LAYERS + 1  # weights and biases of each layer, and the header
_NPY_HEADER_BYTES = 64 * 1024  # room for the .npy header at the start of each entry
# Uncompressed, all entries together: every parameter as a float64, the description, and
# each entry's .npy header.
MAX_UNPACKED_BYTES = MAX_PARAMETERS * 8 + MAX_DESCRIPTION_BYTES + MAX_ENTRIES * _NPY_HEADER_BYTES
_CENTRAL_ENTRY_SIGNATURE = b"PK\x01\x02"


def looks_like(data: bytes) -> bool:
    """Whether the bytes start like a zip archive (which an .npz file is)."""
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def write(tmp: str, header: dict, network: Network) -> None:
    """Write the description and the arrays to the file `tmp`."""
    text = json.dumps(header, ensure_ascii=False)
    arrays = {"header": np.frombuffer(text.encode("utf-8"), dtype=np.uint8)}
    for k, (w, b) in enumerate(zip(network.weights, network.biases)):
        arrays[f"weights_{k}"] = np.ascontiguousarray(w)  # (fan_in, fan_out)
        arrays[f"biases_{k}"] = np.ascontiguousarray(b)  # (1, fan_out)
    with open(tmp, "wb") as fh:
        np.savez(fh, allow_pickle=False, **arrays)


def _entry(name: str) -> str:
    """An entry's array name, quoted for a message."""
    return shown(name[:-4] if name.endswith(".npy") else name)


def _open_archive(data: bytes) -> zipfile.ZipFile:
    """The zip archive in `data`, once it cannot hold more entries than a weights file."""
    # Every entry zipfile lists starts with this signature, at its own place in the bytes,
    # so counting the signature (at C speed, without parsing) bounds the entries from above.
    signatures = data.count(_CENTRAL_ENTRY_SIGNATURE)
    if signatures > MAX_ENTRIES:
        raise WeightFileError(
            f"the .npz archive holds up to {signatures:,} entries; a weights file has at most "
            f"{MAX_ENTRIES:,} (two for each of at most {MAX_LAYERS:,} layers, and the header)"
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    # A damaged archive can make zipfile raise almost anything (BadZipFile, EOFError,
    # NotImplementedError for a garbled version field, ...): all mean "not readable".
    except Exception as exc:
        raise WeightFileError(
            f"the .npz archive is damaged or truncated ({shown(str(exc))})"
        ) from None


def _check_declared_sizes(archive: zipfile.ZipFile) -> None:
    """Each entry's name and declared uncompressed size, and their total, before inflating."""
    total = 0
    for info in archive.infolist():
        name = info.filename
        if not name.endswith(".npy"):
            raise WeightFileError(f"the .npz archive holds an unexpected entry {shown(name)}")
        limit = MAX_DESCRIPTION_BYTES if name == "header.npy" else MAX_PARAMETERS * 8
        if info.file_size > limit + _NPY_HEADER_BYTES:
            raise WeightFileError(
                f"entry {_entry(name)} of the .npz archive declares {info.file_size:,} bytes "
                f"unpacked, more than the {limit:,} it may hold"
            )
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise WeightFileError(
                f"the .npz archive unpacks to more than {MAX_UNPACKED_BYTES:,} bytes, more "
                "than a weights file may hold"
            )


def _array_header(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[tuple, np.dtype]:
    """An entry's declared (shape, dtype), read from the start of its .npy data."""
    name = info.filename
    try:
        with archive.open(info) as fh:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
            elif version == (2, 0):
                shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
            else:
                raise WeightFileError(
                    f"entry {_entry(name)} uses .npy version {version}, not 1.0 or 2.0"
                )
    except WeightFileError:
        raise
    # zipfile and NumPy's header reader raise many kinds of errors on damaged input.
    except Exception as exc:
        raise WeightFileError(
            f"entry {_entry(name)} of the .npz archive is damaged ({shown(str(exc))})"
        ) from None
    if dtype.hasobject:
        raise WeightFileError(
            f"entry {_entry(name)} holds Python objects (pickled data); weights files "
            "contain numbers only, and pickled data is never loaded"
        )
    if math.prod(shape) * dtype.itemsize > info.file_size:
        raise WeightFileError(
            f"entry {_entry(name)} declares shape {tuple(shape)} but holds only "
            f"{info.file_size:,} bytes"
        )
    return shape, dtype


def _read_arrays(data: bytes) -> dict[str, np.ndarray]:
    """Every entry of the archive as an array, each bounded before it is read."""
    with _open_archive(data) as archive:
        _check_declared_sizes(archive)
        infos = archive.infolist()
        for info in infos:
            _array_header(archive, info)
        arrays = {}
        for info in infos:
            try:
                with archive.open(info) as fh:  # yields at most the declared size
                    arrays[info.filename[:-4]] = np.lib.format.read_array(fh, allow_pickle=False)
            except Exception as exc:
                raise WeightFileError(
                    f"entry {_entry(info.filename)} of the .npz archive could not be read "
                    f"({shown(str(exc))})"
                ) from None
    return arrays


def read(data: bytes) -> tuple[dict, list[np.ndarray], list[np.ndarray]]:
    """(description, weights, biases) from the bytes of an .npz file, all checked."""
    arrays = _read_arrays(data)
    raw_header = arrays.pop("header", None)
    if raw_header is None:
        raise WeightFileError("the .npz archive has no 'header' entry describing the model")
    if raw_header.dtype != np.uint8 or raw_header.ndim != 1:
        raise WeightFileError("the .npz 'header' entry must be a 1-D uint8 array of JSON text")
    header = parse_json_text(raw_header.tobytes(), "header of the .npz archive")
    sizes = check_header(header)
    expected = {f"{kind}_{k}" for k in range(len(sizes) - 1) for kind in ("weights", "biases")}
    check_keys(set(arrays), expected)
    weights, biases = [], []
    for k in range(len(sizes) - 1):
        weights.append(
            check_array(
                arrays[f"weights_{k}"],
                (sizes[k], sizes[k + 1]),
                header["dtype"],
                f"layer {k} weight",
            )
        )
        biases.append(
            check_array(
                arrays[f"biases_{k}"], (1, sizes[k + 1]), header["dtype"], f"layer {k} bias"
            )
        )
    return header, weights, biases
