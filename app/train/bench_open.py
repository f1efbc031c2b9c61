"""How long opening a weight file with a long history freezes the Train tab (a measurement).

    QT_QPA_PLATFORM=offscreen python -m app.train.bench_open --epochs 200000 [--format .npz]

writes a 2-64-64-64-1 network with an `--epochs`-long history to a temporary file, opens it in
a shown TrainTab and prints how long `open_weights` took, whether the file was opened, and
the longest gap between the ticks of a 10 ms timer meanwhile (and for a second after), i.e.
the longest time the window could not draw, with the GUI thread's CPU time in the longest
stretch (which does not depend on how busy the machine is). Not part of the app; it uses
only the tab's public parts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def make_file(path: Path, epochs: int) -> None:
    from nncore import training, weightfile
    from nncore.network import Network

    history = [
        training.EpochReport(
            epoch=k,
            train_mse=1.0 / k,
            val_mse=1.1 / k,
            train_r2=0.5,
            val_r2=0.4,
            lr=0.001,
            elapsed=0.001 * k,
            weight_norms=[1.0, 2.0, 3.0, 4.0],
            grad_norms=[0.1, 0.2, 0.3, 0.4],
            dead_fraction=[0.0, 0.1, 0.2, 0.0],
        )
        for k in range(1, epochs + 1)
    ]
    cfg = training.recipe("article", epochs=max(epochs, 1))
    weightfile.save(str(path), Network([2, 64, 64, 64, 1], seed=1), config=cfg, history=history)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=200_000)
    parser.add_argument("--format", default=".npz", choices=(".npz", ".json", ".safetensors"))
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from app.train.bench_stalls import StallWatch, shown_tab

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"history{args.format}"
        made = time.perf_counter()
        make_file(path, args.epochs)
        print(
            f"wrote {args.epochs:,} epochs, {path.stat().st_size / 1e6:.1f} MB, in "
            f"{time.perf_counter() - made:.1f} s"
        )
        tab = shown_tab(app)
        with StallWatch(app) as watch:
            started = time.perf_counter()
            ok = tab.open_weights(str(path))
            took = time.perf_counter() - started
        print(f"open_weights: {took:.2f} s, opened: {ok}")
        watch.report()
        print("banner:", tab.banner.text()[:300])
        tab.shutdown()


if __name__ == "__main__":
    main()
