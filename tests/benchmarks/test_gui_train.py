"""The GUI benchmark's verdicts: each figure beside issue 12's target and the ratio."""

from __future__ import annotations

import pytest

from benchmarks.gui_train import TARGETS, against

pytestmark = pytest.mark.filterwarnings("error")


def test_the_targets_are_issue_12s():
    assert TARGETS == {
        "share": (95.0, "floor"),
        "late_p99": (16.0, "ceiling"),
        "maps_hz": (10.0, "floor"),
        "refresh_cpu": (15.0, "ceiling"),
        "startup": (1.0, "ceiling"),
    }


def test_a_ceiling_is_met_at_or_below_it_and_a_floor_at_or_above_it():
    assert against("late_p99", 8.0, " ms") == "(target ≤ 16 ms, ratio 0.50: met)"
    assert against("startup", 1.49, " s") == "(target ≤ 1 s, ratio 1.49: NOT met)"
    assert against("share", 76.0, " %") == "(target ≥ 95 %, ratio 0.80: NOT met)"
    assert against("maps_hz", 10.0, "/s") == "(target ≥ 10/s, ratio 1.00: met)"
