"""Tests for the Train-tab defects of issue 12 (pytest-qt, offscreen): each was seen by a
student trying the tab, and each test fails on the code before its fix."""

from __future__ import annotations

import numpy as np

from app.train import session
from nncore import training

# ---- 5. an edited recipe says so ------------------------------------------------------------


def test_an_edited_recipe_is_not_called_the_article_and_reset_keeps_saying_so(tab):
    panel = tab.model_panel
    assert panel.recipe_combo.currentText() == "article: as in the article"
    panel.lr_spin.setValue(0.002)
    assert "edited" in panel.recipe_combo.currentText()
    assert "as in the article" not in panel.recipe_combo.currentText()
    tab.reset()
    assert panel.lr_spin.value() == 0.002
    assert "edited" in panel.recipe_combo.currentText()
    panel.lr_spin.setValue(0.001)  # back to the article's own rate
    assert panel.recipe_combo.currentText() == "article: as in the article"


def test_switching_recipes_drops_the_edited_mark(tab):
    panel = tab.model_panel
    panel.epochs_spin.setValue(100)
    panel.recipe_combo.setCurrentIndex(panel.recipe_combo.findData("modern"))
    panel.recipe_combo.setCurrentIndex(panel.recipe_combo.findData("article"))
    assert panel.recipe_combo.currentText() == "article: as in the article"


def test_the_banner_claims_the_articles_result_only_for_the_articles_settings():
    done = training.StopReason("epochs", "Reached 2,000 epochs.")
    article = training.recipe("article")
    _kind, title, _detail, _action = session.advice_after(done, article, 0.9)
    assert "just as in the article" in title
    edited = training.recipe("article", lr=0.002)
    assert session.recipe_edits(edited) == ["lr"]
    _kind, title, _detail, _action = session.advice_after(done, edited, 0.9)
    assert "as in the article" not in title


# ---- 4. a long formula error is shown whole -------------------------------------------------


def test_a_long_formula_error_gets_the_height_it_needs_after_a_short_one(open_window, qtbot):
    """Typing `log(x)` shows short errors first ("'l' is neither ..."), then a long one:
    the message label must grow to all its lines, not keep the short one's height."""
    window = open_window()
    window.resize(1400, 900)
    window.tabs.setCurrentWidget(window.train_tab)
    panel = window.train_tab.data_panel
    message = panel.message
    panel.function_combo.setCurrentIndex(panel.function_combo.findData("formula"))
    for typed in ("l", "log", "log(", "log(x)"):
        panel.formula_edit.setText(typed)
        qtbot.waitUntil(lambda typed=typed: typed in message.text())
    assert "NaN" in message.text()
    qtbot.waitUntil(lambda: message.height() >= message.heightForWidth(message.width()))
    whole = message.toolTip() or message.text()
    assert whole.endswith("instead of 1/x")  # the tooltip holds the whole message


# ---- 2. the hover readout shows the values where they were computed -------------------------


def test_the_hover_readout_names_the_grid_point_its_values_belong_to(tab):
    from nncore import data as nndata

    xs, ys, Z = nndata.grid_axes(nndata.FUNCTIONS["article"], 100)
    tab.truth_view.hovered.emit(8.99, 2.61, True)  # between grid rows 62 (2.53) and 63
    text = tab.views.hover_label.text()
    row = int(np.argmin(np.abs(ys - 2.61)))
    col = int(np.argmin(np.abs(xs - 8.99)))
    assert f"x = {xs[col]:.2f}, y = {ys[row]:.2f}" in text  # y = 2.53, not the mouse's 2.61
    assert f"truth {Z[row, col]:.4g}" in text


def test_the_hover_readout_is_cleared_by_a_new_run_and_by_new_data(tab, qtbot, tmp_path):
    label = tab.views.hover_label
    hint = label.text()  # "Hover over a map to read ..."
    tab.truth_view.hovered.emit(1.0, 1.0, True)
    assert label.text() != hint
    tab.reset()
    assert label.text() == hint
    tab.truth_view.hovered.emit(1.0, 1.0, True)
    csv = tmp_path / "points.csv"
    rows = [f"{x},{y},{x * y}" for x in range(-5, 6) for y in range(-5, 6)]
    csv.write_text("x,y,z\n" + "\n".join(rows) + "\n")
    with qtbot.waitSignal(tab.data_panel.changed, timeout=3000):
        assert tab.data_panel.load_csv(str(csv))
    qtbot.waitUntil(lambda: tab.prepared.truth is None)  # the tab has taken the CSV data
    assert label.text() == hint
