"""Squared error vs cross-entropy on one sigmoid neuron: the numbers against a hand
computation, against nncore's own 1-1 network with each loss, and against finite
differences; the formulas, the sentences, the steps and the curves."""

import math

import numpy as np
import pytest

from nncore import Network
from nncore.errors import SettingsError
from nncore.lesson.loss_comparison import (
    DEFAULT_NEURON,
    LossStep,
    Neuron,
    compare,
    gradient_curves,
    one_step,
    steps_sentence,
    steps_to_answer,
)

NEURONS = [
    DEFAULT_NEURON,  # z = −4, class 1: confidently wrong
    Neuron(w=0.7, b=-0.2, x=0.5, y=0, lr=0.3),
    Neuron(w=-1.5, b=2.0, x=-2.0, y=1, lr=0.1),  # z = 5: confidently right
    Neuron(w=3.0, b=1.0, x=1.0, y=0, lr=2.0),  # z = 4, class 0: confidently wrong
]


def test_the_default_by_hand_in_plain_floats():
    """z = −4, y = 1, x = 1, b = 0, lr = 1, worked with nothing but math.exp."""
    p = 1 / (1 + math.exp(4))  # 0.017986
    slope = p * (1 - p)  # 0.017663
    c = compare()
    sq, ce = c.squared, c.cross_entropy
    for s in (sq, ce):
        assert s.z == -4.0
        assert s.prediction == pytest.approx(p, rel=1e-15)
        assert s.slope == pytest.approx(slope, rel=1e-14)
    assert sq.loss == pytest.approx(0.5 * (p - 1) ** 2, rel=1e-14)
    assert ce.loss == pytest.approx(-math.log(p), rel=1e-14)
    assert sq.d_pred == pytest.approx(p - 1, rel=1e-14)
    assert ce.d_pred == pytest.approx(-1 / p, rel=1e-14)
    assert sq.d_z == pytest.approx((p - 1) * slope, rel=1e-14)  # −0.017345
    assert ce.d_z == pytest.approx(p - 1, rel=1e-14)  # −0.98201
    assert (sq.d_w, sq.d_b) == (sq.d_z, sq.d_z)  # x = 1
    assert sq.new_w == pytest.approx(-4 - (p - 1) * slope, rel=1e-14)
    assert ce.new_w == pytest.approx(-4 - (p - 1), rel=1e-14)
    assert ce.new_b == pytest.approx(1 - p, rel=1e-14)
    new_p = 1 / (1 + math.exp(-(ce.new_w + ce.new_b)))
    assert ce.new_prediction == pytest.approx(new_p, rel=1e-14)  # 0.1155
    assert c.ratio == pytest.approx(1 / slope, rel=1e-12)  # 56.6: the factor, and only it
    # The rounded numbers a student sees.
    assert sq.formulas["d_z"][0] == "∂L/∂z = (ŷ − y) × σ′(z) = (−0.982) × 0.01766 = −0.01735"
    assert ce.formulas["d_z"][0].endswith("= ŷ − y = 0.01799 − 1 = −0.982")
    assert "56.6 times" in c.summary()


def _network(neuron: Neuron, loss: str) -> Network:
    return Network.from_parameters(
        [[[neuron.w]]], [[[neuron.b]]], activations=["sigmoid"], loss=loss
    )


@pytest.mark.parametrize("neuron", NEURONS)
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_the_same_gradients_and_step_as_a_1_1_network(neuron, loss):
    step = one_step(neuron, loss)
    net = _network(neuron, loss)
    rec = net.forward([[neuron.x]])
    grads = net.backward(rec, [neuron.y])
    assert step.prediction == pytest.approx(float(rec.output[0, 0]), rel=1e-14)
    assert step.d_w == pytest.approx(float(grads.weights[0][0, 0]), rel=1e-12, abs=1e-300)
    assert step.d_b == pytest.approx(float(grads.biases[0][0, 0]), rel=1e-12, abs=1e-300)
    assert step.d_z == pytest.approx(float(grads.errors[0][0, 0]), rel=1e-12, abs=1e-300)
    if loss == "cross_entropy":
        assert step.loss == pytest.approx(net.loss([[neuron.x]], [neuron.y]), rel=1e-12)
    net.weights[0][0, 0] -= neuron.lr * grads.weights[0][0, 0]
    net.biases[0][0, 0] -= neuron.lr * grads.biases[0][0, 0]
    assert (step.new_w, step.new_b) == pytest.approx((net.weights[0][0, 0], net.biases[0][0, 0]))
    assert step.new_prediction == pytest.approx(float(net.predict([[neuron.x]])[0, 0]), rel=1e-12)


@pytest.mark.parametrize("neuron", NEURONS)
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_gradients_against_central_differences(neuron, loss):
    """∂L/∂w and ∂L/∂b of the loss each column shows (½(ŷ − y)², or −log p(true class))."""
    h = 1e-6

    def loss_at(w, b):
        return one_step(neuron.moved(w, b), loss).loss

    d_w = (loss_at(neuron.w + h, neuron.b) - loss_at(neuron.w - h, neuron.b)) / (2 * h)
    d_b = (loss_at(neuron.w, neuron.b + h) - loss_at(neuron.w, neuron.b - h)) / (2 * h)
    step = one_step(neuron, loss)
    assert step.d_w == pytest.approx(d_w, rel=1e-6, abs=1e-10)
    assert step.d_b == pytest.approx(d_b, rel=1e-6, abs=1e-10)


def test_squared_error_multiplies_by_the_slope_and_cross_entropy_does_not():
    for neuron in NEURONS:
        c = compare(neuron)
        miss = c.squared.prediction - neuron.y
        assert c.squared.d_z == pytest.approx(miss * c.squared.slope, rel=1e-14)
        assert c.cross_entropy.d_z == pytest.approx(miss, rel=1e-14)
        assert c.squared.multiplies_slope and not c.cross_entropy.multiplies_slope
        # Cross-entropy's ∂L/∂ŷ times σ′(z) is its ∂L/∂z: the slope cancels.
        ce = c.cross_entropy
        assert ce.d_pred * ce.slope == pytest.approx(ce.d_z, rel=1e-12)


def test_stepping_on_each_neuron_moves_each_from_where_its_loss_took_it():
    c = compare()
    after = c.stepped()
    assert after.steps == 1
    assert (after.squared.neuron.w, after.squared.neuron.b) == (c.squared.new_w, c.squared.new_b)
    assert after.cross_entropy.neuron.w == c.cross_entropy.new_w
    assert after.cross_entropy.z == pytest.approx(c.cross_entropy.new_z)
    assert after.squared.z != after.cross_entropy.z
    assert "After 1 step:" in after.summary()
    # The cross-entropy neuron escapes, the squared-error one crawls.
    for _ in range(3):
        after = after.stepped()
    assert after.cross_entropy.prediction > 0.5 > 0.05 > after.squared.prediction


def test_steps_to_answer_the_class_right():
    assert steps_to_answer(DEFAULT_NEURON, "cross_entropy") == 3
    assert steps_to_answer(DEFAULT_NEURON, "mse") == 36
    # The count agrees with stepping the comparison itself.
    c = compare()
    for _ in range(3):
        c = c.stepped()
    assert c.cross_entropy.prediction > 0.5 and c.steps == 3
    assert steps_to_answer(NEURONS[2], "mse") == 0  # already right
    far = Neuron(w=-1000.0, b=0.0, x=1.0, y=1, lr=0.01)
    assert steps_to_answer(far, "mse") is None  # σ′ is exactly 0 there: it never moves
    assert steps_to_answer(far, "mse", limit=5) is None
    assert steps_sentence(DEFAULT_NEURON, "cross_entropy") == (
        "3 steps until ŷ > 0.5 at learning rate 1."
    )
    assert steps_sentence(far, "mse").startswith("Over 10,000 steps until ŷ > 0.5")
    assert steps_sentence(NEURONS[2], "mse") == "Already ŷ > 0.5: the answer is right."


def test_every_row_has_a_formula_in_plain_text_and_latex_and_a_sentence():
    for neuron in NEURONS:
        for step in compare(neuron).columns:
            assert set(step.formulas) == set(LossStep.ROWS) == set(step.narration)
            for plain, latex in step.formulas.values():
                assert plain and latex and "\\" not in plain and "−" not in latex
                assert latex.count("{") == latex.count("}")
            assert all(s.endswith(".") for s in step.narration.values())
    c = compare(NEURONS[3])  # class 0
    assert c.cross_entropy.formulas["loss"][0].startswith("L = −log(1 − ŷ)")
    assert "1/(1 − ŷ)" in c.cross_entropy.formulas["d_pred"][0]
    assert "confidently wrong" in c.squared.narration["prediction"]


def test_extreme_sums_stay_finite_where_they_must():
    for w, y in ((-1000.0, 1), (1000.0, 0)):
        c = compare(Neuron(w=w, b=0.0, x=1.0, y=y, lr=1.0))
        assert c.squared.d_z == 0.0  # the sigmoid is flat: squared error learns nothing
        assert c.cross_entropy.d_z == pytest.approx(-1.0 if y == 1 else 1.0)
        assert c.cross_entropy.loss == pytest.approx(1000.0)  # from z, not log(0)
        assert math.isinf(c.cross_entropy.d_pred)
        assert (c.cross_entropy.d_pred < 0) == (y == 1)
        assert c.ratio == math.inf


def test_gradient_curves():
    curves = gradient_curves(y=1, low=-6, high=6, n=121)
    assert curves.z.shape == curves.squared.shape == curves.cross_entropy.shape == (121,)
    p = 1 / (1 + np.exp(-curves.z))
    np.testing.assert_allclose(curves.cross_entropy, 1 - p, rtol=1e-12)
    np.testing.assert_allclose(curves.squared, (1 - p) * p * (1 - p), rtol=1e-12)
    assert np.all(curves.squared <= curves.cross_entropy)
    at_minus_4 = int(np.argmin(np.abs(curves.z + 4)))
    assert curves.cross_entropy[at_minus_4] == pytest.approx(abs(compare().cross_entropy.d_z))
    zero = gradient_curves(y=0)
    assert zero.cross_entropy[-1] > 0.99 and zero.cross_entropy[0] < 0.01


@pytest.mark.parametrize(
    "make, error",
    [
        (lambda: Neuron(w=math.nan, b=0, x=1, y=1, lr=1), SettingsError),
        (lambda: Neuron(w=1, b=0, x=1, y=2, lr=1), SettingsError),
        (lambda: Neuron(w=1, b=0, x=1, y=1, lr=0), SettingsError),
        (lambda: Neuron(w="1", b=0, x=1, y=1, lr=1), TypeError),
        (lambda: one_step(DEFAULT_NEURON, "hinge"), SettingsError),
        (lambda: steps_to_answer(DEFAULT_NEURON, "l1"), SettingsError),
        (lambda: gradient_curves(low=2, high=1), SettingsError),
        (lambda: gradient_curves(n=1), SettingsError),
    ],
)
def test_refusals(make, error):
    with pytest.raises(error):
        make()
