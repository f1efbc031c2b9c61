"""Start nn-tutor: the `nn-tutor` command, `python -m app`, and the screenshot mode.

    nn-tutor                      open the window (theme and layout as last time)
    nn-tutor FILE.nnlesson        open it on that lesson file (docs/lesson-files.md)
    nn-tutor --theme dark         open it in the dark theme
    nn-tutor --screenshot DIR     draw every tab (and every state a tab offers) into PNG
                                  files in DIR at a fixed size, then exit; works under
                                  xvfb, and without any display (it then renders offscreen)
    nn-tutor --version

`main(argv)` returns the process exit code: 0 when the window was closed normally or all
screenshots were written, 1 when a screenshot failed, 2 for bad command-line input.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

import app as app_package
from app import zoom
from app.theme import THEMES

SCREENSHOT_SIZE = (1280, 820)
SETTLE_MS = 120
"""How long the screenshot mode lets each state run its timers before grabbing it."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nn-tutor",
        description="Watch and step through every number a neural network computes, "
        "then train a real regressor live.",
    )
    parser.add_argument(
        "lesson",
        nargs="?",
        metavar="FILE.nnlesson",
        type=Path,
        help="a lesson file to open in the Step through tab",
    )
    parser.add_argument(
        "--theme", choices=THEMES, help="colour theme for this session (default: the one used last)"
    )
    parser.add_argument(
        "--screenshot",
        metavar="DIR",
        type=Path,
        help="write a PNG of every tab (and tab state) into DIR, then exit",
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        default="{}x{}".format(*SCREENSHOT_SIZE),
        type=_parse_size,
        help="window size for --screenshot (default: %(default)s)",
    )
    parser.add_argument(
        "--text-size",
        metavar="PERCENT",
        type=_parse_text_size,
        help="text size for --screenshot in percent, 75 to 300 (default: 100)",
    )
    parser.add_argument(
        "--version", action="version", version=f"nn-tutor {app_package.__version__}"
    )
    return parser


def _parse_text_size(text: str) -> float:
    try:
        return zoom.scale_from_percent(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x820, got {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError(
            f"size {width}x{height} is out of range (320x240 to 7680x4320)"
        )
    return width, height


def _display_problem() -> str | None:
    """Why a window cannot be shown here, or None when it probably can.

    On Linux without X11 or Wayland, Qt would abort with a long plugin error; a short
    sentence saying what to do serves a student better.
    """
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY "
        "is set). Run nn-tutor from a desktop session, or under a virtual display: "
        "xvfb-run -a nn-tutor"
    )


def configure_blas_threads() -> list[dict]:
    """Let NumPy's BLAS (OpenBLAS, MKL or BLIS) use one thread in this process, for good.

    Why one: the Train tab multiplies small matrices (64 × 64 for the article's network),
    where one thread is faster than a pool that must wake up and share out every product,
    and on a machine with few cores a BLAS pool also fights the GUI thread for them: the
    window stutters. Measured on a shared 2-core machine: one thread made a 100-epoch run
    6-8 times faster than OpenBLAS's own pool. The decision is made once, here, for the
    whole app; `threadpoolctl` reaches the library NumPy loaded, at run time.

    Returns threadpoolctl's description of the BLAS libraries it limited (empty when NumPy
    uses none it knows).
    """
    import numpy  # noqa: F401  (the limit applies to loaded libraries: load NumPy's BLAS)
    from threadpoolctl import threadpool_info, threadpool_limits

    # Called plainly (not as a `with` block), the limit stays for the rest of the process.
    threadpool_limits(limits=1, user_api="blas")
    return [info for info in threadpool_info() if info.get("user_api") == "blas"]


def create_application(argv: Sequence[str] | None = None):
    """The QApplication, created once with nn-tutor's names, icon, style and theme."""
    from PySide6.QtWidgets import QApplication

    from app.dialogs import app_icon
    from app.theme import theme

    qt_app = QApplication.instance()
    if qt_app is None:
        qt_app = QApplication([sys.argv[0] if sys.argv else "nn-tutor", *(argv or [])])
    qt_app.setOrganizationName(app_package.ORGANIZATION)
    qt_app.setApplicationName(app_package.APPLICATION)
    qt_app.setApplicationDisplayName("nn-tutor")
    qt_app.setApplicationVersion(app_package.__version__)
    qt_app.setDesktopFileName("nn-tutor")
    qt_app.setWindowIcon(app_icon())
    qt_app.setStyle("Fusion")
    theme.apply()
    return qt_app


def _settle(milliseconds: int) -> None:
    """Let the event loop run (timers, repaints, layouts) for a while."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "tab"


def save_screenshots(window, directory: Path) -> tuple[list[Path], list[str]]:
    """Grab every tab of `window` into PNGs in `directory`.

    A tab with `screenshot_states()` gives one file per state, `<tab>-<state>.png`;
    other tabs give `<tab>.png`. Returns (files written, error messages).
    """
    written: list[Path] = []
    errors: list[str] = []
    build_later = getattr(window, "build_train_tab", None)
    if callable(build_later):  # every tab is shot, so the one built on first need, too
        build_later()

    def grab(name: str) -> None:
        _settle(SETTLE_MS)
        path = directory / f"{name}.png"
        if window.grab().save(str(path)):
            written.append(path)
        else:
            errors.append(f"could not write {path}")

    for index, (label, tab) in enumerate(window.tab_entries()):
        window.tabs.setCurrentIndex(index)
        tab_slug = _slug(label)
        states_of = getattr(tab, "screenshot_states", None)
        try:
            states = list(states_of()) if callable(states_of) else []
        except Exception as exc:  # report the faulty tab, still shoot the others
            errors.append(f"{label} tab: screenshot_states() failed: {exc!r}")
            states = []
        if not states:
            grab(tab_slug)
            continue
        for state_name, enter_state in states:
            try:
                enter_state()
            except Exception as exc:
                errors.append(f"{label} tab, state {state_name!r}: {exc!r}")
                continue
            grab(f"{tab_slug}-{_slug(state_name)}")
    return written, errors


def _run_screenshots(
    qt_app,
    directory: Path,
    size: tuple[int, int],
    theme_name: str,
    *,
    text_scale: float | None = None,
) -> int:
    from app.main_window import MainWindow

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(
            f"nn-tutor: cannot create the screenshot folder {directory}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    # Every part of the window that remembers something (Predict mode, the folders of the
    # file dialogs) reads and writes a settings file of its own here, thrown away at the end:
    # the pictures are the same for everyone, and the user's preferences stay untouched.
    users = os.environ.get(app_package.SETTINGS_ENV)
    with tempfile.TemporaryDirectory(prefix="nn-tutor-screenshots-") as scratch:
        os.environ[app_package.SETTINGS_ENV] = str(Path(scratch) / "settings.ini")
        try:
            return _draw_screenshots(qt_app, MainWindow, directory, size, theme_name, text_scale)
        finally:
            if users is None:
                os.environ.pop(app_package.SETTINGS_ENV, None)
            else:
                os.environ[app_package.SETTINGS_ENV] = users


def _draw_screenshots(qt_app, window_class, directory, size, theme_name, text_scale) -> int:
    window = window_class(persist=False, theme_name=theme_name)
    window.resize(*size)
    window.show()
    if text_scale is not None:
        window.set_text_scale(text_scale, announce=False)
    written, errors = save_screenshots(window, directory)
    window.close()
    qt_app.processEvents()
    for path in written:
        print(path)
    for message in errors:
        print(f"nn-tutor: {message}", file=sys.stderr)
    return 1 if errors or not written else 0


class _CloseOnSignals:
    """Ctrl+C in the terminal (SIGINT) and SIGTERM close the window cleanly.

    Without this, Qt ignores Ctrl+C and SIGTERM kills the app without shutting its worker
    threads down. The handlers go in before the window is built, so a signal that arrives
    meanwhile is remembered and honoured as soon as the window exists. Qt's event loop
    runs in C++ and Python only notices a signal when Python code runs: a slow timer gives
    it that chance.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.window = None
        self.requested = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> _CloseOnSignals:
        if threading.current_thread() is threading.main_thread():
            for number in self.SIGNALS:
                self._previous[number] = signal.signal(number, self._on_signal)
        return self

    def __exit__(self, *_exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _on_signal(self, *_args: object) -> None:
        self.requested = True
        if self.window is not None:
            self.window.close()

    def attach(self, window) -> None:
        """Close `window` on the next signal (at once if one already came)."""
        from PySide6.QtCore import QTimer

        self.window = window
        heartbeat = QTimer(window)
        heartbeat.timeout.connect(lambda: None)
        heartbeat.start(250)
        if self.requested:
            QTimer.singleShot(0, window.close)


def call_after_first_paint(window, callback) -> None:
    """Call `callback` once, as soon as the event loop is free after `window` (or a widget
    in it) first painted: the start-up's deferred work (the Train tab) waits until the
    student sees the window, and is ready before they reach for it."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and watched.isWidgetType()
                and watched.window() is window
            ):
                QApplication.instance().removeEventFilter(self)
                QTimer.singleShot(0, window, callback)
            return False

    watcher = FirstPaint(window)  # lives as long as the window
    QApplication.instance().installEventFilter(watcher)


def after_first_paint(window) -> None:
    """The start-up's work that waits until the student sees the window: the Train tab is
    built now, so it is ready before they reach for it. Anything else the first screen does
    not need, but the next minute will, starts here too (slowest to finish first): the
    training process first (its imports run on the other core while this thread builds
    the tab that will use it)."""
    from app.train.training_mode import training_mode

    if training_mode() == "process":
        from app.train.process_worker import start_ahead

        start_ahead()
    window.build_train_tab()


def open_lesson_argument(window, path: Path) -> bool:
    """Open the lesson file named on the command line. A refused file prints its one-line
    reason and the window stays open showing it (a message box): a student who
    double-clicked the file sees why, where a terminal's exit code would be lost."""
    if window.lesson_files.open_lesson_file(str(path)):
        return True
    box = window.lesson_files.message_box
    print(f"nn-tutor: {box.text() if box is not None else path}", file=sys.stderr)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run nn-tutor with command-line arguments `argv` (default: sys.argv[1:])."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, --version, or a usage error
        return int(exit_request.code or 0)

    configure_blas_threads()
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None and _display_problem():
        if args.screenshot is None:
            print(f"nn-tutor: {_display_problem()}", file=sys.stderr)
            return 1
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # screenshots need no screen at all

    if args.screenshot is not None:
        return _run_screenshots(
            create_application(),
            args.screenshot,
            args.size,
            args.theme or "light",
            text_scale=args.text_size,
        )

    with _CloseOnSignals() as close_on_signals:
        qt_app = create_application()
        from app.main_window import MainWindow

        window = MainWindow(theme_name=args.theme)
        call_after_first_paint(window, lambda: after_first_paint(window))
        window.show()
        if args.lesson is not None:
            open_lesson_argument(window, args.lesson)
        close_on_signals.attach(window)
        code = qt_app.exec()
    window.shutdown_tabs()  # no-op when closing already did it
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
