"""Which picture format a file name asks for, and a sensible default name (no Qt).

File ▸ Save picture… and every right-click ▸ Save image… offer two formats: PNG, drawn at
twice the size on screen so slides stay sharp on a projector, and SVG, which scales to any
size. The file dialog hands back a path and the filter the user chose; this module turns
them into a path with the right suffix and the format to write.
"""

from __future__ import annotations

import re
from pathlib import Path

PNG_FILTER = "PNG image, 2× for slides (*.png)"
SVG_FILTER = "SVG drawing (*.svg)"
FILTERS = f"{PNG_FILTER};;{SVG_FILTER}"
PNG_SCALE = 2  # pixels per on-screen pixel in a saved PNG

FORMATS = {".png": "png", ".svg": "svg"}


def picture_format(path: str | Path, chosen_filter: str = "") -> tuple[Path, str]:
    """(path with the right suffix, "png" or "svg") for a name typed into the file dialog.

    A name ending in .png or .svg decides by itself. Otherwise the chosen filter decides
    and its suffix is added ("slide" with the SVG filter becomes "slide.svg"); with no
    filter either, PNG.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return path, FORMATS[suffix]
    kind = "svg" if chosen_filter == SVG_FILTER else "png"
    return path.with_name(f"{path.name}.{kind}"), kind


def default_file_name(view_name: str, kind: str = "png") -> str:
    """'nn-tutor-step-through.png' for the view 'Step through': lower case, dashes only."""
    slug = re.sub(r"[^a-z0-9]+", "-", view_name.lower()).strip("-") or "picture"
    return f"nn-tutor-{slug}.{kind}"
