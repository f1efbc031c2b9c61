"""Messages: what came from a file is sanitised and bounded, every refusal is one line.

Issue 8: `nncore info` prints control characters from a file (ESC, BEL, CR) raw to the
terminal; a 1 MB field is echoed as a 1 MB message; a CSV error spans two lines though the
contract says one; `--arch 2--1` silently trains a 2-1 network.
"""

from __future__ import annotations

import hostile_files as hf
import pytest
from hostile_sandbox import (
    MESSAGE_LIMIT,
    clean_output,
    refused_by_cli,
    refused_in_process,
    run_cli,
    run_python,
)

ESC, BEL, CR = "\x1b", "\x07", "\r"
TRICKS = [
    ESC + "]0;pwned" + BEL,  # sets the terminal's title
    ESC + "[2J" + ESC + "[H",  # clears the screen
    "fine" + CR + "FAKE LINE",  # overwrites what was printed
    "\x9b31m",  # a C1 control sequence introducer
    "line\nbreak",
]
TRICK = "".join(TRICKS)


def _file_with_text(tmp_path, ext: str, text: str):
    meta = {
        "function": "f" + text,
        "command": "nncore train " + text,
        "data_source": "data " + text,
        "stop_reason": {"kind": "epochs", "message": "stopped " + text, "detail": text},
    }
    config = {"recipe": "r" + text, "optimizer": "o" + text, "schedule": text, "lr": text}
    return hf.save_valid(tmp_path / f"tricky{ext}", meta=meta, config=config)


@pytest.mark.parametrize("ext", hf.FORMATS)
def test_info_prints_no_control_characters_from_the_file(tmp_path, ext):
    path = _file_with_text(tmp_path, ext, TRICK)
    outcome = run_cli(["info", path])
    assert outcome.status == 0, outcome.describe()
    clean_output(outcome)


@pytest.mark.parametrize("ext", [".npz", ".json"])
def test_info_bounds_a_megabyte_field(tmp_path, ext):
    path = _file_with_text(tmp_path, ext, "A" * 1_000_000)
    outcome = run_cli(["info", path])
    assert outcome.status == 0, outcome.describe()
    clean_output(outcome)
    longest = max(len(line) for line in outcome.stdout.splitlines())
    assert longest < MESSAGE_LIMIT, f"a {longest:,}-character line" + outcome.describe()


def _json_with_activation(tmp_path, valid_files, name: str):
    def edit(doc):
        doc["activations"][0] = name

    return hf.json_with(tmp_path / "act.json", edit, valid_files[".json"])


@pytest.mark.parametrize("name", [TRICK, "relu" + "x" * 1_000_000])
def test_a_bad_name_in_a_weights_file_is_quoted_safely(tmp_path, valid_files, name):
    path = _json_with_activation(tmp_path, valid_files, name)
    refused_in_process(run_python(f"import nncore\nnncore.load({str(path)!r})"), "WeightFileError")
    refused_by_cli(run_cli(["info", path]), statuses=(1,))


def test_a_bad_key_in_an_npz_is_quoted_safely(tmp_path, valid_files):
    entries = hf.npz_entries(valid_files[".npz"])
    entries["weights_" + TRICK + "x" * 5000 + ".npy"] = entries["weights_0.npy"]
    path = hf.write_npz(tmp_path / "keys.npz", entries)
    refused_in_process(run_python(f"import nncore\nnncore.load({str(path)!r})"), "WeightFileError")


def test_a_bad_metadata_key_in_safetensors_is_quoted_safely(tmp_path, valid_files):
    path = hf.safetensors_with_metadata(
        tmp_path / "meta.safetensors", valid_files[".safetensors"], dtype='"' + TRICK + '"'
    )
    refused_by_cli(run_cli(["info", path]), statuses=(1,))


# ---- CSV errors: one line ------------------------------------------------------------------
def _bad_csv(tmp_path, cells: list[str]):
    rows = ["x,y,target"] + [f"{k},{k + 1},{k * 2}" for k in range(20)]
    rows += [f"1,2,{cell}" for cell in cells]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


CSV_CASES = {
    "several bad rows": ["abc", "x1", "--", "1e", "nan?"],
    "a control sequence in a cell": [ESC + "[31mred" + BEL],
    "a megabyte cell": ["9" * 500_000 + "z" * 500_000],
}


@pytest.mark.parametrize("case", list(CSV_CASES))
def test_a_csv_error_is_one_bounded_line(tmp_path, case):
    path = _bad_csv(tmp_path, CSV_CASES[case])
    code = f"from nncore.data import load_csv\nload_csv({str(path)!r})"
    refused_in_process(run_python(code), "DataError")
    refused_by_cli(run_cli(["train", "--csv", path, "--epochs", "1", "-q"]), statuses=(1,))


# ---- --arch ----------------------------------------------------------------------------------
@pytest.mark.parametrize("arch", ["2--1", "2-64--64-1", "2,,32,1", "2-64-x-1"])
def test_an_arch_with_an_empty_or_bad_size_is_refused(tmp_path, arch):
    outcome = run_cli(["train", "--arch", arch, "--epochs", "1", "-q", "-o", tmp_path / "m.npz"])
    refused_by_cli(outcome, statuses=(2,))
    assert not (tmp_path / "m.npz").exists()
