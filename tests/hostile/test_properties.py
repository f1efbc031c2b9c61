"""Property-based attacks: mutated weight files, generated formulas, generated CSV texts.

The property is the same everywhere: the input is accepted (and what comes out is sound:
finite arrays of the declared shapes) or refused with the project's own error for that
kind of input (WeightFileError, FormulaError, DataError). Never anything else. The inputs
are small (a few KB), so these run in the test process; `max_examples` is kept small and
`deadline=None` because the machine is shared.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import hostile_files as hf
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nncore
from nncore.data import load_csv, load_points_csv
from nncore.errors import DataError, FormulaError, WeightFileError
from nncore.formula import parse_formula

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def _loads_soundly_or_refuses(path: Path) -> None:
    try:
        wf = nncore.load(path)
    except WeightFileError as exc:
        assert "\n" not in str(exc), str(exc)
        return
    net = wf.network
    for k, (w, b) in enumerate(zip(net.weights, net.biases)):
        assert w.shape == (net.sizes[k], net.sizes[k + 1])
        assert b.shape == (1, net.sizes[k + 1])
        assert np.all(np.isfinite(w)) and np.all(np.isfinite(b))


# ---- byte-level mutations of genuine files ----------------------------------------------------
_mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 64)),
)


def _mutate(data: bytes, mutations) -> bytes:
    buf = bytearray(data)
    for kind, where, what in mutations:
        at = where % max(len(buf), 1)
        if kind == "flip":
            buf[at] ^= what
        elif kind == "insert":
            buf[at:at] = what
        else:
            del buf[at : at + what]
    return bytes(buf)


@pytest.mark.parametrize("ext", hf.FORMATS)
@SETTINGS
@given(mutations=st.lists(_mutation, min_size=1, max_size=4))
def test_a_mutated_weights_file_loads_soundly_or_is_refused(valid_files, ext, mutations):
    data = _mutate(valid_files[ext].read_bytes(), mutations)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"mutated{ext}"
        path.write_bytes(data)
        _loads_soundly_or_refuses(path)


# ---- JSON values replaced by hostile ones --------------------------------------------------
_raw_value = st.one_of(
    st.integers(4_301, 6_000).map(lambda n: "9" * n),  # past Python's digit limit
    st.integers(1, 200).map(lambda n: "1e" + str(300 + n)),  # becomes inf
    st.sampled_from(["NaN", "Infinity", "-Infinity", "-1", "0", "1e-320", "2147483648"]),
    st.integers(500, 100_000).map(lambda n: "[" * n + "]" * n),  # deep nesting
    st.sampled_from(['"text"', "null", "true", "{}", "[]", '"\\u001b[2J"', '{"a": [1, {}]}']),
    st.integers(10**15, 10**300).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)


def _leaf_paths(value, prefix=()):
    if isinstance(value, dict):
        for key, v in value.items():
            yield from _leaf_paths(v, (*prefix, key))
    elif isinstance(value, list) and value:
        for i, v in enumerate(value[:3]):
            yield from _leaf_paths(v, (*prefix, i))
    yield prefix


def _replace(doc, path, marker):
    if not path:
        return marker
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = marker
    return doc


def _hostile_json_text(doc: dict, choice: int, raw: str) -> str:
    paths = [p for p in _leaf_paths(doc) if p]
    path = paths[choice % len(paths)]
    return json.dumps(_replace(doc, path, "@@RAW@@")).replace('"@@RAW@@"', raw)


@SETTINGS
@given(choice=st.integers(0, 10_000), raw=_raw_value)
def test_a_json_file_with_a_hostile_value_loads_soundly_or_is_refused(valid_files, choice, raw):
    doc = json.loads(valid_files[".json"].read_text())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.json"
        path.write_text(_hostile_json_text(doc, choice, raw))
        _loads_soundly_or_refuses(path)


@SETTINGS
@given(choice=st.integers(0, 10_000), raw=_raw_value)
def test_an_npz_header_with_a_hostile_value_loads_soundly_or_is_refused(valid_files, choice, raw):
    like = valid_files[".npz"]
    header = json.loads(hf.npz_entries(like)["header.npy"].split(b"\n", 1)[1])
    text = _hostile_json_text(header, choice, raw).encode()
    with tempfile.TemporaryDirectory() as folder:
        path = hf.npz_with_header_text(Path(folder) / "hostile.npz", text, like)
        _loads_soundly_or_refuses(path)


_METADATA_KEYS = ["sizes", "activations", "dtype", "seed", "init", "history", "meta", "config"]


@SETTINGS
@given(key=st.sampled_from(_METADATA_KEYS), raw=_raw_value)
def test_safetensors_metadata_with_a_hostile_value_loads_soundly_or_is_refused(
    valid_files, key, raw
):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.safetensors"
        hf.safetensors_with_metadata(path, valid_files[".safetensors"], **{key: raw})
        _loads_soundly_or_refuses(path)


# ---- formulas --------------------------------------------------------------------------------
_TOKENS = [
    "x", "y", "+", "-", "*", "/", "**", "^", "(", ")", "sin", "cos", "exp", "log", "sqrt",
    "abs", "tanh", "pi", "e", "1", "2.5", "1e308", "9", "0", ",", " ", ".", "[", "]",
    "__import__", "os", "'a'", "lambda", "x.real", "min", "max", "if", "else", "==", "<",
    "%", "//", "@", "~", "not", "and", "True", "None", "\\", "\x00", "\u2212", "×",
]  # fmt: skip


@SETTINGS
@given(text=st.one_of(st.lists(st.sampled_from(_TOKENS), max_size=25).map("".join), st.text()))
def test_a_generated_formula_parses_or_is_refused(text):
    try:
        formula = parse_formula(text)
    except FormulaError as exc:
        assert "\n" not in str(exc), repr(str(exc))
        return
    x = np.array([0.5, -1.0, 3.0, 0.0])
    y = np.array([2.0, 0.0, -1.0, 1e300])
    try:
        z = formula(x, y)
    except (DataError, FormulaError):
        return
    assert np.shape(z) == x.shape


# ---- CSV texts -------------------------------------------------------------------------------
_CSV_PIECES = [
    "x", "y", "target", ",", ";", "\t", " ", "\n", "\r\n", "0", "1", "2.5", "-3", "1e308",
    "1e999", "nan", "inf", "-", ".", "e", "#", "\ufeff", "sep=;\n", "\"", "1,5", "z", "abc",
    "\x00", "\x1b[2J", "9" * 400,
]  # fmt: skip


@SETTINGS
@given(
    header=st.sampled_from(["x,y,target\n", "", "y;x;z\n", "target\tx\ty\n"]),
    body=st.lists(st.sampled_from(_CSV_PIECES), max_size=80).map("".join),
    rows=st.integers(0, 15),
)
def test_a_generated_csv_reads_soundly_or_is_refused(header, body, rows):
    good = "".join(f"{k},{k % 3},{k * 0.5}\n" for k in range(rows))
    text = header + good + body
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.csv"
        path.write_text(text, encoding="utf-8", newline="")
        for reader in (load_csv, load_points_csv):
            try:
                result = reader(path)
            except DataError as exc:
                assert "\n" not in str(exc), f"{reader.__name__}: {str(exc)!r}"
                continue
            X = result.X if reader is load_csv else result[0]
            assert X.ndim == 2 and X.shape[1] == 2 and np.all(np.isfinite(X))
