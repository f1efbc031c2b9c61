"""Tests of `app.handout_formats` (no Qt): which format a name asks for, the default name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.handout_formats import (
    CSV_FILTER,
    FILTERS,
    FORMATS,
    LATEX_FILTER,
    MARKDOWN_FILTER,
    PDF_FILTER,
    default_file_name,
    filter_for,
    handout_format,
)
from nncore.lesson.handout import FORMATS as TEXT_FORMATS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("week3.md", "markdown"),
        ("week3.markdown", "markdown"),
        ("week3.TEX", "latex"),
        ("week3.csv", "csv"),
        ("a/b/week3.Pdf", "pdf"),
    ],
)
def test_a_known_suffix_decides_whatever_the_filter(typed, expected):
    for chosen in (MARKDOWN_FILTER, LATEX_FILTER, CSV_FILTER, PDF_FILTER, ""):
        assert handout_format(typed, chosen) == (Path(typed), expected)


@pytest.mark.parametrize(
    ("chosen", "path", "expected"),
    [
        (MARKDOWN_FILTER, "week 3.md", "markdown"),
        (LATEX_FILTER, "week 3.tex", "latex"),
        (CSV_FILTER, "week 3.csv", "csv"),
        (PDF_FILTER, "week 3.pdf", "pdf"),
        ("", "week 3.md", "markdown"),  # no filter: Markdown
        ("Images (*.png)", "week 3.md", "markdown"),  # a filter we never offer
    ],
)
def test_without_a_suffix_the_filter_decides_and_its_suffix_is_added(chosen, path, expected):
    assert handout_format("week 3", chosen) == (Path(path), expected)


def test_an_unknown_suffix_is_kept_and_the_filters_suffix_added():
    assert handout_format("notes.v2", PDF_FILTER) == (Path("notes.v2.pdf"), "pdf")
    assert handout_format("notes.txt", LATEX_FILTER) == (Path("notes.txt.tex"), "latex")


def test_the_dialog_offers_the_four_formats_and_the_text_ones_are_nncores():
    assert FILTERS.split(";;") == [MARKDOWN_FILTER, LATEX_FILTER, CSV_FILTER, PDF_FILTER]
    assert set(FORMATS) == {*TEXT_FORMATS, "pdf"}
    for name, (suffix, chosen) in FORMATS.items():
        assert f"*{suffix})" in chosen
        assert filter_for(name) == chosen
    assert filter_for("docx") == MARKDOWN_FILTER


def test_default_name_has_the_title_the_iteration_and_the_suffix():
    assert default_file_name("A single perceptron", 2, "pdf") == (
        "handout-a-single-perceptron-iteration-2.pdf"
    )
    assert default_file_name("The article's network: learning the mean", 1) == (
        "handout-the-article-s-network-learning-the-mean-iteration-1.md"
    )
    assert default_file_name("../../etc/passwd", 3, "csv") == "handout-etc-passwd-iteration-3.csv"
    assert default_file_name("???", 1, "latex") == "handout-lesson-iteration-1.tex"
    assert default_file_name("神经网络 x₁→ŷ", 4) == "handout-神经网络-x₁-ŷ-iteration-4.md"


def test_a_long_title_gives_a_name_of_bounded_length():
    name = default_file_name("word " * 100, 12, "pdf")
    assert len(name) <= len("handout--iteration-12.pdf") + 60
    assert name.endswith("-iteration-12.pdf") and "--" not in name


def test_the_module_imports_no_qt():
    code = (
        "import sys, app.handout_formats; "
        "sys.exit(any(m.split('.')[0] in ('PySide6', 'pyqtgraph') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
