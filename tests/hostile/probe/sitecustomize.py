"""Loaded by every Python child of the hostile suite (this folder comes first on its
PYTHONPATH): at exit, the child writes its own peak resident memory to
`$HOSTILE_PEAK_FILE.<pid>`.

The peak is VmHWM from /proc/self/status, which starts afresh when the child's program is
loaded. `os.wait4`'s ru_maxrss cannot be used alone: Linux carries it across fork and exec,
so a child forked from a 600 MB test process reports 600 MB whatever it did itself. A child
killed before it exits writes nothing, and the sandbox falls back to ru_maxrss.
"""

import atexit
import os


def _write_peak() -> None:
    path = os.environ.get("HOSTILE_PEAK_FILE")
    if not path:
        return
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            kilobytes = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        with open(f"{path}.{os.getpid()}", "w", encoding="ascii") as out:
            out.write(str(kilobytes * 1024))
    except (OSError, StopIteration, ValueError):
        pass  # no /proc here: the sandbox uses ru_maxrss instead


atexit.register(_write_peak)
