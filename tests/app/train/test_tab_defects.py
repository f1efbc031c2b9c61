"""Tests for the Train-tab defects of issue 12 (pytest-qt, offscreen): each was seen by a
student trying the tab, and each test fails on the code before its fix."""

from __future__ import annotations

import pytest

from app.train import session
from nncore import training


@pytest.fixture
def tab(qtbot):
    from app.train.tab import TrainTab

    widget = TrainTab()
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


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
