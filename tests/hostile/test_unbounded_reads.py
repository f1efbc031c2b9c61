"""Unbounded reads and parses: bombs, floods of entries, traps that are not files.

Issue 8: every reader must refuse non-regular files, bound what it reads and what it
inflates before parsing, bound memory relative to the input, and fail fast. Each case runs
in a caged child (1.5 GiB of address space, 20 s); the bombs also have to stay far below
what they ask for (`SMALL`: a reader that inflates them first is over it).
"""

from __future__ import annotations

import hostile_files as hf
import pytest
from hostile_sandbox import refused_by_cli, refused_in_process, run_cli, run_python

MiB = 1024 * 1024
SMALL = 256 * MiB  # peak memory allowed while refusing a few-hundred-KB bomb


def load_code(path) -> str:
    return f"from nncore import load\nload({str(path)!r})"


def csv_code(path, reader: str = "load_csv") -> str:
    return f"from nncore.data import {reader}\nresult = len({reader}({str(path)!r})[0])"


# ---- .npz: a header that inflates, a flood of entries ----------------------------------------
@pytest.fixture(scope="module")
def npz_bomb(tmp_path_factory, valid_files):
    path = tmp_path_factory.mktemp("bomb") / "bomb.npz"
    return hf.npz_header_bomb(path, 220 * MiB, valid_files[".npz"])  # ~220 KB on disk


def test_npz_header_that_inflates_to_hundreds_of_mb_is_refused_before_inflating(npz_bomb):
    assert npz_bomb.stat().st_size < 2 * MiB
    refused_in_process(run_python(load_code(npz_bomb)), "WeightFileError", max_rss=SMALL)


def test_npz_header_bomb_in_nncore_info(npz_bomb):
    refused_by_cli(run_cli(["info", npz_bomb]), statuses=(1,), max_rss=SMALL)


def test_npz_with_a_hundred_thousand_entries_is_refused_fast(tmp_path, valid_files):
    path = hf.npz_many_entries(tmp_path / "flood.npz", 100_000, valid_files[".npz"])
    # 6 s: counting the entries in the archive's directory takes well under a second;
    # opening them one by one first takes about 13 s (60,000 took 8 s on main).
    refused_in_process(run_python(load_code(path), timeout=6.0), "WeightFileError")


# ---- .json: a flood of tiny containers, deep nesting -----------------------------------------
def test_json_of_tens_of_mb_of_empty_lists_is_refused_in_bounded_memory(tmp_path, valid_files):
    path = hf.json_filler(tmp_path / "lists.json", 40 * MiB, b"[],", valid_files[".json"])
    refused_in_process(run_python(load_code(path)), "WeightFileError", max_rss=SMALL)


def test_json_of_empty_objects_is_refused_in_bounded_memory(tmp_path, valid_files):
    path = hf.json_filler(tmp_path / "objects.json", 30 * MiB, b"{},", valid_files[".json"])
    refused_in_process(run_python(load_code(path)), "WeightFileError", max_rss=SMALL)


def test_json_nested_a_million_deep_is_refused(tmp_path):
    path = hf.json_deep(tmp_path / "deep.json", 1_000_000)
    refused_in_process(run_python(load_code(path)), "WeightFileError", max_rss=SMALL)


def test_npz_header_nested_deep_is_refused(tmp_path, valid_files):
    text = b"[" * 200_000 + b"]" * 200_000
    path = hf.npz_with_header_text(tmp_path / "deep.npz", text, valid_files[".npz"])
    refused_in_process(run_python(load_code(path)), "WeightFileError")


# ---- paths that are not regular files --------------------------------------------------------
@pytest.mark.parametrize("ext", hf.FORMATS)
def test_weights_path_that_is_a_fifo_is_refused_without_blocking(tmp_path, ext):
    path = hf.fifo(tmp_path / f"pipe{ext}")
    refused_in_process(run_python(load_code(path), timeout=10.0), "WeightFileError")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("ext", [".npz", ".json"])
def test_weights_path_that_links_to_a_device_is_refused_in_bounded_memory(tmp_path, ext, device):
    path = hf.symlink_to(tmp_path / f"device{ext}", device)
    refused_in_process(run_python(load_code(path)), "WeightFileError", max_rss=SMALL)


@pytest.mark.parametrize("reader", ["load_csv", "load_points_csv"])
def test_csv_path_that_is_a_fifo_is_refused_without_blocking(tmp_path, reader):
    path = hf.fifo(tmp_path / "pipe.csv")
    refused_in_process(run_python(csv_code(path, reader), timeout=10.0), "DataError")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_csv_path_that_links_to_a_device_is_refused_in_bounded_memory(tmp_path, device):
    path = hf.symlink_to(tmp_path / "device.csv", device)
    refused_in_process(run_python(csv_code(path)), "DataError", max_rss=SMALL)


def test_cli_train_on_a_fifo_csv_is_refused(tmp_path):
    path = hf.fifo(tmp_path / "pipe.csv")
    refused_by_cli(run_cli(["train", "--csv", path, "-q", "--epochs", "1"], timeout=10.0))


def test_cli_info_on_a_device_is_refused(tmp_path):
    path = hf.symlink_to(tmp_path / "zero.npz", "/dev/zero")
    refused_by_cli(run_cli(["info", path]), statuses=(1,), max_rss=SMALL)


def test_cli_predict_with_points_from_a_fifo_is_refused(tmp_path, valid_files):
    path = hf.fifo(tmp_path / "points.csv")
    outcome = run_cli(["predict", valid_files[".npz"], "--csv", path], timeout=10.0)
    refused_by_cli(outcome, statuses=(1,))


# ---- millions of short rows under the byte limit ---------------------------------------------
# Reading 5 million rows in Python is seconds of work even when streamed; on a shared
# machine give it 40 s. The cage's 1.5 GiB is what today's reader (2.7 GB) runs into.
ROWS_TIMEOUT = 40.0


def _rows_under_the_limit(row: bytes) -> int:
    """As many rows as fit under the CSV byte limit (30 MB on main: 5 million rows)."""
    import nncore.csvfiles

    limit = getattr(nncore.csvfiles, "MAX_CSV_BYTES", 30_000_000)
    return (min(limit, 30_000_000) - 100) // len(row)


def test_csv_of_millions_of_short_rows_is_read_or_refused_in_bounds(tmp_path):
    """Either a dataset of every row or a DataError, within the cage (the child has 1.5 GiB;
    today it needs 2.7 GB and 43 s for 5 million rows)."""
    rows = _rows_under_the_limit(b"1,2,3\n")
    path = hf.many_rows_csv(tmp_path / "rows.csv", rows)
    outcome = run_python(csv_code(path), timeout=ROWS_TIMEOUT)
    report = outcome.report
    if report and report["kind"] == "returned":
        assert report["value"] == rows, outcome.describe()
        assert not outcome.timed_out
    else:
        refused_in_process(outcome, "DataError")


def test_csv_of_millions_of_rows_with_one_bad_row_at_the_end_is_refused(tmp_path):
    rows = _rows_under_the_limit(b"1,2,3\n") - 10
    path = hf.many_rows_csv(tmp_path / "bad.csv", rows, last=b"1,2,abc\n")
    refused_in_process(run_python(csv_code(path), timeout=ROWS_TIMEOUT), "DataError")
