"""Which hand-out format a file name asks for, and a sensible default name (no Qt).

File ▸ Export hand-out… writes the Step tab's lesson in one of four formats: Markdown, a
LaTeX document, CSV (one row per step) or a printable PDF. The file dialog hands back a path
and the filter the user chose; this module turns them into a path with the right suffix and
the format to write, the same way `app.picture_names` does for pictures: a suffix typed by
the user decides, otherwise the chosen filter does (and its suffix is added).
"""

from __future__ import annotations

import re
from pathlib import Path

MARKDOWN_FILTER = "Markdown (*.md)"
LATEX_FILTER = "LaTeX document (*.tex)"
CSV_FILTER = "CSV, one row per step (*.csv)"
PDF_FILTER = "PDF, ready to print (*.pdf)"
FILTERS = f"{MARKDOWN_FILTER};;{LATEX_FILTER};;{CSV_FILTER};;{PDF_FILTER}"

# format name -> (the suffix it gets, its filter); "markdown", "latex" and "csv" are the
# names `nncore.lesson.handout.render` knows, "pdf" is drawn by the app (app.handout_export).
FORMATS = {
    "markdown": (".md", MARKDOWN_FILTER),
    "latex": (".tex", LATEX_FILTER),
    "csv": (".csv", CSV_FILTER),
    "pdf": (".pdf", PDF_FILTER),
}
SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".tex": "latex",
    ".csv": "csv",
    ".pdf": "pdf",
}
FILTER_FORMATS = {chosen: name for name, (_suffix, chosen) in FORMATS.items()}

_NAME_LENGTH = 60  # characters of the title kept in a default file name


class HandoutError(ValueError):
    """A hand-out that could not be written; the message says where and why."""


def handout_format(path: str | Path, chosen_filter: str = "") -> tuple[Path, str]:
    """(path with the right suffix, format name) for a name typed into the file dialog.

    A name ending in .md, .markdown, .tex, .csv or .pdf decides by itself, whatever the
    filter. Otherwise the chosen filter decides and its suffix is added ("week 3" with the
    PDF filter becomes "week 3.pdf"); with no known filter either, Markdown.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return path, SUFFIXES[suffix]
    name = FILTER_FORMATS.get(chosen_filter, "markdown")
    return path.with_name(path.name + FORMATS[name][0]), name


def filter_for(fmt: str) -> str:
    """The file-dialog filter of a format name (Markdown's for an unknown one)."""
    return FORMATS.get(fmt, FORMATS["markdown"])[1]


def default_file_name(title: str, iteration: int, fmt: str = "markdown") -> str:
    """'handout-a-single-perceptron-iteration-2.pdf': the lesson's title in lower case with
    dashes, its iteration, and the format's suffix. Letters of any script are kept (a file
    name may be Chinese); anything else becomes a dash, so the name is safe in any folder.
    """
    slug = re.sub(r"[\W_]+", "-", str(title).lower()).strip("-")[:_NAME_LENGTH].strip("-")
    suffix = FORMATS.get(fmt, FORMATS["markdown"])[0]
    return f"handout-{slug or 'lesson'}-iteration-{int(iteration)}{suffix}"
