"""Every number on the drawing meets WCAG AA (4.5:1) against what it is painted on.

Issue 10: already-computed values faded to pale labels (worse in the dark theme). Checked in
each state a number can be in: not yet computed, just computed (the step's focus), computed
earlier (dimmed), and Predict mode's "?", in both themes.
"""

from __future__ import annotations

import pytest

from app import theme as app_theme
from app.step.tab import SPEEDS, StepThroughTab
from app.widgets.network_contrast import AA_TEXT, contrast_ratio


@pytest.fixture(params=app_theme.THEMES)
def tab(qtbot, request):
    app_theme.set_theme(request.param)
    widget = StepThroughTab()
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitExposed(widget)
    widget.speed_box.setCurrentIndex(len(SPEEDS) - 1)
    yield widget
    widget.shutdown()
    app_theme.set_theme("light")


def _low_contrast(tab) -> list[str]:
    bad = []
    for label in tab.view.drawing.all_labels():
        if not label.isVisible():
            continue
        for text, colour, behind in label.painted_colours():
            ratio = contrast_ratio(colour.getRgbF()[:3], behind.getRgbF()[:3])
            if text.strip() and ratio < AA_TEXT:
                bad.append(f"{label.key} {text!r}: {ratio:.2f}")
    return bad


@pytest.mark.parametrize("granularity", ["operation", "neuron"])
def test_numbers_meet_aa_in_every_state(tab, granularity):
    tab.set_granularity(granularity)
    positions = sorted({0, 3, 12, len(tab.lesson) // 2, len(tab.lesson) - 5, len(tab.lesson)})
    for k in positions:
        tab.go_to(max(0, k - 1))
        tab.step_forward()  # a step with its focus: the rest is dimmed
        assert _low_contrast(tab) == [], f"after {tab.position} steps"


def test_predict_questions_meet_aa(tab, qtbot):
    tab.predict.toggle()
    tab.step_forward()  # a question: the number is a "?" until answered
    assert _low_contrast(tab) == []
    tab.predict.toggle()
