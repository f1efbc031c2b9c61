"""Benchmark of the Train tab: is the window responsive, and what do the live views cost?

Run it without a display:

    QT_QPA_PLATFORM=offscreen python -m benchmarks.gui_train [--epochs N] [--recipe article]

(`--epochs 300 --rounds 1 --skip-startup` is a quick check that it still runs.) Like the
app, it limits BLAS to one thread first (`app.main.configure_blas_threads`).

It prints four figures, each with its target:

1. GUI-thread lateness: a 10 ms QTimer runs on the GUI thread while the tab trains; how
   late its ticks come (p50, p99, max). Target p99 < 50 ms.
2. Training throughput with the live views on, as a share of headless nncore training on
   the same settings in the same process (TrainingRun.run_chunk in a loop, no Qt).
   Target ≥ 85 %.
3. Cost of one refresh of all live views (loss curve, the three contour maps with their
   contour lines, layer health, weight matrices), including painting them as the app does
   (the event loop repaints what changed), median over repeated refreshes; also the upper
   bound of repainting every view in full. Target < 15 ms.
4. Start-up: from launching `python -m app` in a subprocess to the first paint of the main
   window. The shell has no "quit after first paint" option, so the child process installs
   an event filter that notes the window's first Paint event, prints the time and quits,
   and then calls the real `app.main.main()`. Target < 2 s.

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


def gui_run(tab, app, config) -> tuple[float, list[float], int]:
    """Train in the tab with its views live; returns (epochs/s, timer lateness ms, refreshes)."""
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
    timer.start(10)
    last[0] = clock.nsecsElapsed()
    started = time.perf_counter()
    tab.configure(None, config)  # a fresh run (the previous one stays greyed)
    tab.start()
    loop.exec()
    elapsed = time.perf_counter() - started
    timer.stop()
    return len(tab.history) / elapsed, lateness, refreshes[0]


def refresh_cost(tab, app, repeats: int = 40, full_repaint: bool = False) -> tuple[float, float]:
    """Median (wall ms, CPU ms) of redrawing every live view from the last snapshot and
    painting it: loss curve, the three contour maps, layer health or weight matrices.

    By default the views are painted the way the app paints them: the event loop repaints
    the regions that changed. With `full_repaint` every view's whole viewport is repainted
    synchronously (an upper bound: axes and colour bars that did not change are redrawn).
    """
    views = [tab.loss_plot, tab.truth_view, tab.prediction_view, tab.error_view]
    walls, cpus = [], []
    snap = tab.last_snapshot
    for k in range(repeats):
        tab.lower_tabs.setCurrentIndex(k % 2)  # layer health, then weight matrices
        app.processEvents()
        wall, cpu = time.perf_counter(), time.thread_time()
        # new values for every map, as during training (the truth map normally stays)
        tab.truth_view.set_values(
            tab.prepared.truth + 1e-9 * k, tab.views.levels, tab.views.contour_levels
        )
        snap.prediction = snap.prediction + 1e-9
        tab._dirty_maps = tab._dirty_curves = True
        tab.pacer.last_lower_refresh = 0.0  # the slow views are due too
        tab._refresh()
        if full_repaint:
            for view in views + [tab.lower_tabs.currentWidget()]:
                view.viewport().repaint()
            tab.progress.repaint()
            tab.readout_label.repaint()
        else:
            app.processEvents()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.thread_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def startup_time(repeats: int = 3) -> list[float]:
    times = []
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["NN_TUTOR_SETTINGS"] = os.path.join("/tmp", f"nn-tutor-bench-{os.getpid()}.ini")
    for _ in range(repeats):
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
                times.append(float(line.split()[1]))
                break
        else:
            print("  start-up child printed no first paint:", out.stdout[-300:], out.stderr[-500:])
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipe", default="article", choices=("article", "modern"))
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args(argv)

    from app.main import configure_blas_threads

    configure_blas_threads()  # as the app does at its start
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from app.theme import theme
    from app.train.tab import TrainTab
    from nncore import training

    theme.apply()
    tab = TrainTab()
    tab.resize(1400, 880)
    tab.show()
    app.processEvents()
    config = training.recipe(args.recipe, epochs=args.epochs)
    print(
        f"settings: {args.recipe} recipe, {args.epochs} epochs, "
        f"{len(tab.prepared.train):,} training / {len(tab.prepared.val):,} validation points, "
        f"{config.sizes}"
    )

    # alternate headless and GUI runs so that both see the same (shared) machine
    headless, gui, shares, lateness, refreshes = [], [], [], [], 0
    for round_ in range(args.rounds):
        h = headless_speed(config, tab.prepared, repeats=1)
        g, late, n = gui_run(tab, app, config)
        headless.append(h)
        gui.append(g)
        shares.append(g / h * 100)
        lateness.extend(late)
        refreshes += n
        print(
            f"  round {round_ + 1}: headless {h:,.0f} epochs/s, with live views {g:,.0f} "
            f"epochs/s ({g / h * 100:.0f}%), {n} refreshes"
        )
    print(f"headless nncore: median {statistics.median(headless):,.0f} epochs/s")
    print(
        f"with live views: median {statistics.median(gui):,.0f} epochs/s; share of headless "
        f"per round, median {statistics.median(shares):.0f}% (target ≥ 85%)"
    )
    print(
        f"10 ms timer lateness on the GUI thread while training: p50 "
        f"{percentile(lateness, 50):.1f} ms, p99 {percentile(lateness, 99):.1f} ms, "
        f"max {max(lateness):.1f} ms over {len(lateness)} ticks (target p99 < 50 ms)"
    )
    wall, cpu = refresh_cost(tab, app)
    full_wall, full_cpu = refresh_cost(tab, app, full_repaint=True)
    print(
        f"one refresh of all live views incl. painting: median {wall:.1f} ms wall, "
        f"{cpu:.1f} ms CPU of the GUI thread (target < 15 ms); repainting every view "
        f"in full: {full_wall:.1f} ms wall, {full_cpu:.1f} ms CPU"
    )
    tab.shutdown()
    if not args.skip_startup:
        times = startup_time()
        if times:
            print(
                f"start-up of `python -m app` to the main window's first paint: median "
                f"{statistics.median(times):.2f} s over {len(times)} launches "
                f"({', '.join(f'{t:.2f}' for t in times)}) (target < 2 s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
