"""`nncore lesson FILE.nnlesson` renders the lesson a file holds; `--save` writes one."""

from __future__ import annotations

import json

import numpy as np

from nncore.lesson import make_custom, make_lesson, render
from nncore.lessonfile import LessonFile, load_lesson, save_lesson


def _custom_at_iteration_3():
    lesson = make_custom(sizes=(2, 2, 1), activations="tanh", x=(0.4, -0.6), target=(0.3,), lr=0.2)
    return lesson.next_iteration().next_iteration()


def test_a_lesson_file_renders_the_lesson_it_holds(run_cli, tmp_path, capsys):
    lesson = _custom_at_iteration_3()
    path = tmp_path / "own.nnlesson"
    save_lesson(path, LessonFile.from_lesson(lesson, title="Week 4"))
    for fmt in ("markdown", "latex", "csv"):
        code, out, err = run_cli(capsys, "lesson", path, "--format", fmt)
        assert code == 0, err
        expected = render(load_lesson(path).make_lesson(), fmt)
        assert out.rstrip("\n") == expected.rstrip("\n")
    code, out, err = run_cli(capsys, "lesson", path, "-o", tmp_path / "own.tex")
    assert code == 0 and "latex" in out, err
    text = (tmp_path / "own.tex").read_text()
    assert "Week 4" in text and "3" in text


def test_save_writes_a_lesson_file_that_reopens_as_the_preset(run_cli, tmp_path, capsys):
    path = tmp_path / "article.nnlesson"
    code, out, err = run_cli(capsys, "lesson", "article", "--save", path)
    assert code == 0 and "saved" in out and str(path) in out, err
    assert "x₁ × w" not in out  # no hand-out unless -o asks for one
    again = load_lesson(path).make_lesson()
    original = make_lesson("article")
    assert [s.formula for s in again.steps] == [s.formula for s in original.steps]
    assert all(
        np.array_equal(a, b) for a, b in zip(again.network.weights, original.network.weights)
    )
    # a saved file can be saved again, with its hand-out beside it
    code, out, err = run_cli(
        capsys, "lesson", path, "--save", tmp_path / "copy.nnlesson", "-o", tmp_path / "h.md"
    )
    assert code == 0, err
    assert load_lesson(tmp_path / "copy.nnlesson") == load_lesson(path)
    assert (tmp_path / "h.md").read_text().startswith("#")


def test_a_bad_lesson_file_is_one_line_and_status_1(run_cli, tmp_path, capsys):
    path = tmp_path / "bad.nnlesson"
    path.write_text(
        json.dumps(
            {
                "format": "nn-tutor lesson",
                "version": 1,
                "preset": "article",
                "locks": {"hidden": ["menu\x1b[31m"]},
            }
        )
    )
    code, out, err = run_cli(capsys, "lesson", path)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "locks.hidden" in err and "\x1b" not in err
    code, _, err = run_cli(capsys, "lesson", tmp_path / "missing.nnlesson")
    assert code == 1 and "file not found" in err
    code, _, err = run_cli(capsys, "lesson", "--save", tmp_path / "x.nnlesson")
    assert code == 2 and "--save needs a lesson" in err
    code, _, err = run_cli(capsys, "lesson", "article", "--save", tmp_path / "no" / "x.nnlesson")
    assert code == 1 and "does not exist" in err
