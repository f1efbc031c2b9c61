"""Benchmark: what one refresh of the Train tab's live views costs the GUI thread, view by view.

The Train tab is built at 1400 × 880 with the lower tab "Neuron maps" on show (as in
`benchmarks.gui_train`), trains 200 epochs, and then redraws everything from its last
snapshot many times, as while training: `TrainTab._refresh` and the event loop's repaint.
Each piece is timed where it runs (this thread's CPU time, which the load of other
programs does not inflate; medians and 95th percentiles over the refreshes):

- the prediction and error maps (image and contour lines), or for `--classifier` the
  decision map (RGB regions, boundary lines) and the "how sure" map: update and paint;
- the loss curve: update and paint;
- the neuron maps: computed (`nncore.neuron_maps`), coloured (`set_maps`), painted;
- the whole refresh, and what the event loop did besides the pieces named.

Two ways are timed in turn, refresh by refresh, so that both see the same machine:

- "all here": today's way, everything on the GUI thread;
- "handed in": what the GUI thread is left with when the training process sends its
  snapshots with the neuron maps computed, their thumbnails coloured
  (`neuron_maps_layout.colour_layers`) and the maps' contour lines found
  (`map_lines.live_map_lines`). That work is timed apart, as "off the GUI thread".

Run it: `python -m app.train.bench_views [--classifier] [--repeats N]` (offscreen unless
QT_QPA_PLATFORM says otherwise). A measurement, not part of the app.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import time


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def build_tab(classifier: bool):
    """The Train tab at the benchmark's size, 200 epochs trained, Neuron maps on show."""
    from PySide6.QtWidgets import QApplication

    from app.theme import theme
    from app.train.session import DataSettings
    from app.train.tab import TrainTab
    from nncore import training

    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply()
    tab = TrainTab()
    tab.resize(1400, 880)
    tab.show()
    tab.lower_tabs.setCurrentWidget(tab.views.neuron_maps)
    app.processEvents()
    if classifier:
        data = DataSettings(task="classification", dataset="spiral", classes=2, samples=1000)
        config = training.recipe("classify", epochs=400)
    else:
        data, config = None, training.recipe("article", epochs=400)
    if not tab.configure(data, config):
        raise SystemExit(f"the Train tab refused these settings: {tab.status_label.text()}")
    tab.run_synchronously(200)
    app.processEvents()
    return app, tab


class PieceTimer:
    """Adds up the CPU time spent in wrapped functions, per piece, for the current refresh."""

    def __init__(self):
        self.now: dict[str, float] = collections.defaultdict(float)
        self.calls: dict[str, int] = collections.Counter()  # over the whole benchmark

    def wrap(self, owner, name: str, piece) -> None:
        """Time `owner.name` (a module function or a class's method) as `piece`, a name or
        a function of the call's arguments giving one."""
        original = getattr(owner, name)
        pieces, calls = self.now, self.calls

        def timed(*args, **kwargs):
            start = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                label = piece(args) if callable(piece) else piece
                pieces[label] += time.thread_time() - start
                calls[label] += 1

        setattr(owner, name, timed)


def instrument() -> PieceTimer:
    """Wrap each piece of a refresh (see the module docstring) in a `PieceTimer`, before
    the tab is built (PySide looks a widget's Python paintEvent up only once)."""
    import pyqtgraph as pg

    import app.train.neuron_maps_panel as panel_module
    import app.widgets.neuron_maps as maps_module
    import app.widgets.plots as plots
    from app.widgets.contour_view import ContourView

    names = {
        "Prediction": "prediction/decision map",
        "Decision regions": "prediction/decision map",
        "Error": "error/how-sure map",
        "How sure (chosen class)": "error/how-sure map",
        "True function": "truth map",
        "LossPlot": "loss curve",
    }

    def which(view) -> str:
        name = getattr(view, "_title", "") if isinstance(view, ContourView) else ""
        return names.get(name or type(view).__name__, type(view).__name__)

    timer = PieceTimer()
    timer.wrap(ContourView, "set_values", lambda a: which(a[0]) + ": update")
    timer.wrap(ContourView, "set_regions", lambda a: which(a[0]) + ": update")
    timer.wrap(plots.LossPlot, "set_history", "loss curve: update")
    timer.wrap(plots.LossPlot, "set_accuracy", "loss curve: update")
    timer.wrap(pg.GraphicsView, "paintEvent", lambda a: which(a[0]) + ": paint")
    timer.wrap(panel_module, "neuron_maps", "neuron maps: compute")
    timer.wrap(maps_module.NeuronMapsView, "set_maps", "neuron maps: colour")
    timer.wrap(maps_module.NeuronMapsView, "paintEvent", "neuron maps: paint")
    return timer


def hand_in(tab, timer: PieceTimer):
    """Make the tab's snapshot arrive as the training process will send it (its maps,
    thumbnails and lines computed); returns (undo, the off-thread work's CPU seconds)."""
    import app.train.neuron_maps_panel as panel_module
    from app.widgets.map_lines import live_map_lines
    from app.widgets.neuron_maps_layout import colour_layers
    from nncore.neuron_maps import neuron_maps

    views, snap = tab.views, tab.last_snapshot
    panel = views.neuron_maps
    start = time.thread_time()
    maps = neuron_maps(snap.state.network, snap.state.normaliser, panel.domain, panel.grid)
    tiles = colour_layers(maps, *panel.view.colour_table())
    xs, ys = views.prediction_view._xs, views.prediction_view._ys
    if snap.decision is not None:
        d = snap.decision
        lines = live_map_lines(
            xs,
            ys,
            confidence_range=views.confidence_levels,
            confidence=d.confidence,
            margins=d.margins,
        )
    else:
        lines = live_map_lines(
            xs, ys, value_range=views.levels, prediction=snap.prediction, error=snap.error
        )
    off_thread = time.thread_time() - start
    snap.lines = lines
    computing, colouring = panel_module.neuron_maps, panel.view.set_maps

    def arrives_computed(*_args, **_kwargs):
        return maps

    def colour_handed_in(maps_, tiles_=None):
        colouring(maps_, tiles)

    panel_module.neuron_maps = arrives_computed
    panel.view.set_maps = colour_handed_in

    def undo():
        snap.lines = None
        panel_module.neuron_maps = computing
        del panel.view.set_maps  # the class's own again

    return undo, off_thread


def measure(app, tab, timer: PieceTimer, repeats: int, ways=("all here", "handed in")) -> dict:
    """Alternate refreshes the two ways; per way, per piece, the CPU seconds of each."""
    panel = tab.views.neuron_maps
    samples: dict = {way: collections.defaultdict(list) for way in ("all here", "handed in")}
    off_thread = [0.0]
    for k in range(repeats + 3):
        for way in ways:
            undo = None
            if way == "handed in":
                undo, spent = hand_in(tab, timer)
                off_thread.append(spent)
            panel._shown_network, panel._last_computed = None, 0.0  # a new network
            tab._dirty_maps = tab._dirty_curves = True
            tab.pacer.last_lower_refresh = 0.0
            timer.now.clear()
            start = time.thread_time()
            tab._refresh()
            app.processEvents()
            whole = time.thread_time() - start
            if undo is not None:
                undo()
            if k < 3:
                continue  # warming up
            named = sum(timer.now.values())
            for piece, spent in timer.now.items():
                samples[way][piece].append(spent)
            samples[way]["everything else (event loop, labels, layout)"].append(whole - named)
            samples[way]["WHOLE REFRESH"].append(whole)
    samples["off the GUI thread (maps, thumbnails, lines)"] = off_thread
    return samples


def report(samples: dict, title: str) -> None:
    print(title)
    print(f"   {'piece (GUI-thread CPU, ms)':46s} {'all here':>17s}  {'handed in':>17s}")
    print(f"   {'':46s} {'median':>8s} {'p95':>8s}  {'median':>8s} {'p95':>8s}")
    old, new = samples["all here"], samples["handed in"]
    pieces = sorted(set(old) | set(new), key=lambda p: (p == "WHOLE REFRESH", "everything" in p, p))
    for piece in pieces:
        cells = []
        for way in (old, new):
            values = way.get(piece)
            median, p95 = _ms(values) if values else (None, None)
            cells.append(f"{median:8.2f} {p95:8.2f}" if values else f"{'-':>8s} {'-':>8s}")
        print(f"   {piece:46s} {cells[0]}  {cells[1]}")
    median, p95 = _ms(samples["off the GUI thread (maps, thumbnails, lines)"])
    print(f"   off the GUI thread, handed in: median {median:.2f} ms, p95 {p95:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--classifier", action="store_true", help="the spiral classifier")
    parser.add_argument(
        "--all-here-only",
        action="store_true",
        help="time today's way only (to run this file in a checkout from before the other)",
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # BLAS on one thread, as `app.main.configure_blas_threads` sets it at the app's start
    # (app.train may not import app.main): with OpenBLAS's own pool the maps' computation
    # measured 7 ms here instead of 1.4
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    timer = instrument()
    app, tab = build_tab(args.classifier)
    ways = ("all here",) if args.all_here_only else ("all here", "handed in")
    samples = measure(app, tab, timer, args.repeats, ways)
    name = "spiral classifier" if args.classifier else "article 2-64-64-64-1 regressor"
    report(samples, f"one refresh of the Train tab's live views, {name}, 1400x880")
    tab.shutdown()


if __name__ == "__main__":
    main()
