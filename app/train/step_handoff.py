"""Words for "Step through this network": which point, and what the Step tab then shows.

Qt-free, tested without a display. The numbers come from `nncore.lesson.trained`; this
module only puts them into sentences a student can read before choosing a point, and into
the message the Step tab shows once the network is there (the inputs it shows are z-scores,
not the x and y the student knows: the message says which is which).
"""

from __future__ import annotations

from collections.abc import Sequence

from nncore.formatting import fmt

OPTIMISER_WORDS = {"gd": "gradient descent", "momentum": "momentum", "adam": "Adam"}


def point_words(
    x: Sequence[float],
    target: float,
    prediction: Sequence[float],
    class_names: Sequence[str] | None,
    loss: float,
) -> str:
    """One training point in the units the student knows: where it is, what it should be,
    what the network says and how wrong that is (the loss it contributes)."""
    where = f"x = {fmt(x[0])}, y = {fmt(x[1])}" if len(x) == 2 else f"x = {list(map(fmt, x))}"
    if class_names is None:
        said = f"target {fmt(target)}, the network predicts {fmt(prediction[0])}"
        return f"{where}: {said} (squared error {fmt(loss)} in z-scores)"
    true = class_names[int(target)]
    chosen = max(range(len(prediction)), key=lambda k: prediction[k])
    said = (
        f"true class {true}, the network gives it {fmt(100 * prediction[int(target)], 3)} % "
        f"and chooses {class_names[chosen]}"
    )
    return f"{where}: {said} (cross-entropy {fmt(loss)})"


def opened_message(
    architecture: str,
    number: int,
    x: Sequence[float],
    x_seen: Sequence[float],
    optimiser: str,
    lr: float,
) -> str:
    """What the Step tab says once it shows the trained network on training point `number`."""
    seen = ", ".join(f"x{_sub(i + 1)} = {fmt(v)}" for i, v in enumerate(x_seen))
    raw = ", ".join(fmt(v) for v in x)
    how = OPTIMISER_WORDS.get(optimiser, optimiser)
    step = (
        f"one plain gradient-descent step with learning rate {fmt(lr)}"
        if optimiser == "gd"
        else f"one plain gradient-descent step with learning rate {fmt(lr)} "
        f"(training used {how}, which scales each step its own way)"
    )
    return (
        f"Your trained {architecture} network on training point {number:,} ({raw}). "
        f"It sees the inputs as z-scores, as in training: {seen}. This iteration takes {step}."
    )


def _sub(k: int) -> str:
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
