"""What a lesson is given, checked: every refusal says what is wrong."""

from __future__ import annotations

import numpy as np
import pytest

from nncore.errors import NNCoreError
from nncore.lesson import Lesson, LessonError, make_custom
from nncore.network import Network


def test_lesson_rejects_bad_examples():
    net = Network([2, 1], activations=["linear"])
    with pytest.raises(ValueError, match="2 input"):
        Lesson(net, [1, 2, 3], [0], 0.1)
    with pytest.raises(ValueError, match="target"):
        Lesson(net, [1, 2], [0, 1], 0.1)
    with pytest.raises(ValueError, match="1 to 8 examples"):
        Lesson(net, batch=(np.zeros((9, 2)), np.zeros((9, 1))), lr=0.1)
    with pytest.raises(ValueError, match="learning rate"):
        Lesson(net, [1, 2], [0], -1)
    with pytest.raises(ValueError, match="small networks"):
        Lesson(Network([2, 64, 64, 64, 1]), batch=(np.zeros((8, 2)), np.zeros((8, 1))), lr=0.1)


def test_refusals_are_nncore_errors_and_value_errors():
    with pytest.raises(LessonError, match="1 to 4 inputs") as info:
        make_custom(sizes=[5, 1])
    assert isinstance(info.value, NNCoreError) and isinstance(info.value, ValueError)
    net = Network([2, 1], activations=["linear"])
    with pytest.raises(LessonError, match="not both"):
        Lesson(net, [1, 2], [0], batch=([[1, 2]], [[0]]))
    with pytest.raises(LessonError, match="finite"):
        Lesson(net, [1, float("nan")], [0])


def test_something_that_is_not_a_network_is_a_type_error():
    with pytest.raises(TypeError, match="nncore Network; got list"):
        Lesson([[0.5], [0.25]], [1, 2], [0])


def test_one_example_may_be_given_flat_or_as_a_batch():
    net = Network([2, 1], activations=["linear"])
    flat = Lesson(net, (0.1, 0.3), 0.2)
    batch = Lesson(net, batch=([[0.1, 0.3]], [[0.2]]))
    assert flat.X.shape == (1, 2) and flat.Y.shape == (1, 1)
    assert [s.formula for s in flat.steps] == [s.formula for s in batch.steps]
