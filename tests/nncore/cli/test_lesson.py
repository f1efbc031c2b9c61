"""`nncore lesson`: the step-by-step lessons as Markdown, LaTeX or CSV."""

from __future__ import annotations

import pytest


def _lessons_available():
    lesson = pytest.importorskip("nncore.lesson")
    try:
        lesson.render(lesson.make_lesson("perceptron"), "markdown")
    except ImportError as exc:
        pytest.skip(f"lesson rendering not available yet: {exc}")
    return lesson


def test_lesson_to_stdout_matches_the_library(run_cli, capsys):
    lesson = _lessons_available()
    code, out, err = run_cli(capsys, "lesson", "article", "--format", "markdown")
    assert code == 0, err
    expected = lesson.render(lesson.make_lesson("article"), "markdown")
    assert out.rstrip("\n") == expected.rstrip("\n")


def test_lesson_format_from_extension(run_cli, tmp_path, capsys):
    lesson = _lessons_available()
    code, out, _ = run_cli(capsys, "lesson", "sigmoid", "-o", tmp_path / "s.tex")
    assert code == 0 and "latex" in out
    expected = lesson.render(lesson.make_lesson("sigmoid"), "latex")
    assert (tmp_path / "s.tex").read_text().rstrip("\n") == expected.rstrip("\n")


def test_lesson_list_and_errors(run_cli, capsys):
    lesson = _lessons_available()
    code, out, _ = run_cli(capsys, "lesson")
    assert code == 0 and all(name in out for name in lesson.PRESETS)
    code, _, err = run_cli(capsys, "lesson", "calculus")
    assert code == 2 and "unknown lesson 'calculus'" in err
    code, _, err = run_cli(capsys, "lesson", "article", "--format", "pdf")
    assert code == 2 and "invalid choice: 'pdf'" in err
