"""Text size for a projector: the zoom levels, bounded, with no Qt in sight.

The window scales the application font by a *text scale* (1.0 = the system's size). Every
tab derives its fonts from the application font, so one number zooms every text, every
number and the network drawing together. This module only decides which number: one step
larger or smaller, the fixed sizes of the View ▸ Text size menu, and what a saved setting
means. `app.main_window` applies it to Qt.
"""

from __future__ import annotations

MIN_SCALE = 0.75  # smaller than this is unreadable on a laptop
MAX_SCALE = 3.0  # larger than this no longer fits a single layer's numbers on screen
STEP = 0.25  # one Ctrl+= or Ctrl+− press: a quarter of the normal size
PRESETS = (1.0, 1.25, 1.5, 2.0)  # the fixed sizes offered in View ▸ Text size


def clamp_scale(scale: float) -> float:
    """`scale` kept within [MIN_SCALE, MAX_SCALE], rounded to whole percent."""
    bounded = min(MAX_SCALE, max(MIN_SCALE, float(scale)))
    return round(bounded * 100) / 100


def larger(scale: float) -> float:
    """The next size up: the next multiple of STEP above `scale` (at most MAX_SCALE)."""
    steps = int(round(scale / STEP, 6)) + 1  # round(…, 6): 1.25 / 0.25 is 5.000000001
    return clamp_scale(steps * STEP)


def smaller(scale: float) -> float:
    """The next size down: the next multiple of STEP below `scale` (at least MIN_SCALE)."""
    exact = scale / STEP
    steps = int(round(exact, 6))
    if abs(exact - steps) < 1e-6:  # on a step already: go one further down
        steps -= 1
    return clamp_scale(steps * STEP)


def percent_label(scale: float) -> str:
    """'150 %' for 1.5: how the menu and the status bar name a text scale."""
    return f"{round(scale * 100)} %"


def scale_from_setting(value: object) -> float:
    """The text scale a saved setting means; anything unreadable is the normal size (1.0).

    Settings files are edited by hand or come from older versions, so the stored value may
    be a string, a number, junk or missing: it never stops the window from opening.
    """
    try:
        scale = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    if scale != scale:  # NaN
        return 1.0
    return clamp_scale(scale)


def scale_from_percent(text: str) -> float:
    """The text scale '150' or '150%' asks for (1.5); ValueError outside the bounds.

    For the command line (`--text-size 150`), where a typo should be told, not clamped.
    """
    number = text.strip().rstrip("%").strip()
    try:
        percent = float(number)
    except ValueError:
        raise ValueError(f"expected a percentage such as 150, got {text!r}") from None
    low, high = round(MIN_SCALE * 100), round(MAX_SCALE * 100)
    if not low <= percent <= high:  # also refuses NaN
        raise ValueError(f"text size {text!r} is out of range ({low} to {high} %)")
    return clamp_scale(percent / 100)
