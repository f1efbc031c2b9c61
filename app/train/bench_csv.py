"""How long loading the largest CSV file the reader accepts stalls the Train tab (a measurement).

    QT_QPA_PLATFORM=offscreen python -m app.train.bench_csv [--rows 1000000] [--sync]

writes a CSV file of `--rows` rows (x, y, z with six decimals: 28 MB for a million rows,
just under nncore's limits), loads it in a shown TrainTab with `DataPanel.load_csv` and
prints how long that took until the data were in use, and the longest gap between the ticks
of a 10 ms timer meanwhile (and for a second after), i.e. the longest time the window could
not draw, with the GUI thread's CPU time in that stretch. `--sync` reads the file in the GUI
thread whatever its size, as the tab did before big files went to a child process. Not part
of the app; it uses only the tab's public parts (and, for `--sync`, the size threshold).

Measured (1,000,000 rows, 28.5 MB; 2 cores, load ~1.5): `--sync` 10.1 s until the data were
in use, the window frozen for 11.0 s at once; in a child process the reading itself no
longer stalls the window, but drawing the 800,000 training points (pyqtgraph scatter plots
in app.train.views.show_data) still takes 8-9 s of GUI-thread CPU in one piece, so the
longest stall was 8.1 s; with the views drawing at most 20,000 of the points it is 0.5-0.6 s
(the split, the bounds and the new run, in the GUI thread once the data have arrived).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np


def make_file(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (rows, 2))  # (rows, 2)
    z = np.sin(X[:, 0]) * X[:, 1]  # (rows,)
    np.savetxt(
        path, np.column_stack([X, z]), fmt="%.6f", delimiter=",", header="x,y,z", comments=""
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sync", action="store_true", help="read in the GUI thread (before)")
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from app.train import data_panel
    from app.train.bench_stalls import StallWatch, shown_tab

    if args.sync:
        data_panel.IN_PROCESS_BYTES = 1 << 62  # every file counts as small

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "largest.csv"
        make_file(path, args.rows)
        print(f"wrote {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
        tab = shown_tab(app)
        outcome: list[bool] = []
        loop = QEventLoop()
        tab.data_panel.csv_finished.connect(lambda ok: (outcome.append(ok), loop.quit()))
        with StallWatch(app) as watch:
            started = time.perf_counter()
            if tab.data_panel.load_csv(str(path)):
                outcome.append(True)
            elif tab.data_panel.reading:
                loop.exec()
            took = time.perf_counter() - started
        rows = len(tab.prepared.dataset) if outcome and outcome[0] else 0
        print(f"load_csv until the data were in use: {took:.2f} s, rows in use: {rows:,}")
        watch.report()
        print("message:", tab.data_panel.message.text()[:200])
        tab.shutdown()


if __name__ == "__main__":
    main()
