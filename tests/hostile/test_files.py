"""Files: modes that follow the umask, no temporary files left by a killed save.

Issue 8: `.safetensors` files are created mode 0600 whatever the umask (the others 0644);
a killed save leaves a hidden temporary file behind. The umask is process-wide, so each
save runs in its own child.
"""

from __future__ import annotations

import os
import signal
import sys

import hostile_files as hf
import pytest
from hostile_sandbox import run_python, start

_SAVE_SMALL = """
from nncore import Network, save
save({path!r}, Network((2, 3, 1), seed=0))
import os
result = os.stat({path!r}).st_mode & 0o777
"""


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002], ids=["022", "077", "002"])
@pytest.mark.parametrize("ext", hf.FORMATS)
def test_a_saved_file_has_the_mode_the_umask_gives(tmp_path, ext, umask):
    path = tmp_path / f"model{ext}"
    outcome = run_python(_SAVE_SMALL.format(path=str(path)), umask=umask)
    report = outcome.report
    assert report and report["kind"] == "returned", outcome.describe()
    assert oct(report["value"]) == oct(0o666 & ~umask), outcome.describe()


_SAVE_FOREVER = """
from nncore import Network, save
network = Network((2, 600, 600, 1), seed=0)  # 362,401 numbers: each save takes a while
while True:
    save({path!r}, network)
"""


@pytest.mark.parametrize("ext", [".json", ".safetensors", ".npz"])
def test_a_save_killed_mid_write_leaves_no_temporary_file_after_the_next_save(tmp_path, ext):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"model{ext}"
    saver = start([sys.executable, "-c", _SAVE_FOREVER.format(path=str(target))], timeout=30)

    def writing() -> bool:
        return target.exists() and any(p.name != target.name for p in folder.iterdir())

    caught = saver.wait_until(writing)
    saver.send(signal.SIGKILL)
    killed = saver.finish()
    assert caught, "never saw a save under way" + killed.describe()
    assert killed.status == -signal.SIGKILL, killed.describe()

    again = run_python(_SAVE_SMALL.format(path=str(target)))
    assert again.report and again.report["kind"] == "returned", again.describe()
    left = sorted(os.listdir(folder))
    assert left == [target.name], f"left beside the model: {left}"
