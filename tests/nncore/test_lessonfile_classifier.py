"""Lesson files of classifiers (issue 11): the softmax and logistic lessons, a custom softmax
network at a later iteration, class targets written by hand, and what is refused."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nncore.lesson import Lesson, make_lesson
from nncore.lessonfile import FORMAT_MARKER, LessonFile, LessonFileError, load_lesson, save_lesson
from nncore.network import Network


def _steps(lesson):
    return [(s.kind, s.formula, s.value) for s in lesson.steps]


def _doc(preset="softmax", **changes):
    doc = LessonFile.from_lesson(make_lesson(preset), preset=preset).to_document()
    doc.update(changes)
    return doc


def _load(tmp_path, doc):
    path = tmp_path / "class.nnlesson"
    path.write_text(json.dumps(doc))
    return load_lesson(path)


@pytest.mark.parametrize("preset", ["softmax", "logistic"])
def test_a_classifier_preset_writes_its_loss_and_reopens_on_the_same_steps(tmp_path, preset):
    lesson = make_lesson(preset).next_iteration()
    path = tmp_path / "class.nnlesson"
    save_lesson(path, LessonFile.from_lesson(lesson, preset=preset, position=15))
    doc = json.loads(path.read_text())
    assert doc["network"]["loss"] == "cross_entropy"
    again = load_lesson(path)
    assert again.loss == "cross_entropy" and again.position == 15
    rebuilt = again.make_lesson()
    assert _steps(rebuilt) == _steps(lesson) and rebuilt.classes == lesson.classes
    assert rebuilt.iteration == 2 and rebuilt.network.is_classifier


def test_a_regression_file_has_no_loss_field():
    doc = LessonFile.from_lesson(make_lesson("article"), preset="article").to_document()
    assert "loss" not in doc["network"]


def test_a_custom_softmax_batch_round_trips(tmp_path):
    net = Network([2, 3, 3], ["tanh", "softmax"], seed=5, loss="cross_entropy")
    lesson = Lesson(net, batch=([[0.1, 0.3], [0.5, -0.2]], [2, 0]), lr=0.3)
    path = tmp_path / "custom.nnlesson"
    save_lesson(path, LessonFile.from_lesson(lesson, start_network=net))
    rebuilt = load_lesson(path).make_lesson()
    assert _steps(rebuilt) == _steps(lesson) and rebuilt.classes == (2, 0)
    assert np.array_equal(load_lesson(path).start_network().weights[0], net.weights[0])


def test_a_hand_written_file_may_give_classes_as_indices(tmp_path):
    doc = {"format": FORMAT_MARKER, "version": 1, "preset": "softmax", "targets": [1]}
    assert _load(tmp_path, doc).make_lesson().classes == (1,)
    doc["targets"] = [[0, 1, 0]]
    assert _load(tmp_path, doc).make_lesson().classes == (1,)
    logistic = {"format": FORMAT_MARKER, "version": 1, "preset": "logistic", "targets": [0]}
    assert _load(tmp_path, logistic).make_lesson().classes == (0,)


REFUSED = {
    "class 3 of 3": (_doc(targets=[3]), "'targets[0]'"),
    "not one-hot": (_doc(targets=[[0.5, 0.5, 0.0]]), "'targets'"),
    "logistic class 2": (_doc("logistic", targets=[[2.0]]), "'targets'"),
    "unknown loss": (
        _doc(network={**_doc()["network"], "loss": "hinge"}),
        "'network.loss'",
    ),
    "the preset's loss dropped": (
        _doc(network={k: v for k, v in _doc()["network"].items() if k != "loss"}),
        "must have the loss of the 'softmax' lesson",
    ),
    "softmax hidden": (
        {
            **_doc(),
            "preset": "custom",
            "network": {**_doc()["network"], "activations": ["softmax"] * 2},
        },
        "'network.activations[0]'",
    ),
    "softmax with squared error": (
        {
            **_doc(),
            "preset": "custom",
            "network": {k: v for k, v in _doc()["network"].items() if k != "loss"},
        },
        "loss='cross_entropy'",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_bad_classifier_file_is_refused_naming_the_field(tmp_path, case):
    doc, expected = REFUSED[case]
    with pytest.raises(LessonFileError) as caught:
        _load(tmp_path, doc)
    assert expected in str(caught.value), str(caught.value)
