"""Lesson files in the window: File ▸ Save lesson…, Open lesson…, Open recent, Unlock lesson.

A teacher prepares a lesson in the Step through tab and saves it (Ctrl+S): the file
(`nncore.lessonfile`, described in docs/lesson-files.md) keeps what the tab shows, the
Train tab's settings (and the points drawn, when they are its data: Data ▸ Draw points)
and, when the lesson came from a file, that file's locks, title and notes. A class opens
it (Ctrl+Shift+O, File ▸ Open recent, or `nn-tutor FILE.nnlesson`) and finds the same
lesson at the same step, with the file's locks applied (`app.step.locks`: hidden controls
gone, fixed ones greyed, a banner saying so, one click to unlock).

`LessonFiles` is created by the MainWindow, which adds its actions to the File and View
menus. Tests drive the methods that take a path (`save_lesson_to`, `open_lesson_file`)
and replace the dialog getters (`QFileDialog.getSaveFileName`, `getOpenFileName`).

A file that is refused (see `nncore.lessonfile.load_lesson`: bad JSON, an unknown field, a
number out of range, a file too large) changes nothing in the window: every check runs
before anything is shown, and a message box gives the refusal's one line. Opening a lesson
while the Train tab trains halts that run first (its curve is kept for comparison) and
shows the lesson's Train settings as a fresh run; a lesson without Train settings stops the
run cleanly instead. A lesson with drawn points opens the Train tab in Draw points mode on
those points (values or classes, as drawn), its run ready to Start.
"""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from app import open_settings
from app.lesson_locks_dialog import LessonLocksDialog
from app.recent_files import MAX_RECENT, as_paths, still_there, with_recent
from app.step.lesson_state import capture, restore
from app.step.locks import UNLOCK_TIP, LessonLocks
from nncore.errors import NNCoreError
from nncore.lessonfile import (
    EXTENSION,
    LessonFile,
    LessonFileError,
    Locks,
    load_lesson,
    save_lesson,
)
from nncore.safetext import one_line
from nncore.untrusted_file import shown_path

KEY_RECENT = "lessons/recent"
FILE_FILTER = f"Lesson files (*{EXTENSION});;All files (*)"
MESSAGE_CHARS = 600  # of a lesson's title and notes in the Step tab's message line


class LessonFiles(QObject):
    """The window's lesson-file actions, the recent list and the current file's locks."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.path: str | None = None  # the lesson file open (or last saved), if any
        self.opened: LessonFile | None = None  # as it was read (or last written)
        # What the next save writes besides the tabs' state: the opened file's locks, title
        # and notes, or the teacher's choice in File ▸ Lesson title and locks….
        self.locks_to_save, self.title, self.notes = Locks(), "", ""
        self.message_box: QMessageBox | None = None
        self.locks_dialog: LessonLocksDialog | None = None
        # A window that keeps no preferences (persist=False: tests, screenshots) keeps its
        # recent list for itself.
        self._recent_here: list[str] | None = None if window.persist else []
        self.locks = LessonLocks(window.step_tab, window.train_tab, window.tabs)
        self.locks.banner.unlockRequested.connect(self.unlock)

        self.action_save_lesson = window._action(
            "Save &lesson…",
            self.save_lesson_dialog,
            shortcuts=("Ctrl+S",),
            tip="Save the Step through lesson as it is now (network, weights, step, settings) "
            "to a lesson file",
        )
        self.action_open_lesson = window._action(
            "Open l&esson…",
            self.open_lesson_dialog,
            shortcuts=("Ctrl+Shift+O",),
            tip="Open a lesson file in the Step through tab, at its saved step, with its locks",
        )
        self.action_unlock = window._action(
            "&Unlock lesson",
            self.unlock,
            tip="Show and free every control a lesson file "
            "hid or fixed (no password: a classroom convenience, not security)",
        )
        self.action_unlock.setEnabled(False)
        self.action_choose_locks = window._action(
            "Lesson &title and locks…",
            self.choose_locks_dialog,
            tip="Give the lesson a title and notes, and choose what a class opening the saved "
            "file cannot see or change",
        )
        self.recent_menu = QMenu("Open &recent", window)
        self.recent_menu.setToolTipsVisible(True)
        tip = f"The last {MAX_RECENT} lesson files opened or saved"
        self.recent_menu.menuAction().setStatusTip(tip)
        self.recent_menu.menuAction().setToolTip(tip + " (files no longer there are dropped)")
        self.recent_menu.aboutToShow.connect(self.refresh_recent)
        self.action_clear_recent = window._action(
            "&Clear list", self.clear_recent, tip="Forget the recently opened lesson files"
        )
        self.refresh_recent(quiet=True)

    def actions(self) -> list[QAction]:
        """The actions with a key, for the window's shortcut list (F1)."""
        return [self.action_save_lesson, self.action_open_lesson]

    def add_to_file_menu(self, menu: QMenu) -> None:
        menu.addAction(self.action_open_lesson)
        menu.addMenu(self.recent_menu)
        menu.addAction(self.action_save_lesson)
        menu.addAction(self.action_choose_locks)

    def title_part(self) -> str:
        """The window title's part for the lesson file open: its name and title, or ""."""
        if self.path is None:
            return ""
        name = os.path.basename(self.path)
        title = self.opened.title if self.opened is not None else ""
        return f"{name} ({title})" if title else name

    # ---- saving -----------------------------------------------------------------------------
    def save_lesson_dialog(self) -> None:
        start = self.path or f"lesson{EXTENSION}"
        path, _ = QFileDialog.getSaveFileName(self.window, "Save lesson", start, FILE_FILTER)
        if not path:
            return
        if not os.path.splitext(path)[1]:
            path += EXTENSION
        self.save_lesson_to(path)

    def save_lesson_to(self, path: str) -> bool:
        """Save what the Step tab shows (and the Train tab's settings) to `path`; the locks,
        title and notes of the lesson opened from a file are kept. False (and a message
        box saying why) when it could not be written."""
        kept = {"locks": self.locks_to_save, "notes": self.notes}
        if self.title:
            kept["title"] = self.title
        from app.train import lesson_settings  # the training code: not for the first paint

        train = self.window.train_tab
        try:
            drawn = train.data_panel.drawn  # points drawn are the Train tab's data: kept
            if drawn is not None:
                kept["points"] = lesson_settings.lesson_points(drawn)
            lesson_file = capture(self.window.step_tab, train=train.train_settings(), **kept)
            save_lesson(path, lesson_file)
        except (LessonFileError, OSError) as err:
            self._refuse("Lesson not saved", f"{shown_path(path)}: {err}")
            return False
        self.path, self.opened = str(path), lesson_file
        self._remember(path)
        self.window._update_title()
        self.window.statusBar().showMessage(f"Saved the lesson to {shown_path(path)}", 5000)
        return True

    # ---- opening ----------------------------------------------------------------------------
    def open_lesson_dialog(self) -> None:
        start = os.path.dirname(self.path) if self.path else ""
        path, _ = QFileDialog.getOpenFileName(self.window, "Open lesson", start, FILE_FILTER)
        if path:
            self.open_lesson_file(path)

    def check(self, path) -> LessonFile:
        """The lesson file at `path`, every part checked (the Train tab's settings too);
        LessonFileError, one line, when refused."""
        from app.train import lesson_settings, limits  # the training code, when first needed

        lesson_file = load_lesson(path)
        if lesson_file.train:
            try:
                data, config = lesson_settings.from_plain(lesson_file.train)
                limits.require_showable(config.to_dict(), dataclasses.asdict(data))
            except (NNCoreError, TypeError, ValueError) as err:
                raise LessonFileError(f"{shown_path(path)}: 'train': {err}") from None
        try:  # drawn points come with settings that train on them, and only then
            lesson_settings.check_points(lesson_file.train, lesson_file.points)
        except NNCoreError as err:
            raise LessonFileError(f"{shown_path(path)}: {err}") from None
        return lesson_file

    def open_lesson_file(self, path) -> bool:
        """Show the lesson file at `path`; False (a message box, nothing changed) if refused."""
        try:
            lesson_file = self.check(path)
        except LessonFileError as err:
            self._refuse("Lesson not opened", str(err))
            return False
        from app.train import lesson_settings

        window, step, train = self.window, self.window.step_tab, self.window.train_tab
        if window.presentation.active:
            window.set_presentation(False)
        self.locks.unlock()
        notes = restore(step, lesson_file)
        if lesson_file.train:
            drawn = None
            if lesson_file.points is not None:  # Draw points, on the file's points
                drawn = lesson_settings.drawn_from_lesson(lesson_file.points)
                train.data_panel.take_points(drawn)  # configure keeps them: drawn_points
            prepared = train.apply_train_settings(lesson_file.train)
            if not prepared and (drawn is None or drawn.problem() is None):
                # (too few points to train on yet: the data panel says so itself)
                notes.append("the Train tab could not prepare its settings (see that tab)")
        elif train.state.busy:
            train.stop()  # the lesson does not say what to train: end the run cleanly
        self.locks.apply(lesson_file.locks)
        self.action_unlock.setEnabled(lesson_file.locks.any)
        self.path, self.opened = str(path), lesson_file
        self.locks_to_save = lesson_file.locks
        self.title, self.notes = lesson_file.title, lesson_file.notes
        self._remember(path)
        window.tabs.setCurrentWidget(step)
        window._update_title()
        heading = (lesson_file.title or step.lesson.title, lesson_file.notes.strip())
        missing = "".join(f" (Not as saved: {note}.)" for note in notes)
        said = one_line(" — ".join(part for part in heading if part), MESSAGE_CHARS)
        step.show_message(said, standing=True)  # what the lesson is: it stays
        if missing:
            step.show_message(said + missing)  # news: gives way on the first step
        window.statusBar().showMessage(f"Opened the lesson {shown_path(path)}", 5000)
        return True

    def choose_locks_dialog(self) -> LessonLocksDialog:
        """Ask for the title, notes and locks the next save writes (non-blocking)."""
        dialog = LessonLocksDialog(self.locks_to_save, self.title, self.notes, self.window)
        dialog.chosen.connect(self.set_locks_to_save)
        self.locks_dialog = dialog
        dialog.open()
        return dialog

    def set_locks_to_save(self, locks: Locks, title: str = "", notes: str = "") -> None:
        """What the next saves write besides the tabs' state (this window stays unlocked)."""
        self.locks_to_save, self.title, self.notes = locks, title, notes
        what = "locked for a class" if locks.any else "with nothing locked"
        self.window.statusBar().showMessage(f"The lesson will be saved {what} (Ctrl+S)", 5000)

    def unlock(self) -> None:
        """Show and free everything the lesson file hid or fixed (saving keeps its locks)."""
        if not self.locks.active:
            return
        self.locks.unlock()
        self.action_unlock.setEnabled(False)
        self.window.statusBar().showMessage(
            "Unlocked: every control is back (saving the lesson keeps its file's locks)", 5000
        )

    def _refuse(self, title: str, text: str) -> None:
        """A message box with the refusal's line (window-modal, not blocking the caller)."""
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # the file's name is outside text
        self.message_box = box
        box.open()
        self.window.statusBar().showMessage(f"{title}.", 5000)

    # ---- the recent list --------------------------------------------------------------------
    def recent_paths(self) -> list[str]:
        if self._recent_here is not None:
            return list(self._recent_here)
        return as_paths(open_settings().value(KEY_RECENT))

    def _store_recent(self, paths: list[str]) -> None:
        if self._recent_here is not None:
            self._recent_here = list(paths)
            return
        settings = open_settings()
        settings.setValue(KEY_RECENT, paths)
        settings.sync()

    def _remember(self, path) -> None:
        self._store_recent(with_recent(self.recent_paths(), str(path)))
        self.refresh_recent(quiet=True)

    def clear_recent(self) -> None:
        self._store_recent([])
        self.refresh_recent(quiet=True)

    def refresh_recent(self, quiet: bool = False) -> list[str]:
        """Rebuild the Open recent menu, dropping files that are gone (said in the status
        bar unless `quiet`); returns the paths listed."""
        kept, gone = still_there(self.recent_paths())
        if gone:
            self._store_recent(kept)
            if not quiet:
                names = ", ".join(os.path.basename(p) for p in gone)
                self.window.statusBar().showMessage(
                    f"Dropped from Open recent (no longer there): {names}", 8000
                )
        menu = self.recent_menu
        menu.clear()
        for number, path in enumerate(kept, start=1):
            name = os.path.basename(path).replace("&", "&&")  # a "&" is no shortcut here
            action = menu.addAction(f"&{number} {name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        if not kept:
            empty = menu.addAction("(no lesson files yet)")
            empty.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.action_clear_recent)
        self.action_clear_recent.setEnabled(bool(kept))
        return kept

    def _open_recent(self, path: str) -> None:
        if not os.path.isfile(path):
            self.refresh_recent()  # drops it, and says so
            return
        self.open_lesson_file(path)


__all__ = ["KEY_RECENT", "LessonFiles", "UNLOCK_TIP"]
