"""`nncore lesson`: write one of the step-by-step lessons as Markdown, LaTeX or CSV.

Without a lesson name it lists the lessons; the format is --format, else the output file's
extension (.md, .tex, .csv), else Markdown.
"""

from __future__ import annotations

import os

from . import InputError, UsageError
from .files import write_text_atomically
from .terminal import out

__all__ = ["LESSON_FORMATS", "cmd_lesson"]

LESSON_FORMATS = ("markdown", "latex", "csv")
_LESSON_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".tex": "latex", ".csv": "csv"}


def cmd_lesson(args) -> int:
    """List the lessons, or write one to stdout or to the -o file."""
    try:
        from .. import lesson as lessons
    except ImportError as exc:
        raise InputError(
            f"the lesson engine is not available in this installation ({exc})"
        ) from None
    if args.preset is None:
        out("Lessons (nncore lesson NAME):")
        for name, preset in lessons.PRESETS.items():
            out(f"  {name:<12}{getattr(preset, 'title', '')}")
        return 0
    if args.preset not in lessons.PRESETS:
        raise UsageError(
            f"unknown lesson {args.preset!r}; choose one of {', '.join(lessons.PRESETS)}"
        )
    fmt = args.format
    if fmt is None and args.output is not None:
        fmt = _LESSON_EXTENSIONS.get(os.path.splitext(args.output)[1].lower())
    fmt = fmt or "markdown"
    try:
        lesson = lessons.make_lesson(args.preset)
        text = lessons.render(lesson, fmt)
    except ImportError as exc:
        raise InputError(
            f"lesson rendering is not available in this installation ({exc})"
        ) from None
    if not text.endswith("\n"):
        text += "\n"
    if args.output is None:
        out(text, end="")
    else:
        write_text_atomically(args.output, text)
        out(f"wrote the {args.preset!r} lesson ({len(lesson)} steps, {fmt}) to {args.output}")
    return 0
