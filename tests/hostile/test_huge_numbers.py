"""Numbers Python refuses: integers past Python's 4,300-digit limit inside a file's JSON.

Python's json raises a plain ValueError for them ("Exceeds the limit (4300 digits) for
integer string conversion"); issue 8 says that must become the project's own error, one line,
in the library, in `nncore info` and in `nncore predict`. Each format carries JSON in its
own place: the .json file itself, the .npz's header entry, the .safetensors header and the
metadata texts inside it.
"""

from __future__ import annotations

import json

import hostile_files as hf
import pytest
from hostile_sandbox import case_of, refused_by_cli, refused_in_process, run_cli, run_each

BIG = "7" * 5_000  # a 5,000-digit integer, as JSON text
NEGATIVE_BIG = "-" + "3" * 6_000


def _json_file(tmp_path, valid_files, where: str, raw: str):
    def edit(doc):
        if where == "seed":
            doc["seed"] = "@@N@@"
        elif where == "sizes":
            doc["sizes"][1] = "@@N@@"
        elif where == "meta":
            doc["meta"] = {"count": "@@N@@"}
        elif where == "weights":
            doc["layers"][0]["weights"][0][0] = "@@N@@"

    return hf.json_with(tmp_path / f"{where}.json", edit, valid_files[".json"], {"N": raw})


def _npz_file(tmp_path, valid_files, raw: str):
    entries = hf.npz_entries(valid_files[".npz"])
    header = json.loads(entries["header.npy"].split(b"\n", 1)[1])
    header["seed"] = "@@N@@"
    text = json.dumps(header).replace('"@@N@@"', raw).encode()
    return hf.npz_with_header_text(tmp_path / "big.npz", text, valid_files[".npz"])


def _safetensors_metadata(tmp_path, valid_files, raw: str):
    path = tmp_path / "meta.safetensors"
    return hf.safetensors_with_metadata(path, valid_files[".safetensors"], seed=raw)


def _safetensors_header(tmp_path, valid_files, raw: str):
    path = tmp_path / "header.safetensors"
    return hf.safetensors_with_raw(path, valid_files[".safetensors"], "extra", raw)


def _files(tmp_path, valid_files, raw: str) -> dict:
    return {
        "json seed": _json_file(tmp_path, valid_files, "seed", raw),
        "json sizes": _json_file(tmp_path, valid_files, "sizes", raw),
        "json meta": _json_file(tmp_path, valid_files, "meta", raw),
        "json weight": _json_file(tmp_path, valid_files, "weights", raw),
        "npz header": _npz_file(tmp_path, valid_files, raw),
        "safetensors metadata": _safetensors_metadata(tmp_path, valid_files, raw),
        "safetensors header": _safetensors_header(tmp_path, valid_files, raw),
    }


PLACES = [
    "json seed",
    "json sizes",
    "json meta",
    "json weight",
    "npz header",
    "safetensors metadata",
    "safetensors header",
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, valid_files):
    """Every file loaded by one caged child (each load is cheap; the start-up is not)."""
    codes = {}
    for label, raw in (("big", BIG), ("negative", NEGATIVE_BIG)):
        folder = tmp_path_factory.mktemp(label)
        for place, path in _files(folder, valid_files, raw).items():
            codes[f"{label} {place}"] = f"import nncore\nnncore.load({str(path)!r})"
    return run_each(codes)


@pytest.mark.parametrize("place", PLACES)
def test_5000_digit_integer_is_refused_by_load(loaded, place):
    refused_in_process(case_of(loaded, f"big {place}"), "WeightFileError")


@pytest.mark.parametrize("place", ["json meta", "npz header", "safetensors metadata"])
def test_6000_digit_negative_integer_is_refused_by_load(loaded, place):
    refused_in_process(case_of(loaded, f"negative {place}"), "WeightFileError")


@pytest.mark.parametrize("place", ["json seed", "npz header", "safetensors metadata"])
def test_5000_digit_integer_in_nncore_info(tmp_path, valid_files, place):
    path = _files(tmp_path, valid_files, BIG)[place]
    refused_by_cli(run_cli(["info", path]), statuses=(1,))


@pytest.mark.parametrize("place", ["json meta", "npz header", "safetensors header"])
def test_5000_digit_integer_in_nncore_predict(tmp_path, valid_files, place):
    path = _files(tmp_path, valid_files, BIG)[place]
    refused_by_cli(run_cli(["predict", path, "--points", "1,2"]), statuses=(1,))
