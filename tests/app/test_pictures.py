"""Saving pictures: every kind of view to PNG (2× its size) and SVG (parses, right size, not blank)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QContextMenuEvent, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QVBoxLayout, QWidget

from app.picture_names import PNG_SCALE
from app.pictures import SAVE_IMAGE_TEXT, save_and_report, save_picture
from app.widgets.contour_view import ContourView
from app.widgets.network_view import NetworkView
from app.widgets.plots import LossPlot


def distinct_colours(image: QImage) -> int:
    """How many different colours a coarse sample of the image holds (1 means blank)."""
    seen = set()
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            seen.add(image.pixel(x, y))
    return len(seen)


def render_svg(path, width: int, height: int) -> QImage:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def svg_size(path) -> tuple[float, float]:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    view_box = root.get("viewBox")
    if view_box:
        _x, _y, w, h = (float(v) for v in view_box.replace(",", " ").split())
        return w, h
    return float(root.get("width").rstrip("px")), float(root.get("height").rstrip("px"))


@pytest.fixture
def network(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.set_architecture((2, 3, 1), ["tanh", "identity"])
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def loss_plot(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(400, 260)
    plot.set_history(
        np.arange(1, 21), np.linspace(1.0, 0.1, 20), np.linspace(1.1, 0.2, 20), np.full(20, 0.01)
    )
    plot.show()
    qtbot.waitExposed(plot)
    return plot


@pytest.fixture
def contour(qtbot):
    view = ContourView("Prediction", bar_label="z")
    qtbot.addWidget(view)
    view.resize(360, 300)
    xs = np.linspace(-1, 1, 30)
    view.set_grid(xs, xs)
    Z = np.add.outer(xs, xs**2)
    view.set_values(Z, (float(Z.min()), float(Z.max())), np.linspace(Z.min(), Z.max(), 6))
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def panel(qtbot):
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.addWidget(QLabel("A whole tab: a label and more"))
    qtbot.addWidget(widget)
    widget.resize(300, 120)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


VIEWS = ["network", "loss_plot", "contour", "panel"]


@pytest.mark.parametrize("name", VIEWS)
def test_png_is_twice_the_view(request, tmp_path, name):
    view = request.getfixturevalue(name)
    written = save_picture(view, tmp_path / "picture.png")
    image = QImage(str(written))
    assert not image.isNull()
    size = (
        view.viewport().size() if hasattr(view, "viewport") and name == "network" else view.size()
    )
    assert abs(image.width() - PNG_SCALE * size.width()) <= 1
    assert abs(image.height() - PNG_SCALE * size.height()) <= 2
    assert distinct_colours(image) > 2


@pytest.mark.parametrize("name", VIEWS)
def test_svg_parses_has_the_size_and_renders(request, tmp_path, name):
    view = request.getfixturevalue(name)
    written = save_picture(view, tmp_path / "picture.svg")
    width, height = svg_size(written)
    assert abs(width - view.width()) <= 2 and abs(height - view.height()) <= 2
    image = render_svg(written, view.width(), view.height())
    image.save(str(tmp_path / "rendered.png"))
    assert distinct_colours(image) > 2


def test_a_name_without_suffix_becomes_png(tmp_path, panel):
    assert save_picture(panel, tmp_path / "slide").name == "slide.png"


def test_unwritable_folder_is_one_status_line_not_a_crash(qtbot, tmp_path):
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    label = QLabel("picture me")
    window.setCentralWidget(label)
    window.resize(200, 100)
    window.show()
    qtbot.waitExposed(window)
    target = tmp_path / "no such folder" / "x.png"
    assert save_and_report(label, target) is None
    message = window.statusBar().currentMessage()
    assert message.startswith("Could not save the picture") and "\n" not in message
    assert not target.exists()


@pytest.mark.parametrize("name", ["network", "loss_plot", "contour"])
def test_right_click_offers_save_image(qtbot, request, name):
    view = request.getfixturevalue(name)
    assert [a.text() for a in view.picture_menu().actions()] == [SAVE_IMAGE_TEXT]
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, QPoint(20, 20), view.mapToGlobal(QPoint(20, 20))
    )
    view.contextMenuEvent(event)

    def menu_shown():
        menus = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()
        ]
        assert any(a.text() == SAVE_IMAGE_TEXT for m in menus for a in m.actions())
        for m in menus:
            m.close()

    qtbot.waitUntil(menu_shown)


# ----------------------------------------------------------------- app.picture_names (no Qt)


def test_the_suffix_decides_the_format_then_the_filter():
    from app.picture_names import PNG_FILTER, SVG_FILTER, picture_format

    assert picture_format("a/slide.SVG", PNG_FILTER)[1] == "svg"
    assert picture_format("slide", SVG_FILTER) == (Path("slide.svg"), "svg")
    assert picture_format("slide", PNG_FILTER) == (Path("slide.png"), "png")
    assert picture_format("slide.v2") == (Path("slide.v2.png"), "png")


def test_default_file_name_is_a_plain_slug():
    from app.picture_names import default_file_name

    assert default_file_name("the Step through tab") == "nn-tutor-the-step-through-tab.png"
    assert default_file_name("Error: prediction − truth", "svg") == (
        "nn-tutor-error-prediction-truth.svg"
    )
    assert default_file_name("???") == "nn-tutor-picture.png"


def test_the_qt_free_modules_import_no_qt():
    import subprocess
    import sys

    code = (
        "import sys, app.zoom, app.picture_names; "
        "sys.exit(any(m.split('.')[0] in ('PySide6', 'pyqtgraph') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def _svg_texts(path) -> list[str]:
    import re

    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text())]


def test_the_drawings_words_are_text_in_an_svg_not_bitmaps(qtbot, tmp_path, network):
    from PySide6.QtWidgets import QGraphicsItem

    from nncore.lesson import article_network

    network.resize(900, 600)  # room for the biases' plates
    network.set_network(article_network(), x=[0.1, 0.3], target=[0.2])
    network.grab()  # painted once on screen: the labels' caches are filled
    inside_a_tab = QWidget()
    QVBoxLayout(inside_a_tab).addWidget(QLabel("a tab"))
    qtbot.addWidget(inside_a_tab)
    for view in (network, inside_a_tab):
        written = save_picture(view, tmp_path / "drawing.svg")
        if view is network:
            texts = _svg_texts(written)
            assert {"0.6", "−0.7", "b = 0.1", "target 0.2"} <= set(texts), texts
            assert "<image" not in written.read_text()
    cached = [i for i in network.scene().items() if i.cacheMode() != QGraphicsItem.NoCache]
    assert cached  # the screen keeps its caches
