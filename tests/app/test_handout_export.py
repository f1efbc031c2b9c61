"""Tests of File ▸ Export hand-out…: the Step tab's lesson, as it is, in four formats.

The lesson in the window is changed first (a custom 3-2-1 tanh network, iteration 2, one
weight typed), so each file must hold that lesson's numbers, not a preset's.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app import handout_export
from app.handout_export import characters_without_a_font, handout_pdf, write_handout
from app.handout_formats import (
    CSV_FILTER,
    LATEX_FILTER,
    MARKDOWN_FILTER,
    PDF_FILTER,
    HandoutError,
)
from nncore.lesson import make_lesson
from nncore.lesson.engine import Lesson
from nncore.lesson.handout import render

EDITED = "0.4321"  # the value typed for w(x₁→h₁); no preset or seed produces it
FILTER_OF = {
    "markdown": MARKDOWN_FILTER,
    "latex": LATEX_FILTER,
    "csv": CSV_FILTER,
    "pdf": PDF_FILTER,
}


@pytest.fixture
def window(open_window):
    win = open_window()
    return win


@pytest.fixture
def changed(window):
    """The window with its Step tab on a lesson of its own: custom network, iteration 2, an
    edited weight."""
    tab = window.step_tab
    tab.load_preset("custom")
    tab.editor.show_network([3, 2, 1], ["tanh", "linear"])
    tab.build_custom()
    tab.next_iteration()
    assert tab.set_parameter(("edge", 0, 0, 0), EDITED)
    lesson = tab.lesson
    assert (lesson.network.architecture, lesson.iteration) == ("3-2-1", 2)
    return window


def answer_dialog(monkeypatch, path, chosen, seen=None):
    """Let QFileDialog.getSaveFileName answer `path` with the filter `chosen`."""

    def fake(parent, caption, proposed, filters, selected=""):
        if seen is not None:
            seen.update(proposed=proposed, filters=filters, selected=selected)
        return str(path), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


def error_boxes(window):
    return [b for b in window.findChildren(QMessageBox) if b.objectName() == "handoutError"]


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout


def pdf_pages(data: bytes) -> int:
    """The number of page objects in a PDF ("/Type /Page", not "/Type /Pages")."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


# ----------------------------------------------------------------- the menu entry


def test_the_action_is_in_the_file_menu_after_save_picture_with_its_key(window):
    entries = [a for a in window.file_menu.actions() if not a.isSeparator()]
    names = [a.text().replace("&", "") for a in entries]
    assert names[names.index("Save picture…") + 1] == "Export hand-out…"
    action = window.action_export_handout
    assert [s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts()] == [
        "Ctrl+Shift+E"
    ]
    key = QKeySequence("Ctrl+Shift+E").toString(QKeySequence.SequenceFormat.NativeText)
    assert key in action.toolTip()
    assert (key, action.statusTip()) in window.shortcuts()
    window_section = dict(window.shortcut_sections())["Window"]
    assert any(k == key for k, _ in window_section)  # so F1 lists it


# ----------------------------------------------------------------- the four formats


@pytest.mark.parametrize("fmt", ["markdown", "latex", "csv", "pdf"])
def test_each_format_holds_the_lesson_as_it_is_in_the_window(changed, monkeypatch, tmp_path, fmt):
    lesson = changed.step_tab.lesson
    answer_dialog(monkeypatch, tmp_path / "class", FILTER_OF[fmt])
    changed.action_export_handout.trigger()
    suffix = {"markdown": ".md", "latex": ".tex", "csv": ".csv", "pdf": ".pdf"}[fmt]
    written = tmp_path / f"class{suffix}"
    assert written.is_file(), sorted(os.listdir(tmp_path))
    assert changed.statusBar().currentMessage() == f"Hand-out written: {written}"
    assert not error_boxes(changed)
    if fmt == "pdf":
        data = written.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        assert pdf_pages(data) >= 3
        text = pdf_text(written)
        assert "Iteration 2" in text and "3-2-1" in text and "tanh" in text
        assert f"w(x₁→h₁) {EDITED}" in " ".join(text.split())
        return
    text = written.read_text(encoding="utf-8")
    assert text == render(lesson, fmt)  # exactly nncore's text, written whole
    assert EDITED in text
    if fmt == "markdown":
        assert "Iteration 2." in text and "- Network: 3-2-1 (layer 1: tanh" in text
        assert f"| w(x₁→h₁) | {EDITED} |" in text
    elif fmt == "latex":
        assert text.startswith(r"\documentclass") and "Iteration 2." in text
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == len(lesson.steps)
        update = next(r for r in rows if r["kind"] == "weight_update")
        assert EDITED in update["formula"]  # w(x₁→h₁) ← 0.4321 − …


def test_the_pdf_first_page_renders_with_pdftoppm(changed, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    path = write_handout(changed.step_tab.lesson, tmp_path / "h.pdf", "pdf")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", path, str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    (png,) = tmp_path.glob("page*.png")
    image = QImage(str(png))
    # A4 (210 mm × 297 mm) at 80 dpi, give or take the rounding of a pixel
    assert abs(image.width() - 661) <= 2 and abs(image.height() - 935) <= 2
    # Something is printed: count the dark pixels on a coarse grid.
    dark = sum(
        image.pixelColor(x, y).lightness() < 100
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    )
    assert dark > 500


def test_the_pdf_is_a4_with_numbered_pages_and_its_title(qapp, tmp_path):
    lesson = make_lesson("sigmoid")
    data = handout_pdf(lesson)
    boxes = re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", data)
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}
    assert len(boxes) == pdf_pages(data) >= 3  # A4 in points, every page
    path = tmp_path / "s.pdf"
    path.write_bytes(data)
    text = pdf_text(path)
    pages = text.split("\f")
    assert pages[0].lstrip().startswith(lesson.title)
    for number, page in enumerate([p for p in pages if p.strip()], start=1):
        assert page.split()[-1] == str(number)  # the page number at the foot


def test_the_symbols_of_a_hand_out_have_a_font_here(qapp):
    text = render(make_lesson("article"), "markdown") + render(make_lesson("sigmoid"))
    for symbol in "x₁ŷδ→−σ∂×":
        assert symbol in text
    assert characters_without_a_font(text) == []


def test_a_title_is_printed_as_typed_not_obeyed_as_html(qapp, tmp_path):
    base = make_lesson("perceptron")
    lesson = Lesson(base.network, base.x, base.target, base.lr, title="<b>Week 3</b> & x₁")
    path = write_handout(lesson, tmp_path / "t.pdf", "pdf")
    assert "<b>Week 3</b> & x₁" in pdf_text(path)


# ----------------------------------------------------------------- failures


def test_a_missing_folder_shows_the_error_and_leaves_nothing(changed, monkeypatch, tmp_path):
    answer_dialog(monkeypatch, tmp_path / "gone" / "class.pdf", PDF_FILTER)
    changed.action_export_handout.trigger()
    (box,) = error_boxes(changed)
    assert "Cannot write" in box.text() and "gone" in box.text() and "does not exist" in box.text()
    assert changed.statusBar().currentMessage().startswith("The hand-out was not written")
    assert [p.name for p in tmp_path.iterdir() if "class" in p.name or p.name == "gone"] == []
    box.close()


def test_a_name_that_is_a_folder_shows_the_error_and_writes_nothing(changed, monkeypatch, tmp_path):
    folder = tmp_path / "notes.md"
    folder.mkdir()
    answer_dialog(monkeypatch, folder, MARKDOWN_FILTER)
    changed.action_export_handout.trigger()
    (box,) = error_boxes(changed)
    assert "is a folder" in box.text()
    assert os.listdir(folder) == [] and folder.is_dir()


def test_a_disk_full_halfway_leaves_the_old_file_whole_and_no_scraps(
    changed, monkeypatch, tmp_path
):
    target = tmp_path / "class.csv"
    target.write_text("last week's hand-out", encoding="utf-8")

    def half_then_full(self, data):
        with open(self, "wb") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", half_then_full)
    answer_dialog(monkeypatch, target, CSV_FILTER)
    changed.action_export_handout.trigger()
    (box,) = error_boxes(changed)
    assert "No space left on device" in box.text()
    assert target.read_text(encoding="utf-8") == "last week's hand-out"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class.csv", "nn-tutor-settings.ini"]


def test_write_handout_refuses_an_unknown_format_in_words(qapp, tmp_path):
    with pytest.raises(HandoutError, match="unknown hand-out format 'docx'"):
        write_handout(make_lesson("article"), tmp_path / "x.docx", "docx")
    assert not (tmp_path / "x.docx").exists()


# ----------------------------------------------------------------- the dialog remembers


def test_the_dialog_proposes_title_and_iteration_then_remembers_folder_and_format(
    changed, monkeypatch, tmp_path
):
    seen: dict = {}
    folder = tmp_path / "class notes"
    folder.mkdir()
    answer_dialog(monkeypatch, folder / "week3.pdf", MARKDOWN_FILTER, seen)  # the suffix wins
    changed.action_export_handout.trigger()
    assert (folder / "week3.pdf").read_bytes().startswith(b"%PDF")
    assert Path(seen["proposed"]).name == "handout-your-own-network-iteration-2.md"
    assert seen["selected"] == MARKDOWN_FILTER
    assert seen["filters"].count(";;") == 3

    answer_dialog(monkeypatch, "", "", seen)  # the second time: cancelled
    changed.action_export_handout.trigger()
    assert Path(seen["proposed"]) == folder / "handout-your-own-network-iteration-2.pdf"
    assert seen["selected"] == PDF_FILTER


def test_with_no_lesson_the_dialog_only_says_so(window, monkeypatch):
    asked = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: asked.append(a) or ("", ""))
    )
    monkeypatch.setattr(window.step_tab, "lesson", None)
    assert handout_export.export_handout_dialog(window.step_tab, window) is None
    assert asked == []
    assert "no lesson" in window.statusBar().currentMessage()


def test_a_title_this_machine_has_no_font_for_is_named_in_the_status_bar(window, tmp_path):
    from PySide6.QtGui import QFontDatabase

    if QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        pytest.skip("this machine has a Chinese font, so nothing prints as a box")
    base = make_lesson("perceptron")
    lesson = Lesson(base.network, base.x, base.target, base.lr, title="神经网络 x₁ → ŷ")
    assert characters_without_a_font(lesson.title) == list("神经网络")
    written = handout_export.export_and_report(lesson, tmp_path / "zh.pdf", "pdf", window)
    assert written is not None
    message = window.statusBar().currentMessage()
    assert message.endswith("(no font on this machine for 神经网络: printed as boxes)")
