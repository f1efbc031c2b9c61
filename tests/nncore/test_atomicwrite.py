"""Tests for nncore.atomicwrite: the target holds the old content or the new, never a mix."""

import pytest

from nncore import atomicwrite
from nncore.atomicwrite import write_atomically
from nncore.errors import WeightFileError


def _write_text(text):
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)

    return write


def test_writes_a_new_file_and_replaces_an_old_one(tmp_path):
    path = tmp_path / "out.txt"
    write_atomically(str(path), _write_text("first"))
    assert path.read_text(encoding="utf-8") == "first"
    write_atomically(str(path), _write_text("second"))
    assert path.read_text(encoding="utf-8") == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left


@pytest.mark.parametrize("error", [RuntimeError("disk unplugged"), KeyboardInterrupt()])
def test_an_error_while_writing_keeps_the_old_file(tmp_path, error):
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")

    def half_then_fail(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("ne")
        raise error

    with pytest.raises(type(error)):
        write_atomically(str(path), half_then_fail)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_system_errors_become_one_sentence(tmp_path, monkeypatch):
    missing = tmp_path / "no such folder" / "out.txt"
    with pytest.raises(WeightFileError, match="the folder .* does not exist"):
        write_atomically(str(missing), _write_text("x"))

    def no_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomicwrite.os, "replace", no_replace)
    with pytest.raises(WeightFileError, match=r"cannot write .*out.txt.*: Permission denied"):
        write_atomically(str(tmp_path / "out.txt"), _write_text("x"))
    assert list(tmp_path.iterdir()) == []
