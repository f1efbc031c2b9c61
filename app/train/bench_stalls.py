"""What the Train tab's two stall measurements (`bench_csv`, `bench_open`) share.

Not part of the app. `shown_tab(app)` is a TrainTab on screen, settled for a second.
`StallWatch` ticks a 10 ms timer while a slow action runs (and for a second after) and
reports the longest gap between two ticks, the longest time the window could not draw, with
the GUI thread's CPU time in the longest stretch: that one does not depend on how busy the
machine is (the wall-clock gap also counts other programs' turns on the cores).
"""

from __future__ import annotations

import time

TICK_MS = 10


def settle(app, seconds: float) -> None:
    """Let the event loop run for `seconds` (drawing, timers, arriving data)."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        app.processEvents()


def shown_tab(app):
    """A TrainTab shown at 1400×900, after a second of settling."""
    from app.train.tab import TrainTab

    tab = TrainTab()
    tab.resize(1400, 900)
    tab.show()
    settle(app, 1.0)
    return tab


class StallWatch:
    """`with StallWatch(app) as watch: ...` records the ticks; then `watch.report()`."""

    def __init__(self, app):
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.app = app
        self.gaps: list[int] = []  # ms between two ticks
        self.cpu_gaps: list[float] = []  # s of GUI-thread CPU between two ticks
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)

    def __enter__(self) -> StallWatch:
        self._clock.start()
        self._last, self._last_cpu = self._clock.elapsed(), time.thread_time()
        self._timer.start(TICK_MS)
        return self

    def _tick(self) -> None:
        now, cpu = self._clock.elapsed(), time.thread_time()
        self.gaps.append(now - self._last)
        self.cpu_gaps.append(cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu

    def __exit__(self, *_exc) -> None:
        settle(self.app, 1.0)  # what the action left for the event loop counts too
        self._timer.stop()

    def report(self) -> None:
        print(f"longest time the window could not draw: {max(self.gaps, default=0)} ms")
        print(
            f"longest GUI-thread CPU between ticks: {1000 * max(self.cpu_gaps, default=0):.0f} ms"
        )
