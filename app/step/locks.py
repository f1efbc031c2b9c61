"""A lesson file's locks on the window: what each lock name hides or greys, and the banner.

A lesson file (`nncore.lessonfile`) may hide controls (`Locks.hidden`, names from HIDEABLE)
and fix values (`Locks.locked`, names from LOCKABLE). The two tables below are the ONE place
that says which widgets each name means; a test walks both vocabularies, so a name with no
widget (or a new name nobody mapped) fails at once. Hidden widgets disappear (the Train tab
loses its tab); fixed ones are greyed with the tooltip "Locked by this lesson file". The
keys that would change a fixed value, or use a hidden control, do nothing and say why
(`GUARDS`, asked by the tab through `StepThroughTab.refuses`).

Locking the weights forbids editing them (double-click, the editor's weights and seed); it
does not forbid stepping, Next iteration or Reset, which only use them.

`LessonLocks.apply(locks)` remembers each widget's visibility, enabled state and tooltip and
`unlock()` gives them back, so unlocking shows and frees everything the lock took away and
nothing more. There is no password: the lock keeps a class on the lesson, it is not
security (the Unlock button's tooltip says so).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTabWidget, QWidget

from app import theme as app_theme
from app.step.lesson_state import CONTROL_WORDS, banner_text
from nncore.lessonfile import HIDEABLE, LOCKABLE, Locks

LOCKED_TIP = "Locked by this lesson file"
UNLOCK_TIP = (
    "Show and free every control (View ▸ Unlock lesson). There is no password: the lock "
    "keeps a class on the lesson, it is a classroom convenience, not security."
)

Widgets = Callable[["Parts"], list[QWidget]]


class Parts:
    """What the tables reach: the Step tab and the Train tab (duck-typed)."""

    def __init__(self, step, train):
        self.step, self.train = step, train


def _editor_network(p: Parts) -> list[QWidget]:
    e = p.step.editor
    return [
        e.inputs,
        e.hidden_layers,
        e.outputs,
        *e.hidden_sizes,
        *e.hidden_acts,
        e.output_act,
        e.build,
    ]


# name in HIDEABLE -> the widgets it hides
HIDES: dict[str, Widgets] = {
    "lesson_choice": lambda p: [p.step.preset_box],
    "editor": lambda p: [p.step.editor],
    "example": lambda p: [
        p.step.inputs_edit,
        p.step.target_edit,
        p.step.lr_edit,
        p.step.apply_button,
    ],
    "granularity": lambda p: [p.step.granularity_box],
    "timeline": lambda p: [p.step.slider, p.step.timeline],
    "play": lambda p: [p.step.play_button, p.step.speed_box],
    "next_iteration": lambda p: [p.step.next_button, p.step.run_few_button, p.step.run_many_button],
    "reset": lambda p: [p.step.reset_button],
    "predict": lambda p: [p.step.predict_panel],
    "inspector": lambda p: [p.step.inspector],
    "loss_chart": lambda p: [p.step.loss_label, p.step.loss_chart],
    "train_tab": lambda p: [p.train],
}

# name in LOCKABLE -> the widgets it greys
FIXES: dict[str, Widgets] = {
    "lesson_choice": lambda p: [p.step.preset_box],
    "network": _editor_network,
    "weights": lambda p: [p.step.editor.weights, p.step.editor.seed, p.step.inspector.edit_button],
    "inputs": lambda p: [p.step.inputs_edit],
    "targets": lambda p: [p.step.target_edit],
    "learning_rate": lambda p: [p.step.lr_edit],
    "granularity": lambda p: [p.step.granularity_box],
    "predict": lambda p: [
        p.step.predict_panel.toggle,
        p.step.predict_panel.ask_box,
        p.step.predict_panel.hints_box,
    ],
    "train_settings": lambda p: [p.train.data_panel, p.train.model_panel],
}

# what the tab asks (StepThroughTab.refuses) -> (hidden names, fixed names) that forbid it
GUARDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "lesson_choice": (("lesson_choice",), ("lesson_choice",)),
    "network": (("editor",), ("network",)),
    "weights": ((), ("weights",)),
    "next_iteration": (("next_iteration",), ()),
    "reset": (("reset",), ()),
    "play": (("play",), ()),
    "predict": (("predict",), ("predict",)),
}


def refusal(locks: Locks, what: str) -> str | None:
    """Why `locks` forbid `what` (a GUARDS name), or None."""
    hidden, fixed = GUARDS[what]
    if any(locks.hides(n) for n in hidden) or any(locks.fixes(n) for n in fixed):
        return f"{CONTROL_WORDS[what].capitalize()}: locked by this lesson file."
    return None


class LockBanner(QFrame):
    """The strip at the top of the Step tab over a locked lesson, with its Unlock button."""

    unlockRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonLockBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Lesson locks")
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setToolTip(UNLOCK_TIP)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.unlock_button)
        self.unlock_button.clicked.connect(self.unlockRequested)
        app_theme.theme.changed.connect(self._restyle)
        self._restyle()
        self.setVisible(False)

    def _restyle(self, *_):
        c = app_theme.colors()
        self.setStyleSheet(
            f"#lessonLockBanner {{ border: 2px solid {c['highlight']}; border-radius: 4px; }}"
        )

    def show_locks(self, locks: Locks) -> None:
        self.label.setText(banner_text(locks))
        self.setVisible(locks.any)


class LessonLocks:
    """Applies a lesson's locks to the Step and Train tabs and takes them off again."""

    def __init__(self, step, train, tabs: QTabWidget | None = None):
        self.parts = Parts(step, train)
        self.tabs = tabs
        self.locks = Locks()
        self.banner = LockBanner()
        step.layout().insertWidget(0, self.banner)
        self._saved: list[tuple[QWidget, bool, bool, str]] = []
        if tabs is not None:  # Ctrl+2 or View ▸ Train must not reach a hidden tab
            tabs.currentChanged.connect(self._keep_off_hidden_tabs)

    @property
    def active(self) -> bool:
        return self.locks.any

    def hidden_widgets(self, name: str) -> list[QWidget]:
        return HIDES[name](self.parts)

    def fixed_widgets(self, name: str) -> list[QWidget]:
        return FIXES[name](self.parts)

    def apply(self, locks: Locks) -> None:
        """Take the previous locks off, then hide and grey what `locks` name."""
        self.unlock()
        self.locks = locks
        hidden = [w for n in HIDEABLE if locks.hides(n) for w in self.hidden_widgets(n)]
        fixed = [w for n in LOCKABLE if locks.fixes(n) for w in self.fixed_widgets(n)]
        for widget in dict.fromkeys([*hidden, *fixed]):
            self._saved.append(
                (widget, self._is_shown(widget), widget.isEnabled(), widget.toolTip())
            )
        for widget in hidden:
            self._set_hidden(widget, True)
        for widget in fixed:
            widget.setEnabled(False)
            widget.setToolTip(LOCKED_TIP)
        self.parts.train.lock_settings(locks.fixes("train_settings"))
        self.parts.step.inspector.allow_edits(not locks.fixes("weights"))
        self.parts.step.guard = lambda what: refusal(self.locks, what)
        self.banner.show_locks(locks)

    def unlock(self) -> None:
        """Show and free everything the locks took (as it was before them)."""
        for widget, visible, enabled, tip in reversed(self._saved):
            self._set_hidden(widget, not visible)
            widget.setEnabled(enabled)
            widget.setToolTip(tip)
        self._saved = []
        self.locks = Locks()
        self.parts.step.inspector.allow_edits(True)  # as the item inspected now allows
        self.parts.train.lock_settings(False)
        self.parts.step.guard = None
        self.banner.show_locks(self.locks)

    def _keep_off_hidden_tabs(self, index: int) -> None:
        if index > 0 and not self.tabs.isTabVisible(index):
            self.tabs.setCurrentIndex(0)
            self.parts.step.show_message(
                f"The {self.tabs.tabText(index)} tab is hidden by this lesson file.", error=True
            )

    def _is_shown(self, widget: QWidget) -> bool:
        """Whether `widget` shows when its window does (a tab page: whether it has a tab)."""
        index = self.tabs.indexOf(widget) if self.tabs is not None else -1
        if index >= 0:
            return self.tabs.isTabVisible(index)
        return widget.isVisibleTo(widget.parentWidget() or widget)

    def _set_hidden(self, widget: QWidget, hidden: bool) -> None:
        """Hide a widget; a tab page (the Train tab) loses its tab instead."""
        index = self.tabs.indexOf(widget) if self.tabs is not None else -1
        if index >= 0:
            if hidden and self.tabs.currentIndex() == index:
                self.tabs.setCurrentIndex(0)
            self.tabs.setTabVisible(index, not hidden)
            return
        widget.setVisible(not hidden)
        # A field's caption ("Inputs", "Speed") goes with it.
        parent = widget.parentWidget()
        if parent is not None:
            for label in parent.findChildren(QLabel):
                if label.buddy() is widget:
                    label.setVisible(not hidden)
