"""The .npz format: NumPy's zip of arrays, with the description as JSON text in a byte array.

Layer k's weights are the entry "weights_k", shape (fan_in, fan_out), and its biases
"biases_k", shape (1, fan_out); the entry "header" holds the description (see
`nncore.weightformats.header`) as UTF-8 JSON in a uint8 array. Reading never rebuilds a
Python object (`allow_pickle=False`), and every entry's declared dtype and shape is checked
before NumPy allocates anything, so a hostile archive cannot ask for gigabytes.
"""

from __future__ import annotations

import io
import json
import math
import zipfile

import numpy as np

from ..errors import WeightFileError
from ..network import Network
from .header import MAX_FILE_BYTES, check_array, check_header, check_keys, parse_json_text

__all__ = ["EXTENSION", "looks_like", "write", "read"]

EXTENSION = ".npz"


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


def _scan(data: bytes) -> None:
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


def read(data: bytes) -> tuple[dict, list[np.ndarray], list[np.ndarray]]:
    """(description, weights, biases) from the bytes of an .npz file, all checked."""
    _scan(data)
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
