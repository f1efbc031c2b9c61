"""Benchmark: what the neuron maps cost, for the article's 2-64-64-64-1 network.

Prints, as medians and 95th percentiles over many repetitions (milliseconds of this
thread's CPU time, which the load of other programs does not inflate):

1. compute: `nncore.neuron_maps.neuron_maps` alone (one forward pass over the mesh, the
   maps reshaped, the scales and dead neurons), for a few mesh sizes;
2. panel: one refresh of the Neuron maps tab as the Train tab does it (a new snapshot's
   network: compute, colour one image per layer, paint the 193 thumbnails), at the size the
   tab has in a 1280 × 800 and a 1600 × 900 window, with and without a neuron enlarged;
3. tab: one refresh of all the Train tab's live views (`TrainTab._refresh`: prediction and
   error maps, loss curve, the lower tab, painted) with the Neuron maps on show and with
   the Layer health on show instead, to see the maps' share of the issue's 15 ms budget.

Run it: `python -m app.train.bench_neuron_maps [--repeats N]` (offscreen unless
QT_QPA_PLATFORM says otherwise). A measurement, not part of the app.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

SIZES = (2, 64, 64, 64, 1)
PANEL_SIZES = {"1280x800": (470, 300), "1600x900": (640, 360)}  # the lower tab's page


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered) * 1000:6.2f} ms   p95 {p95 * 1000:6.2f} ms"


def _timed(action, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.thread_time()
        action()
        samples.append(time.thread_time() - start)
    return samples


def _trained_parts():
    from nncore import data as nndata
    from nncore import training

    fn = nndata.get_function("article")
    run = training.TrainingRun(training.recipe("article"), nndata.sample_uniform(fn, 1000, seed=0))
    run.run_chunk(200)  # some shape, some dead neurons
    return run.network, run.normaliser


def bench_compute(repeats: int) -> None:
    from nncore.neuron_maps import neuron_maps

    net, normaliser = _trained_parts()
    print(f"1. compute (nncore.neuron_maps, {'-'.join(map(str, SIZES))}, float64)")
    for grid in (16, 24, 32, 48):
        samples = _timed(
            lambda g=grid: neuron_maps(net, normaliser, (-10, 10, -10, 10), g), repeats
        )
        print(f"   grid {grid:2d} × {grid:<2d}  {_ms(samples)}")


def _snapshot(net, normaliser):
    from app.train.worker import TrainingSnapshot
    from nncore.reports import RunState

    state = RunState(200, 0.001, False, None, None, net.copy(), normaliser)
    # final: drawn whenever it comes (a live snapshot is drawn at most MAX_HZ times a second)
    return TrainingSnapshot(
        run_id=1, reports=[], state=state, total_epochs=2000, epochs_per_second=0, final=True
    )


def bench_panel(repeats: int) -> None:
    from PySide6.QtWidgets import QApplication

    from app.train.neuron_maps_panel import NeuronMapsPanel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    net, normaliser = _trained_parts()
    print("2. one Neuron maps refresh (compute + colour + paint), GUI-thread CPU")
    for name, (w, h) in PANEL_SIZES.items():
        for enlarged in (False, True):
            panel = NeuronMapsPanel()
            panel.resize(w, h)
            panel.set_domain(np.linspace(-10, 10, 100), np.linspace(-10, 10, 100))
            panel.show()
            panel.show_snapshot(_snapshot(net, normaliser))
            if enlarged:
                panel.select(1, 5)
            app.processEvents()

            def refresh(panel=panel):
                panel.show_snapshot(_snapshot(net, normaliser))  # a new network each time
                panel.repaint()  # paint now, as the event loop would

            # the copy of the network is the worker's work, not the GUI's: time it apart
            copies = _timed(lambda: _snapshot(net, normaliser), repeats)
            samples = [t - statistics.median(copies) for t in _timed(refresh, repeats)]
            label = "with a neuron enlarged" if enlarged else "thumbnails only      "
            print(f"   {name} window ({w}×{h} px), {label}  {_ms(samples)}")
            panel.close()


def bench_tab(repeats: int) -> None:
    from PySide6.QtWidgets import QApplication

    from app.train.tab import TrainTab

    app = QApplication.instance() or QApplication(sys.argv[:1])
    tab = TrainTab()
    tab.resize(1280, 760)
    tab.show()
    app.processEvents()
    tab.run_synchronously(200)
    snap = tab.last_snapshot
    print("3. one refresh of all live views (TrainTab._refresh + paint), 1280x800, GUI-thread CPU")
    for name, page in (("Neuron maps", tab.views.neuron_maps), ("Layer health", tab.health_plots)):
        tab.lower_tabs.setCurrentWidget(page)
        app.processEvents()

        def refresh():
            snap.state.network = snap.state.network.copy()  # a new snapshot's network
            tab._dirty_maps = tab._dirty_curves = True
            tab.pacer.last_lower_refresh = 0.0  # the slow views are due, as at their 4 Hz
            tab._refresh()
            tab.views.repaint()

        print(f"   {name + ' on show':26s} {_ms(_timed(refresh, repeats))}")
    tab.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    bench_compute(args.repeats * 3)
    bench_panel(args.repeats)
    bench_tab(args.repeats)


if __name__ == "__main__":
    main()
