"""Light and dark themes for nn-tutor, with colour-blind-safe colours for the drawings.

The app has one current theme, held by the `theme` object below. Widgets ask it for colours
with `theme.colors()` (or the module function `colors()`) and subscribe to `theme.changed`
to restyle themselves when the student switches between light and dark in the View menu.

Switching a theme does three things: it gives the Qt widgets a matching palette (Fusion
style), it sets pyqtgraph's default background and foreground for plots created afterwards,
and it emits `changed` so existing plots and drawings can recolour.

The drawing colours come from the Okabe–Ito palette, chosen so that the pairs that matter
(positive/negative weight, forward/backward pulse) stay distinct for readers with any
common form of colour blindness:

    positive  #0072B2 blue           negative  #E69F00 orange
    forward   #009E73 bluish green   backward  #CC79A7 reddish purple
    highlight #D55E00 vermillion (light) / #F0E442 yellow (dark)

Classes (a classifier's points and regions) take `CLASS_COLORS`, the same palette in a
fixed order. The data hues are the same in both themes, so "blue means positive" never changes; only the
neutral colours (background, text, grid, dimmed items) follow the theme.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QPalette

THEMES = ("light", "dark")
"""Names accepted by `set_theme`."""

_OKABE_ITO = {
    "positive": "#0072B2",  # blue: positive weights and values
    "negative": "#E69F00",  # orange: negative weights and values
    "forward": "#009E73",  # bluish green: the pulse travelling forward
    "backward": "#CC79A7",  # reddish purple: the error travelling backward
}

# The classes of a classifier, in order: Okabe–Ito hues that stay apart for every common form
# of colour blindness (the drawings give each class a shape of its own as well). The same
# in both themes; a ninth class starts again at the first colour, with another shape.
CLASS_COLORS = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#999999",  # grey
)


def class_color(index: int) -> str:
    """The colour of class `index` (0, 1, ...), as "#RRGGBB"."""
    return CLASS_COLORS[index % len(CLASS_COLORS)]


_PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "background": "#FFFFFF",  # plot and canvas background
        "foreground": "#1F1F1F",  # text, axes, node outlines
        "muted": "#5F6368",  # secondary text, captions
        "grid": "#E3E3E3",  # grid lines, faint guides
        **_OKABE_ITO,
        "highlight": "#D55E00",  # vermillion: the current step's node or edge
        "dim": "#C9CDD2",  # items not involved in the current step
    },
    "dark": {
        "background": "#1B1E23",
        "foreground": "#E8EAED",
        "muted": "#A0A6AD",
        "grid": "#363B42",
        **_OKABE_ITO,
        "highlight": "#F0E442",  # yellow reads best on a dark background
        "dim": "#4A5058",
    },
}

# Window colours for the Qt palette, per theme: (window, base, alternate base, button,
# text, disabled text, tooltip base). The light theme uses Fusion's own standard palette.
_DARK_WIDGETS = {
    "window": "#25282E",
    "base": "#1B1E23",
    "alternate_base": "#2B2F36",
    "button": "#30343B",
    "text": "#E8EAED",
    "disabled_text": "#7C828A",
    "tooltip_base": "#30343B",
    "link": "#56B4E9",  # Okabe-Ito sky blue, readable on dark
    "selection": "#0072B2",
}


def _check_name(name: str) -> str:
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}")
    return name


def palette_colors(name: str) -> dict[str, str]:
    """The drawing colours of the theme called `name` (a copy; hex strings "#RRGGBB")."""
    return dict(_PALETTES[_check_name(name)])


def qt_palette(name: str) -> QPalette:
    """A QPalette for the Fusion style that matches the theme called `name`."""
    from PySide6.QtWidgets import QStyleFactory

    _check_name(name)
    fusion = QStyleFactory.create("Fusion")
    palette = QPalette(fusion.standardPalette())
    if name == "light":
        palette.setColor(QPalette.ColorRole.Link, QColor(_OKABE_ITO["positive"]))
        return palette

    w = {role: QColor(hex_) for role, hex_ in _DARK_WIDGETS.items()}
    Role, Group = QPalette.ColorRole, QPalette.ColorGroup
    for group in (Group.Active, Group.Inactive, Group.Disabled):
        palette.setColor(group, Role.Window, w["window"])
        palette.setColor(group, Role.Base, w["base"])
        palette.setColor(group, Role.AlternateBase, w["alternate_base"])
        palette.setColor(group, Role.Button, w["button"])
        palette.setColor(group, Role.ToolTipBase, w["tooltip_base"])
        palette.setColor(group, Role.ToolTipText, w["text"])
        palette.setColor(group, Role.Link, w["link"])
        palette.setColor(group, Role.LinkVisited, QColor(_OKABE_ITO["backward"]))
        palette.setColor(group, Role.Highlight, w["selection"])
        palette.setColor(group, Role.HighlightedText, QColor("#FFFFFF"))
        palette.setColor(group, Role.BrightText, QColor("#FF6B6B"))
        palette.setColor(group, Role.Light, QColor("#3C4149"))
        palette.setColor(group, Role.Midlight, QColor("#34383F"))
        palette.setColor(group, Role.Mid, QColor("#2A2E34"))
        palette.setColor(group, Role.Dark, QColor("#16181C"))
        palette.setColor(group, Role.Shadow, QColor("#0B0C0E"))
        text = w["disabled_text"] if group == Group.Disabled else w["text"]
        for role in (Role.WindowText, Role.Text, Role.ButtonText):
            palette.setColor(group, role, text)
        palette.setColor(group, Role.PlaceholderText, w["disabled_text"])
    return palette


class Theme(QObject):
    """The app's current theme. Use the shared instance `app.theme.theme`.

    Signals:
        changed(str): emitted with the new theme's name after `set_theme` switched it.
    """

    changed = Signal(str)

    def __init__(self, name: str = "light") -> None:
        super().__init__()
        self._name = _check_name(name)

    @property
    def name(self) -> str:
        """The current theme's name: "light" or "dark"."""
        return self._name

    @property
    def is_dark(self) -> bool:
        return self._name == "dark"

    def colors(self) -> dict[str, str]:
        """The current theme's drawing colours (a fresh copy each call).

        Keys: background, foreground, muted, grid, positive, negative, forward, backward,
        highlight, dim. Values are "#RRGGBB" strings, ready for QColor or pyqtgraph.
        """
        return palette_colors(self._name)

    def color(self, key: str) -> QColor:
        """One drawing colour of the current theme as a QColor."""
        palette = _PALETTES[self._name]
        if key not in palette:
            raise KeyError(f"no colour {key!r} in the theme; known: {', '.join(palette)}")
        return QColor(palette[key])

    def set_theme(self, name: str) -> None:
        """Switch to the theme called `name` and tell every subscriber.

        Applies the palette to the running QApplication (if there is one) and sets
        pyqtgraph's default plot colours. Emits `changed` only when the name changes;
        the palette is (re)applied either way, so calling it at start-up is enough.
        """
        _check_name(name)
        previous = self._name
        self._name = name
        self.apply()
        if name != previous:
            self.changed.emit(name)

    def toggle(self) -> None:
        """Switch light ↔ dark."""
        self.set_theme("light" if self.is_dark else "dark")

    def apply(self) -> None:
        """Apply the current theme to the QApplication and to pyqtgraph's defaults."""
        import pyqtgraph as pg
        from PySide6.QtWidgets import QApplication

        colors = _PALETTES[self._name]
        pg.setConfigOptions(background=colors["background"], foreground=colors["foreground"])
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if app.style().name().lower() != "fusion":
                app.setStyle("Fusion")
            app.setPalette(qt_palette(self._name))


theme = Theme()
"""The shared theme of the running app."""


def colors() -> dict[str, str]:
    """The current theme's drawing colours; same as `theme.colors()`."""
    return theme.colors()


def set_theme(name: str) -> None:
    """Switch the app's theme; same as `theme.set_theme(name)`."""
    theme.set_theme(name)
