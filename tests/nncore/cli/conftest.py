"""Shared by the command-line tests: running `main` as a user would, and a small trained model."""

from __future__ import annotations

import pytest

from nncore.cli import main

SMALL = ["--samples", "120", "--arch", "2-8-1", "--epochs", "5"]  # a run of a moment


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def run_cli():
    """`run_cli(capsys, *argv) -> (exit status, stdout, stderr)`, never with a traceback."""
    return _run


@pytest.fixture
def trained(tmp_path, capsys):
    path = tmp_path / "model.npz"
    code, _out, err = _run(capsys, "train", "mean", *SMALL, "-o", path)
    assert code == 0, err
    return path
