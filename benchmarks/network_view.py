"""Benchmark: how long one animation frame of the network drawing takes.

Draws a 6-6-6 network (the widest the "Step through" tab allows, 72 weights) in a
900×600 view and plays the three kinds of step animation frame by frame: a forward step
whose pulses run along all 36 weights of a layer, a backward step, and an update in which
every weight flashes and changes thickness. Each frame sets the animation's progress and
then renders the whole view (`QWidget.grab`, a full repaint of every item, antialiased),
which is more than the on-screen animation ever repaints.

Run it: `python -m benchmarks.network_view [--frames N]` (offscreen unless QT_QPA_PLATFORM
says otherwise).
It prints the median and 95th-percentile milliseconds per frame, both as elapsed (wall)
time and as this process's CPU time; a smooth 60 Hz animation needs them under 16 ms. On a
machine shared with other busy programs the wall-clock numbers grow with the load while the
CPU numbers stay what the drawing costs; the exit status follows the CPU numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

FRAME_BUDGET_MS = 16.0


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(frames: int = 120, sizes=(6, 6, 6)) -> dict:
    from PySide6.QtWidgets import QApplication

    from app.widgets.network_display import DisplayState, StepFocus
    from app.widgets.network_view import NetworkView
    from nncore import Network

    app = QApplication.instance() or QApplication(sys.argv[:1])
    net = Network(sizes, activations="tanh", init="xavier", seed=1)
    x = [0.5] * sizes[0]
    rec = net.forward([x])
    grads = net.backward(rec, [[0.0] * sizes[-1]])
    view = NetworkView()
    view.resize(900, 600)
    view.show()
    view.set_network(net, x=x)
    app.processEvents()

    before = DisplayState.from_network(net, x, [0.0] * sizes[-1])
    after = DisplayState.from_network(net, x, [0.0] * sizes[-1])
    for col in range(1, len(sizes)):
        for j in range(sizes[col]):
            after.z[(col, j)] = float(rec.z[col - 1][0, j])
            after.a[(col, j)] = float(rec.a[col][0, j])
            after.errors[(col, j)] = float(grads.errors[col - 1][0, j])
    updated = net.copy()
    updated.set_weights(0, net.weights[0] - 0.5 * grads.weights[0])
    after_update = DisplayState.from_network(updated, x, [0.0] * sizes[-1])
    first_layer = tuple((0, i, j) for i in range(sizes[0]) for j in range(sizes[1]))
    scenarios = {
        "forward": (
            after,
            before,
            StepFocus(
                phase="forward",
                kind="sum",
                nodes=tuple((1, j) for j in range(sizes[1])),
                edges=first_layer,
                value=after.z[(1, 0)],
            ),
        ),
        "backward": (
            after,
            after,
            StepFocus(
                phase="backward",
                kind="backprop_sum",
                nodes=tuple((1, j) for j in range(sizes[1])),
                edges=first_layer,
                value=after.errors[(1, 0)],
            ),
        ),
        "update": (
            after_update,
            after,
            StepFocus(phase="update", kind="weight_update", edges=first_layer, value=0.0),
        ),
    }
    results = {}
    for name, (display, previous, focus) in scenarios.items():
        view.show_display(display, focus, previous=previous, animate=False)
        view.grab()  # warm-up
        wall, cpu = [], []
        for k in range(frames):
            t = (k + 0.5) / frames
            start, start_cpu = time.perf_counter(), time.process_time()
            view._on_progress(t)  # what the animation's valueChanged does each frame
            view.grab()  # full repaint of the view
            wall.append((time.perf_counter() - start) * 1000.0)
            cpu.append((time.process_time() - start_cpu) * 1000.0)
        results[name] = {
            "wall": (statistics.median(wall), _percentile(wall, 0.95)),
            "cpu": (statistics.median(cpu), _percentile(cpu, 0.95)),
        }
    view.close()
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.network_view",
        description="Milliseconds per animation frame of the Step tab's network drawing.",
    )
    parser.add_argument("--frames", type=int, default=120, help="frames per animation kind")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results = run(frames=args.frames)
    print("network view, 6-6-6 network, 900x600, full repaint per frame (ms per frame)")
    print("  (wall = elapsed time; cpu = this process's CPU time, which other programs")
    print("   competing for the processor do not inflate)")
    worst = {"wall": 0.0, "cpu": 0.0}
    for name, clocks in results.items():
        row = []
        for clock in ("wall", "cpu"):
            median, p95 = clocks[clock]
            row.append(f"{clock} median {median:6.2f} p95 {p95:6.2f}")
            worst[clock] = max(worst[clock], p95)
        print(f"  {name:<9} " + "   ".join(row))
    for clock in ("wall", "cpu"):
        verdict = "OK" if worst[clock] < FRAME_BUDGET_MS else "TOO SLOW"
        print(
            f"worst p95 ({clock}) {worst[clock]:.2f} ms against a "
            f"{FRAME_BUDGET_MS:.0f} ms budget: {verdict}"
        )
    try:
        load = os.getloadavg()[0]
        print(f"load average during the run: {load:.2f} on {os.cpu_count()} core(s)")
    except OSError:
        pass
    return 0 if worst["cpu"] < FRAME_BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
