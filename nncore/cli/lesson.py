"""`nncore lesson`: write a step-by-step lesson as Markdown, LaTeX or CSV, or save it as a file.

The lesson is a preset's name or a lesson file (.nnlesson, see docs/lesson-files.md), which
holds a teacher's own network, weights, example and iteration; without either, the command
lists the presets. The format is --format, else the output file's extension (.md, .tex,
.csv), else Markdown. `--save FILE.nnlesson` writes the lesson as a lesson file instead (and
the hand-out too when -o is given), to open in nn-tutor or to render here later.
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
    """List the lessons, or write one to stdout, to the -o file or (--save) as a lesson file."""
    try:
        from .. import lesson as lessons
        from .. import lessonfile
    except ImportError as exc:
        raise InputError(
            f"the lesson engine is not available in this installation ({exc})"
        ) from None
    if args.preset is None:
        if args.save is not None:
            raise UsageError("--save needs a lesson: a preset's name or a lesson file")
        out("Lessons (nncore lesson NAME, or nncore lesson FILE.nnlesson):")
        for name, preset in lessons.PRESETS.items():
            out(f"  {name:<12}{getattr(preset, 'title', '')}")
        return 0
    try:
        saved = _lesson_file(args.preset, lessons, lessonfile)
        lesson = saved.make_lesson()
        if args.save is not None:
            lessonfile.save_lesson(args.save, saved)
            out(f"saved the {saved.preset!r} lesson ({len(lesson)} steps) to {args.save}")
            if args.output is None:
                return 0
    except lessonfile.LessonFileError as exc:
        raise InputError(str(exc)) from None
    fmt = args.format
    if fmt is None and args.output is not None:
        fmt = _LESSON_EXTENSIONS.get(os.path.splitext(args.output)[1].lower())
    fmt = fmt or "markdown"
    try:
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
        out(f"wrote the {saved.preset!r} lesson ({len(lesson)} steps, {fmt}) to {args.output}")
    return 0


def _lesson_file(name: str, lessons, lessonfile):
    """The lesson named on the command line, as a LessonFile: a preset's, or one read."""
    if name in lessons.PRESETS:
        return lessonfile.LessonFile.from_lesson(lessons.make_lesson(name), preset=name)
    if name.lower().endswith(lessonfile.EXTENSION) or os.path.exists(name):
        return lessonfile.load_lesson(name)
    raise UsageError(
        f"unknown lesson {name!r}; choose one of {', '.join(lessons.PRESETS)} "
        f"or give a lesson file ({lessonfile.EXTENSION})"
    )
