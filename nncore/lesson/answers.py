"""Reading what the student typed as an answer: a number, or a direction for an update.

Students type numbers the way they write them: "0,015" with a decimal comma, "−0.2" with a
true minus, "1.5×10⁻³" as the tutor shows small numbers. `parse_answer` reads all of these
and returns None for anything that is not one finite number; `parse_direction` reads "up",
"down" or "stays" (and their arrows and synonyms). The text is bounded (`MAX_ANSWER_CHARS`):
it comes from a keyboard, so it can hold anything.
"""

from __future__ import annotations

import math
import re

__all__ = ["MAX_ANSWER_CHARS", "parse_answer", "parse_direction"]

MAX_ANSWER_CHARS = 64

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_POWER = re.compile(r"(?:×|x|\*|·)10(?:\^)?([+-]?\d+)$")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_DIRECTIONS = {
    "up": ("up", "u", "↑", "+", "increase", "increases", "goes up", "higher", "rises", "bigger"),
    "down": (
        "down",
        "d",
        "↓",
        "-",
        "decrease",
        "decreases",
        "goes down",
        "lower",
        "falls",
        "smaller",
    ),
    "stays": ("stays", "same", "neither", "none", "unchanged", "0", "=", "stays the same"),
}


def parse_answer(answer) -> float | None:
    """The number a student typed, or None when it cannot be read as one finite number.

    Accepts ints and floats, and text such as "0.015", "0,015", "−0.2" (true minus),
    "+3", "1.5e-3", "1.5×10⁻³" (as the tutor writes it). A bool or None is a programming
    mistake (TypeError).
    """
    if isinstance(answer, bool) or answer is None:
        raise TypeError(f"an answer must be a number or text; got {answer!r}")
    if isinstance(answer, (int, float)):
        x = float(answer)
        return x if math.isfinite(x) else None
    if not isinstance(answer, str):
        try:
            x = float(answer)  # numpy scalars
        except (TypeError, ValueError):
            raise TypeError(f"an answer must be a number or text; got {answer!r}") from None
        return x if math.isfinite(x) else None
    text = answer.strip()
    if not text or len(text) > MAX_ANSWER_CHARS:
        return None
    for minus in ("\u2212", "\u2013", "\u2012", "\ufe63", "\uff0d"):
        text = text.replace(minus, "-")
    text = "".join(text.split()).replace("\u202f", "").replace("\u00a0", "")
    text = text.translate(_SUPERSCRIPT_DIGITS)
    exponent = 0
    power = _POWER.search(text)
    if power:
        exponent = int(power.group(1))
        text = text[: power.start()]
    if "," in text:
        text = text.replace(",", ".") if "." not in text else text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        return None
    try:
        x = float(text) * 10.0**exponent if exponent else float(text)
    except OverflowError:  # "1×10^999": no finite number
        return None
    return x if math.isfinite(x) else None


def parse_direction(answer) -> str | None:
    """ "up", "down" or "stays" from what the student typed (None when it is none of them)."""
    if not isinstance(answer, str):
        return None
    text = " ".join(answer.strip().lower().replace("\u2212", "-").split())
    for direction, words in _DIRECTIONS.items():
        if text in words:
            return direction
    return None
