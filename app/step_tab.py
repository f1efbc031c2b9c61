"""The "Step through" tab: watch a small network compute, one operation per click.

The tab shows the article's 2-3-1 network (two inputs, three ReLU neurons, one linear
output) with its weights, as drawn by `app.network_view.NetworkView`. The lesson engine
(`nncore.lesson`) supplies the steps; this module wires it to the drawing, the
explanation panel and the controls.
"""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from nncore import Network

from app.network_view import NetworkView

ARTICLE_SIZES = (2, 3, 1)
ARTICLE_INPUT = (0.1, 0.3)
ARTICLE_TARGET = (0.2,)


class StepThroughTab(QWidget):
    """The tab widget (see the tab protocol in docs/architecture.md)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("StepThroughTab")
        self.network = Network(ARTICLE_SIZES, activations="relu", init="article", seed=99)
        self.view = NetworkView(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.view.set_network(self.network, x=ARTICLE_INPUT, target=ARTICLE_TARGET)

    def shutdown(self) -> None:
        """Stop the running animation (the tab has no threads)."""
        self.view.skip_animation()

    def screenshot_states(self):
        return [("article-network", lambda: None)]

    def shortcuts(self):
        return []
