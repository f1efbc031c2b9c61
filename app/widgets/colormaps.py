"""The colours the app's maps and plots draw with: the theme's palette and two colour maps.

- `theme_colors()` is the current theme's palette (light or dark); views call it when they
  are built and again from `apply_theme` when the student switches theme
  (`connect_theme_changed`).
- `value_colormap()` colours function values (viridis: even in brightness, colour-blind safe).
- `diverging_colormap()` colours signed quantities: orange negative, pale grey zero, blue
  positive, the same two colours that mean "negative" and "positive" everywhere in the app.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

from app.theme import theme


def theme_colors() -> dict:
    """The app's current drawing colours (see app.theme)."""
    return theme.colors()


def connect_theme_changed(slot) -> None:
    """Call `slot(name)` whenever the student switches between the light and dark theme."""
    theme.changed.connect(slot)


def value_colormap() -> pg.ColorMap:
    """Colour map for function values: viridis, perceptually even and colour-blind safe."""
    return pg.colormap.get("viridis")


def diverging_colormap(colors: dict | None = None) -> pg.ColorMap:
    """Colour map for signed quantities: orange (negative), pale grey (zero), blue (positive).

    The same two colours mean "negative" and "positive" everywhere in the app.
    """
    colors = colors or theme_colors()
    return pg.ColorMap(
        [0.0, 0.5, 1.0], [QColor(colors["negative"]), QColor("#f2f2f2"), QColor(colors["positive"])]
    )


__all__ = ["theme_colors", "connect_theme_changed", "value_colormap", "diverging_colormap"]
