"""Tests of the network drawing: numbers shown, layouts, clicks, animation and dimming."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF

from app.widgets.network_display import DisplayState, StepFocus
from app.widgets.network_view import NetworkView
from nncore import Network
from nncore.formatting import fmt


@pytest.fixture
def view(qtbot):
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_every_weight_and_input_of_the_article_network_is_written(view):
    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    view.set_network(net, x=[0.1, 0.3], target=[0.2])
    texts = view.texts()
    for layer, w in enumerate(net.weights):
        for i, j in itertools.product(range(w.shape[0]), range(w.shape[1])):
            assert texts[("edge", layer, i, j)] == fmt(w[i, j])
    assert texts[("node", 0, 0)] == "0.1"
    assert texts[("node", 0, 1)] == "0.3"
    assert texts[("target", 0)] == "target 0.2"
    # Neurons not computed yet show a question mark, not a made-up number.
    assert texts[("node", 1, 0)] == "?"
    assert texts[("bias", 0, 2)] == "b = 0"


def test_edge_colour_follows_sign_and_thickness_follows_size(view):
    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    net.set_weight(0, 0, 0, 0.9)
    net.set_weight(0, 0, 1, -0.9)
    net.set_weight(0, 0, 2, 0.05)
    view.set_network(net)
    pos, neg, thin = (view.edges[(0, 0, j)].pen() for j in range(3))
    assert pos.color().name().lower() == "#0072b2"
    assert neg.color().name().lower() == "#e69f00"
    assert thin.widthF() < pos.widthF()
    assert pos.widthF() == pytest.approx(neg.widthF())


@pytest.mark.parametrize("sizes", [(1, 1), (4, 6, 6, 6, 3), (3, 1, 2), (2, 5, 3), (1, 6, 1)])
def test_layouts_keep_every_neuron_inside_and_apart(view, sizes):
    net = Network(sizes, activations="tanh", init="xavier", seed=3)
    view.set_network(net, x=np.linspace(-1, 1, sizes[0]))
    area = view.viewport().rect()
    rects = {
        k: view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        for k, item in view.nodes.items()
    }
    for rect in rects.values():
        assert area.contains(rect)
    for (ka, ra), (kb, rb) in itertools.combinations(rects.items(), 2):
        assert not ra.intersects(rb), (ka, kb)
    # Visible weight labels never cover one another.
    plates = [
        lbl.mapRectToScene(lbl.plate_rect()) for lbl in view.edge_labels.values() if lbl.isVisible()
    ]
    for a, b in itertools.combinations(plates, 2):
        assert not a.intersects(b)
    titles = [lbl.text() for lbl in view.layer_labels]
    assert titles[0] == "Inputs" and titles[-1] == "Output (linear)"


def test_clicks_and_double_clicks_name_the_item(view, qtbot):
    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    view.set_network(net, x=[0.1, 0.3])
    for key in [("node", 1, 2), ("edge", 0, 1, 0), ("bias", 1, 0)]:
        point = view.item_position(key).toPoint()
        with qtbot.waitSignal(view.itemClicked) as blocker:
            qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point)
        assert blocker.args == [key]
    point = view.item_position(("edge", 1, 2, 0)).toPoint()
    with qtbot.waitSignal(view.itemDoubleClicked) as blocker:
        qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=point)
    assert blocker.args == [("edge", 1, 2, 0)]


def _forward_display(net, x, target):
    """What the lesson would show after computing hidden neuron 0 (numbers from nncore)."""
    rec = net.forward([x])
    d = DisplayState.from_network(net, x, target)
    d.z[(1, 0)] = float(rec.z[0][0, 0])
    d.a[(1, 0)] = float(rec.a[1][0, 0])
    return d


def test_a_step_dims_the_rest_and_its_animation_can_be_skipped(view, qtbot):
    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    view.set_network(net)
    before = DisplayState.from_network(net, [0.1, 0.3], [0.2])
    after = _forward_display(net, [0.1, 0.3], [0.2])
    focus = StepFocus(
        phase="forward",
        kind="activation",
        nodes=((1, 0),),
        edges=((0, 0, 0), (0, 1, 0)),
        value=after.a[(1, 0)],
        caption="a",
    )
    view.set_duration(10_000)
    view.show_display(after, focus, previous=before, animate=True)
    assert view.is_animating()
    with qtbot.waitSignal(view.animationFinished):
        view.skip_animation()
    assert not view.is_animating()
    texts = view.texts()
    assert texts[("node", 1, 0)] == fmt(after.a[(1, 0)])
    assert texts[("bubble",)] == f"a = {fmt(after.a[(1, 0)])}"
    assert not view.edges[(0, 0, 0)].dimmed
    assert view.edges[(0, 0, 1)].dimmed
    # A dimmed weight (here a negative one, orange) fades towards the white background.
    faded = view.edges[(0, 0, 1)].pen().color()
    assert net.weights[0][0, 1] < 0
    assert faded.lightnessF() > QColor("#E69F00").lightnessF()
    assert faded.redF() > faded.blueF()
    assert view.nodes[(1, 2)].dimmed and not view.nodes[(1, 0)].dimmed


def test_a_short_animation_runs_to_its_end_by_itself(view, qtbot):
    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    view.set_network(net)
    before = DisplayState.from_network(net, [0.1, 0.3], [0.2])
    after = _forward_display(net, [0.1, 0.3], [0.2])
    view.set_duration(60)
    with qtbot.waitSignal(view.animationFinished, timeout=5000):
        view.show_display(
            after,
            StepFocus(
                phase="forward",
                kind="sum",
                nodes=((1, 0),),
                edges=((0, 0, 0), (0, 1, 0)),
                value=after.z[(1, 0)],
            ),
            previous=before,
            animate=True,
        )
    assert view.texts()[("caption", 1, 0)] == f"z = {fmt(after.z[(1, 0)])}"


def test_backward_and_update_steps_show_errors_and_new_weights(view, qtbot):
    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    rec = net.forward([[0.1, 0.3]])
    grads = net.backward(rec, [0.2])
    view.set_network(net)
    d = DisplayState.from_network(net, [0.1, 0.3], [0.2])
    d.errors[(2, 0)] = float(grads.errors[1][0, 0])
    view.set_duration(0)
    view.show_display(
        d,
        StepFocus(phase="backward", kind="output_error", nodes=((2, 0),), value=d.errors[(2, 0)]),
        previous=d,
        animate=True,
    )
    assert view.texts()[("caption", 2, 0)].endswith(f"δ = {fmt(d.errors[(2, 0)])}")
    after = net.copy()
    after.set_weight(1, 0, 0, 0.25)
    d2 = DisplayState.from_network(after, [0.1, 0.3], [0.2])
    view.show_display(
        d2,
        StepFocus(phase="update", kind="weight_update", edges=((1, 0, 0),), value=0.25),
        previous=d,
        animate=False,
    )
    assert view.texts()[("edge", 1, 0, 0)] == "0.25"


def test_selection_outlines_the_item(view):
    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    view.set_network(net)
    normal = view.nodes[(1, 1)].pen().widthF()
    view.select(("node", 1, 1))
    assert view.nodes[(1, 1)].pen().widthF() > normal
    view.select(None)
    assert view.nodes[(1, 1)].pen().widthF() == pytest.approx(normal)


def test_theme_switch_recolours_the_drawing(view):
    from app import theme as app_theme

    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    view.set_network(net)
    try:
        app_theme.theme.set_theme("dark")
        assert (
            view.backgroundBrush().color().name().lower()
            == app_theme.colors()["background"].lower()
        )
    finally:
        app_theme.theme.set_theme("light")
    assert view.backgroundBrush().color().name().lower() == "#ffffff"


def test_the_result_bubble_of_a_weight_step_ends_fully_opaque(view):
    # Its opacity follows the animation's progress; a loop variable once shadowed that
    # progress for weight steps and left their bubble faded at 0.6.
    net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    view.set_network(net)
    d = DisplayState.from_network(net, [0.1, 0.3], [0.2])
    focus = StepFocus(phase="update", kind="weight_update", edges=((0, 0, 0),), value=0.5985)
    view.show_display(d, focus, previous=d, animate=False)
    assert view.texts()[("bubble",)] == "weight update = 0.5985"
    assert view.bubble.opacity() == 1.0


def test_layer_titles_go_on_two_lines_when_the_view_is_narrow(view, qtbot):
    net = Network([2, 6, 6, 6, 1], activations="leaky_relu", init="xavier", seed=3)
    view.set_network(net)
    assert [lbl.text() for lbl in view.layer_labels][1] == "Hidden 1 (leaky_relu)"
    view.resize(300, 600)
    qtbot.waitUntil(lambda: "\n" in view.layer_labels[1].text())
    titles = [lbl.text() for lbl in view.layer_labels]
    assert titles[0] == "Inputs"
    assert titles[1:] == [
        "Hidden 1\n(leaky_relu)",
        "Hidden 2\n(leaky_relu)",
        "Hidden 3\n(leaky_relu)",
        "Output\n(linear)",
    ]


@pytest.mark.parametrize(("width", "lines"), [(900, 1), (480, 1), (380, 2)])
def test_the_legend_stays_inside_the_drawing_and_clear_of_the_neurons(view, qtbot, width, lines):
    view.set_network(Network([2, 3, 1], init="article", seed=99), x=[0.1, 0.3], target=[0.2])
    view.resize(width, 600)
    qtbot.waitUntil(lambda: view.viewport().width() <= width)
    legend = view.legend.sceneBoundingRect()
    assert view.viewport().rect().contains(legend.toAlignedRect())  # no word runs off
    lowest = max(node.sceneBoundingRect().bottom() for node in view.drawing.nodes.values())
    assert legend.top() > lowest  # a second legend line takes room from the neurons
    one_line = QFontMetricsF(view.legend.font).height() * 1.2
    assert legend.height() == pytest.approx(lines * one_line)  # it shrinks a little, then wraps
    smallest = view.legend.full_font.pointSizeF() * view.legend.MIN_SHRINK * 0.99
    assert view.legend.font.pointSizeF() >= smallest - 1e-9
