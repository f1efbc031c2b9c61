"""The real entry point, run as a separate process: `python -m app` and its options.

These start the app exactly as a user or `make screenshots` does, so they catch what
in-process tests cannot: import-time errors, the exit code, warnings printed while the
interpreter shuts down, and blank renderings.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

import app

HARMLESS = ("propagateSizeHints",)


def run_app(args, tmp_path, timeout=120, code=None, headless=False):
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", NN_TUTOR_SETTINGS=str(tmp_path / "settings.ini")
    )
    if headless:  # a machine with no display and no platform chosen
        for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(name, None)
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "app", *args]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, cwd=tmp_path
    )


def warnings_in(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(h in line for h in HARMLESS)
    ]


def image_stats(path: Path) -> tuple[float, int, float]:
    """(grey-level standard deviation, number of distinct colours, mean grey) of a PNG."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    assert not image.isNull(), f"{path} is not a readable image"
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    pixels = pixels.reshape(height, image.bytesPerLine() // 4, 4)[:, :width, :3]  # B, G, R
    grey = pixels.astype(np.float64).mean(axis=2)
    packed = (pixels[..., 0].astype(np.uint32) << 16) | (pixels[..., 1].astype(np.uint32) << 8)
    distinct = len(np.unique(packed | pixels[..., 2]))
    return float(grey.std()), distinct, float(grey.mean())


@pytest.fixture(scope="module")
def light_and_dark_shots(tmp_path_factory):
    shots = {}
    for theme_name in ("light", "dark"):
        folder = tmp_path_factory.mktemp(f"shots-{theme_name}")
        # The light run also gets no display and no platform, as on a bare server: the
        # screenshot command must then render offscreen by itself.
        result = run_app(
            ["--screenshot", str(folder / "out"), "--theme", theme_name],
            folder,
            headless=theme_name == "light",
        )
        shots[theme_name] = (result, folder / "out")
    return shots


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_screenshot_command_writes_non_blank_pngs(light_and_dark_shots, theme_name):
    result, folder = light_and_dark_shots[theme_name]
    assert result.returncode == 0, result.stderr
    assert warnings_in(result.stderr) == []
    files = sorted(folder.glob("*.png"))
    names = [f.name for f in files]
    assert any(n == "step-through.png" or n.startswith("step-through-") for n in names), names
    assert any(n == "train.png" or n.startswith("train-") for n in names), names
    # The command lists what it wrote, one path a line.
    assert sorted(Path(line).name for line in result.stdout.split()) == names
    for path in files:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1280, 820), path.name
        spread, distinct, _ = image_stats(path)
        assert spread > 10, f"{path.name} looks blank (grey std {spread:.1f})"
        assert distinct > 50, f"{path.name} has only {distinct} colours"


def test_dark_screenshots_are_darker_than_light_ones(light_and_dark_shots):
    def mean_grey(theme_name):
        _, folder = light_and_dark_shots[theme_name]
        return {p.name: image_stats(p)[2] for p in folder.glob("*.png")}

    light, dark = mean_grey("light"), mean_grey("dark")
    assert light.keys() == dark.keys()
    for name in light:
        assert dark[name] < 100 < light[name], (name, dark[name], light[name])


def test_screenshot_into_an_impossible_folder_fails_cleanly(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_app(["--screenshot", str(blocker / "shots")], tmp_path)
    assert result.returncode == 2
    assert "cannot create the screenshot folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display check is Linux-only")
def test_without_a_display_the_window_explains_what_to_do(tmp_path):
    result = run_app([], tmp_path, headless=True)
    assert result.returncode == 1
    assert "no display" in result.stderr and "xvfb-run" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_option(tmp_path):
    result = run_app(["--version"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"nn-tutor {app.__version__}"


def test_nn_tutor_console_script_is_installed(tmp_path):
    script = Path(sys.executable).with_name("nn-tutor")
    if not script.exists():
        pytest.skip("the nn-tutor script is not installed beside this Python")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.strip() == f"nn-tutor {app.__version__}"


CLOSE_SOON = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from app.main import create_application, main

    qt_app = create_application()

    def close_all():
        {actions}
        QApplication.closeAllWindows()

    QTimer.singleShot({delay}, close_all)
    sys.exit(main({argv}))
""")


@pytest.mark.parametrize(
    ("delay", "actions"),
    [
        (0, "pass"),  # close before the first paint
        (400, "pass"),  # close once the window has been drawn
        (
            400,
            "[w.action_train_tab.trigger() for w in QApplication.topLevelWidgets() "
            "if hasattr(w, 'action_train_tab')]",
        ),
    ],
    ids=["immediately", "after-showing", "on-train-tab"],
)
def test_real_app_closes_with_exit_code_0_and_no_warnings(tmp_path, delay, actions):
    code = CLOSE_SOON.format(delay=delay, actions=actions, argv=["--theme", "dark"])
    result = run_app([], tmp_path, code=code)
    assert result.returncode == 0, result.stderr
    assert warnings_in(result.stderr) == []
    # The closing window saved its preferences to the private settings file.
    assert "theme=dark" in (tmp_path / "settings.ini").read_text()


SIGNAL_WHEN_READY = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from app.main import create_application, main

    create_application()
    # Fires once main() runs the event loop, i.e. once the window is up.
    QTimer.singleShot(0, lambda: print("ready", flush=True))
    sys.exit(main([]))
""")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    "signal_number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"]
)
def test_ctrl_c_or_sigterm_closes_the_window_cleanly(tmp_path, signal_number):
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", NN_TUTOR_SETTINGS=str(tmp_path / "settings.ini")
    )
    process = subprocess.Popen(
        [sys.executable, "-c", SIGNAL_WHEN_READY],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=120), "the window never came up"
        assert process.stdout.readline().strip() == "ready"
        process.send_signal(signal_number)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert warnings_in(stderr) == []
    assert (tmp_path / "settings.ini").is_file()  # closed through closeEvent, which saves
