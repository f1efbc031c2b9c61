"""A learning-rate sweep: the same settings trained at a few learning rates, one after another.

The learning rate is the setting that matters most and the hardest to guess, so the usual
first experiment is to try it at rates a few times apart and compare the curves. The sweep
proposes five rates spread by factors around the current one (×0.1, ×0.3, ×1, ×3, ×10),
which the student may edit (3 to 5 of them). Each rate becomes a run on the loss curve
named by its rate; a rate that diverges ends its run (as the divergence guard does) and the
sweep goes on with the next one; at the end the rate with the lowest validation loss is
named (training loss when there is no validation data).

`LrSweep` is the plan and its results; the Train tab's `SweepRunner` (app.train.sweep_runner)
drives the runs. No Qt here: this module is tested without a display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from app.train.limits import LR_RANGE
from nncore.errors import SettingsError

FACTORS = (0.1, 0.3, 1.0, 3.0, 10.0)  # around the current rate, a factor of about 3 apart
MIN_RATES, MAX_RATES = 3, 5
LR_MIN, LR_MAX = LR_RANGE  # the model panel's learning-rate range


def _round(value: float) -> float:
    """Two significant figures: 0.0003, not 0.00030000000000000003."""
    return float(f"{value:.2g}")


def proposed_rates(lr: float) -> list[float]:
    """Five rates spread around `lr` (kept inside the panel's range, no repeats)."""
    rates: list[float] = []
    for factor in FACTORS:
        rate = _round(min(max(lr * factor, LR_MIN), LR_MAX))
        if rate not in rates:
            rates.append(rate)
    return rates


def rates_text(rates: list[float]) -> str:
    return ", ".join(f"{r:g}" for r in rates)


def parse_rates(text: str) -> list[float]:
    """The rates typed as "0.0001, 0.0003, 0.001" (commas or spaces): 3 to 5 distinct
    positive numbers in the panel's range, in the order typed. Raises SettingsError with a
    sentence a student can act on."""
    words = text.replace(",", " ").replace(";", " ").split()
    rates: list[float] = []
    for word in words:
        try:
            rate = float(word)
        except ValueError:
            raise SettingsError(f"{word!r} is not a number; type rates like 0.001") from None
        if not math.isfinite(rate) or not LR_MIN <= rate <= LR_MAX:
            raise SettingsError(f"a learning rate must be between {LR_MIN:g} and {LR_MAX:g}")
        if rate in rates:
            raise SettingsError(f"{rate:g} is there twice")
        rates.append(rate)
    if not MIN_RATES <= len(rates) <= MAX_RATES:
        raise SettingsError(f"give {MIN_RATES} to {MAX_RATES} learning rates ({len(rates)} given)")
    return rates


def lowest_loss(train: np.ndarray, val: np.ndarray) -> float | None:
    """The lowest validation loss of a run (its training loss without validation data);
    None if it has no finite loss at all."""
    for values in (np.asarray(val, dtype=float), np.asarray(train, dtype=float)):
        finite = values[np.isfinite(values)]
        if finite.size:
            return float(finite.min())
    return None


@dataclass
class LrSweep:
    """The rates to try and, as runs end, each rate's best loss (None: it diverged)."""

    rates: list[float]
    results: dict[float, float | None] = field(default_factory=dict)
    stopped: bool = False

    @property
    def index(self) -> int:
        """Which rate (0-based) is being trained now, or would be next."""
        return len(self.results)

    @property
    def done(self) -> bool:
        return self.stopped or self.index >= len(self.rates)

    @property
    def current(self) -> float | None:
        return None if self.done else self.rates[self.index]

    def record(self, best_loss: float | None) -> None:
        """The current rate's run ended with this best loss (None or non-finite: diverged)."""
        rate = self.current
        if rate is None:
            raise RuntimeError("the sweep has no run under way")
        finite = best_loss is not None and math.isfinite(best_loss)
        self.results[rate] = best_loss if finite else None

    def progress(self) -> str:
        """E.g. "Learning-rate sweep: run 2 of 5 (lr 0.003). Stop ends the sweep."."""
        rate = self.current
        if rate is None:
            return ""
        return (
            f"Learning-rate sweep: run {self.index + 1} of {len(self.rates)} "
            f"(lr {rate:g}). Stop ends the sweep."
        )

    def best(self) -> float | None:
        """The rate with the lowest loss among those that did not diverge, or None."""
        finished = {r: loss for r, loss in self.results.items() if loss is not None}
        return min(finished, key=lambda r: finished[r]) if finished else None

    def summary(self, loss_name: str = "validation loss") -> tuple[str, str]:
        """(title, details) for the banner when the sweep has ended."""
        best = self.best()
        diverged = [r for r, loss in self.results.items() if loss is None]
        tried = len(self.results)
        if best is None:
            title = "No learning rate of the sweep trained without diverging."
        else:
            title = f"Best learning rate of the sweep: {best:g}"
        parts = [
            f"lr {r:g}: " + ("diverged" if loss is None else f"best {loss_name} {loss:.3g}")
            for r, loss in self.results.items()
        ]
        details = "; ".join(parts) + "."
        if self.stopped and tried < len(self.rates):
            details += f" Stopped after {tried} of {len(self.rates)} rates."
        if diverged and best is not None:
            details += " Rates that diverged are too large for these settings."
        return title, details


__all__ = ["LrSweep", "lowest_loss", "parse_rates", "proposed_rates", "rates_text"]
