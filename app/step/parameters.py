"""A lesson's weights and biases by key, and lessons restarted with a change. No Qt.

The drawing and the inspector name a parameter by key: ("edge", layer, i, j) for
`weights[layer][i, j]`, ("bias", layer, j) for `biases[layer][0, j]`. These functions read
and name such a parameter and build the lesson that restarts the iteration after the
student changed one (or pressed Reset): same example, learning rate and title.
"""

from __future__ import annotations

from nncore.lesson import Lesson


def is_parameter(key) -> bool:
    """True for the key of a weight or a bias (neurons and inputs are not parameters)."""
    return key is not None and key[0] in ("edge", "bias")


def parameter_name(lesson, key) -> str:
    """ "w(x₁→h₂)" or "b(h₁)", as the lesson names it."""
    if key[0] == "edge":
        return lesson.names.weight(*key[1:])
    return lesson.names.bias(*key[1:])


def parameter_value(network, key) -> float:
    if key[0] == "edge":
        _, l, i, j = key
        return float(network.weights[l][i, j])
    _, l, j = key
    return float(network.biases[l][0, j])


def with_parameter(network, key, value: float):
    """A copy of `network` with one weight or bias set to `value`."""
    changed = network.copy()
    if key[0] == "edge":
        changed.set_weight(key[1], key[2], key[3], value)
    else:
        changed.set_bias(key[1], key[2], value)
    return changed


def restarted(lesson, network, iteration: int) -> Lesson:
    """`lesson`'s example, rate and title on `network`, counted as iteration `iteration`."""
    return Lesson(
        network,
        batch=(lesson.X.copy(), lesson.Y.copy()),
        lr=lesson.lr,
        title=lesson.title,
        iteration=iteration,
    )
