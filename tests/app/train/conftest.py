"""Shared set-up for the Train tab's tests: `tab`, a TrainTab shut down after the test."""

import pytest


@pytest.fixture
def tab(qtbot):
    """A Train tab on its own (not shown), its worker and timers stopped after the test."""
    from app.train.tab import TrainTab

    widget = TrainTab()
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()
