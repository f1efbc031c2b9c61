"""The Help menu's dialogs: About nn-tutor, and the list of keyboard shortcuts.

Both are ordinary QDialogs that the main window shows without blocking (`show()` or
`open()`), so the student can keep the shortcut list open beside the window while trying
the keys, and tests can open and close them without a modal event loop.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

import app as app_package
from app.theme import theme

ASSETS = Path(__file__).resolve().parent / "assets"


def app_icon() -> QIcon:
    """The nn-tutor icon (SVG, with a PNG rendering for platforms without the SVG plugin)."""
    icon = QIcon()
    for name in ("icon.svg", "icon.png"):
        path = ASSETS / name
        if path.is_file():
            icon.addFile(str(path))
    return icon


def _library_versions() -> str:
    """One line naming the versions of the libraries the app runs on."""
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6.QtCore import qVersion

    return (
        f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {PySide6.__version__}"
        f" · pyqtgraph {pyqtgraph.__version__} · NumPy {numpy.__version__}"
    )


class AboutDialog(QDialog):
    """What nn-tutor is, where its idea comes from, and which versions are running."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About nn-tutor")
        self.setObjectName("aboutDialog")

        icon_label = QLabel()
        icon_label.setPixmap(app_icon().pixmap(96, 96))
        icon_label.setAlignment(Qt.AlignmentFlag.AlignTop)

        title = QLabel(f"nn-tutor {app_package.__version__}")
        title_font = QFont(title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        title.setFont(title_font)

        body = QLabel(
            "<p>Watch every number a neural network computes, one step at a time, "
            "and then train a real regressor live.</p>"
            "<p><b>Step through</b> follows one example forward through the network, "
            "measures the error, carries it backward and nudges each weight. "
            "<b>Train</b> repeats that thousands of times on a whole data set and shows "
            "the loss fall and the learned surface take shape.</p>"
            "<p>The lessons follow the ideas of the article <i>Neural Networks – "
            "Intuitively and Exhaustively Explained</i> by Daniel Warfield. "
            "All the arithmetic is done by <code>nncore</code>, a small NumPy engine "
            "you can also use on its own.</p>"
            "<p>Colours come from the Okabe–Ito palette, readable with colour blindness: "
            "<span style='color:#0072B2'>blue</span> is positive, "
            "<span style='color:#E69F00'>orange</span> is negative.</p>"
            "<p>MIT licence.</p>"
        )
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setOpenExternalLinks(True)

        versions = QLabel(_library_versions())
        versions.setObjectName("versionsLabel")
        versions.setWordWrap(True)
        versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        small = QFont(versions.font())
        small.setPointSizeF(small.pointSizeF() * 0.9)
        versions.setFont(small)
        versions.setStyleSheet(f"color: {theme.colors()['muted']};")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        text_column = QVBoxLayout()
        text_column.addWidget(title)
        text_column.addWidget(body)
        text_column.addWidget(versions)
        text_column.addStretch(1)

        row = QHBoxLayout()
        row.addWidget(icon_label)
        row.addSpacing(12)
        row.addLayout(text_column, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)


ShortcutList = Sequence[tuple[str, str]]


class ShortcutsDialog(QDialog):
    """A table of keyboard shortcuts, grouped by where they work (window, then each tab).

    `sections` is a list of (section title, [(key, what it does), ...]); sections without
    entries are left out.
    """

    def __init__(
        self,
        sections: Iterable[tuple[str, ShortcutList]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Key", "Action"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.setWordWrap(True)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 3px 6px; }")

        self.sections: list[tuple[str, list[tuple[str, str]]]] = []
        for title, entries in sections:
            entries = [(str(key), str(action)) for key, action in entries]
            if not entries:
                continue
            self.sections.append((title, entries))
            header = QTreeWidgetItem([title, ""])
            bold = QFont(self.tree.font())
            bold.setBold(True)
            header.setFont(0, bold)
            header.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(header)
            for key, action in entries:
                QTreeWidgetItem(header, [key, action])
            header.setExpanded(True)
        for index in range(self.tree.topLevelItemCount()):
            self.tree.topLevelItem(index).setFirstColumnSpanned(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        # Wide enough for the longest key and the longest description on one line, and tall
        # enough for a good part of the list, at any text size (View ▸ Text size); never
        # larger than the screen.
        metrics = self.fontMetrics()
        line = metrics.height()
        actions = [a for _title, items in self.sections for _k, a in items] or [""]
        # The key column as Qt sizes it (section titles included), the longest description,
        # then the cells' padding, the scroll bar and the dialog's margins.
        widest = self.tree.sizeHintForColumn(0) + max(map(metrics.horizontalAdvance, actions))
        size = QSize(max(680, 46 * line, widest + 5 * line), max(520, 32 * line))
        screen = self.screen()
        if screen is not None:
            size = size.boundedTo(screen.availableGeometry().size() * 0.9)
        self.resize(size)

    def entries(self) -> list[tuple[str, str, str]]:
        """Every listed shortcut as (section, key, action), in display order."""
        return [(title, key, action) for title, items in self.sections for key, action in items]
