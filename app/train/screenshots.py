"""The Train tab's states for the app's screenshot mode (`nn-tutor --screenshot DIR`).

Each state is set up with the tab's public methods and trained synchronously
(`TrainTab.run_synchronously`), so the pictures are the same on every machine:

- "before": the article's setup, untrained;
- "trained": the article's recipe for 300 epochs (its curve stays, grey), then the modern
  recipe to its end;
- "diverged": gradient descent at learning rate 10, stopped by nncore's guard, with the
  banner explaining what happened;
- "spiral": the 2-class spiral learned by the "classify" recipe: the decision regions with
  the points, the accuracy beside the loss, the confusion matrix on show;
- "gaussians3": three gaussian classes, the same recipe with three outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.train.session import DataSettings
from nncore import training

if TYPE_CHECKING:
    from app.train.tab import TrainTab


def screenshot_states(tab: TrainTab) -> list[tuple[str, Callable[[], None]]]:
    """(name, function that puts `tab` in that state), in the order they are shot."""
    return [
        ("before", lambda: _before(tab)),
        ("trained", lambda: _trained(tab)),
        ("diverged", lambda: _diverged(tab)),
        ("spiral", lambda: _classes(tab, "spiral", 2)),
        ("gaussians3", lambda: _classes(tab, "gaussians", 3)),
    ]


def _before(tab: TrainTab) -> None:
    tab.banner.clear()
    tab.configure(DataSettings(), training.recipe("article"))
    tab.loss_plot.clear_previous()
    tab.run_synchronously(0)


def _trained(tab: TrainTab) -> None:
    _before(tab)
    tab.configure(None, training.recipe("article", epochs=300))
    tab.run_synchronously(300)
    tab.configure(None, training.recipe("modern"))
    tab.run_synchronously(training.RECIPES["modern"].epochs)
    tab.banner.clear()


def _diverged(tab: TrainTab) -> None:
    _before(tab)
    tab.configure(None, training.recipe("article", lr=10.0))
    tab.run_synchronously(100)


def _classes(tab: TrainTab, dataset: str, classes: int) -> None:
    """A classifier trained to its end on a built-in class data set, confusion matrix shown."""
    _before(tab)
    cfg = training.recipe("classify")
    cfg = training.recipe("classify", sizes=(*cfg.sizes[:-1], classes))
    tab.configure(DataSettings(task="classification", dataset=dataset, classes=classes), cfg)
    tab.loss_plot.clear_previous()
    tab.lower_tabs.setCurrentWidget(tab.views.confusion_view)
    tab.run_synchronously(cfg.epochs)
    tab.banner.clear()


__all__ = ["screenshot_states"]
