"""The one vocabulary of phases and step kinds: complete, in lesson order, with the app's texts.

The expected tables below are the texts the app showed before the vocabulary existed
(`app/lesson_panel.py` PHASE_TITLES, KIND_TITLES, BIAS_STEP_KINDS; `app/step_tab.py`
BUBBLE_CAPTIONS), written out so that switching the app over cannot change a word; the nine
kinds of a classifier's lesson (issue 11) are written in among them, in lesson order.
"""

from __future__ import annotations

import pytest

from nncore.lesson import (
    BIAS_STEP_KINDS,
    CLASSIFIER_STEP_KINDS,
    KIND_BY_NAME,
    KINDS,
    LESSON_PHASES,
    PHASE_BY_NAME,
    PHASES,
    PRESETS,
    STEP_KINDS,
    Lesson,
    make_lesson,
)
from nncore.network import Network

APP_PHASE_TITLES = {
    "forward": "Forward pass",
    "loss": "Loss",
    "backward": "Backward pass",
    "update": "Update",
    "check": "Check",
}
APP_KIND_TITLES = {
    "product": "input × weight",
    "bias": "add the bias",
    "sum": "weighted sum z",
    "activation": "activation a",
    "exponential": "exponential e^z",
    "exp_sum": "sum of the exponentials",
    "probability": "probability p",
    "prediction": "prediction",
    "error": "error",
    "loss": "loss",
    "log_loss": "cross-entropy −log p",
    "binary_log_loss": "binary cross-entropy",
    "mean_log_loss": "mean cross-entropy",
    "output_error": "output error δ",
    "prob_error": "output error p − y",
    "weight_grad": "weight gradient",
    "bias_grad": "bias gradient",
    "backprop_product": "error × weight",
    "backprop_sum": "sum of errors",
    "activation_grad": "through the activation",
    "weight_update": "new weight",
    "bias_update": "new bias",
    "new_prediction": "new prediction",
    "new_loss": "new loss",
    "new_probability": "new probability",
    "new_log_loss": "new cross-entropy",
}
APP_BUBBLE_CAPTIONS = {
    "product": "input × weight",
    "bias": "b",
    "sum": "z",
    "activation": "a",
    "exponential": "e^z",
    "exp_sum": "Σ e^z",
    "probability": "p",
    "prediction": "ŷ",
    "error": "y − ŷ",
    "loss": "MSE",
    "log_loss": "−log p",
    "binary_log_loss": "BCE",
    "mean_log_loss": "CE",
    "output_error": "δ",
    "prob_error": "p − y",
    "weight_grad": "∂L/∂w",
    "bias_grad": "∂L/∂b",
    "backprop_product": "δ × w",
    "backprop_sum": "∂L/∂a",
    "activation_grad": "δ",
    "weight_update": "new w",
    "bias_update": "new b",
    "new_prediction": "new ŷ",
    "new_loss": "new MSE",
    "new_probability": "new p",
    "new_log_loss": "new CE",
}


def test_the_vocabulary_replaces_the_apps_tables_word_for_word():
    assert {p.name: p.title for p in LESSON_PHASES} == APP_PHASE_TITLES
    assert {k.name: k.title for k in STEP_KINDS} == APP_KIND_TITLES
    assert {k.name: k.caption for k in STEP_KINDS} == APP_BUBBLE_CAPTIONS
    assert tuple(k.name for k in STEP_KINDS if k.about_bias) == BIAS_STEP_KINDS
    assert BIAS_STEP_KINDS == ("bias", "bias_grad", "bias_update")


def test_plain_names_follow_the_vocabulary():
    assert PHASES == ("forward", "loss", "backward", "update", "check")
    assert tuple(PHASE_BY_NAME) == PHASES and tuple(KIND_BY_NAME) == tuple(APP_KIND_TITLES)
    assert list(KINDS) == list(PHASES)
    assert [k for p in PHASES for k in KINDS[p]] == [k.name for k in STEP_KINDS]
    for kind in STEP_KINDS:
        assert kind.name in KINDS[kind.phase]
    for phase in LESSON_PHASES:
        assert phase.title and phase.heading and phase.intro.endswith(".")


def _batch_lesson() -> Lesson:
    net = Network([2, 2, 2], activations=["tanh", "sigmoid"], seed=3)
    return Lesson(net, batch=([[0.1, 0.2], [0.4, -0.3]], [[0, 1], [1, 0]]), lr=0.3)


@pytest.mark.parametrize("name", [*PRESETS, "batch"])
def test_every_step_speaks_the_vocabulary(name):
    lesson = _batch_lesson() if name == "batch" else make_lesson(name)
    kinds_seen = set()
    for step in lesson.steps:
        kind = KIND_BY_NAME[step.kind]  # KeyError: a step kind missing from the vocabulary
        assert kind.phase == step.phase
        kinds_seen.add(step.kind)
    phases_in_order = list(dict.fromkeys(s.phase for s in lesson.steps))
    assert phases_in_order == list(PHASES)
    if lesson.task == "regression":
        assert {"product", "sum", "loss", "weight_grad", "bias_update", "new_loss"} <= kinds_seen
        assert not kinds_seen & set(CLASSIFIER_STEP_KINDS)
    else:
        assert {"product", "sum", "prob_error", "weight_grad", "new_log_loss"} <= kinds_seen
        assert not kinds_seen & {"prediction", "error", "loss", "output_error", "new_loss"}
        softmax = {"exponential", "exp_sum", "probability", "log_loss"}
        assert softmax <= kinds_seen if lesson.task == "softmax" else not softmax & kinds_seen
