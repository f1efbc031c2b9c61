"""The comparison window's layout logic, without Qt: its rows, captions and plot data."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from app.step import loss_compare_view as view
from nncore.lesson.loss_comparison import DEFAULT_NEURON, Neuron, compare


def test_rows_follow_the_chain_rule_and_highlight_the_factor_that_differs():
    c = compare(DEFAULT_NEURON)
    for step in c.columns:
        rows = view.column_rows(step)
        assert [r.key for r in rows] == list(view.ROW_ORDER)
        assert [r.key for r in rows if r.emphasis] == ["slope", "d_z"]
        assert all(r.text == step.formulas[r.key][0] for r in rows)
        assert all(r.tip == step.narration[r.key] for r in rows)
        assert [r.key for r in rows if r.note] == ["slope"]
    notes = {step.loss_key: view.column_rows(step)[3].note for step in c.columns}
    assert "multiplied" in notes["mse"] and "cancelled" in notes["cross_entropy"]


def test_captions_count_the_steps_from_here():
    c = compare(DEFAULT_NEURON)
    assert view.column_caption(c.squared) == "From here: 36 steps until ŷ > 0.5 at learning rate 1."
    right = compare(Neuron(w=3.0, b=0.0, x=1.0, y=1, lr=1.0))
    assert view.column_caption(right.cross_entropy) == "Already ŷ > 0.5: the answer is right."
    assert "56.6-fold" in view.plot_caption(c)
    assert "fold" not in view.plot_caption(c.stepped())
    assert view.headline(c) == c.summary()


def test_plot_data_holds_both_neurons_within_bounds():
    data = view.plot_data(compare(DEFAULT_NEURON))
    assert data.x_range == (-8.0, 8.0)
    assert data.marks["mse"] == pytest.approx((-4.0, abs(compare().squared.d_z)))
    assert np.all(data.curves["mse"] <= data.curves["cross_entropy"])
    far = view.plot_data(compare(Neuron(w=-20.0, b=0.0, x=20.0, y=1, lr=1.0)))  # z = −400
    assert far.x_range == (-view.Z_FAR, 8.0)
    assert far.marks["cross_entropy"][0] == -view.Z_FAR  # drawn at the edge, not off it
    wide = view.plot_data(compare(Neuron(w=10.0, b=2.0, x=1.0, y=0, lr=1.0)))  # z = 12
    assert wide.x_range == (-8.0, 13.0)


def test_it_needs_no_qt():
    """Imported alone, in a fresh interpreter, it loads neither Qt nor pyqtgraph."""
    code = (
        "import sys, app.step.loss_compare_view; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
