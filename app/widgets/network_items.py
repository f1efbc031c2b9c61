"""The pieces of the network drawing: Qt graphics items that paint one thing each.

- `LabelItem`: one or more lines of text on a rounded plate (weights, biases, z and δ,
  layer titles, the step's result bubble);
- `EdgeItem`: a weight's line, with a click area wider than its pen;
- `NodeItem`: a neuron (or an input) as a circle;
- `PulseItem`: every moving dot of the current animation, painted by one item;
- `LegendItem`: the line that explains the colours.

The items store what they are told and paint it; `NetworkView` (app.widgets.network_view)
decides what that is. `mix` blends two colours for the drawing's fades and flashes.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
)
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem

from app.widgets.network_contrast import readable


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """Colour between a (t = 0) and b (t = 1): a presentation blend, not model arithmetic."""
    t = min(1.0, max(0.0, t))
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


class LabelItem(QGraphicsItem):
    """One or more lines of text on a rounded, nearly opaque plate.

    Centred on its position, or, with `hang=True`, hanging below it (its top edge at the
    position) so that extra lines grow downwards.

    Its text always meets WCAG AA contrast (4.5:1, `app.widgets.network_contrast`) with what
    it is painted on: its plate, else its `backdrop` item's fill (a neuron's value sits on the
    neuron), else the drawing's `ground`. A label is never see-through: `setOpacity` below 1
    softens its colours towards the background only as far as that contrast allows.
    """

    def __init__(self, key=None, parent=None, hang: bool = False):
        super().__init__(parent)
        self.key = key
        self.hang = hang
        self._lines: list[tuple[str, QColor]] = []
        self._font = QFont()
        self._plate = QColor("#ffffff")
        self._border: QColor | None = None
        self._rect = QRectF()
        self.ground = QColor("#ffffff")  # the drawing's background, under a plate-less label
        self.backdrop: QGraphicsItem | None = None  # an item with a brush, under the label
        self._softness = 1.0  # what setOpacity asked for (1: full colour)
        self._painted_on: QColor | None = None
        self.setAcceptHoverEvents(False)
        # Labels change far less often than frames are drawn: keep each one as a pixmap.
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)

    def set_style(
        self,
        font: QFont,
        plate: QColor | None,
        border: QColor | None = None,
        ground: QColor | None = None,
    ):
        """Font, plate colour (None: no plate), optional frame colour, drawing background."""
        self._font, self._border = QFont(font), border
        self._plate = QColor(plate) if plate is not None else None
        if ground is not None:
            self.ground = QColor(ground)
        self._relayout()

    def setOpacity(self, opacity: float):
        """Soften the label's colours (not make it see-through, which would fade the text)."""
        behind = self.background()
        if opacity != self._softness or behind != self._painted_on:
            self._softness = float(opacity)
            self.update()  # the cached picture is redrawn (also when the backdrop changed)

    def opacity(self) -> float:
        return self._softness

    def background(self) -> QColor:
        """What the text is painted on: the plate, the backdrop's fill or the ground."""
        if self._plate is not None:
            return QColor(self._plate)
        if self.backdrop is not None and hasattr(self.backdrop, "brush"):
            return QColor(self.backdrop.brush().color())
        return QColor(self.ground)

    def painted_colours(self) -> list[tuple[str, QColor, QColor]]:
        """(text, colour as painted, background) of each line: what a contrast check reads."""
        behind = self.background()
        out = []
        for text, colour in self._lines:
            softened = mix(behind, QColor(colour), self._softness)
            r, g, b = readable(softened.getRgbF()[:3], behind.getRgbF()[:3])
            out.append((text, QColor.fromRgbF(r, g, b), behind))
        return out

    def set_border(self, border: QColor | None):
        if border != self._border:
            self._border = border
            self.update()

    def set_lines(self, lines: list[tuple[str, QColor]]):
        if lines == self._lines:
            return
        self._lines = list(lines)
        self._relayout()

    def text(self) -> str:
        return "\n".join(t for t, _ in self._lines)

    def _relayout(self):
        self.prepareGeometryChange()
        fm = QFontMetricsF(self._font)
        width = max((fm.horizontalAdvance(t) for t, _ in self._lines), default=0.0)
        height = fm.height() * len(self._lines)
        pad = fm.height() * 0.18
        top = 0.0 if self.hang else -height / 2 - pad
        self._rect = QRectF(-width / 2 - pad * 1.6, top, width + pad * 3.2, height + pad * 2)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def plate_rect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None):
        if not self._lines:
            return
        painter.setRenderHint(QPainter.Antialiasing)
        if self._plate is not None or self._border is not None:
            painter.setPen(QPen(self._border, 1.5) if self._border is not None else Qt.NoPen)
            if self._plate is not None:
                plate = QColor(self._plate)  # opaque: the text's contrast is measured on it
                painter.setBrush(plate)
            else:
                painter.setBrush(Qt.NoBrush)
            radius = self._rect.height() * (0.2 if len(self._lines) > 1 else 0.35)
            painter.drawRoundedRect(self._rect, radius, radius)
        painter.setFont(self._font)
        fm = QFontMetricsF(self._font)
        y = self._rect.top() + fm.height() * 0.18
        self._painted_on = self.background()
        for text, colour, _ in self.painted_colours():
            painter.setPen(colour)
            painter.drawText(
                QRectF(self._rect.left(), y, self._rect.width(), fm.height()), Qt.AlignCenter, text
            )
            y += fm.height()


class EdgeItem(QGraphicsItem):
    """A weight: a line whose click area is wider than its pen.

    Its bounds and click shape are cached and recomputed only when the line or the pen's
    width changes, so an animation frame that recolours it costs no geometry work.
    """

    def __init__(self, key, parent=None):
        super().__init__(parent)
        self.key = key
        self.pick_width = 10.0
        self.dimmed = False
        self._line = QLineF()
        self._pen = QPen()
        self._bounds = QRectF()
        self._shape = QPainterPath()
        self.setCursor(Qt.PointingHandCursor)

    def line(self) -> QLineF:
        return QLineF(self._line)

    def pen(self) -> QPen:
        return QPen(self._pen)

    def setLine(self, x1, y1, x2, y2):
        self._line = QLineF(x1, y1, x2, y2)
        self._update_geometry()

    def setPen(self, pen: QPen):
        width_changed = pen.widthF() != self._pen.widthF()
        self._pen = QPen(pen)
        if width_changed:
            self._update_geometry()
        else:
            self.update()

    def _update_geometry(self):
        self.prepareGeometryChange()
        width = max(self.pick_width, self._pen.widthF() + 4)
        path = QPainterPath(self._line.p1())
        path.lineTo(self._line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(width)
        self._shape = stroker.createStroke(path)
        self._bounds = self._shape.boundingRect()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._shape

    def paint(self, painter: QPainter, option, widget=None):
        painter.setPen(self._pen)
        painter.drawLine(self._line)


class NodeItem(QGraphicsEllipseItem):
    """A neuron (or an input): a circle with its value written inside."""

    def __init__(self, key, parent=None):
        super().__init__(parent)
        self.key = key
        self.dimmed = False
        self.setCursor(Qt.PointingHandCursor)


class PulseItem(QGraphicsItem):
    """Every moving pulse of the current animation, painted by one item.

    `segments` are (start, end) points; `progress` in [0, 1] places a glowing dot along
    each one. Painting them all in one item keeps an animation frame one cheap update.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.segments: list[tuple[QPointF, QPointF]] = []
        self.colour = QColor("#009E73")
        self.rim = QColor("#ffffff")
        self.radius = 6.0
        self.progress = 0.0
        self._bounds = QRectF()
        self.setZValue(50)

    def set_segments(self, segments, colour: QColor, radius: float):
        self.prepareGeometryChange()
        self.segments, self.colour, self.radius = list(segments), QColor(colour), radius
        if segments:
            xs = [p.x() for s in segments for p in s]
            ys = [p.y() for s in segments for p in s]
            r = radius * 2.5
            self._bounds = QRectF(
                min(xs) - r, min(ys) - r, max(xs) - min(xs) + 2 * r, max(ys) - min(ys) + 2 * r
            )
        else:
            self._bounds = QRectF()
        self.update()

    def set_progress(self, t: float):
        self.progress = t
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None):
        if not self.segments or self.progress <= 0.0 or self.progress >= 1.0:
            return
        painter.setRenderHint(QPainter.Antialiasing)
        t = self.progress
        # An opaque dot with a white rim reads on any line and costs no blending.
        painter.setPen(QPen(QColor(self.rim), self.radius * 0.45))
        painter.setBrush(self.colour)
        for start, end in self.segments:
            painter.drawEllipse(start + (end - start) * t, self.radius, self.radius)


class LegendItem(QGraphicsItem):
    """The lines that explain the colours: coloured runs of text, each after a swatch.

    The entries fill one line. When the drawing is too narrow for them (large text, a small
    window), the text first gets a little smaller (down to `MIN_SHRINK` of its size), and only
    then wraps onto a second line, which takes room from the neurons: never off the edge.
    """

    MIN_SHRINK = 0.8

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[tuple[str, QColor, str]] = []  # (text, colour, "line"|"dot")
        self.full_font = QFont()  # the size asked for; `font` is what fits the width
        self.font = QFont()
        self.text_colour = QColor("#000000")
        self.max_width = math.inf
        self.places: list[QPointF] = []  # where each entry's swatch starts
        self._rect = QRectF()
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)

    def set_entries(self, entries, font: QFont, text_colour: QColor):
        self.entries, self.text_colour = list(entries), QColor(text_colour)
        self.full_font = QFont(font)
        self._arrange()

    def set_max_width(self, width: float) -> None:
        """Wrap the entries to lines of at most `width` (one entry on a line may be wider)."""
        if width != self.max_width:
            self.max_width = width
            self._arrange()

    def _one_line_width(self, font: QFont) -> float:
        fm = QFontMetricsF(font)
        h = fm.height()
        return sum(h * 2.2 + fm.horizontalAdvance(text) for text, _, _ in self.entries) - h * 0.8

    def _arrange(self) -> None:
        self.prepareGeometryChange()
        self.font = QFont(self.full_font)
        too_wide = self._one_line_width(self.font) / self.max_width
        if too_wide > 1 and self.font.pointSizeF() > 0:
            shrink = max(self.MIN_SHRINK, 1 / too_wide) * 0.99  # a hair more, for rounding
            self.font.setPointSizeF(self.full_font.pointSizeF() * shrink)
        fm = QFontMetricsF(self.font)
        h, line = fm.height(), fm.height() * 1.2
        x, y, widest, self.places = 0.0, 0.0, 0.0, []
        for text, _, _ in self.entries:
            width = h * 1.4 + fm.horizontalAdvance(text)  # swatch, then the words
            if x > 0 and x + width > self.max_width:
                x, y = 0.0, y + line
            self.places.append(QPointF(x, y))
            widest = max(widest, x + width)
            x += width + h * 0.8
        self._rect = QRectF(0, 0, widest, y + line if self.entries else 0.0)
        self.update()

    def text(self) -> str:
        return " · ".join(t for t, _, _ in self.entries)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None):
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setFont(self.font)
        fm = QFontMetricsF(self.font)
        h, line = fm.height(), fm.height() * 1.2
        for (text, colour, swatch), place in zip(self.entries, self.places, strict=True):
            x, mid = place.x(), place.y() + line / 2
            if swatch == "line":
                painter.setPen(QPen(colour, max(2.0, h * 0.22), Qt.SolidLine, Qt.FlatCap))
                painter.drawLine(QPointF(x, mid), QPointF(x + h * 1.1, mid))
            else:
                painter.setPen(Qt.NoPen)
                painter.setBrush(colour)
                painter.drawEllipse(QPointF(x + h * 0.55, mid), h * 0.3, h * 0.3)
            x += h * 1.4
            painter.setPen(self.text_colour)
            painter.drawText(
                QRectF(x, place.y(), fm.horizontalAdvance(text) + 2, line),
                Qt.AlignVCenter | Qt.AlignLeft,
                text,
            )
