"""The "Open recent" list of lesson files: newest first, each once, at most eight.

The list is kept in the app's settings (`app.lesson_files` reads and writes it); this
module only decides what the list becomes:

    with_recent(["b.nnlesson", "a.nnlesson"], "a.nnlesson")  ->  ["/abs/a.nnlesson", "/abs/b.nnlesson"]
    still_there(paths)  ->  (the paths that are still files, the ones that are gone)

Needs no Qt: tested without it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

MAX_RECENT = 8


def with_recent(paths: Iterable[str], path: str, limit: int = MAX_RECENT) -> list[str]:
    """`paths` with `path` (made absolute) first, each path once, at most `limit`."""
    first = os.path.abspath(path)
    rest = [p for p in paths if os.path.abspath(p) != first]
    return [first, *dict.fromkeys(rest)][:limit]


def still_there(
    paths: Iterable[str], exists: Callable[[str], bool] = os.path.isfile
) -> tuple[list[str], list[str]]:
    """(paths that still name a file, paths that no longer do), in their order."""
    kept, gone = [], []
    for path in paths:
        (kept if exists(path) else gone).append(path)
    return kept, gone


def as_paths(value) -> list[str]:
    """A settings value as a list of paths (an INI file gives one path as a plain string,
    none as None)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if isinstance(v, str) and v][:MAX_RECENT]
