"""The nn-tutor main window: two tabs, the menus, and the preferences it remembers.

The window itself teaches nothing; it hosts the two tabs that do. "Step through"
(`app.step.tab.StepThroughTab`) walks one example through a small network number by number,
and "Train" (`app.train.tab.TrainTab`) trains a real regressor live. The window adds:

- menus File (Open lesson…, Open recent, Save lesson…, Lesson title and locks…, Open
  weights…, Export weights…, Save picture…, Export hand-out…, Quit), View (light/dark theme,
  Text size, tab switching, Squared error vs cross-entropy…, full screen, presentation mode,
  Unlock lesson) and Help (Keyboard shortcuts, About), each action with a shortcut, a
  tooltip and a status-bar tip. Squared error vs cross-entropy… opens a window of its own
  (`app.step.loss_compare`).
  The weight actions hand the work to the Train tab; Save picture… draws the current tab
  (see `app.pictures`); Export hand-out… writes the Step tab's lesson (`app.handout_export`).
- zoom for a projector: Ctrl+= / Ctrl+− / Ctrl+0 and View ▸ Text size scale the application
  font, and every tab derives its fonts (and the network drawing its size) from that font, so
  all text, numbers and the drawing grow together. Which sizes exist is `app.zoom`'s choice.
  Presentation mode (F5 in the Step tab) goes further: see `app.step.presentation`.
- memory: window geometry, the current tab, the theme and the text size are saved in
  QSettings (see `app.open_settings`) and restored the next time.
- a clean exit: closing the window, or the application quitting for any other reason,
  calls every tab's `shutdown()` once, so no timer or worker thread outlives its widgets.
- a quick start: the first screen is the Step tab, so the Train tab (its plots cost about
  half the start-up) is built the first time anything needs it: showing it (Ctrl+2, a click
  on its tab), a menu action that works in it, a lesson file, or `build_train_tab()`, which
  `app.main` calls a moment after the window's first paint. Until then its page is an
  empty stand-in; everything reaches the tab through the `train_tab` property. The modules
  behind menu actions (hand-out export, pictures, the loss comparison) load when the
  action runs.

Tabs follow a small protocol (see docs/architecture.md): `shutdown()` is required;
`shortcuts()` and `screenshot_states()` are optional and picked up when present.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QStyle,
    QTabWidget,
    QWidget,
)

from app import open_settings, zoom
from app.dialogs import AboutDialog, ShortcutsDialog, app_icon
from app.lesson_files import LessonFiles
from app.step.presentation import Presentation
from app.step.tab import StepThroughTab
from app.theme import THEMES, theme

if TYPE_CHECKING:
    from app.step.loss_compare import LossCompareWindow
    from app.train.tab import TrainTab

APP_NAME = "nn-tutor"
DEFAULT_SIZE = QSize(1280, 820)
MINIMUM_SIZE = QSize(640, 480)  # small laptops; the tabs scroll or squeeze below their hints

# QSettings keys
KEY_GEOMETRY = "window/geometry"
KEY_TAB = "window/tab"
KEY_THEME = "view/theme"
KEY_TEXT_SCALE = "view/text_scale"

_base_font: QFont | None = None  # the application font before any zoom, kept for the process


def base_font() -> QFont:
    """The application font as the system gave it, before nn-tutor scaled it."""
    global _base_font
    if _base_font is None:
        _base_font = QFont(QApplication.font())
    return QFont(_base_font)


def scaled_application_font(scale: float) -> QFont:
    """`base_font()` at `scale` times its size (in points, or in pixels if set in pixels)."""
    font = base_font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    elif font.pixelSize() > 0:
        font.setPixelSize(max(1, round(font.pixelSize() * scale)))
    return font


class TabStandIn(QWidget):
    """The empty page a tab has until it is built; it keeps the tab protocol."""

    def shutdown(self) -> None:
        """Nothing runs here to stop."""


class MainWindow(QMainWindow):
    """The application window holding the "Step through" and "Train" tabs.

    Args:
        parent: usually None.
        persist: read preferences at start and save them on close. The screenshot command
            turns it off so it neither depends on nor changes the user's preferences.
        theme_name: "light" or "dark" to force a theme (the `--theme` option); None uses
            the saved one (light the first time).

    Attributes: `tabs` (the QTabWidget), `step_tab`, `train_tab`, and one QAction per menu
    entry (`action_open`, `action_export`, `action_quit`, `action_light`, `action_dark`,
    `action_step_tab`, `action_train_tab`, `action_full_screen`, `action_shortcuts`,
    `action_about`, `action_save_picture`, `action_larger`, `action_smaller`,
    `action_normal_size` and `text_size_actions`, one per fixed size). `about_dialog` and
    `shortcuts_dialog` are the last dialogs shown; `text_scale` is the current zoom (1.0 =
    the system's text size).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        persist: bool = True,
        theme_name: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.persist = persist
        self._shut_down = False
        self.about_dialog: AboutDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.loss_compare_window: LossCompareWindow | None = None
        self.text_scale = 1.0

        # The theme goes first so the tabs are built with the right colours.
        theme.set_theme(self._initial_theme(theme_name))

        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(MINIMUM_SIZE)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self._style_tab_bar()
        self.step_tab = StepThroughTab()
        self._train_tab: TrainTab | None = None  # built on first need (see train_tab)
        self._train_stand_in = TabStandIn()  # the Train tab's page until then
        self.tabs.addTab(self.step_tab, "Step through")
        self.tabs.addTab(self._train_stand_in, "Train")
        self.tabs.setTabToolTip(0, "Follow one example through the network, number by number")
        self.tabs.setTabToolTip(1, "Train a network on a whole data set and watch it learn")
        self.setCentralWidget(self.tabs)
        # Connected first, so the tab is in place before anything else hears of the change.
        self.tabs.currentChanged.connect(self._build_train_tab_when_shown)

        self._create_actions()
        self._create_menus()
        self.shortcut_hint = QLabel("Press F1 for keyboard shortcuts")
        self.shortcut_hint.setObjectName("shortcutHint")
        self.shortcut_hint.setEnabled(False)  # drawn in the palette's quieter text colour
        self.statusBar().addPermanentWidget(self.shortcut_hint)
        self.statusBar().showMessage("Ready", 3000)

        self.tabs.currentChanged.connect(self._update_title)
        self.presentation = Presentation(self, self.step_tab)
        self.step_tab.presentationRequested.connect(self.set_presentation)
        self.tabs.currentChanged.connect(self._leave_presentation_off_the_step_tab)
        theme.changed.connect(self._on_theme_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown_tabs)

        self._restore_layout()
        self.set_text_scale(self._initial_text_scale(), announce=False)
        self._update_title()
        self._sync_theme_actions()

    # ----------------------------------------------------------------- construction

    def _initial_theme(self, forced: str | None) -> str:
        if forced is not None:
            if forced not in THEMES:
                raise ValueError(f"unknown theme {forced!r}; choose one of {', '.join(THEMES)}")
            return forced
        if self.persist:
            saved = open_settings().value(KEY_THEME, "light")
            if saved in THEMES:
                return str(saved)
        return "light"

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        *,
        shortcuts: tuple[str | QKeySequence, ...] = (),
        tip: str,
        icon: QStyle.StandardPixmap | None = None,
        checkable: bool = False,
    ) -> QAction:
        """One menu action with its shortcut(s), tooltip and status-bar tip."""
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        keys = ", ".join(
            seq.toString(QKeySequence.SequenceFormat.NativeText) for seq in action.shortcuts()
        )
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.setCheckable(checkable)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _create_actions(self) -> None:
        SP = QStyle.StandardPixmap
        self.action_open = self._action(
            "&Open weights…",
            self.open_weights_dialog,
            shortcuts=("Ctrl+O",),
            icon=SP.SP_DialogOpenButton,
            tip="Load a trained network from a weight file into the Train tab",
        )
        self.action_export = self._action(
            "&Export weights…",
            self.export_weights_dialog,
            shortcuts=("Ctrl+E",),
            icon=SP.SP_DialogSaveButton,
            tip="Save the Train tab's network to a weight file",
        )
        self.action_save_picture = self._action(
            "Save &picture…",
            self.save_picture_dialog,
            shortcuts=("Ctrl+Shift+S",),
            tip="Save a picture of the current tab (PNG at 2× or SVG)",
        )
        self.action_export_handout = self._action(
            "Export &hand-out…",
            self.export_handout_dialog,
            shortcuts=("Ctrl+Shift+E",),
            tip="Write the Step through lesson, as it is now, as Markdown, LaTeX, CSV or PDF",
        )
        self.action_quit = self._action(
            "&Quit", self.close, shortcuts=("Ctrl+Q",), tip="Stop everything and close nn-tutor"
        )
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.action_light = self._action(
            "&Light theme",
            lambda: theme.set_theme("light"),
            checkable=True,
            tip="Dark text on a light background",
        )
        self.action_dark = self._action(
            "&Dark theme",
            lambda: theme.set_theme("dark"),
            checkable=True,
            tip="Light text on a dark background",
        )
        self.theme_group = QActionGroup(self)
        self.theme_group.setExclusive(True)
        self.theme_group.addAction(self.action_light)
        self.theme_group.addAction(self.action_dark)

        self.action_larger = self._action(
            "&Larger",
            lambda: self.set_text_scale(zoom.larger(self.text_scale)),
            shortcuts=("Ctrl+=", "Ctrl++"),
            tip="Larger text, numbers and drawing, for a projector",
        )
        self.action_smaller = self._action(
            "&Smaller",
            lambda: self.set_text_scale(zoom.smaller(self.text_scale)),
            shortcuts=("Ctrl+-",),
            tip="Smaller text, numbers and drawing",
        )
        self.action_normal_size = self._action(
            "&Reset",
            lambda: self.set_text_scale(1.0),
            shortcuts=("Ctrl+0",),
            tip="Back to the normal text size",
        )
        self.text_size_group = QActionGroup(self)
        self.text_size_group.setExclusive(True)
        self.text_size_actions: dict[float, QAction] = {}
        for preset in zoom.PRESETS:
            action = self._action(
                zoom.percent_label(preset),
                lambda preset=preset: self.set_text_scale(preset),
                checkable=True,
                tip=f"Show text at {zoom.percent_label(preset)} of the normal size",
            )
            self.text_size_group.addAction(action)
            self.text_size_actions[preset] = action

        self.action_step_tab = self._action(
            "&Step through",
            lambda: self.tabs.setCurrentWidget(self.step_tab),
            shortcuts=("Ctrl+1",),
            tip="Show the Step through tab",
        )
        self.action_train_tab = self._action(
            "&Train",
            lambda: self.tabs.setCurrentWidget(self.train_tab),
            shortcuts=("Ctrl+2",),
            tip="Show the Train tab",
        )
        self.action_full_screen = self._action(
            "&Full screen",
            self._toggle_full_screen,
            checkable=True,
            shortcuts=("F11",),
            tip="Use the whole screen for the window",
        )
        # F5 is the Step tab's key (its key table; the Train tab's F5 starts training), so
        # the action has no shortcut of its own: the "\tF5" only shows the key in the menu.
        self.action_presentation = self._action(
            "&Presentation mode\tF5",
            self.toggle_presentation,
            checkable=True,
            tip="Step through, full screen with large text and the side panels folded away "
            "(F5 in the Step through tab; Esc leaves)",
        )

        self.action_loss_compare = self._action(
            "Squared error vs &cross-entropy…",
            self.show_loss_compare,
            shortcuts=("Ctrl+L",),
            tip="One sigmoid neuron, confidently wrong, stepped with each loss side by side: "
            "why cross-entropy learns faster",
        )

        self.action_shortcuts = self._action(
            "&Keyboard shortcuts",
            self.show_shortcuts,
            shortcuts=("F1",),
            icon=SP.SP_DialogHelpButton,
            tip="List every keyboard shortcut",
        )
        self.action_about = self._action(
            "&About nn-tutor",
            self.show_about,
            icon=SP.SP_MessageBoxInformation,
            tip="What nn-tutor is and which versions are running",
        )
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        # LessonFiles keeps the Train tab for its locks but uses it only once a lesson file
        # opens, which builds the tab first: it is given the stand-in now, and the real tab
        # when it is built (see _build_train_tab).
        self._lending_stand_in = True
        try:
            self.lesson_files = LessonFiles(self)  # Save/Open lesson, Open recent, Unlock
        finally:
            self._lending_stand_in = False

    def _create_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu("&File")
        self.lesson_files.add_to_file_menu(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_open)
        file_menu.addAction(self.action_export)
        file_menu.addSeparator()
        file_menu.addAction(self.action_save_picture)
        file_menu.addAction(self.action_export_handout)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)

        view_menu = menu_bar.addMenu("&View")
        view_menu.addAction(self.action_light)
        view_menu.addAction(self.action_dark)
        view_menu.addSeparator()
        text_size_menu = view_menu.addMenu("&Text size")
        text_size_menu.addAction(self.action_larger)
        text_size_menu.addAction(self.action_smaller)
        text_size_menu.addAction(self.action_normal_size)
        text_size_menu.addSeparator()
        for action in self.text_size_actions.values():
            text_size_menu.addAction(action)
        self.text_size_menu = text_size_menu
        text_size_tip = "Scale every text, number and the drawing, for a projector"
        text_size_menu.menuAction().setStatusTip(text_size_tip)
        text_size_menu.menuAction().setToolTip(f"{text_size_tip} (Ctrl+=, Ctrl+−, Ctrl+0)")
        view_menu.addSeparator()
        view_menu.addAction(self.action_step_tab)
        view_menu.addAction(self.action_train_tab)
        view_menu.addAction(self.action_loss_compare)
        view_menu.addSeparator()
        view_menu.addAction(self.action_full_screen)
        view_menu.addAction(self.action_presentation)
        view_menu.addSeparator()
        view_menu.addAction(self.lesson_files.action_unlock)

        help_menu = menu_bar.addMenu("&Help")
        help_menu.addAction(self.action_shortcuts)
        help_menu.addSeparator()
        help_menu.addAction(self.action_about)

        self.file_menu, self.view_menu, self.help_menu = file_menu, view_menu, help_menu
        for menu in (file_menu, view_menu, text_size_menu, help_menu):
            menu.setToolTipsVisible(True)

    # ----------------------------------------------------------------- tabs

    @property
    def train_tab(self) -> TrainTab:
        """The Train tab, built now if it has not been yet."""
        if self._train_tab is None:
            if getattr(self, "_lending_stand_in", False):
                return self._train_stand_in  # type: ignore[return-value]
            self.build_train_tab()
        assert self._train_tab is not None
        return self._train_tab

    @property
    def train_tab_built(self) -> bool:
        return self._train_tab is not None

    def build_train_tab(self) -> None:
        """Build the Train tab and put it in its stand-in's place (once: later calls do
        nothing). Built after the window shut down, it is shut down at once."""
        if self._train_tab is not None:
            return
        from app.train.tab import TrainTab  # imported here: the first screen does not need it

        tab = TrainTab()
        self._train_tab = tab
        index = self.tabs.indexOf(self._train_stand_in)
        text, tip = self.tabs.tabText(index), self.tabs.tabToolTip(index)
        was_current = self.tabs.currentIndex() == index
        self.tabs.blockSignals(True)  # the same tab stays current: nothing to announce
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, text)
            self.tabs.setTabToolTip(index, tip)
            if was_current:
                self.tabs.setCurrentIndex(index)
        finally:
            self.tabs.blockSignals(False)
        self._train_stand_in.deleteLater()
        self.lesson_files.locks.parts.train = tab
        tab.step_through_requested.connect(self.step_through_trained)
        # Its font and palette come from the tab widget it now sits in (set_text_scale and
        # _on_theme_changed hand them to `self.tabs`).
        if self._shut_down:  # e.g. a test looking at the tab after closing the window
            tab.shutdown()

    def _build_train_tab_when_shown(self, index: int) -> None:
        if self._train_tab is None and self.tabs.widget(index) is self._train_stand_in:
            self.build_train_tab()

    def tab_entries(self) -> list[tuple[str, QWidget]]:
        """(label, widget) of every tab, in order."""
        return [(self.tabs.tabText(i), self.tabs.widget(i)) for i in range(self.tabs.count())]

    def _update_title(self, *_args: object) -> None:
        label = self.tabs.tabText(self.tabs.currentIndex()) if self.tabs.count() else ""
        parts = (self.lesson_files.title_part(), label, APP_NAME)  # the lesson file's name first
        self.setWindowTitle(" — ".join(part for part in parts if part))

    def toggle_presentation(self) -> None:
        """Presentation mode on or off; from the Train tab it switches to Step through."""
        self.set_presentation(not self.presentation.active)

    def set_presentation(self, on: bool) -> None:
        if on:
            self.tabs.setCurrentWidget(self.step_tab)
        self.presentation.set_active(on)
        self.action_presentation.setChecked(self.presentation.active)

    def _leave_presentation_off_the_step_tab(self, *_args: object) -> None:
        # Ctrl+2 while presenting: the Train tab gets its normal window back.
        if self.presentation.active and self.tabs.currentWidget() is not self.step_tab:
            self.set_presentation(False)

    def _toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.action_full_screen.setChecked(self.isFullScreen())

    def step_through_trained(self, lesson, words: str) -> None:
        """Show the Train tab's network (`lesson`, from "Step through this network…") in the
        Step tab as a network of one's own, Reset going back to the trained weights."""
        if self.step_tab.guard is not None and self.step_tab.guard("lesson_choice"):
            self.train_tab.status_label.setText(
                "The Step through tab holds a locked lesson file: unlock it (View ▸ Unlock "
                "lesson) to take this network apart there."
            )
            return
        self.tabs.setCurrentWidget(self.step_tab)
        self.step_tab.open_lesson(lesson, "custom", lesson.network, [])
        self.step_tab.show_message(words, standing=True)

    # ----------------------------------------------------------------- file actions

    def open_weights_dialog(self) -> None:
        """Switch to the Train tab and let it ask for a weight file to open."""
        self._delegate_to_train_tab("open_weights_dialog", "open weight files")

    def export_weights_dialog(self) -> None:
        """Switch to the Train tab and let it ask where to export its network."""
        self._delegate_to_train_tab("export_weights_dialog", "export weight files")

    def _delegate_to_train_tab(self, method_name: str, what: str) -> None:
        self.tabs.setCurrentWidget(self.train_tab)
        method = getattr(self.train_tab, method_name, None)
        if method is None:
            self.statusBar().showMessage(f"The Train tab cannot {what} in this version.", 5000)
            return
        method()

    # ----------------------------------------------------------------- pictures

    # The modules behind these actions are imported when the action runs: the first screen
    # does not need them.

    def save_picture_dialog(self) -> None:
        """Ask where to save a picture of the current tab, then save it (see app.pictures)."""
        from app.pictures import save_picture_dialog

        label = self.tabs.tabText(self.tabs.currentIndex())
        save_picture_dialog(self.tabs.currentWidget(), f"the {label} tab", self)

    def save_current_tab_picture(self, path: str, kind: str | None = None):
        """Save the current tab to `path` without a dialog; the outcome is in the status bar.

        Returns the path written, or None when it failed (the status bar says why).
        """
        from app.pictures import save_and_report

        return save_and_report(self.tabs.currentWidget(), path, kind)

    def export_handout_dialog(self) -> None:
        """Ask where to write the Step through lesson as a hand-out (see app.handout_export)."""
        from app.handout_export import export_handout_dialog

        export_handout_dialog(self.step_tab, self)

    # ----------------------------------------------------------------- text size

    def _initial_text_scale(self) -> float:
        if not self.persist:
            return 1.0
        return zoom.scale_from_setting(open_settings().value(KEY_TEXT_SCALE, 1.0))

    def set_text_scale(self, scale: float, *, announce: bool = True, remember: bool = True) -> None:
        """Scale every text in the window to `scale` × the normal size (bounded, remembered).

        The application font changes, and every widget is told (ApplicationFontChange): the
        tabs' scaled fonts and the network drawing derive themselves from it again. A tab
        with its own `set_text_scale(factor)` is told the factor too.
        """
        scale = zoom.clamp_scale(scale)
        self.text_scale = scale
        font = scaled_application_font(scale)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setFont(font)
        # As with the palette (see _on_theme_changed), the tab bar's style sheet stops the
        # application font from reaching the tabs (measured with Qt 6.11): hand it over.
        self.tabs.setFont(font)
        self.tabs.tabBar().setFont(font)
        for _label, tab in self.tab_entries():
            tell = getattr(tab, "set_text_scale", None)
            if callable(tell):
                tell(scale)
        for preset, action in self.text_size_actions.items():
            action.setChecked(abs(preset - scale) < 1e-9)
        self.action_larger.setEnabled(scale < zoom.MAX_SCALE)
        self.action_smaller.setEnabled(scale > zoom.MIN_SCALE)
        # Presentation mode's larger text is not the user's choice: it passes remember=False.
        if self.persist and remember and not self._shut_down:
            open_settings().setValue(KEY_TEXT_SCALE, scale)
        if announce:
            self.statusBar().showMessage(f"Text size {zoom.percent_label(scale)}", 2000)

    # ----------------------------------------------------------------- theme

    def _on_theme_changed(self, name: str) -> None:
        self._sync_theme_actions()
        self._style_tab_bar()
        # The tab bar's style sheet stops QApplication.setPalette from reaching the tab
        # widget and everything in the tabs (measured with Qt 6.11): hand it over directly.
        self.tabs.setPalette(QApplication.palette())
        if self.persist and not self._shut_down:  # a closed window no longer speaks for the app
            open_settings().setValue(KEY_THEME, name)
        self.statusBar().showMessage(f"{name.capitalize()} theme", 2000)

    def _style_tab_bar(self) -> None:
        """Flat tabs with a coloured underline on the current one, in the theme's colours."""
        c = theme.colors()
        accent = c["positive"] if theme.name == "light" else "#56B4E9"  # Okabe-Ito sky blue
        self.tabs.tabBar().setStyleSheet(
            "QTabBar::tab {"
            f" padding: 7px 20px; margin-right: 2px; border: none;"
            f" border-bottom: 3px solid transparent; color: {c['muted']};"
            " background: transparent; }"
            f"QTabBar::tab:hover {{ color: {c['foreground']}; border-bottom-color: {c['grid']}; }}"
            f"QTabBar::tab:selected {{ color: {c['foreground']}; border-bottom-color: {accent}; }}"
        )

    def _sync_theme_actions(self) -> None:
        self.action_light.setChecked(theme.name == "light")
        self.action_dark.setChecked(theme.name == "dark")

    # ----------------------------------------------------------------- help dialogs

    def shortcuts(self) -> list[tuple[str, str]]:
        """The window's own shortcuts as (key, what it does), read from its actions."""
        actions = (
            *self.lesson_files.actions(),
            self.action_open,
            self.action_export,
            self.action_save_picture,
            self.action_export_handout,
            self.action_quit,
            self.action_larger,
            self.action_smaller,
            self.action_normal_size,
            self.action_step_tab,
            self.action_train_tab,
            self.action_loss_compare,
            self.action_full_screen,
            self.action_shortcuts,
        )
        entries = []
        for action in actions:
            keys = [
                seq.toString(QKeySequence.SequenceFormat.NativeText) for seq in action.shortcuts()
            ]
            if keys:
                entries.append((" or ".join(keys), action.statusTip()))
        return entries

    def shortcut_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Shortcut groups for the dialog: the window's, then each tab's `shortcuts()`."""
        self.build_train_tab()  # its shortcuts are listed too
        sections = [("Window", self.shortcuts())]
        for label, tab in self.tab_entries():
            provider = getattr(tab, "shortcuts", None)
            if not callable(provider):
                continue
            try:
                entries = list(provider())
            except Exception:  # a faulty tab must not stop the dialog from opening
                traceback.print_exc()
                continue
            sections.append((f"{label} tab", entries))
        return sections

    def show_shortcuts(self) -> ShortcutsDialog:
        """Show the keyboard shortcuts dialog (non-modal, so it can stay open)."""
        if self.shortcuts_dialog is not None and self.shortcuts_dialog.isVisible():
            self.shortcuts_dialog.close()
        self.shortcuts_dialog = ShortcutsDialog(self.shortcut_sections(), self)
        self.shortcuts_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.shortcuts_dialog.show()
        return self.shortcuts_dialog

    def show_loss_compare(self) -> LossCompareWindow:
        """Show the squared error vs cross-entropy window (non-modal; built on first use,
        so the window's start-up does not pay for it)."""
        from app.step.loss_compare import LossCompareWindow

        if self.loss_compare_window is None:
            self.loss_compare_window = LossCompareWindow(self)
        self.loss_compare_window.show()
        self.loss_compare_window.raise_()
        self.loss_compare_window.activateWindow()
        return self.loss_compare_window

    def show_about(self) -> AboutDialog:
        """Show the About dialog (window-modal, without blocking the caller)."""
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self)
        self.about_dialog.open()
        return self.about_dialog

    # ----------------------------------------------------------------- persistence

    def _restore_layout(self) -> None:
        self.resize(DEFAULT_SIZE)
        if not self.persist:
            return
        settings = open_settings()
        geometry = settings.value(KEY_GEOMETRY)
        restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        if not restored:
            self._centre_on_screen()
        saved_tab = settings.value(KEY_TAB, "")
        for index, (label, _tab) in enumerate(self.tab_entries()):
            if label == saved_tab:
                self.tabs.setCurrentIndex(index)

    def _centre_on_screen(self) -> None:
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        size = DEFAULT_SIZE.boundedTo(available.size())
        self.resize(size)
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())

    def save_settings(self) -> None:
        """Write geometry, current tab and theme to the app's QSettings (if persisting)."""
        if not self.persist:
            return
        settings = open_settings()
        settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        settings.setValue(KEY_TAB, self.tabs.tabText(self.tabs.currentIndex()))
        settings.setValue(KEY_THEME, theme.name)
        settings.setValue(KEY_TEXT_SCALE, self.text_scale)
        settings.sync()

    # ----------------------------------------------------------------- shutting down

    def shutdown_tabs(self) -> None:
        """Call every tab's `shutdown()` exactly once (later calls do nothing).

        Runs on close and on QApplication.aboutToQuit, whichever comes first. A tab whose
        shutdown fails is reported on stderr; the others are still shut down.
        """
        if self._shut_down:
            return
        self._shut_down = True
        for label, tab in self.tab_entries():
            shutdown = getattr(tab, "shutdown", None)
            if not callable(shutdown):
                continue
            try:
                shutdown()
            except Exception:
                print(f"nn-tutor: the {label} tab failed to shut down cleanly:", file=sys.stderr)
                traceback.print_exc()

    @property
    def is_shut_down(self) -> bool:
        return self._shut_down

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        for dialog in (self.about_dialog, self.shortcuts_dialog, self.loss_compare_window):
            if dialog is not None:
                dialog.close()
        self.shutdown_tabs()
        event.accept()
