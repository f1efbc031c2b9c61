"""Benchmark of the Train tab: is the window responsive, and what do the live views cost?

Run it without a display:

    QT_QPA_PLATFORM=offscreen python -m benchmarks.gui_train [--epochs N] [--recipe article]
                                                             [--classifier] [--modes M,M]

(`--epochs 300 --rounds 1 --skip-startup` is a quick check that it still runs.) It measures
the Train tab with its network training in a process of its own ("process", the app's
default) and in a thread of the app ("thread"), one after the other in the same run
(`--modes`, see app.train.training_mode), so the two sets of figures are side by side. Like the
app, it limits BLAS to one thread first (`app.main.configure_blas_threads`). The Train
tab's lower tab shows "Neuron maps" throughout (the costliest live view: every neuron's
map, recomputed while training). `--classifier` trains the spiral (2 classes, recipe
"classify"): the middle map is then the decision map, with its boundary lines.

It prints five figures, each beside its target (issue 12, "Speed") and the ratio
figure / target (≤ 1 is met for a ceiling, ≥ 1 for a floor):

1. Training throughput with every live view on, as a share of headless nncore training on
   the same settings in the same process (TrainingRun.run_chunk in a loop, no Qt).
   Target ≥ 95 %.
2. GUI-thread lateness: a 10 ms QTimer runs on the GUI thread while the tab trains; how
   late its ticks come (p50, p99, max). Target p99 ≤ 16 ms.
3. Refresh rate while training: the tab's refreshes, and the neuron maps' recomputations,
   per second. Target ≥ 10 a second (the maps).
4. Cost of one refresh of all live views for a new snapshot (loss curve, the prediction and
   error maps with their contour lines, the neuron maps), in CPU time of the GUI thread,
   including painting them as the app does (the event loop repaints what changed), median
   over repeated refreshes; also the upper bound of repainting every view in full. What
   the app computes off the GUI thread (the maps, their lines, the neuron maps' colours)
   is computed before the clock starts. Target ≤ 15 ms.
5. Start-up: from launching `python -m app` in a subprocess to the first paint of the main
   window, with the app's modules compiled (as after the first launch; see `startup_time`). The shell has no "quit after first paint" option, so the child process installs
   an event filter that notes the window's first Paint event, prints the time and quits,
   and then calls the real `app.main.main()`. Target ≤ 1.0 s.

The machine this runs on may be shared: the figures are medians of short runs and vary.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

STARTUP_CHILD = r"""
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([sys.argv[0]])

class FirstPaint(QObject):
    def __init__(self):
        super().__init__()
        self.seen = False
    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Paint and obj.isWidgetType() \
                and isinstance(obj.window(), QMainWindow):
            self.seen = True
            print(f"FIRST_PAINT {time.time() - t0:.4f}", flush=True)
            QTimer.singleShot(0, lambda: obj.window().close())
        return False

watcher = FirstPaint()
app.installEventFilter(watcher)
import app.main
code = app.main.main([])
sys.exit(0)
"""


TARGETS = {  # issue 12, "Speed": (target, "floor" or "ceiling")
    "share": (95.0, "floor"),  # % of headless throughput
    "late_p99": (16.0, "ceiling"),  # ms
    "maps_hz": (10.0, "floor"),  # neuron-map refreshes a second
    "refresh_cpu": (15.0, "ceiling"),  # ms of GUI-thread CPU
    "startup": (1.0, "ceiling"),  # s
}


def against(name: str, value: float, unit: str) -> str:
    """`value` beside its target and the ratio, e.g. "(target ≤ 16 ms, ratio 0.81: met)"."""
    target, kind = TARGETS[name]
    ratio = value / target
    met = ratio >= 1.0 if kind == "floor" else ratio <= 1.0
    sign = "≥" if kind == "floor" else "≤"
    return f"(target {sign} {target:g}{unit}, ratio {ratio:.2f}: {'met' if met else 'NOT met'})"


def percentile(values, q):
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def headless_speed(config, prepared, repeats: int = 2) -> float:
    """Epochs per second of plain nncore training on the tab's data (no Qt involved)."""
    from nncore.training import TrainingRun

    speeds = []
    for _ in range(repeats):
        run = TrainingRun(config, prepared.train, prepared.val)
        started = time.perf_counter()
        while not run.done:
            run.run_chunk(20)
        speeds.append(run.epoch / (time.perf_counter() - started))
    return statistics.median(speeds)


def gui_run(tab, app, data, config) -> tuple[float, list[float], float, float]:
    """Train in the tab with its views live; returns (epochs/s, timer lateness ms, refreshes
    a second, neuron-map computations a second)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    lateness: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick():
        now = clock.nsecsElapsed()
        lateness.append(max(0.0, (now - last[0]) / 1e6 - 10.0))
        last[0] = now

    timer = QTimer()
    timer.setTimerType(timer.timerType().PreciseTimer)
    timer.timeout.connect(tick)
    refreshes = [0]
    tab.refreshed.connect(lambda: refreshes.__setitem__(0, refreshes[0] + 1))
    loop = QEventLoop()
    tab.run_finished.connect(lambda _reason: loop.quit())
    tab.configure(data, config)  # a fresh run (the previous one stays greyed)
    while tab.last_snapshot is None:  # the fresh run drawn: what follows is training
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    app.processEvents()
    computed = tab.views.neuron_maps.computed
    timer.start(10)
    last[0] = clock.nsecsElapsed()
    started = time.perf_counter()
    tab.start()
    loop.exec()
    elapsed = time.perf_counter() - started
    timer.stop()
    maps = tab.views.neuron_maps.computed - computed
    return len(tab.history) / elapsed, lateness, refreshes[0] / elapsed, maps / elapsed


def refresh_cost(tab, app, repeats: int = 40, full_repaint: bool = False) -> tuple[float, float]:
    """Median (wall ms, CPU ms) of redrawing every live view for a new snapshot and painting
    it: the loss curve, the prediction and error maps (or a classifier's decision regions and
    "how sure" map), the neuron maps.

    Each round makes a new snapshot as the app does while training: a network with new
    numbers, and its maps, contour lines and coloured neuron maps computed by
    `app.train.live_grids` (in the app that runs beside the training, off the GUI thread;
    here before the clock starts). The clock then measures what the GUI thread does: hand
    the arrays to the views, and paint. The true-function map does not change while a
    network trains and is not redrawn.

    By default the views are painted the way the app paints them: the event loop repaints
    the regions that changed. With `full_repaint` every view's whole viewport is repainted
    synchronously (an upper bound: axes and colour bars that did not change are redrawn).
    """
    import dataclasses

    from app.train.live_grids import LiveGrids, MapAxes

    views = [tab.loss_plot, tab.truth_view, tab.prediction_view, tab.error_view]
    walls, cpus = [], []
    base = tab.last_snapshot
    panel = tab.views.neuron_maps
    show_neuron_maps(tab)
    app.processEvents()
    p = tab.prepared
    grids = LiveGrids(p.grid_X, p.truth, share=None, axes=MapAxes.of(p))
    grids.neuron_maps_domain, grids.neuron_colours = panel.wanted_domain(), panel.colour_table()
    for k in range(repeats):
        network = base.state.network.copy()
        network.biases[-1][...] += 1e-6 * (k + 1)  # new numbers, as after a chunk of training
        snap = dataclasses.replace(
            base, state=dataclasses.replace(base.state, network=network), final=False
        )
        grids.fill(snap, tab.run)
        tab.last_snapshot = snap
        panel._last_computed = 0.0  # the maps are due
        wall, cpu = time.perf_counter(), time.thread_time()
        tab._dirty_maps = tab._dirty_curves = True
        tab.pacer.last_lower_refresh = 0.0  # the slow views are due too
        tab._refresh()
        if full_repaint:
            for view in views:
                view.viewport().repaint()
            tab.lower_tabs.currentWidget().repaint()
            tab.progress.repaint()
            tab.readout_label.repaint()
        else:
            app.processEvents()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.thread_time() - cpu) * 1000)
    tab.last_snapshot = base
    return statistics.median(walls), statistics.median(cpus)


def show_neuron_maps(tab) -> None:
    """Put the Train tab's lower tab "Neuron maps" on show."""
    tab.lower_tabs.setCurrentWidget(tab.views.neuron_maps)


def startup_time(repeats: int = 3) -> list[float]:
    """Seconds from launch to the first paint, `repeats` launches after one uncounted one.

    The uncounted launch compiles the app's modules, as the first launch after installing
    does; the counted ones then find them compiled, as every later launch does. The
    compiled files go to a folder of their own in /tmp (`PYTHONPYCACHEPREFIX`), so the
    measurement works where bytecode writing is off (PYTHONDONTWRITEBYTECODE) and leaves
    the checkout as it was."""
    times = []
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["NN_TUTOR_SETTINGS"] = os.path.join("/tmp", f"nn-tutor-bench-{os.getpid()}.ini")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join("/tmp", "nn-tutor-bench-pycache")
    for launch in range(repeats + 1):
        t0 = time.time()
        out = subprocess.run(
            [sys.executable, "-c", STARTUP_CHILD, repr(t0)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        for line in out.stdout.splitlines():
            if line.startswith("FIRST_PAINT"):
                if launch:  # the first launch compiled the modules: not counted
                    times.append(float(line.split()[1]))
                break
        else:
            print("  start-up child printed no first paint:", out.stdout[-300:], out.stderr[-500:])
    return times


def measure(tab, app, data, config, name: str, args) -> None:
    """Figures 1-4 for this tab, in rounds alternating with headless nncore."""
    print(
        f"settings: {name} recipe, {args.epochs} epochs, "
        f"{len(tab.prepared.train):,} training / {len(tab.prepared.val):,} validation points, "
        f"{config.sizes}; lower tab: {tab.lower_tabs.tabText(tab.lower_tabs.currentIndex())}"
    )

    # alternate headless and GUI runs so that both see the same (shared) machine
    headless, gui, shares, lateness, rates, map_rates = [], [], [], [], [], []
    for round_ in range(args.rounds):
        h = headless_speed(config, tab.prepared, repeats=1)
        g, late, hz, maps_hz = gui_run(tab, app, data, config)
        headless.append(h)
        gui.append(g)
        shares.append(g / h * 100)
        lateness.extend(late)
        rates.append(hz)
        map_rates.append(maps_hz)
        print(
            f"  round {round_ + 1}: headless {h:,.0f} epochs/s, with live views {g:,.0f} "
            f"epochs/s ({g / h * 100:.0f}%), {hz:.1f} refreshes/s, neuron maps {maps_hz:.1f}/s,"
            f" timer p99 {percentile(late, 99):.1f} ms"
        )
    share = statistics.median(shares)
    print(f"headless nncore: median {statistics.median(headless):,.0f} epochs/s")
    print(
        f"1. throughput with live views: median {statistics.median(gui):,.0f} epochs/s; share "
        f"of headless per round, median {share:.0f}% (spread {min(shares):.0f}-"
        f"{max(shares):.0f}%) {against('share', share, ' %')}"
    )
    p99 = percentile(lateness, 99)
    print(
        f"2. 10 ms timer lateness on the GUI thread while training: p50 "
        f"{percentile(lateness, 50):.1f} ms, p99 {p99:.1f} ms, max {max(lateness):.1f} ms "
        f"over {len(lateness)} ticks {against('late_p99', p99, ' ms')}"
    )
    maps_hz = statistics.median(map_rates)
    print(
        f"3. refreshes while training: median {statistics.median(rates):.1f}/s of the tab, "
        f"neuron maps {maps_hz:.1f}/s (spread {min(map_rates):.1f}-{max(map_rates):.1f}) "
        f"{against('maps_hz', maps_hz, '/s')}"
    )
    wall, cpu = refresh_cost(tab, app)
    full_wall, full_cpu = refresh_cost(tab, app, full_repaint=True)
    print(
        f"4. one refresh of all live views incl. painting: median {cpu:.1f} ms CPU of the GUI "
        f"thread ({wall:.1f} ms wall) {against('refresh_cpu', cpu, ' ms')}; repainting "
        f"every view in full: {full_cpu:.1f} ms CPU ({full_wall:.1f} ms wall)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipe", default="article", choices=("article", "modern"))
    parser.add_argument("--classifier", action="store_true", help="train the spiral instead")
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument(
        "--modes",
        default="process,thread",
        help="where the network trains, in the order measured (default: process,thread)",
    )
    parser.add_argument(
        "--switch-interval",
        type=float,
        metavar="MS",
        help="the interpreter's thread switch interval (sys.setswitchinterval), default 5 ms:"
        " how long the GUI thread may wait for the training thread to hand over the GIL",
    )
    args = parser.parse_args(argv)
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval / 1000)

    from app.main import configure_blas_threads

    configure_blas_threads()  # as the app does at its start
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from app.theme import theme
    from app.train.session import DataSettings
    from app.train.tab import TrainTab
    from app.train.training_mode import MODE_ENV
    from nncore import training

    theme.apply()
    if args.classifier:
        data = DataSettings(task="classification", dataset="spiral", classes=2, samples=1000)
        config = training.recipe("classify", epochs=args.epochs)
        name = "spiral classifier, classify"
    else:
        data, config, name = None, training.recipe(args.recipe, epochs=args.epochs), args.recipe
    print(f"thread switch interval {sys.getswitchinterval() * 1000:g} ms")
    for mode in args.modes.split(","):
        os.environ[MODE_ENV] = mode.strip()
        tab = TrainTab()
        tab.resize(1400, 880)
        tab.show()
        show_neuron_maps(tab)
        app.processEvents()
        print(f"\n=== training in a {tab.training_mode} ===")
        if not tab.configure(data, config):
            print("the Train tab refused these settings:", tab.status_label.text())
            return 1
        measure(tab, app, data, config, name, args)
        tab.shutdown()
        tab.deleteLater()
        app.processEvents()
    if not args.skip_startup:
        times = startup_time()
        if times:
            first = statistics.median(times)
            print(
                f"5. start-up of `python -m app` to the main window's first paint: median "
                f"{first:.2f} s over {len(times)} launches "
                f"({', '.join(f'{t:.2f}' for t in times)}) {against('startup', first, ' s')}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
