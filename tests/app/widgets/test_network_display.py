"""Tests of what the network drawing shows, without Qt: texts, titles and layout arithmetic."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from app.widgets.network_display import (
    DisplayState,
    StepFocus,
    bubble_text,
    edge_width,
    layer_title,
    layer_title_lines,
    node_caption_lines,
    node_centres,
    node_value_text,
    number_or_blank,
)
from nncore import Network


def test_the_module_imports_no_qt():
    code = (
        "import json, sys; import app.widgets.network_display; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_numbers_are_written_as_the_core_writes_them_and_unknown_ones_are_blank():
    assert number_or_blank(-0.46) == "−0.46"
    assert number_or_blank(0.123456) == "0.1235"
    assert number_or_blank(-0.0) == "0"
    assert number_or_blank(1.5e-7) == "1.5×10⁻⁷"
    assert number_or_blank(-2.5e6) == "−2.5×10⁶"
    assert number_or_blank(None) == ""


def test_layer_titles_are_built_from_name_and_activation():
    assert layer_title(0, 3, "relu") == "Inputs"
    assert layer_title(1, 3, "relu") == "Hidden 1 (relu)"
    assert layer_title(2, 3, "linear") == "Output (linear)"
    assert layer_title_lines("Hidden 1", "relu", two_lines=True) == ["Hidden 1", "(relu)"]
    assert layer_title_lines("Inputs", None, two_lines=True) == ["Inputs"]


def test_a_two_line_title_keeps_a_name_that_holds_a_parenthesis_whole():
    # Cutting the one-line text at its first " (" would give ["Output", "(ŷ) (relu)"].
    lines = layer_title_lines("Output (ŷ)", "relu", two_lines=True)
    assert lines == ["Output (ŷ)", "(relu)"]
    assert layer_title_lines("Output (ŷ)", "relu", two_lines=False) == ["Output (ŷ) (relu)"]


def _article_display():
    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    return net, DisplayState.from_network(net, [0.1, 0.3], [0.2])


def test_display_reads_weights_and_biases_and_knows_what_it_lacks():
    net, d = _article_display()
    assert d.weight((1, 2, 0)) == float(net.weights[1][2, 0])
    assert d.bias((0, 1)) == float(net.biases[0][0, 1])
    assert DisplayState().weight((0, 0, 0)) is None
    assert DisplayState().bias((0, 0)) is None
    biggest = max(float(np.abs(w).max()) for w in net.weights)
    assert d.weight_scale() == max(1.0, biggest)


def test_a_value_being_computed_counts_up_and_an_unknown_one_is_a_question_mark():
    _, before = _article_display()
    after = DisplayState.from_network(Network([2, 3, 1], init="article", seed=99), [0.1, 0.3])
    after.a[(1, 0)] = 0.5
    after.z[(1, 0)] = 0.8
    focus = StepFocus(phase="forward", kind="activation", nodes=((1, 0),))
    assert node_value_text((1, 1), after, before, focus, 1.0) == ("?", "muted")
    assert node_value_text((1, 0), after, before, focus, 0.5) == ("0.25", "foreground")
    assert node_value_text((1, 0), after, before, focus, 1.0) == ("0.5", "foreground")
    assert node_caption_lines((1, 0), after, before, focus, 0.25) == [("z = 0.2", "muted")]
    after.errors[(1, 0)] = -0.125
    after.desired[(1, 0)] = 0.3
    assert node_caption_lines((1, 0), after, after, focus, 1.0) == [
        ("z = 0.8", "muted"),
        ("wants +0.3", "foreground"),
        ("δ = −0.125", "backward"),
    ]


def test_a_step_involves_the_ends_of_its_weights_and_the_neurons_of_its_biases():
    focus = StepFocus(nodes=((2, 0),), edges=((0, 1, 2),), biases=((1, 0),))
    assert focus.involved_nodes() == {(2, 0), (0, 1), (1, 2)}


def test_bubble_shows_a_short_formula_or_caption_and_value():
    assert bubble_text(StepFocus(text="z = 0.1 + 0.2 = 0.3", value=0.3)) == "z = 0.1 + 0.2 = 0.3"
    assert bubble_text(StepFocus(kind="sum", caption="z", value=-0.25)) == "z = −0.25"
    assert bubble_text(StepFocus(kind="weight_grad", value=0.5)) == "weight grad = 0.5"


def test_line_width_grows_with_the_weight_up_to_six_times_the_thinnest():
    assert edge_width(0.0, 2.0, 1.5) == 1.5
    assert edge_width(-1.0, 2.0, 1.5) == pytest.approx(1.5 * 3.5)
    assert edge_width(9.0, 2.0, 1.5) == pytest.approx(9.0)


@pytest.mark.parametrize("sizes", [(1, 1), (2, 3, 1), (4, 6, 6, 6, 3)])
def test_neurons_sit_in_evenly_spaced_columns_centred_between_top_and_bottom(sizes):
    centres = node_centres(sizes, left=10.0, right=410.0, top=20.0, bottom=320.0)
    assert len(centres) == sum(sizes)
    xs = sorted({x for x, _ in centres.values()})
    assert xs == pytest.approx(list(np.linspace(10.0, 410.0, len(sizes))))
    for column, n in enumerate(sizes):
        ys = [centres[(column, i)][1] for i in range(n)]
        assert np.mean(ys) == pytest.approx(170.0)
        assert all(20.0 <= y <= 320.0 for y in ys)
        assert ys == sorted(ys)


# ---- values a Predict question keeps back --------------------------------------------------


def _display_with(**fields):
    import numpy as np

    base = dict(
        weights=[np.array([[0.5, -0.25]])],
        biases=[np.array([[0.1, 0.0]])],
        a={(0, 0): 1.0, (1, 0): 0.6},
        z={(1, 0): 0.6},
        errors={(1, 0): -0.3},
    )
    base.update(fields)
    return DisplayState(**base)


def test_hidden_values_are_written_as_a_question_mark():
    from app.widgets.network_display import (
        HIDDEN_TEXT,
        bias_text,
        node_caption_lines,
        node_value_text,
        weight_text,
    )

    hidden = frozenset(
        {
            ("a", (1, 0)),
            ("z", (1, 0)),
            ("errors", (1, 0)),
            ("weights", (0, 0, 1)),
            ("biases", (0, 0)),
        }
    )
    d = _display_with(hidden=hidden)
    assert node_value_text((1, 0), d, d, StepFocus(), 1.0)[0] == HIDDEN_TEXT
    captions = [text for text, _ in node_caption_lines((1, 0), d, d, StepFocus(), 1.0)]
    assert captions == [f"z = {HIDDEN_TEXT}", f"δ = {HIDDEN_TEXT}"]
    assert weight_text(d, (0, 0, 1)) == HIDDEN_TEXT
    assert weight_text(d, (0, 0, 0)) == "0.5"
    assert bias_text(d, (0, 0)) == f"b = {HIDDEN_TEXT}"
    assert bias_text(d, (0, 1)) == "b = 0"
    # A hidden sum shows its blank even before the display holds the sum.
    empty = _display_with(z={}, hidden=frozenset({("z", (1, 0))}))
    assert node_caption_lines((1, 0), empty, empty, StepFocus(), 1.0)[0][0] == f"z = {HIDDEN_TEXT}"


def test_changed_entries_name_what_a_step_adds_or_moves():
    import numpy as np

    from app.widgets.network_display import changed_entries

    before = _display_with()
    after = _display_with(
        weights=[np.array([[0.5, -0.2]])], a={(0, 0): 1.0, (1, 0): 0.6, (1, 1): 0.0}
    )
    assert changed_entries(before, after) == {("weights", (0, 0, 1)), ("a", (1, 1))}
    assert changed_entries(before, before) == frozenset()
