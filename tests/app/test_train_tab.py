"""Tests for the Train tab (pytest-qt, offscreen)."""
from __future__ import annotations

import numpy as np
import pytest

from nncore import data as nndata


@pytest.fixture
def tab(qtbot):
    from app.train_tab import TrainTab

    widget = TrainTab()
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def test_tab_opens_on_the_article_function_and_its_points(tab):
    xs, ys, Z = nndata.grid_axes(nndata.FUNCTIONS["article"], 100)
    assert np.array_equal(tab.truth_view.values(), Z)
    assert tab.truth_view.contour_point_count() > 0
    assert tab.scatter_view.point_count() == len(tab.prepared.train) == 800
    assert len(tab.prepared.val) == 200


def test_a_bad_formula_is_refused_with_a_message(tab, qtbot):
    panel = tab.data_panel
    before = tab.prepared
    panel.function_combo.setCurrentIndex(panel.function_combo.findData("formula"))
    panel.formula_edit.setText("sin(x) + os.system(1)")
    qtbot.waitUntil(lambda: not panel.message.isHidden() and panel.message.text() != "")
    assert "not allowed" in panel.message.text() or "column" in panel.message.text()
    assert tab.prepared is before
    # a good formula is accepted and redrawn
    with qtbot.waitSignal(panel.changed, timeout=3000):
        panel.formula_edit.setText("x - y")
    assert tab.prepared.function.label == "x - y"
    assert panel.message.isHidden()


def test_a_bad_csv_is_refused_with_a_message(tab, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y,z\n1,2,3\n4,five,6\n")
    assert not tab.data_panel.load_csv(str(bad))
    assert not tab.data_panel.message.isHidden()
    assert "bad.csv" in tab.data_panel.message.text()
    assert tab.prepared.function is not None      # still on the function


def test_a_good_csv_is_used(tab, tmp_path, qtbot):
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (60, 2))
    rows = "\n".join(f"{x},{y},{x * y}" for x, y in X)
    good = tmp_path / "good.csv"
    good.write_text("x,y,z\n" + rows + "\n")
    with qtbot.waitSignal(tab.data_panel.changed, timeout=3000):
        assert tab.data_panel.load_csv(str(good))
    assert tab.prepared.function is None and tab.prepared.truth is None
    assert len(tab.prepared.dataset) == 60
