"""Save a picture of any view: PNG at 2× for slides, or SVG.

Three kinds of view, three ways to draw them, one entry point `save_picture(view, path)`:

- a pyqtgraph plot or map (`pg.GraphicsView`, e.g. the loss curve, the prediction map):
  PNG through pyqtgraph's own ImageExporter; SVG like the network drawing below, because
  pyqtgraph's SVGExporter breaks on the SVG paths today's Qt writes;
- any other QGraphicsView (the network drawing): QGraphicsScene.render of the part of the
  scene on screen, into a QImage or a QSvgGenerator;
- any other widget (a whole tab): QWidget.render, into a 2× image or a QSvgGenerator.

Items that keep a cached pixmap of themselves on screen (the drawing's labels) are drawn
afresh for a picture (`_drawn_afresh`): an SVG then holds their words as text, not as
bitmaps, and a 2× PNG has them at 2× detail.

Every picture is drawn into memory first and then written with one `Path.write_bytes`, so a
folder that cannot be written raises one OSError with the reason, never half a file.
`SaveImageMenu` adds right-click ▸ "Save image…" to a view. Which suffix means which format
lives in the Qt-free `app.picture_names`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QFileDialog,
    QGraphicsItem,
    QGraphicsView,
    QMainWindow,
    QMenu,
    QWidget,
)

from app.picture_names import FILTERS, PNG_SCALE, default_file_name, picture_format

SAVE_IMAGE_TEXT = "Save image…"


def save_picture(view: QWidget, path: str | Path, kind: str | None = None) -> Path:
    """Draw `view` into the file `path` ("png" at 2× or "svg"; None: from the suffix).

    Returns the path written (with a suffix added when it had none). Raises OSError when the
    file cannot be written and ValueError for an unknown format or an empty view.
    """
    path, guessed = picture_format(path)
    kind = kind or guessed
    if kind not in ("png", "svg"):
        raise ValueError(f"unknown picture format {kind!r}; choose png or svg")
    if view.width() <= 0 or view.height() <= 0:
        raise ValueError("the view has no size yet, so there is nothing to draw")
    with _drawn_afresh(view):
        if isinstance(view, pg.GraphicsView):
            # pyqtgraph 0.14's SVGExporter fails on the paths Qt 6.11 writes (ValueError in
            # its path rewriting), so an SVG of a plot is drawn like any other QGraphicsView.
            data = _plot_png(view) if kind == "png" else _scene_svg(view)
        elif isinstance(view, QGraphicsView):
            data = _scene_png(view) if kind == "png" else _scene_svg(view)
        else:
            data = _widget_png(view) if kind == "png" else _widget_svg(view)
    path.write_bytes(data)
    return path


@contextmanager
def _drawn_afresh(view: QWidget) -> Iterator[None]:
    """While drawing a picture, no item of `view` (or of a view inside it) uses its cache.

    A cached item paints the pixmap it keeps for the screen: into an SVG that is a bitmap
    where words should be, into a 2× PNG a blurred 1× copy.
    """
    views = [view] if isinstance(view, QGraphicsView) else []
    views += view.findChildren(QGraphicsView)
    cached = [
        (item, item.cacheMode())
        for v in views
        if v.scene() is not None
        for item in v.scene().items()
        if item.cacheMode() != QGraphicsItem.CacheMode.NoCache
    ]
    for item, _mode in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)


# ----------------------------------------------------------------- plots (pyqtgraph)


def _plot_item(view: pg.GraphicsView):
    """What pyqtgraph should export: the layout of a GraphicsLayoutWidget, else the scene."""
    return getattr(view, "ci", None) or view.scene()


def _plot_png(view: pg.GraphicsView) -> bytes:
    import pyqtgraph.exporters as pg_exporters  # only when saving: the start-up skips it

    exporter = pg_exporters.ImageExporter(_plot_item(view))
    # Setting the width makes pyqtgraph keep the aspect ratio for the height.
    exporter.parameters()["width"] = int(view.width() * PNG_SCALE)
    image = exporter.export(toBytes=True)
    return _png_bytes(image)


# ----------------------------------------------------------------- QGraphicsView (network)


def _visible_scene_rect(view: QGraphicsView) -> QRectF:
    return view.mapToScene(view.viewport().rect()).boundingRect()


def _scene_png(view: QGraphicsView) -> bytes:
    size = view.viewport().size()
    image = _blank_image(size, view.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    view.scene().render(
        painter, QRectF(0, 0, size.width(), size.height()), _visible_scene_rect(view)
    )
    painter.end()
    return _png_bytes(image)


def _scene_svg(view: QGraphicsView) -> bytes:
    size = view.viewport().size()
    buffer, generator = _svg_generator(
        size, view.accessibleName() or "nn-tutor view", view.logicalDpiX()
    )
    painter = QPainter(generator)
    painter.fillRect(QRect(0, 0, size.width(), size.height()), view.backgroundBrush())
    view.scene().render(
        painter, QRectF(0, 0, size.width(), size.height()), _visible_scene_rect(view)
    )
    painter.end()
    return bytes(buffer.data())


# ----------------------------------------------------------------- any widget (a whole tab)


def _widget_png(widget: QWidget) -> bytes:
    image = _blank_image(widget.size(), widget.palette().window().color())
    painter = QPainter(image)
    widget.render(painter, QPoint())
    painter.end()
    return _png_bytes(image)


def _widget_svg(widget: QWidget) -> bytes:
    buffer, generator = _svg_generator(
        widget.size(), widget.accessibleName() or "nn-tutor", widget.logicalDpiX()
    )
    painter = QPainter(generator)
    widget.render(painter, QPoint())
    painter.end()
    return bytes(buffer.data())


# ----------------------------------------------------------------- shared pieces


def _blank_image(size: QSize, background: QColor) -> QImage:
    """An image PNG_SCALE times `size` whose painter still works in on-screen pixels."""
    image = QImage(size * PNG_SCALE, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(PNG_SCALE)  # a painter on it draws text and lines at 2× detail
    image.fill(background)
    return image


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Qt could not encode the picture as PNG")
    buffer.close()
    return bytes(data)


def _svg_generator(size: QSize, title: str, resolution: int) -> tuple[QBuffer, QSvgGenerator]:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    # At the generator's default 72 dpi, fonts in points and pyqtgraph's axes come out at
    # three quarters of their size next to the rest (measured); draw at the screen's dpi.
    generator.setResolution(resolution)
    generator.setTitle(title)
    generator.setDescription("Saved from nn-tutor")
    return buffer, generator


def show_status(widget: QWidget, message: str, ms: int = 6000) -> None:
    """One line in the status bar of the window holding `widget` (if it has one)."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, ms)


def save_picture_dialog(view: QWidget, name: str, parent: QWidget | None = None) -> Path | None:
    """Ask where to save a picture of `view`, save it, and say so in the status bar.

    A failure (an unwritable folder, a full disk) is one clear status-bar line; nothing is
    raised, because the student only asked for a picture.
    """
    path, chosen = QFileDialog.getSaveFileName(
        parent or view, f"Save a picture of {name}", default_file_name(name), FILTERS
    )
    if not path:
        return None
    path, kind = picture_format(path, chosen)
    return save_and_report(view, path, kind)


def save_and_report(view: QWidget, path: str | Path, kind: str | None = None) -> Path | None:
    """`save_picture`, with the outcome as one status-bar line instead of an exception."""
    try:
        written = save_picture(view, path, kind)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        show_status(view, f"Could not save the picture to {path}: {reason}")
        return None
    show_status(view, f"Saved picture {written}")
    return written


class SaveImageMenu:
    """Mixin for a view class: right-click shows a menu with "Save image…".

    Put it before the Qt base class (`class LossPlot(SaveImageMenu, pg.GraphicsLayoutWidget)`)
    and set `picture_name` to what the picture shows ("the loss curve").
    """

    picture_name = "this view"

    def picture_menu(self) -> QMenu:
        """The right-click menu (built fresh, so tests can look at it without a click)."""
        menu = QMenu(self)  # type: ignore[arg-type]
        action = menu.addAction(SAVE_IMAGE_TEXT)
        action.setToolTip("Save this view as a PNG (2× for slides) or an SVG drawing")
        action.triggered.connect(lambda: save_picture_dialog(self, self.picture_name))  # type: ignore[arg-type]
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.picture_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one menu per click, freed after
        menu.popup(event.globalPos())
        event.accept()
