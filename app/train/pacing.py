"""How often the Train tab redraws its live views while a network trains, without Qt.

When the network trains in a thread of the app, training and drawing share one Python
interpreter: while the GUI thread runs Python to redraw, the training thread waits for the
interpreter lock. So the tab keeps the GUI thread's share of the CPU near a budget
(`GUI_CPU_BUDGET`; `GUI_CPU_BUDGET_ALONE` when the training has a process, and so a core,
of its own, and drawing takes nothing from it): after every refresh it
measures the GUI thread's CPU time since the previous one and widens the gap between
refreshes while above budget, narrows it while below, always between `MAX_REFRESH_HZ` and
`MIN_REFRESH_HZ`. The layer-health and weight views change slowly and are redrawn at most
`LOWER_REFRESH_HZ` times a second.

`RefreshPacer` does the bookkeeping; the tab asks it how long to wait and tells it when it
redrew. Its clocks are parameters, so the tests drive it with made-up times.
"""

from __future__ import annotations

import time
from collections.abc import Callable

MAX_REFRESH_HZ = 20.0  # redraw the live views at most this often
MIN_REFRESH_HZ = 4.0  # and at least this often while training
LOWER_REFRESH_HZ = 4.0  # the layer-health and weight views at most this often
GUI_CPU_BUDGET = 0.07  # target share of CPU time for the GUI thread while training
GUI_CPU_BUDGET_ALONE = 0.5  # the same when the training has a process of its own
SLOWER, FASTER = 1.25, 0.9  # gap factors above and below the budget


class RefreshPacer:
    """Spaces the tab's refreshes to keep the GUI thread's CPU share near the budget.

    `wall` is a wall clock (seconds), `cpu` the calling thread's CPU clock (seconds).
    """

    def __init__(
        self,
        wall: Callable[[], float] = time.perf_counter,
        cpu: Callable[[], float] = time.thread_time,
        budget: float = GUI_CPU_BUDGET,
    ) -> None:
        self._wall, self._cpu = wall, cpu
        self.budget = budget
        self.gap = 1.0 / MAX_REFRESH_HZ  # seconds between refreshes, adapted
        self.last_refresh = 0.0  # wall time of the last refresh (0: none yet)
        self._last_cpu = cpu()
        self.last_lower_refresh = 0.0  # wall time the slow views were last redrawn

    def wait(self) -> float:
        """Seconds to wait before the next refresh (0 when it is due now)."""
        return max(0.0, self.gap - (self._wall() - self.last_refresh))

    def lower_due(self, force: bool = False) -> bool:
        """Whether to redraw the slow views in this refresh (always when `force`); notes
        the time when it says yes."""
        now = self._wall()
        due = force or now - self.last_lower_refresh >= 1.0 / LOWER_REFRESH_HZ
        if due:
            self.last_lower_refresh = now
        return due

    def refreshed(self, training: bool) -> None:
        """Note a refresh just done; while `training`, adapt the gap to the CPU share the
        GUI thread used since the previous refresh (drawing, painting, events)."""
        now, cpu = self._wall(), self._cpu()
        if training and self.last_refresh and now > self.last_refresh:
            share = (cpu - self._last_cpu) / (now - self.last_refresh)
            factor = SLOWER if share > self.budget else FASTER
            self.gap = min(max(self.gap * factor, 1.0 / MAX_REFRESH_HZ), 1.0 / MIN_REFRESH_HZ)
        self.last_refresh, self._last_cpu = now, cpu


__all__ = [
    "RefreshPacer",
    "GUI_CPU_BUDGET",
    "GUI_CPU_BUDGET_ALONE",
    "MAX_REFRESH_HZ",
    "MIN_REFRESH_HZ",
]
