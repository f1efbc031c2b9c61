"""The ready-made lessons and the student's own: the registry and the refusals."""

from __future__ import annotations

import pytest

from nncore.lesson import PRESETS, Preset, make_custom, make_lesson


def test_preset_registry():
    assert set(PRESETS) == {"perceptron", "article", "sigmoid", "softmax", "logistic", "custom"}
    for name, preset in PRESETS.items():
        assert isinstance(preset, Preset) and preset.name == name
        assert preset.title and preset.description and callable(preset.factory)
    with pytest.raises(ValueError, match="unknown lesson"):
        make_lesson("nope")
    lesson = make_lesson("article", lr=0.001)
    assert lesson.lr == 0.001


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(sizes=[5, 1]), "1 to 4 inputs"),
        (dict(sizes=[0, 1]), "1 to 4 inputs"),
        (dict(sizes=[2, 4]), "1 to 3 outputs"),
        (dict(sizes=[2, 7, 1], activations="relu"), "hidden layer 1 needs 1 to 6"),
        (dict(sizes=[2, 2, 2, 2, 2, 1], activations="relu"), "at most 3 hidden layers"),
        (dict(sizes=[2, 3, 1], activations=["relu"]), "one activation per layer"),
        (dict(activations=["relu", "softplus"]), "unknown activation"),
        (dict(x=[0.1]), "inputs needs 2"),
        (dict(x=[0.1, float("nan")]), "finite"),
        (dict(target=[1, 2]), "target needs 1"),
        (dict(target=[float("inf")]), "finite"),
        (dict(lr=0), "learning rate"),
        (dict(lr=float("nan")), "learning rate"),
        (dict(weights=[[[1, 2, 3]]]), "need 2 weight matrices"),
        (dict(weights=[[[1, 2, 3]], [[1], [2], [3]]]), "layer 1's weights must be 2×3"),
        (dict(weights=[[[1, 2, 3], [1, 2, float("inf")]], [[1], [2], [3]]]), "finite"),
        (dict(biases=[[0, 0], [0]]), "layer 1's biases needs 3"),
        (dict(biases=[[0, 0, 0], [float("nan")]]), "finite"),
    ],
)
def test_make_custom_rejects_bad_input_clearly(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_custom(**kwargs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(lr="fast"), "the learning rate must be a number; got 'fast'"),
        (dict(sizes=["two", 1]), "each of sizes must be a whole number; got 'two'"),
    ],
)
def test_make_custom_calls_text_where_numbers_belong_a_type_error(kwargs, message):
    # Text is a wrong type, not a wrong value: the app parses what the student types first.
    with pytest.raises(TypeError, match=message):
        make_custom(**kwargs)
