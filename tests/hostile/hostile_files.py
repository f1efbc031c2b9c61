"""Hostile files, built at test time: valid weight files rewritten, bombs, and traps.

Everything here writes to a path the caller gives (a pytest tmp_path) and returns it. The
valid starting point is a real file written by `nncore.save`; the attacks rewrite its parts
the way a student with a hex editor would: the .npz's JSON header entry, the .json text,
the .safetensors header and metadata. Bombs are written in chunks, so building them never
needs the memory they ask the reader for.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

FORMATS = (".npz", ".json", ".safetensors")
_CHUNK = 1 << 20


def small_network():
    from nncore import Network

    return Network((2, 3, 1), seed=0)  # 13 parameters


def save_valid(path: Path, meta: dict | None = None, config: dict | None = None) -> Path:
    """A genuine weights file of a 2-3-1 network (format from the extension)."""
    from nncore import save

    save(path, small_network(), meta=meta, config=config)
    return path


# ---- .npz ----------------------------------------------------------------------------------
def npy_header(dtype: str, shape: tuple[int, ...]) -> bytes:
    """A .npy version 1.0 header for an array of `dtype` and `shape` (data follows it)."""
    text = f"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shape!r}, }}"
    pad = 64 - (10 + len(text) + 1) % 64
    body = (text + " " * pad + "\n").encode("latin-1")
    return b"\x93NUMPY\x01\x00" + len(body).to_bytes(2, "little") + body


def npz_entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_npz(path: Path, entries: dict[str, bytes], compress: bool = False) -> Path:
    kind = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", kind) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def npz_with_header_text(path: Path, text: bytes, like: Path) -> Path:
    """The .npz `like` with its JSON header entry replaced by `text`."""
    entries = npz_entries(like)
    entries["header.npy"] = npy_header("|u1", (len(text),)) + text
    return write_npz(path, entries)


def npz_header_bomb(path: Path, inflated: int, like: Path) -> Path:
    """An .npz whose deflated header entry inflates to `inflated` bytes of JSON (a valid
    header whose meta holds one enormous string), a few hundred KB on disk."""
    original = json.loads(npz_entries(like)["header.npy"].split(b"\n", 1)[1])
    head, tail = json.dumps({**original, "meta": {"pad": ""}}).encode().split(b'"pad": ""')
    head += b'"pad": "'
    tail = b'"' + tail
    body = inflated - len(head) - len(tail)
    entries = npz_entries(like)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("header.npy", "w", force_zip64=True) as fh:
            fh.write(npy_header("|u1", (inflated,)) + head)
            block = b"a" * _CHUNK
            for _ in range(body // _CHUNK):
                fh.write(block)
            fh.write(b"a" * (body % _CHUNK) + tail)
        for name, data in entries.items():
            if name != "header.npy":
                archive.writestr(name, data)
    return path


def npz_many_entries(path: Path, count: int, like: Path) -> Path:
    """The .npz `like` plus `count` tiny extra entries named like layers (weights_K.npy)."""
    entries = npz_entries(like)
    tiny = npy_header("<f8", (1, 1)) + np.zeros(1).tobytes()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for k in range(count):
            archive.writestr(f"weights_{k + 2}.npy", tiny)
    return path


# ---- .json ---------------------------------------------------------------------------------
def json_with(path: Path, edit: Callable[[dict], None], like: Path, raw: dict | None = None):
    """The .json file `like`, parsed, changed by `edit(doc)` and written back; every string
    value "@@KEY@@" in the result is then replaced by the raw JSON text `raw[KEY]` (how
    texts Python's json cannot produce, like 5,000-digit numbers or deep nesting, get in)."""
    doc = json.loads(Path(like).read_text())
    edit(doc)
    text = json.dumps(doc)
    for key, value in (raw or {}).items():
        text = text.replace(f'"@@{key}@@"', value)
    Path(path).write_text(text)
    return path


def json_filler(path: Path, total: int, unit: bytes, like: Path) -> Path:
    """A .json weights file whose meta holds one list of `unit` repeated to ~`total` bytes
    (e.g. unit b"[]," for tens of MB of empty lists), written in chunks."""
    doc = json.loads(Path(like).read_text())
    head, tail = json.dumps({**doc, "meta": {"pad": "@@PAD@@"}}).split('"@@PAD@@"')
    repeat = max(1, _CHUNK // len(unit))
    block = unit * repeat
    with open(path, "wb") as fh:
        fh.write(head.encode() + b"[")
        written = 0
        while written < total:
            fh.write(block)
            written += len(block)
        fh.write(b"0]" + tail.encode())
    return path


def json_deep(path: Path, depth: int) -> Path:
    """A .json file that opens `depth` lists before anything else."""
    with open(path, "wb") as fh:
        fh.write(b'{"format": "nn-tutor-weights", "meta": ' + b"[" * depth + b"]" * depth + b"}")
    return path


# ---- .safetensors --------------------------------------------------------------------------
def safetensors_parts(path: Path) -> tuple[dict, bytes]:
    data = Path(path).read_bytes()
    length = int.from_bytes(data[:8], "little")
    return json.loads(data[8 : 8 + length]), data[8 + length :]


def write_safetensors(path: Path, header_text: bytes, payload: bytes) -> Path:
    pad = (8 - len(header_text) % 8) % 8
    header_text += b" " * pad
    Path(path).write_bytes(len(header_text).to_bytes(8, "little") + header_text + payload)
    return path


def safetensors_with_metadata(path: Path, like: Path, **entries: str) -> Path:
    """The .safetensors file `like` with metadata entries set to the given texts."""
    header, payload = safetensors_parts(like)
    header["__metadata__"].update(entries)
    return write_safetensors(path, json.dumps(header).encode(), payload)


def safetensors_with_raw(path: Path, like: Path, key: str, raw: str) -> Path:
    """The .safetensors file `like` whose header JSON gains a top-level `key` whose value is
    the raw JSON text `raw` (outside the metadata, where the format puts tensors)."""
    header, payload = safetensors_parts(like)
    header[key] = "@@RAW@@"
    text = json.dumps(header).replace('"@@RAW@@"', raw)
    return write_safetensors(path, text.encode(), payload)


# ---- traps that are not regular files ------------------------------------------------------
def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def symlink_to(path: Path, target: str) -> Path:
    os.symlink(target, path)
    return path


def many_rows_csv(path: Path, rows: int, row: bytes = b"1,2,3\n", last: bytes = b"") -> Path:
    """A CSV of a header and `rows` copies of `row` (then `last`), written fast in blocks."""
    repeat = max(1, _CHUNK // len(row))
    with open(path, "wb") as fh:
        fh.write(b"x,y,target\n")
        left = rows
        block = row * repeat
        while left >= repeat:
            fh.write(block)
            left -= repeat
        fh.write(row * left + last)
    return path
