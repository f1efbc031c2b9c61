"""File ▸ Export hand-out…: the Step tab's lesson, as it is now, written for a class.

A teacher who has built a network, typed a weight or stepped to iteration 3 wants exactly
that lesson on paper. `write_handout(lesson, path, fmt)` writes it in one of four formats:

- "markdown", "latex" and "csv": the texts `nncore.lesson.handout.render` makes (the same as
  the command `nncore lesson … --format …`);
- "pdf": that Markdown hand-out, laid out by Qt (QTextDocument) and printed with QPdfWriter
  on A4, 11 pt sans-serif, tables as wide as the text with lines between cells, page numbers
  in the footer. No PDF library is needed, and nothing is computed here: every number comes
  from nncore's text.

Every format is made in memory first and then written atomically (`nncore.atomicwrite`), so
a folder that cannot be written, a full disk or a name that is a folder leaves no file, not
even half of one: the old file, if there was one, stays as it was.

`export_handout_dialog(step_tab, parent)` is the menu entry's dialog: it proposes a name from
the lesson's title and iteration in the folder used last time, writes the file in the
format of the suffix typed or of the filter chosen (`app.handout_formats`, Qt-free), says
what it wrote in the status bar, and shows a failure in a message box.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QDir, QIODevice, QMarginsF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextCursor,
    QTextDocument,
    QTextFrame,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
)
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from app import open_settings
from app.handout_formats import (
    FILTERS,
    FORMATS,
    HandoutError,
    default_file_name,
    filter_for,
    handout_format,
)
from app.pictures import show_status
from nncore.atomicwrite import write_atomically
from nncore.errors import WeightFileError
from nncore.lesson.engine import Lesson
from nncore.lesson.handout import render
from nncore.untrusted_file import shown_path

# QSettings keys: where the last hand-out went and in which format
KEY_FOLDER = "handout/folder"
KEY_FORMAT = "handout/format"

BODY_POINTS = 11
# The first family the machine has wins; a character it lacks is looked up in the others
# and then in any font fontconfig knows. Debian's libfontconfig1 always brings one of
# DejaVu, Liberation, FreeFont or URW (its fontconfig-config depends on them).
FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica", "FreeSans"]
PAGE_MARGIN_MM = 5  # Qt adds 2 cm inside it when printing a document, and the page number
PDF_DPI = 300
HEADING_SPACE = 14  # pixels (at 96 dpi, scaled for the page) above a section heading
TABLE_LINE = "#9a9a9a"  # thin grey lines between cells: visible on paper, quieter than text


# ----------------------------------------------------------------- writing a file


def write_handout(lesson: Lesson, path: str | Path, fmt: str) -> str:
    """Write `lesson`'s hand-out to `path` as "markdown", "latex", "csv" or "pdf".

    Returns the path written. Raises HandoutError (a ValueError) with a sentence saying why
    when the file cannot be written; then nothing is left at `path` but what was there.
    """
    if fmt not in FORMATS:
        raise HandoutError(f"unknown hand-out format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    path = os.fspath(path)
    if os.path.isdir(path):
        raise HandoutError(f"cannot write {shown_path(path)}: it is a folder; give a file name")
    data = handout_pdf(lesson) if fmt == "pdf" else render(lesson, fmt).encode("utf-8")
    try:
        write_atomically(path, lambda tmp: Path(tmp).write_bytes(data))
    except WeightFileError as error:  # the atomic writer's error says "cannot write X: why"
        raise HandoutError(str(error)) from None
    return path


# ----------------------------------------------------------------- the PDF


def handout_font(points: float = BODY_POINTS) -> QFont:
    """The hand-out's sans-serif body font, with fallbacks (see FONT_FAMILIES)."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(points)
    return font


def handout_document(lesson: Lesson) -> QTextDocument:
    """The lesson's Markdown hand-out as a QTextDocument, styled for paper."""
    document = QTextDocument()
    document.setDefaultFont(handout_font())
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, lesson.title)
    features = QTextDocument.MarkdownFeature
    # No HTML: a teacher's title such as "<b>week 3</b>" is printed as typed, never obeyed.
    document.setMarkdown(
        render(lesson, "markdown"), features.MarkdownDialectGitHub | features.MarkdownNoHTML
    )
    for table in _tables(document.rootFrame()):
        _style_table(table)
    _space_out_headings(document)
    return document


def _space_out_headings(document: QTextDocument) -> None:
    """Some air above each section heading, which Qt's Markdown import leaves out."""
    cursor = QTextCursor(document)
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() >= 2:
            block_format = block.blockFormat()
            block_format.setTopMargin(HEADING_SPACE)
            cursor.setPosition(block.position())
            cursor.setBlockFormat(block_format)
        block = block.next()


def _tables(frame: QTextFrame):
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            yield child
        yield from _tables(child)


def _style_table(table: QTextTable) -> None:
    """Thin lines between cells; a table of steps as wide as the text, so that long cells
    wrap instead of running off the page, and a two-column table of values narrower."""
    table_format = table.format()
    width = 100 if table.columns() > 2 else 60
    table_format.setWidth(QTextLength(QTextLength.Type.PercentageLength, width))
    table_format.setBorder(1)
    table_format.setBorderBrush(QBrush(QColor(TABLE_LINE)))
    table_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    table_format.setBorderCollapse(True)
    table_format.setCellSpacing(0)
    table_format.setCellPadding(3)
    table_format.setHeaderRowCount(1)  # the header row is repeated on every page
    table.setFormat(table_format)


def handout_pdf(lesson: Lesson) -> bytes:
    """The lesson's hand-out as the bytes of an A4 PDF with numbered pages."""
    document = handout_document(lesson)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(*[PAGE_MARGIN_MM] * 4), QPageLayout.Unit.Millimeter)
    writer.setResolution(PDF_DPI)
    writer.setTitle(lesson.title)
    writer.setCreator("nn-tutor")
    # A document without a page size of its own is paginated by print_(), which then
    # also writes the page number at the foot of every page.
    document.print_(writer)  # its painter's end() finishes the PDF in the buffer
    buffer.close()
    return bytes(data)


def characters_without_a_font(text: str, font: QFont | None = None) -> list[str]:
    """The characters of `text` that no font on this machine can draw (printed as boxes).

    Looks in the hand-out font first and then in every family the machine has, as Qt's own
    fallback would; a machine with no Chinese font, say, returns the Chinese characters.
    """
    primary = QFontMetricsF(font or handout_font())
    others: list[QFontMetricsF] | None = None
    missing: list[str] = []
    for char in dict.fromkeys(text):
        if char.isspace() or not char.isprintable() or primary.inFontUcs4(ord(char)):
            continue
        if others is None:  # built only when the first font lacks something
            others = [QFontMetricsF(QFont(family)) for family in QFontDatabase.families()]
        if not any(metrics.inFontUcs4(ord(char)) for metrics in others):
            missing.append(char)
    return missing


# ----------------------------------------------------------------- the dialog


def export_handout_dialog(step_tab, parent: QWidget | None = None) -> str | None:
    """Ask where to write the Step tab's lesson as a hand-out, write it, report the outcome.

    Returns the path written, or None when cancelled or refused (a message box says why).
    """
    owner = parent or step_tab
    lesson = step_tab.lesson
    if lesson is None:
        show_status(owner, "There is no lesson to export yet: pick one in the Step through tab.")
        return None
    settings = open_settings()
    folder = str(settings.value(KEY_FOLDER, "") or "")
    if not os.path.isdir(folder):
        folder = QDir.homePath()
    last_format = str(settings.value(KEY_FORMAT, "markdown") or "markdown")
    if last_format not in FORMATS:
        last_format = "markdown"
    proposed = os.path.join(folder, default_file_name(lesson.title, lesson.iteration, last_format))
    path, chosen = QFileDialog.getSaveFileName(
        owner, "Export the lesson as a hand-out", proposed, FILTERS, filter_for(last_format)
    )
    if not path:
        return None
    path, fmt = handout_format(path, chosen)
    return export_and_report(lesson, path, fmt, owner)


def export_and_report(lesson: Lesson, path: str | Path, fmt: str, owner: QWidget) -> str | None:
    """`write_handout`, with the outcome in the status bar and a failure in a message box.

    On success the folder and format are remembered for the next export.
    """
    # A large network's PDF takes a few seconds to lay out: show that the window is busy.
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        written = write_handout(lesson, path, fmt)
    except HandoutError as error:
        written, failure = None, error
    finally:
        QApplication.restoreOverrideCursor()
    if written is None:
        _show_failure(str(failure), owner)
        return None
    settings = open_settings()
    settings.setValue(KEY_FOLDER, os.path.dirname(os.path.abspath(written)))
    settings.setValue(KEY_FORMAT, fmt)
    message = f"Hand-out written: {written}"
    if fmt == "pdf":
        missing = characters_without_a_font(lesson.title)
        if missing:
            message += f" (no font on this machine for {''.join(missing)}: printed as boxes)"
    show_status(owner, message, 10000)
    return written


def _show_failure(reason: str, owner: QWidget) -> None:
    """The reason in the status bar and in a message box (window-modal, not blocking)."""
    show_status(owner, f"The hand-out was not written: {reason}")
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Hand-out not written",
        f"The hand-out was not written.\n\n{reason[:1].upper()}{reason[1:].rstrip('.')}.",
        QMessageBox.StandardButton.Ok,
        owner,
    )
    box.setObjectName("handoutError")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
