"""Predict mode's decisions, without Qt: what is asked, what is hidden, what the panel says.

In Predict mode the student types the next number before the tab shows it; the
`nncore.lesson.Quiz` decides which steps are asked, checks the answers and diagnoses the
mistakes. This module holds the tab's side of it, as plain functions tested without a window:

- `ASK_CHOICES` and `HINT_CHOICES`: what the student may choose to be asked, and how many
  hints a question allows;
- `questions_between` finds the asked steps inside the unit a Step covers (a neuron, a
  layer or a phase asks each of its questions in turn);
- `hidden_for` names the values on the drawing that the question keeps back ("?");
- `parse_direction_key` turns the keys ↑, ↓ and = into the "up", "down" and "stays"
  answers of direction questions;
- `score_line`, `summary_text` and `hint_offer` are the panel's words, built from the
  Quiz's score (its counts and summary: every number comes from the Quiz);
- `read_bool`, `read_choice` read the remembered settings back (QSettings' INI files give
  strings);
- `save_score_sheet` writes the Quiz's CSV score sheet to a file (atomically).
"""

from __future__ import annotations

from app.widgets.network_display import DisplayState, changed_entries
from nncore.atomicwrite import write_atomically

# What the student can choose to be asked: (label in the menu, the Quiz's `ask`).
ASK_CHOICES: tuple[tuple[str, object], ...] = (
    ("Every step", "all"),
    ("Forward pass", "forward"),
    ("Loss", "loss"),
    ("Backward pass", "backward"),
    ("Updates", "update"),
    ("Updates: up or down only", "direction"),
    ("Sums and activations", ("sum", "activation")),
    ("Gradients", ("output_error", "activation_grad", "weight_grad", "bias_grad")),
    ("Backward pass and update directions", ("backward", "direction")),
)
ASK_LABELS = {repr(ask): label for label, ask in ASK_CHOICES}

# How many hints a question allows (the Quiz has three levels; 3 ends with the answer).
HINT_CHOICES = (0, 1, 2, 3)
DEFAULT_HINTS = 2

# QSettings keys (Predict mode is remembered between runs).
KEY_PREDICT = "step/predict"
KEY_ASK = "step/predict_ask"
KEY_HINTS = "step/predict_hints"

# A parameter a step moves: the drawing hides it even when the step leaves it equal.
_PARAMETER_OF_KIND = {"weight_update": "weights", "bias_update": "biases"}


def questions_between(asks, start: int, end: int) -> list[int]:
    """The asked step indices k with start ≤ k < end, in order (`asks(k)` is the Quiz's)."""
    return [k for k in range(start, end) if asks(k)]


def hidden_for(step, before: DisplayState, after: DisplayState) -> frozenset:
    """The drawing's entries a question about `step` keeps back.

    Everything the step adds or changes on the drawing, plus the parameter an update
    moves (so its line shows "?" even when a zero gradient leaves it equal).
    """
    hidden = set(changed_entries(before, after))
    name = _PARAMETER_OF_KIND.get(step.kind)
    if name == "weights" and step.edges:
        hidden.add(("weights", tuple(step.edges[0])))
    elif name == "biases" and step.layer is not None and step.neuron is not None:
        hidden.add(("biases", (step.layer, step.neuron)))
    return frozenset(hidden)


def parse_direction_key(key: str) -> str | None:
    """The answer a key types in a direction question: ↑ "up", ↓ "down", = "stays".

    `key` is Qt's name of the key ("Up", "Down", "Equal"); None for any other key.
    """
    return {"Up": "up", "Down": "down", "Equal": "stays"}.get(key)


def ask_label(ask) -> str:
    """The menu's label for a Quiz `ask` value ("Backward pass"), or its repr."""
    return ASK_LABELS.get(repr(ask), repr(ask))


def score_line(score) -> str:
    """The compact score: "Score: 5 right first time · 2 after hints · 1 revealed (of 57)"."""
    t = score.total
    if t.asked == 0:
        return "Score: nothing to ask here (choose other questions)."
    parts = [f"{t.right_first_time} right first time"]
    for count, words in (
        (t.right_after_hints, "after hints"),
        (t.revealed, "revealed"),
        (t.wrong, "still wrong"),
    ):
        if count:
            parts.append(f"{count} {words}")
    return "Score: " + " · ".join(parts) + f" (of {t.asked} questions)"


def summary_text(score) -> str:
    """The end of an iteration: the Quiz's summary (the hard kinds, the slips by name).

    One line each for the score, the hardest kinds and the slips, easier to read than a
    paragraph in a narrow panel.
    """
    text = "End of the iteration. " + score.summary()
    for start in (" Hardest:", " Slips recognised:"):
        text = text.replace(start, "\n" + start[1:])
    return text


def hint_offer(used: int, allowed: int) -> str:
    """What the answer box offers next: "H: hint 1 of 2 · Esc: show the answer"."""
    if used < allowed:
        return f"H: hint {used + 1} of {allowed} · Enter: check · Esc: show the answer"
    return "Enter: check · Esc: show the answer"


def read_bool(value, default: bool = False) -> bool:
    """A remembered flag: QSettings gives True/False, "true"/"false" or None."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def read_choice(value, choices, default):
    """A remembered index into `choices` (as int or string); `default` when unusable."""
    try:
        index = int(value)
    except (TypeError, ValueError):
        return default
    return index if 0 <= index < len(choices) else default


def save_score_sheet(quiz, path: str) -> None:
    """Write the quiz's score sheet (`Quiz.score_csv()`) to `path`, replacing it atomically."""
    text = quiz.score_csv()

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)

    write_atomically(str(path), write)
