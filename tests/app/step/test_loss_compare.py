"""The "Squared error vs cross-entropy" window, driven through its real widgets: the menu
opens it, the numbers shown are nncore's (and a 1-1 sigmoid network's), changing w and the
class restarts it, "Step once more" moves each neuron with its own loss, Esc closes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from app.step import loss_compare_view as view
from app.step.loss_compare import WINDOW_TITLE, LossCompareWindow
from app.theme import theme
from nncore import Network
from nncore.formatting import fmt
from nncore.lesson.loss_comparison import DEFAULT_NEURON, Neuron, compare


@pytest.fixture
def window(qtbot):
    widget = LossCompareWindow()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(window, loss, key):
    return window.columns[loss].value_labels[key].text()


def test_it_opens_confidently_wrong_with_nncores_numbers(window):
    assert window.windowTitle() == WINDOW_TITLE
    assert not window.isModal()
    expected = compare(DEFAULT_NEURON)
    for loss, step in zip(view.LOSS_KEYS, expected.columns):
        for key in view.ROW_ORDER:
            assert shown(window, loss, key) == step.formulas[key][0]
            assert window.columns[loss].value_labels[key].toolTip() == step.narration[key]
    assert shown(window, "mse", "d_z").endswith("(−0.982) × 0.01766 = −0.01735")
    assert shown(window, "cross_entropy", "d_z").endswith("= ŷ − y = 0.01799 − 1 = −0.982")
    assert "56.6 times" in window.headline.text()
    assert window.columns["cross_entropy"].caption.text() == (
        "From here: 3 steps until ŷ > 0.5 at learning rate 1."
    )
    # The factor that differs is the highlighted row, with its note shown.
    assert window.columns["mse"].note_labels["slope"].isVisible()
    assert "multiplied" in window.columns["mse"].note_labels["slope"].text()
    assert "cancelled" in window.columns["cross_entropy"].note_labels["slope"].text()
    assert not window.columns["mse"].note_labels["loss"].isVisible()
    assert window.columns["mse"].value_labels["slope"].font().bold()
    assert not window.columns["mse"].value_labels["loss"].font().bold()


def _network_gradient(w, b, x, y, loss):
    net = Network.from_parameters([[[w]]], [[[b]]], activations=["sigmoid"], loss=loss)
    grads = net.backward(net.forward([[x]]), [y])
    return float(grads.weights[0][0, 0]), float(grads.biases[0][0, 0])


def test_changing_w_and_the_class_restarts_with_the_networks_gradients(window, qtbot):
    window.w_box.setValue(2.5)
    window.x_box.setValue(1.5)
    window.class_box.setCurrentIndex(window.class_box.findData(0))
    assert window.comparison.steps == 0
    neuron = Neuron(w=2.5, b=0.0, x=1.5, y=0, lr=1.0)
    assert window.neuron() == neuron
    for loss in view.LOSS_KEYS:
        d_w, d_b = _network_gradient(2.5, 0.0, 1.5, 0, loss)
        step = (
            window.comparison.cross_entropy
            if loss == "cross_entropy"
            else window.comparison.squared
        )
        assert step.d_w == pytest.approx(d_w, rel=1e-12)
        assert shown(window, loss, "d_w").endswith(f"= {fmt(d_w)}")
        assert shown(window, loss, "b").startswith("b ← 0 − 1 × ")
        assert shown(window, loss, "d_z").endswith(f"= {fmt(d_b)}")
    assert "L = −log(1 − ŷ)" in shown(window, "cross_entropy", "loss")


def test_typing_a_weight_from_the_keyboard(window, qtbot):
    window.w_box.setFocus()
    window.w_box.selectAll()
    qtbot.keyClicks(window.w_box, "-6")
    qtbot.keyClick(window.w_box, Qt.Key.Key_Return)
    assert window.w_box.value() == -6.0
    assert shown(window, "mse", "prediction").startswith("z = w·x + b = (−6) × 1 + 0 = −6")
    assert window.isVisible()  # Enter in a number box neither steps nor closes


def test_step_once_more_moves_each_neuron_with_its_own_loss(window, qtbot):
    expected = compare(DEFAULT_NEURON)
    qtbot.mouseClick(window.step_button, Qt.MouseButton.LeftButton)
    expected = expected.stepped()
    assert window.comparison.steps == 1
    for loss, step in zip(view.LOSS_KEYS, expected.columns):
        assert shown(window, loss, "prediction") == step.formulas["prediction"][0]
        assert shown(window, loss, "new_prediction") == step.formulas["new_prediction"][0]
    # Stepping a 1-1 network with each loss lands on the same w as each column shows.
    for loss, step in zip(view.LOSS_KEYS, expected.columns):
        net = Network.from_parameters([[[-4.0]]], [[[0.0]]], activations=["sigmoid"], loss=loss)
        grads = net.backward(net.forward([[1.0]]), [1])
        assert step.neuron.w == pytest.approx(-4.0 - float(grads.weights[0][0, 0]), rel=1e-14)
    assert "After 1 step" in window.headline.text()
    marks = window.plot.data.marks
    assert marks["cross_entropy"][0] == pytest.approx(expected.cross_entropy.z)
    assert marks["mse"][0] == pytest.approx(expected.squared.z)
    # Three steps on, the cross-entropy neuron has escaped; the squared-error one has not.
    for _ in range(2):
        window.step_button.click()
    assert (
        window.comparison.cross_entropy.prediction
        > 0.5
        > 0.05
        > window.comparison.squared.prediction
    )
    assert window.columns["cross_entropy"].caption.text().startswith("Already ŷ > 0.5")
    # The plot keeps a track of where each neuron stood before each step.
    trail_z, _ = window.plot.trails["cross_entropy"].getData()
    assert list(trail_z) == pytest.approx([-4.0, expected.cross_entropy.z, trail_z[2]])
    window.restart_button.click()
    assert window.comparison == compare(DEFAULT_NEURON)
    cleared, _ = window.plot.trails["mse"].getData()
    assert cleared is None or len(cleared) == 0


def test_the_plot_draws_both_curves_with_the_current_z_marked(window):
    data = window.plot.data
    xs, ys = window.plot.curves["cross_entropy"].getData()
    assert len(xs) == len(data.z) and ys.max() <= 1.0
    (mz,), (my,) = window.plot.marks["mse"].getData()
    assert (mz, my) == pytest.approx((-4.0, abs(compare().squared.d_z)))
    assert window.plot.marks["cross_entropy"].getData()[1][0] == pytest.approx(0.9820, abs=1e-4)


def test_escape_closes(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_controls_have_tooltips_and_take_the_keyboard(window):
    controls = [
        window.w_box,
        window.x_box,
        window.b_box,
        window.class_box,
        window.lr_box,
        window.step_button,
        window.restart_button,
    ]
    for widget in controls:
        assert widget.toolTip()
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert window.columns["mse"].title.toolTip()


def test_both_themes_recolour_it(window, qtbot):
    light = window.columns["mse"].value_labels["slope"].styleSheet()
    theme.set_theme("dark")
    dark = window.columns["mse"].value_labels["slope"].styleSheet()
    assert light != dark and theme.colors()["highlight"] in dark


def test_the_view_menu_opens_it_once_with_a_free_shortcut(open_window, qtbot):
    main = open_window(persist=False)
    action = main.action_loss_compare
    assert action in main.view_menu.actions()
    assert [s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts()] == [
        "Ctrl+L"
    ]
    assert any(key == "Ctrl+L" for key, _ in main.shortcuts())
    action.trigger()
    first = main.loss_compare_window
    assert first is not None and first.isVisible()
    first.close()
    action.trigger()
    assert main.loss_compare_window is first and first.isVisible()


def test_text_size_grows_the_window_text(open_window, qtbot, request):
    main = open_window(persist=False)
    compare_window = main.show_loss_compare()
    before = compare_window.columns["mse"].value_labels["d_z"].fontInfo().pointSizeF()
    headline_before = compare_window.headline.font().pointSizeF()
    main.set_text_scale(2.0)
    request.addfinalizer(lambda: main.set_text_scale(1.0, announce=False))  # for the next tests
    qtbot.waitUntil(
        lambda: (
            compare_window.columns["mse"].value_labels["d_z"].fontInfo().pointSizeF() > 1.5 * before
        )
    )
    assert compare_window.headline.font().pointSizeF() > 1.5 * headline_before
    assert compare_window.columns["mse"].value_labels["d_z"].font().bold()
