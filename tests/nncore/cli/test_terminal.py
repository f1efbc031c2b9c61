"""nncore.cli.terminal: the progress bar `nncore train` redraws."""

from __future__ import annotations

import io
from types import SimpleNamespace

from nncore import cli


def test_progress_bar_redraws_in_place_on_a_terminal():
    stream = io.StringIO()
    bar = cli.ProgressBar(4, stream, interactive=True, width=8)
    for epoch in range(1, 5):
        bar.update(
            SimpleNamespace(
                epoch=epoch,
                train_loss=1.0 / epoch,
                train_r2=0.5,
                val_loss=None,
                val_r2=None,
                elapsed=epoch * 0.5,
            )
        )
    bar.finish()
    text = stream.getvalue()
    assert text.startswith("\repoch 1/4 [##......] loss 1  R² 0.5000  2 epochs/s")
    assert text.endswith("\repoch 4/4 [########] loss 0.25  R² 0.5000  2 epochs/s\n")
    assert "\n" not in text[:-1]  # one line, redrawn with \r
