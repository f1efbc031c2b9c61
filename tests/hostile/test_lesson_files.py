"""Hostile lesson files (.nnlesson): refused like hostile weights files, in a cage.

Issue 10: a lesson file is handed from teacher to class, so opening one is as careful as
opening a weights file. Each case runs in a caged child (1.5 GiB of address space, 20 s),
and refusing must stay far below the memory the file asks for (`SMALL`).
"""

from __future__ import annotations

import json
import os

import hostile_files as hf
import pytest
from hostile_sandbox import (
    case_of,
    refused_by_cli,
    refused_in_process,
    run_cli,
    run_each,
    run_python,
)

MiB = 1024 * 1024
SMALL = 256 * MiB

_HEAD = '{"format": "nn-tutor lesson", "version": 1, "preset": "article", '


def load_code(path) -> str:
    return f"from nncore.lessonfile import load_lesson\nload_lesson({str(path)!r})"


def _article(**fields) -> str:
    """A lesson file on the article's network, with `fields` given as raw JSON text."""
    return _HEAD + ", ".join(f'"{key}": {raw}' for key, raw in fields.items()) + "}"


_NET = '{{"sizes": [2, 3, 1], "activations": ["relu", "linear"], "weights": {w}, "biases": {b}}}'

# Files built from text alone: numbers and nesting Python's json would never write.
TEXT_CASES = {
    "weights of 1e308": (
        _article(
            network=_NET.format(
                w="[[[1e308, 1, 1], [1, 1, 1]], [[1], [1], [1]]]", b="[[0, 0, 0], [0]]"
            )
        ),
        "too large to compute",
    ),
    "a weight of 1e400": (
        _article(
            network=_NET.format(
                w="[[[1e400, 1, 1], [1, 1, 1]], [[1], [1], [1]]]", b="[[0, 0, 0], [0]]"
            )
        ),
        "too large",
    ),
    "a 5,000-digit iteration": (_article(iteration="9" * 5000), "digits"),
    "a 5,000-digit weight": (
        _article(
            network=_NET.format(
                w="[[[" + "9" * 5000 + ", 1, 1], [1, 1, 1]], [[1], [1], [1]]]", b="[[0, 0, 0], [0]]"
            )
        ),
        "digits",
    ),
    "NaN learning rate": (_article(learning_rate="NaN"), "NaN"),
    "-Infinity target": (_article(targets="[[-Infinity]]"), "Infinity"),
    "weights of the wrong shape": (
        _article(network=_NET.format(w="[[[1, 1, 1]], [[1], [1], [1]]]", b="[[0, 0, 0], [0]]")),
        "network.weights[0]",
    ),
    "a wrong marker": ('{"format": "nn-tutor-weights", "version": 1}', "'format'"),
    "a future version": (
        '{"format": "nn-tutor lesson", "version": 99, "preset": "article"}',
        "newer",
    ),
    "truncated": (_article(learning_rate="0.1")[:-25], "not valid JSON"),
    "an unknown lock": (_article(locks='{"hidden": ["__import__(\'os\')"]}'), "locks.hidden"),
    "a title of escapes": (_article(title=json.dumps("\x1b]0;owned\x07" * 10)), "'title'"),
    "wrong types": (_article(position='"12"', granularity="3"), "'granularity'"),
}


def test_hostile_lesson_texts_are_refused_by_name(tmp_path):
    codes = {}
    for k, (name, (text, _)) in enumerate(TEXT_CASES.items()):
        path = tmp_path / f"case{k}.nnlesson"
        path.write_text(text)
        codes[name] = load_code(path)
    outcome = run_each(codes)
    for name, (_, expected) in TEXT_CASES.items():
        message = refused_in_process(case_of(outcome, name), "LessonFileError", max_rss=SMALL)
        assert expected in message, (name, message)
        assert ".nnlesson" in message, (name, message)


def test_a_lesson_file_nested_half_a_million_deep_is_refused(tmp_path):
    path = tmp_path / "deep.nnlesson"
    path.write_bytes(_HEAD.encode() + b'"train": ' + b"[" * 500_000 + b"]" * 500_000 + b"}")
    outcome = run_python(load_code(path))
    message = refused_in_process(outcome, "LessonFileError", max_rss=SMALL)
    assert "lists and objects" in message


def test_a_lesson_file_nested_just_too_deep_is_refused(tmp_path):
    path = tmp_path / "deep.nnlesson"
    path.write_bytes(_HEAD.encode() + b'"train": ' + b"[" * 9 + b"]" * 9 + b"}")
    message = refused_in_process(run_python(load_code(path)), "LessonFileError")
    assert "deep" in message


def test_an_unclosed_text_of_escaped_quotes_is_refused_in_linear_time(tmp_path):
    # Nesting is measured outside texts; a scan that retried from every quote of an unclosed
    # text took 9 s for 40 KB of these (hours for this file).
    path = tmp_path / "quotes.nnlesson"
    path.write_bytes(_HEAD.encode() + b'"train": ' + b"[" * 10 + b'"' + b'\\"' * 330_000)
    assert path.stat().st_size < 1024 * 1024
    message = refused_in_process(run_python(load_code(path), timeout=10.0), "LessonFileError")
    assert "deep" in message


def test_a_megabyte_of_empty_lists_is_refused_before_parsing(tmp_path):
    path = tmp_path / "lists.nnlesson"
    path.write_bytes(_HEAD.encode() + b'"notes": [' + b"[]," * 340_000 + b"0]}")
    assert path.stat().st_size < 1024 * 1024
    message = refused_in_process(run_python(load_code(path)), "LessonFileError", max_rss=SMALL)
    assert "340,0" in message  # the lists counted on the text, before any was built


def test_a_300_mb_lesson_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.nnlesson"
    with open(path, "wb") as fh:
        fh.write(_HEAD.encode())
        fh.truncate(300 * MiB)  # sparse: 300 MB long, nothing on the disk
    message = refused_in_process(run_python(load_code(path)), "LessonFileError", max_rss=SMALL)
    assert "314,572,800 bytes" in message
    refused_by_cli(run_cli_lesson(path), statuses=(1,), max_rss=SMALL)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = hf.fifo(tmp_path / "pipe.nnlesson")
    message = refused_in_process(run_python(load_code(path), timeout=10.0), "LessonFileError")
    assert "named pipe" in message
    refused_by_cli(run_cli_lesson(path, timeout=10.0), statuses=(1,))


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    path = hf.symlink_to(tmp_path / "device.nnlesson", device)
    message = refused_in_process(run_python(load_code(path)), "LessonFileError", max_rss=SMALL)
    assert "character device" in message


def run_cli_lesson(path, **kw):
    return run_cli(["lesson", path, "--format", "csv"], **kw)
