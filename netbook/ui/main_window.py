"""The main window: contact list, detail pane, the week's networking block.

Every change is a data-layer operation that returns `Changes`; whoever ran it (a menu
action here, the detail pane, the week panel, a dialog) hands them to
`operation_did_execute`, which tells the list, the detail pane, the week panel, the tag
filter and the status bar, and each redraws what it shows that moved — Anki's
"operation returns, screens decide".
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..data import operations
from ..data.changes import Changes
from ..data.contacts import ListQuery, Store, StoreError
from ..plan.wording import day_label, met_phrase, rhythm_phrase
from . import settings as options
from .contact_model import ID_ROLE, NAME, ContactTableModel
from .detail_pane import DetailPane
from .text import button_text, isolate, plain_label, plain_warning
from .workers import Job, run_job

if TYPE_CHECKING:  # the import machinery loads when the user first imports
    from ..data.importing import ImportSummary
    from ..data.receive import Upload
    from .import_dialog import ExportDialog
    from .review import ReviewView
    from .settings_dialog import SettingsDialog
    from .sync_ui import SyncController
    from .week_panel import WeekPanel

# the list keys the search field passes on: how many rows each moves (Qt.Key is an int)
_SEARCH_STEPS: dict[int, int] = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10,
                                 Qt.Key.Key_PageUp: -10}

# below this width the networking panel docks under the list and card, so the card keeps
# room for its values (at 1024×700 a panel on the right left the card ~150 px)
NARROW_WINDOW = 1280
LIST_MIN_WIDTH = 250
DETAIL_MIN_WIDTH = 380
SIDE_PANEL_WIDTH = 480  # a plan row's four buttons side by side (less where room is short)
IMPORTED_LABEL = "Imported just now"
# changes to the plan while the panel is hidden: the badge is read once they stop coming
REMINDER_AFTER_CHANGES_MS = 1000


@dataclass(frozen=True)
class UndoStep:
    """One thing Edit ▸ Undo can take back: its name, the operation that undoes it, and
    what to show afterwards."""

    text: str  # "Delete", "Edit of Ana Lima", "Merge"
    run: Callable[[], Changes]
    after: Callable[[], None] | None = None

# (label, "kind:value") — plain strings: Qt item data round-trips them exactly
FILTERS = [("All contacts", "all:"), ("Due now", "due_now:"), ("Overdue", "overdue:"),
           ("Never contacted", "never_contacted:"), ("Met recently", "met_recently:"),
           ("Circle: inner", "circle:inner"), ("Circle: close", "circle:close"),
           ("Circle: network", "circle:network"), ("Circle: acquaintance", "circle:acquaintance")]


class EmptyState(QWidget):
    """A new database: three ways in, instead of an empty grey list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch()
        title = plain_label("Your network starts here")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        text = plain_label(
            "netbook keeps the people you know within reach: who to call this week, why now, "
            "and what you could offer them. Bring your contacts in, add someone you met "
            "today, or look around with invented people first.", wrap=True)
        text.setMaximumWidth(520)
        self.import_button = QPushButton("Import contacts…")
        self.add_button = QPushButton("Add a contact")
        self.demo_button = QPushButton("Load the demo")
        buttons = QHBoxLayout()
        buttons.addStretch()
        for b in (self.import_button, self.add_button, self.demo_button):
            b.setMinimumHeight(36)
            buttons.addWidget(b)
        buttons.addStretch()
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        # centred between stretches, not by alignment: aligned, the wrapped text was given
        # the height it takes across the whole window and drawn at 520 px, its first and
        # last lines cut off
        centred = QHBoxLayout()
        centred.addStretch()
        centred.addWidget(text, 10)
        centred.addStretch()
        layout.addLayout(centred)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch()


class _AfterFirstPaint(QObject):
    """Runs `work` once `widget` has painted for the first time, or at once when it is not
    on screen as the event loop starts (a window kept in the tray, a test not showing it).

    Measured at 100,000 contacts: the week's plan (~0.3 s), queued with a zero timer, ran
    before the window's first paint, so the list appeared only once the plan was done.
    """

    FALLBACK_MS = 1000  # on screen but not painted by then (minimised): go on anyway

    def __init__(self, widget: QWidget, work: list[Callable[[], object]],
                 parent: QObject) -> None:
        super().__init__(parent)
        self._widget = widget
        self._work = work
        widget.installEventFilter(self)
        QTimer.singleShot(0, self._loop_started)

    def _loop_started(self) -> None:
        if self._widget.isVisible():
            QTimer.singleShot(self.FALLBACK_MS, self._run)  # its first paint comes first
        else:
            self._run()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self._widget and event.type() == QEvent.Type.Paint and self._work:
            QTimer.singleShot(0, self._run)  # once this paint is on screen
        return False

    def _run(self) -> None:
        work, self._work = self._work, []
        if work:
            self._widget.removeEventFilter(self)
        self._done = True
        for fn in work:
            fn()

    def add(self, fn: Callable[[], object]) -> None:
        """One more piece of work; at once (on the next turn of the loop) when the first
        paint is past."""
        if getattr(self, "_done", False):
            QTimer.singleShot(0, fn)
        else:
            self._work.append(fn)


def _height_at(widget: QWidget, width: int) -> int:
    """How tall `widget` wants to be at `width` (wrapped text, buttons that flow)."""
    height = widget.heightForWidth(width) if width > 0 and widget.hasHeightForWidth() else -1
    return max(height, widget.minimumSizeHint().height()) if height >= 0 else \
        widget.sizeHint().height()


class _PanelFit(QObject):
    """Below the list and card, the networking panel is never taller than what it shows:
    a week with nobody due ("Nobody is due this week") leaves the card its room, and the
    panel grows back (up to the height it was given) once people are in the plan.

    It watches the panel and its rows for a new layout (a plan shown, a notice, a new
    shape) and for a new width (rows wrap taller when narrower), and sets the dock's
    maximum height to the panel's content; beside the card or folded it sets none.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        panel = window.week_panel
        rows = panel.scroll_area.widget()
        self._watched = [panel, *([rows] if rows is not None else [])]
        for widget in self._watched:
            widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj in self._watched and event.type() in (QEvent.Type.LayoutRequest,
                                                     QEvent.Type.Resize):
            self._timer.start()
        return False

    def content_height(self) -> int:
        """The dock's height that shows the panel's header, notice and every row, at the
        width the rows have now."""
        window, panel = self._window, self._window.week_panel
        dock, scroll, layout = window.week_dock, panel.scroll_area, panel.layout()
        assert layout is not None  # the panel's column of header, notice and rows
        rows = scroll.widget()
        width = scroll.viewport().width()
        inner = _height_at(rows, width) if rows is not None else 0
        margins = layout.contentsMargins()
        shown = [w for w in (panel.header, panel.notice) if not w.isHidden()]
        lines = sum(_height_at(w, w.width()) + layout.spacing() for w in shown)
        chrome = dock.height() - panel.height()  # the dock's title bar and frame
        # a scroll area is never lower than its own minimum (room for its scroll bar)
        rows_part = max(inner + 2 * scroll.frameWidth(), scroll.minimumSizeHint().height())
        return chrome + margins.top() + margins.bottom() + lines + rows_part

    def fit(self) -> None:
        from .week_panel import QWIDGETSIZE_MAX

        window = self._window
        dock = window.week_dock
        below = (window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
                 and not dock.isFloating())
        if not below or window.week_panel.collapsed:
            dock.setMaximumHeight(QWIDGETSIZE_MAX)  # folded: the panel's own limit holds
            return
        before = dock.maximumHeight()
        needed = self.content_height()
        if needed == before:
            return
        dock.setMaximumHeight(needed)
        if needed > before and dock.height() >= before - 2:  # held down by its content
            window.resizeDocks([dock], [min(needed, window._panel_default_height())],
                               Qt.Orientation.Vertical)


class MainWindow(QMainWindow):
    # made by _build (the week panel and sync modules are imported there, when needed)
    detail: DetailPane
    week_panel: WeekPanel
    sync: SyncController

    def __init__(self, store: Store, *, today: Callable[[], dt.date] = dt.date.today,
                 settings: QSettings | None = None,
                 clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        """`today` and `clock` are the calendar and the time of day (the reminder's);
        tests pass fake ones."""
        super().__init__()
        self.store = store
        self.today = today
        self.clock = clock
        self._quitting = False
        self._told_tray_keeps_running = False
        self.review: ReviewView | None = None
        self.last_block_notice = ""
        self.settings = settings or QSettings()
        self.undo_stack: list[UndoStep] = []  # newest last
        # pages other features add to Settings (reminders): (title, widget factory)
        self.settings_pages: list[tuple[str, Callable[[QWidget], QWidget]]] = []
        self.setWindowTitle("netbook")
        self.setAcceptDrops(True)
        self._build()
        self._build_menus()
        self.restore_state()
        self._refresh_tag_filters()
        self.model.reload()
        self._show_list()
        self.sync.start_later()
        self._build_reminders()
        # the list first; the week's plan a moment later, once the list is on screen
        self._after_first_paint = _AfterFirstPaint(
            self.view.viewport(), [self.week_panel.refresh, self.reminder.check], self)

    def after_first_paint(self, work: Callable[[], object]) -> None:
        """Run `work` once the list is on screen: start-up work that must not delay it
        (the whole-file check, when it is due)."""
        self._after_first_paint.add(work)

    # -- building -------------------------------------------------------------
    def _build(self) -> None:
        self.model = ContactTableModel(self.store, self, today=self.today)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search names, organizations, emails, phones, notes, tags")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_query)
        self._typing_pause = QTimer(self)
        self._typing_pause.setSingleShot(True)
        self._typing_pause.setInterval(120)
        self._typing_pause.timeout.connect(self._load_current_after_typing)
        self.search.installEventFilter(self)
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("filter")
        for label, key in FILTERS:
            self.filter_combo.addItem(label, key)
        self.filter_combo.currentIndexChanged.connect(self.apply_query)

        self.view = QTableView()
        self.view.setObjectName("contacts")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(30)
        self.view.setIconSize(QSize(24, 24))
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)  # Tab leaves the list for the card
        # a ring round the list while it has the keyboard, in the palette's own colour
        self.view.setStyleSheet("QTableView#contacts { border: 2px solid transparent; }"
                                "QTableView#contacts:focus { border: 2px solid "
                                "palette(highlight); }")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 190)
        header.resizeSection(1, 150)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(lambda _i: self.detail.focus_card())

        left = QWidget()
        left.setMinimumWidth(LIST_MIN_WIDTH)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.filter_combo)
        left_layout.addWidget(self.view, 1)

        self.detail = DetailPane(self.store, self, today=self.today)
        self.detail.setMinimumWidth(DETAIL_MIN_WIDTH)
        self.detail.undoable.connect(self._edit_saved)
        self.detail.editing_changed.connect(lambda _e: self._chain_tab_order())
        self.detail.tab_chain_changed.connect(self._chain_tab_order)
        self.detail.card_view.copied.connect(
            lambda text: self.statusBar().showMessage(f"Copied {' '.join(text.split())}",
                                                      3000))
        self.detail.changed.connect(partial(self.operation_did_execute, origin=self.detail))
        self.detail.saved.connect(lambda _cid: self.statusBar().showMessage("Saved", 2000))
        self.detail.open_contact.connect(self.select_contact)
        # who knows whom (issue 13): its own section under the card
        from .relationships import RelationshipsSection

        self.relationships = RelationshipsSection(self.store, self.detail)
        self.detail.add_section(self.relationships)
        self.detail.contact_shown.connect(self.relationships.set_contact)
        self.relationships.open_contact.connect(self.select_contact)
        self.relationships.changed.connect(partial(self.operation_did_execute,
                                                   origin=self.relationships))
        self.relationships.introduce_requested.connect(self.open_introduce)
        self.relationships.map_requested.connect(self.open_network_map)

        self.empty_state = EmptyState()
        self.empty_state.import_button.clicked.connect(self.import_files)
        self.empty_state.add_button.clicked.connect(self.new_contact)
        self.empty_state.demo_button.clicked.connect(self.load_demo)

        self.splitter = QSplitter()
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([470, 560])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty_state)
        self.setCentralWidget(self.stack)

        from .. import locale
        from ..data import settings as book_settings
        from .week_panel import PANEL_TITLE, WeekPanel

        self.week_panel = WeekPanel(
            self.store, self, today=self.today, load=False,
            first_weekday=book_settings.first_weekday(self.store, locale.first_weekday()))
        self.week_panel.open_contact.connect(self.select_contact)
        self.week_panel.introduce_requested.connect(self.open_introduce)
        self.week_panel.who_can_help_requested.connect(self.who_can_help)
        self.week_panel.changed.connect(partial(self.operation_did_execute,
                                                origin=self.week_panel))
        self.week_panel.print_requested.connect(self.print_call_list)
        self.week_panel.calendar_requested.connect(self.export_calendar)
        self.week_panel.log_week_requested.connect(self.log_week)
        self.week_panel.settings_requested.connect(self.block_settings)
        self.week_panel.review_requested.connect(self.open_review)
        self.week_panel.collapsed_changed.connect(self._panel_folded)
        self.week_panel.shape_changed.connect(self._narrow_side_panel)
        self._panel_height = 0  # the panel's height below before it was folded
        self.week_dock = QDockWidget(PANEL_TITLE, self)
        self.week_dock.setObjectName("week_dock")
        self.week_dock.setWidget(self.week_panel)
        self.week_dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea
                                       | Qt.DockWidgetArea.BottomDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.week_dock)
        self.week_dock.dockLocationChanged.connect(self._dock_relocated)
        self.panel_fit = _PanelFit(self)
        self.week_dock.topLevelChanged.connect(lambda _floating: self.panel_fit.fit())
        self._panel_keys()

        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.sync_label = plain_label()
        self.sync_label.setObjectName("sync_status")
        self.statusBar().addPermanentWidget(self.sync_label)
        from .sync_ui import SyncController

        self.accounts_dialog: QWidget | None = None  # timed syncs wait while it is open
        self.receive_dialog: QDialog | None = None  # listening for a phone while open
        self.several_job: Job | None = None  # tagging the selection, while it runs
        self.sync = SyncController(self, self.store, self.settings, self.sync_label)
        self.sync.finished.connect(self._sync_finished)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_action = self._action(file_menu, "&New Contact", self.new_contact,
                                       QKeySequence.StandardKey.New)
        file_menu.addSeparator()
        self.import_action = self._action(file_menu, "&Import…", self.import_files, "Ctrl+I")
        self.receive_action = self._action(file_menu, "Receive from &Phone…",
                                           self.receive_from_phone)
        self.export_action = self._action(file_menu, "&Export…", self.export_files,
                                          "Ctrl+Shift+E")
        file_menu.addSeparator()
        self.print_action = self._action(file_menu, "&Print Weekly Call List…",
                                         self.print_call_list, QKeySequence.StandardKey.Print)
        file_menu.addSeparator()
        self._action(file_menu, "Restore from &Backup…", self.restore_backup)
        self._action(file_menu, "Load &Demo Data", self.load_demo)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.quit_app, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self._action(edit_menu, "&Undo", self.undo,
                                        QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        edit_menu.addSeparator()
        self.edit_action = self._action(edit_menu, "&Edit Contact",
                                        lambda: self.detail.start_editing(), "Ctrl+E")
        self._action(edit_menu, "&Save Contact", self.detail.save)
        self.delete_action = self._action(edit_menu, "&Delete Contact", self.delete_selected)
        self.delete_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete)])
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit_menu.addSeparator()
        self.tag_action = self._action(edit_menu, "&Tag Selected…", self.tag_selected,
                                       "Ctrl+T")
        self.untag_action = self._action(edit_menu, "Remove a Ta&g from Selected…",
                                         self.untag_selected)
        self.rhythm_action = self._action(edit_menu, "Set &Rhythm for Selected…",
                                          self.rhythm_selected)
        self.export_selected_action = self._action(edit_menu, "E&xport Selected…",
                                                   self.export_selected)
        for action in (self.tag_action, self.untag_action, self.rhythm_action,
                       self.export_selected_action, self.delete_action):
            self.view.addAction(action)
        edit_menu.addSeparator()
        self.duplicates_action = self._action(edit_menu, "Find D&uplicates…",
                                              self.find_duplicates)
        self.tags_action = self._action(edit_menu, "&Manage Tags…", self.manage_tags)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find", self.focus_search, QKeySequence.StandardKey.Find)

        view_menu = bar.addMenu("&View")
        panel = self.week_dock.toggleViewAction()
        panel.setText("&Networking Panel")
        panel.setShortcut(QKeySequence("F9"))
        view_menu.addAction(panel)
        self.panel_below_action = QAction("Networking Panel &Below", self)
        self.panel_below_action.setCheckable(True)
        self.panel_below_action.toggled.connect(self.set_panel_below)
        view_menu.addAction(self.panel_below_action)
        self.review_action = self._action(view_menu, "&Review the Weeks…", self.open_review,
                                          "Ctrl+Shift+R")

        net_menu = bar.addMenu("&Networking")
        self.capture_action = self._action(net_menu, "I Just &Met Someone…",
                                           self.capture_someone, "Ctrl+Shift+N")
        self.addAction(self.capture_action)  # wherever the focus is
        self._action(net_menu, "&Log an Interaction…", self.detail.add_interaction, "Ctrl+L")
        net_menu.addSeparator()
        self._action(net_menu, "&Who Could Help With…?", lambda: self.who_can_help(),
                     "Ctrl+Shift+H")
        self._action(net_menu, "&Introduce…", lambda: self.open_introduce(self.detail.contact_id),
                     "Ctrl+Shift+I")
        self._action(net_menu, "Network &Map…",
                     lambda: self.open_network_map(self.detail.contact_id), "Ctrl+Shift+M")
        net_menu.addSeparator()
        self._action(net_menu, "Log &This Week…", self.log_week)
        self._action(net_menu, "Add Block to &Calendar…", self.export_calendar)
        self._action(net_menu, "Block &Settings…", self.block_settings)

        sync_menu = bar.addMenu("&Sync")
        self.sync_action = self._action(sync_menu, "Sync &Now", lambda: self.sync.sync_now(),
                                        "F5")
        self.addAction(self.sync_action)  # F5 works wherever the focus is
        self.conflicts_action = self._action(sync_menu, "&Resolve Conflicts…",
                                             self.resolve_conflicts)
        self._update_conflicts_action()

        settings_menu = bar.addMenu("Se&ttings")
        self._action(settings_menu, "&Settings…", self.open_settings,
                     QKeySequence.StandardKey.Preferences)
        self._action(settings_menu, "&Accounts…", self.sync_accounts)
        self._action(settings_menu, "&Reminders…", self.reminder_settings)

        help_menu = bar.addMenu("&Help")
        self.help_action = self._action(help_menu, "&Keyboard Shortcuts and Guide",
                                        self.show_help, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "&About netbook", self.about)

    # -- the list ---------------------------------------------------------------
    def current_query(self) -> ListQuery:
        kind, _, value = (self.filter_combo.currentData() or "all:").partition(":")
        return replace(self.model.query, search=self.search.text(), filter=kind,
                       circle=value if kind == "circle" else "",
                       tag=value if kind == "tag" else "",
                       since=value if kind == "since" else "", today=self.today())

    def apply_query(self) -> None:
        keep = self.detail.contact_id
        self.model.set_query(self.current_query())
        if keep is not None and (row := self.model.row_for_id(keep)) is not None:
            self._select_row(row, load=False)
        elif self.model.rowCount() and self.search.hasFocus():
            # the first match is selected at once; its details follow when typing pauses,
            # so a keystroke costs one query, not a query plus filling the whole pane
            self._select_row(0, load=False)
            if not self.detail.is_dirty():
                self._typing_pause.start()
        self._update_count()

    def _load_current_after_typing(self) -> None:
        current = self.view.currentIndex()
        if current.isValid() and not self.detail.is_dirty():
            cid = self.model.data(current, ID_ROLE)
            if cid != self.detail.contact_id:
                self.detail.load(cid)

    # -- after every change -----------------------------------------------------
    def operation_did_execute(self, changes: Changes, origin: object | None = None) -> None:
        """The one place the window redraws after a change to the store (Anki's name).

        Each part decides from `changes` whether what it shows moved; `origin`, the
        widget that ran the operation, has shown its own result already.
        """
        if not changes:
            return
        if changes.tags:
            self._refresh_tag_filters()
        selected = self.selected_ids()
        self.model.apply_changes(changes)
        self.detail.apply_changes(changes, origin)
        self.relationships.apply_changes(changes, origin)
        if changes.contacts or changes.everything:
            if len(selected) > 1 and len(self.selected_ids()) < len(selected):
                self.select_ids(selected)  # contacts came or went: keep the rest selected
            self._show_list()
        self.week_panel.apply_changes(changes, origin)
        if changes.plan:
            self._check_reminder_soon()  # the badge follows what is left to do
        if self.review is not None:
            self.review.apply_changes(changes)

    def refresh_all(self) -> None:
        """The store changed outside the window's own operations (a sync, another
        window): anything may have moved."""
        self.operation_did_execute(Changes.all())

    def _show_list(self) -> None:
        """The list after its rows changed: the shown contact still selected, the empty
        state for an empty book, the count."""
        cid = self.detail.contact_id
        row = self.model.row_for_id(cid) if cid is not None else None
        selection = self.view.selectionModel()
        if row is not None and not selection.isRowSelected(row, QModelIndex()):
            self._select_row(row, load=False)
        elif row is not None and selection.currentIndex().row() != row:
            # one of several selected: the current row follows, the selection stays
            selection.blockSignals(True)
            selection.setCurrentIndex(self.model.index(row, NAME),
                                      QItemSelectionModel.SelectionFlag.NoUpdate)
            selection.blockSignals(False)
        total = self.store.count()  # one count a change, for both
        self.stack.setCurrentWidget(self.empty_state if total == 0 else self.splitter)
        self._update_count(total)

    def _refresh_tag_filters(self) -> None:
        current = self.filter_combo.currentData()
        imported = next((self.filter_combo.itemData(i) for i in range(self.filter_combo.count())
                         if str(self.filter_combo.itemData(i)).startswith("since:")), None)
        self.filter_combo.blockSignals(True)
        while self.filter_combo.count() > len(FILTERS):
            self.filter_combo.removeItem(self.filter_combo.count() - 1)
        if imported is not None:
            self.filter_combo.addItem(IMPORTED_LABEL, imported)
        for tag in self.store.all_tags():
            self.filter_combo.addItem(f"Tag: {tag}", f"tag:{tag}")
        index = self.filter_combo.findData(current)
        self.filter_combo.setCurrentIndex(max(index, 0))
        self.filter_combo.blockSignals(False)

    def _update_count(self, total: int | None = None) -> None:
        total = self.store.count() if total is None else total
        shown = self.model.rowCount()
        text = (f"{total} contacts" if shown == total
                else f"Showing {shown} of {total} contacts")
        self.count_label.setText(text)

    def _select_row(self, row: int, load: bool = True) -> None:
        index = self.model.index(row, NAME)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.view.selectionModel().blockSignals(not load)
        self.view.selectionModel().setCurrentIndex(index, flags)
        self.view.selectionModel().blockSignals(False)
        self.view.scrollTo(index)

    def select_contact(self, contact_id: int) -> None:
        """Show a contact (from the week panel, a duplicate warning, a restart)."""
        if not self.maybe_keep_edits():
            return
        if self.model.row_for_id(contact_id) is None:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.filter_combo.setCurrentIndex(0)
            self.model.set_query(self.current_query())
            self._update_count()
        row = self.model.row_for_id(contact_id)
        if row is not None:
            self._select_row(row, load=False)
            self.detail.load(contact_id)

    def _current_changed(self, current, previous) -> None:
        if not current.isValid():
            return
        cid = self.model.data(current, ID_ROLE)
        if cid == self.detail.contact_id and not self.detail.is_dirty():
            return
        if not self.maybe_keep_edits():
            # put the selection back without asking again
            if previous.isValid():
                QTimer.singleShot(0, lambda: self._select_row(previous.row(), load=False))
            return
        row = self.model.row_for_id(cid)  # a save just now may have moved the rows,
        if row is not None:  # and put the current row back on the one it saved
            self._select_row(row, load=False)
        self.detail.load(cid)

    def ask_unsaved(self) -> str:
        """'save', 'discard' or 'cancel' (tests replace this)."""
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText("This contact has changes that are not saved.")
        box.setInformativeText("Save them before moving on?")
        box.setStandardButtons(QMessageBox.StandardButton.Save
                               | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(
            QMessageBox.StandardButton(answer), "cancel")

    def maybe_keep_edits(self) -> bool:
        """The guard before leaving a contact: True means go on."""
        if not self.detail.is_dirty():
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.detail.save()
        if answer == "discard":
            self.detail.revert()
            return True
        return False

    # -- search field keys ------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (obj is self.search and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            key = event.key()
            step = _SEARCH_STEPS.get(key)
            if step is not None:
                current = self.view.currentIndex()
                row = current.row() if current.isValid() else -1
                if self.model.rowCount():
                    new_row = min(max(row + step, 0), self.model.rowCount() - 1)
                    self._select_row(new_row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if not self.view.currentIndex().isValid() and self.model.rowCount():
                    self._select_row(0)
                if self.view.currentIndex().isValid():
                    self.detail.focus_card()
                return True
            if key == Qt.Key.Key_Escape:
                self.search.clear()
                return True
        return super().eventFilter(obj, event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- contacts ---------------------------------------------------------------
    def new_contact(self) -> None:
        if not self.maybe_keep_edits():
            return
        self.stack.setCurrentWidget(self.splitter)
        self.view.clearSelection()
        self.detail.new_contact()

    def selected_ids(self) -> list[int]:
        rows = self.view.selectionModel().selectedRows()
        return [self.model.id_at(i.row()) for i in rows]

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        names = self.store.display_names(ids)
        first_row = min(self.model.row_for_id(i) or 0 for i in ids)
        try:
            changes = operations.delete_contacts(self.store, ids)
        except StoreError as exc:  # a full disk, a damaged file: said, nothing deleted
            plain_warning(self, "Delete", str(exc))
            return
        self.operation_did_execute(changes)
        self.push_undo(UndoStep("Delete", lambda: operations.undelete_contacts(self.store, ids),
                                lambda: self.select_contact(ids[0])))
        if self.model.rowCount():
            self._select_row(min(first_row, self.model.rowCount() - 1))
        what = isolate(next(iter(names.values()))) if len(ids) == 1 else f"{len(ids)} contacts"
        self.statusBar().showMessage(f"Deleted {what} — Ctrl+Z to undo", 8000)

    # -- undo -------------------------------------------------------------------
    def push_undo(self, step: UndoStep) -> None:
        self.undo_stack.append(step)
        del self.undo_stack[:-50]  # the last fifty are plenty
        self._update_undo_action()

    def _update_undo_action(self) -> None:
        step = self.undo_stack[-1] if self.undo_stack else None
        self.undo_action.setEnabled(step is not None)
        # the step may name a contact: an "&" in it is no shortcut
        self.undo_action.setText(f"&Undo {button_text(step.text)}" if step else "&Undo")

    def _edit_saved(self, text: str, run: Callable[[], Changes]) -> None:
        cid = self.detail.contact_id
        self.push_undo(UndoStep(text, run, (lambda: self.select_contact(cid))
                                if cid is not None else None))

    def undo(self) -> None:
        """Take back the last delete, saved edit or merge (Ctrl+Z)."""
        if not self.undo_stack:
            return
        if not self.maybe_keep_edits():
            return
        step = self.undo_stack.pop()
        self._update_undo_action()
        try:
            changes = step.run()
        except StoreError as exc:
            plain_warning(self, "Can't undo", f"{step.text} can't be undone: {exc}")
            return
        self.operation_did_execute(changes)
        if step.after is not None:
            step.after()
        self.statusBar().showMessage(f"Undone: {step.text}", 4000)

    # -- import and export ----------------------------------------------------
    def import_files(self, paths: list[Path] | None = None) -> None:
        if not self.maybe_keep_edits():
            return
        if not paths:
            names, _ = QFileDialog.getOpenFileNames(
                self, "Import Contacts", str(Path.home()),
                "Contacts (*.vcf *.vcard *.csv);;vCards (*.vcf *.vcard);;"
                "CSV: LinkedIn, Google, Outlook (*.csv);;All files (*)")
            paths = [Path(n) for n in names]
        if not paths:
            return
        from .import_dialog import start_import

        start_import(self, self.store, paths, on_done=self._imported)

    def receive_from_phone(self) -> QDialog | None:
        """File ▸ Receive from Phone…: listen while the dialog is open; what the phone
        sends goes into the import preview."""
        if not self.maybe_keep_edits():
            return None
        from .receive_dialog import ReceiveDialog

        dialog = ReceiveDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.received.connect(self._received_from_phone)
        dialog.finished.connect(self._receive_closed)
        self.receive_dialog = dialog
        dialog.open()
        return dialog

    def _receive_closed(self, _result: int) -> None:
        self.receive_dialog = None

    def _received_from_phone(self, upload: Upload) -> None:
        from .import_dialog import start_import

        self.statusBar().showMessage(f"Received “{isolate(upload.filename)}” from "
                                     f"{upload.visitor.ip}", 8000)
        start_import(self, self.store, [upload.path], on_done=self._imported,
                     when_read=upload.discard)

    def _imported(self, summary: ImportSummary) -> None:
        self.operation_did_execute(summary.changes)
        if summary.started_at and (summary.new or summary.updated or summary.merged):
            self.show_imported(summary.started_at)
        self.statusBar().showMessage(summary.line(), 10000)

    def show_imported(self, since: str) -> None:
        """The list's "Imported just now": what the last import added or changed."""
        for i in range(self.filter_combo.count() - 1, len(FILTERS) - 1, -1):
            if str(self.filter_combo.itemData(i)).startswith("since:"):
                self.filter_combo.removeItem(i)
        self.filter_combo.insertItem(len(FILTERS), IMPORTED_LABEL, f"since:{since}")
        self.search.clear()
        self.filter_combo.setCurrentIndex(len(FILTERS))

    def export_files(self) -> ExportDialog:
        """File ▸ Export: the whole book, or the list as filtered when it is."""
        from .import_dialog import start_export

        query = self.current_query()
        filtered = bool(query.search.strip()) or query.filter != "all"
        label = self.filter_combo.currentText() if query.filter != "all" else ""
        if query.search.strip():
            label = f"{label}, “{query.search.strip()}”" if label else f"“{query.search.strip()}”"
        # "Imported just now" is the import's own choice, not the user's: the whole
        # book stays the default (a backup that holds only the last import is a trap)
        return start_export(self, self.store, self.selected_ids(),
                            shown_ids=list(self.model.ids) if filtered else None,
                            shown_label=label, shown_first=query.filter != "since")

    def export_selected(self) -> ExportDialog:
        dialog = self.export_files()
        if dialog.selected_radio.isEnabled():
            dialog.selected_radio.setChecked(True)
        return dialog

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def restore_backup(self) -> None:
        if not self.maybe_keep_edits():  # a restore replaces the open contact too
            return
        from .import_dialog import restore_dialog

        changes = restore_dialog(self, self.store)
        if changes.everything:  # the steps were for the data replaced: never on the new
            self.undo_stack.clear()
            self._update_undo_action()
        self.operation_did_execute(changes)

    def load_demo(self) -> None:
        from .. import locale
        from ..data import settings as book_settings
        from ..data.demo import load_demo

        try:  # an action like any other: a busy or full database is said in words
            changes = operations.in_words(load_demo)(
                self.store, today=self.today(),
                first_weekday=book_settings.first_weekday(self.store, locale.first_weekday()))
        except StoreError as exc:  # nothing added
            plain_warning(self, "Load demo data", str(exc))
            return
        self.operation_did_execute(changes)
        if self.model.rowCount():
            self._select_row(0)
        self.statusBar().showMessage(f"Added {len(changes.added)} demo contacts", 5000)

    # -- the week -------------------------------------------------------------
    def print_call_list(self) -> None:
        from .call_list import print_preview

        print_preview(self, self.store, self.week_panel.current_plan())

    def export_calendar(self) -> None:
        from .call_list import save_ics

        path = save_ics(self, self.week_panel.current_plan())
        if path is not None:
            self.statusBar().showMessage(f"Wrote {path} — open it with your calendar", 8000)

    def log_week(self) -> None:
        from .log_week_dialog import LogWeekDialog

        dialog = LogWeekDialog(self, self.store, self.week_panel.current_plan(), today=self.today)
        dialog.changed.connect(partial(self.operation_did_execute, origin=dialog))
        dialog.exec()

    def block_settings(self) -> SettingsDialog:
        """Networking ▸ Block Settings… and the week panel's button: the Settings dialog,
        open at its Weekly block page (one form, one way to save it)."""
        return self.open_settings(page="Weekly block")

    # -- sync -------------------------------------------------------------------
    def sync_accounts(self):
        from .sync_ui import AccountsDialog

        dialog = AccountsDialog(self, self.store, self.settings,
                                sync_running=lambda: self.sync.running)
        dialog.interval_changed.connect(self.sync.apply_interval)
        self._editing_accounts(dialog, dialog)
        dialog.open()
        return dialog

    def _editing_accounts(self, dialog: QDialog, page: QWidget) -> None:
        """Timed syncs wait while `page` (the accounts) is open in `dialog`; the window
        forgets it once the dialog closes, so a deleted page is never asked."""
        self.accounts_dialog = page
        dialog.finished.connect(partial(self._accounts_closed, page))

    def _accounts_closed(self, page: QWidget, _result: int = 0) -> None:
        if self.accounts_dialog is page:
            self.accounts_dialog = None

    def accounts_editing(self) -> bool:
        """Whether the accounts are open for editing now, on whichever page of Settings
        the dialog shows (a timed sync waits then)."""
        page = self.accounts_dialog
        return page is not None and shiboken6.isValid(page) and page.window().isVisible()

    def resolve_conflicts(self):
        from .sync_ui import ConflictsDialog

        dialog = ConflictsDialog(self, self.store)
        dialog.resolved.connect(self._conflict_resolved)
        dialog.open()
        self.conflicts_dialog = dialog
        return dialog

    def _conflict_resolved(self) -> None:
        self.refresh_all()
        self._update_conflicts_action()

    def _sync_finished(self, _text: str) -> None:
        self._update_conflicts_action()
        cid = self.detail.contact_id
        if cid is not None and not self.detail.is_dirty() and self.store.exists(cid):
            self.detail.load(cid)

    def _update_conflicts_action(self) -> None:
        from ..data.carddav import list_conflicts

        n = len(list_conflicts(self.store))
        self.conflicts_action.setEnabled(n > 0)
        self.conflicts_action.setText(f"&Resolve Conflicts ({n})…" if n
                                      else "&Resolve Conflicts…")

    def about(self) -> None:
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle("About netbook")
        box.setText("netbook — the address book that keeps your network alive.\n\n"
                    f"Database: {self.store.path}")
        box.exec()

    # -- state ------------------------------------------------------------------
    def restore_state(self) -> None:
        s = self.settings
        geometry = options.WINDOW_GEOMETRY.get(s)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self._first_size()
        state = options.WINDOW_STATE.get(s)
        if state.isEmpty() or not self.restoreState(state):
            self.set_panel_below(self.width() < NARROW_WINDOW)
        self._dock_moved(self.dockWidgetArea(self.week_dock))
        if (options.PANEL_FOLDED.get(s)
                and self.dockWidgetArea(self.week_dock) == Qt.DockWidgetArea.BottomDockWidgetArea):
            self.week_panel.set_collapsed(True)
        splitter = options.WINDOW_SPLITTER.get(s)
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        header = options.LIST_HEADER.get(s)
        h = self.view.horizontalHeader()
        if not header.isEmpty() and h.restoreState(header):
            self.model.sort(h.sortIndicatorSection(), h.sortIndicatorOrder())

    def _first_size(self) -> None:
        """The first start: as big as the screen allows, up to 1360×820."""
        screen = self.screen().availableGeometry()
        width = min(1360, screen.width()) if screen.width() > 0 else 1360
        height = min(820, screen.height()) if screen.height() > 0 else 820
        self.resize(width, height)

    def set_panel_below(self, below: bool) -> None:
        """Dock the networking panel under the list and card (narrow windows), or right."""
        area = (Qt.DockWidgetArea.BottomDockWidgetArea if below
                else Qt.DockWidgetArea.RightDockWidgetArea)
        if self.dockWidgetArea(self.week_dock) != area:
            self.addDockWidget(area, self.week_dock)
        if below:
            self.resizeDocks([self.week_dock], [self._panel_default_height()],
                             Qt.Orientation.Vertical)
        else:
            self.resizeDocks([self.week_dock], [self._side_panel_width()],
                             Qt.Orientation.Horizontal)
        self._dock_moved(area)

    def _side_panel_width(self) -> int:
        """Beside the card: room for a row's four buttons on one line, unless the list and
        the card would be squeezed (at 1280 px the row's buttons take two lines instead
        of the list scrolling sideways)."""
        room = self.width() - 470 - DETAIL_MIN_WIDTH - 20
        return max(400, min(SIDE_PANEL_WIDTH, room))

    def _panel_default_height(self) -> int:
        """Below the list and card: room for its header and a line of people side by side
        (at 1024×700 a third of the height showed barely one person)."""
        return max(260, int(self.height() * 0.42))

    def _panel_folded(self, folded: bool) -> None:
        """The panel folded to its first line (the card and list get the room), or open
        again at the height it had."""
        if folded:
            self._panel_height = self.week_dock.height()
        elif self.dockWidgetArea(self.week_dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
            self.resizeDocks([self.week_dock],
                             [max(self._panel_height, self._panel_default_height())],
                             Qt.Orientation.Vertical)
        self.panel_fit.fit()
        options.PANEL_FOLDED.set(self.settings, folded)

    def _dock_relocated(self, area: Qt.DockWidgetArea) -> None:
        self._dock_moved(area)
        self._narrow_side_panel()

    def _narrow_side_panel(self, *_args: object) -> None:
        """Dragged from the bottom to the side, the panel arrives as wide as the window:
        once it is laid out narrow again, it goes back to its side width."""
        if (self.dockWidgetArea(self.week_dock) == Qt.DockWidgetArea.RightDockWidgetArea
                and not self.week_panel.wide
                and self.week_dock.width() > self._side_panel_width() + 40):
            # once the dock's move has settled (a resize asked for during it is undone)
            QTimer.singleShot(0, lambda: self.resizeDocks(
                [self.week_dock], [self._side_panel_width()], Qt.Orientation.Horizontal))

    def _dock_moved(self, area: Qt.DockWidgetArea) -> None:
        below = area == Qt.DockWidgetArea.BottomDockWidgetArea
        self.panel_fit.fit()
        if not below and self.week_panel.collapsed:  # beside the card it has the room
            self.week_panel.set_collapsed(False)
        self.panel_below_action.blockSignals(True)
        self.panel_below_action.setChecked(below)
        self.panel_below_action.blockSignals(False)

    # -- the keyboard -------------------------------------------------------------
    def _panel_keys(self) -> None:
        """D, S, K and O act on the panel's current row while the panel has the keyboard:
        Done, Remind me on… (snooze), Not this week (skip), Open contact."""
        for key, name in (("D", "done_button"), ("S", "snooze_button"),
                          ("K", "skip_button"), ("O", "open_button")):
            shortcut = QShortcut(QKeySequence(key), self.week_panel)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(partial(self.panel_row_action, name))

    def panel_row(self):
        """The panel's current row: the one holding the keyboard, else the first not done."""
        focus = QApplication.focusWidget()
        rows = self.week_panel.rows()
        for row in rows:
            if focus is not None and row.isAncestorOf(focus):
                return row
        return next((r for r in rows if not r.item.done), rows[0] if rows else None)

    def panel_row_action(self, button_name: str) -> None:
        row = self.panel_row()
        if row is None:
            return
        button = getattr(row, button_name)
        if button.isEnabled():
            button.setFocus()
            button.click()

    def _chain_tab_order(self) -> None:
        """Tab goes search → list → card → networking panel (the filter comes before the
        search, with Shift+Tab)."""
        if not hasattr(self, "week_panel"):
            return
        chain = [self.filter_combo, self.search, self.view, *self.detail.tab_chain(),
                 self.week_panel.print_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def show_help(self) -> QDialog:
        from .help_dialog import HelpDialog

        dialog = HelpDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.help_dialog = dialog
        return dialog

    # -- several contacts at once ----------------------------------------------------
    def ask_tag(self, title: str, label: str, tags: list[str]) -> str | None:
        """The tag to add or take off (tests replace this)."""
        text, ok = QInputDialog.getItem(self, title, label, tags, 0, True)
        return text.strip() if ok and text.strip() else None

    def ask_rhythm(self, count: int) -> tuple[int | None, str | None] | None:
        """(days, circle) for `count` contacts, or None (tests replace this)."""
        from ..data import settings as book_settings

        days = book_settings.circle_days(self.store)
        choices = [rhythm_phrase(c, d) for c, d in days.items()]
        choices.append("No rhythm")
        text, ok = QInputDialog.getItem(self, "Set rhythm",
                                        f"Keep in touch with the {count} selected contacts:",
                                        choices, 0, False)
        if not ok:
            return None
        index = choices.index(text)
        if index == len(days):
            return None, None
        return None, list(days)[index]

    def _several(self) -> list[int]:
        ids = self.selected_ids()
        if not ids and self.detail.contact_id is not None:
            ids = [self.detail.contact_id]
        return ids

    def tag_selected(self) -> None:
        ids = self._several()
        if not ids or not self.maybe_keep_edits():
            return
        tag = self.ask_tag("Tag contacts", f"Tag for the {len(ids)} selected contacts:",
                           self.store.all_tags())
        if tag:
            self._run_on_several(
                "Tagging contacts…",
                lambda report: operations.tag_contacts(self.store, ids, add=[tag],
                                                       report=report),
                f"Tagged {len(ids)} contacts “{tag}”")

    def untag_selected(self) -> None:
        ids = self._several()
        if not ids or not self.maybe_keep_edits():
            return
        tags = operations.tags_of(self.store, ids)  # one query, not every card read
        if not tags:
            self.statusBar().showMessage("The selected contacts have no tags", 4000)
            return
        tag = self.ask_tag("Remove a tag", f"Tag to take off the {len(ids)} selected contacts:",
                           tags)
        if tag:
            self._run_on_several(
                "Removing a tag…",
                lambda report: operations.tag_contacts(self.store, ids, remove=[tag],
                                                       report=report),
                f"Took “{tag}” off the selected contacts")

    def rhythm_selected(self) -> None:
        ids = self._several()
        if not ids or not self.maybe_keep_edits():
            return
        rhythm = self.ask_rhythm(len(ids))
        if rhythm is not None:
            days, circle = rhythm
            self._run_on_several(
                "Setting the rhythm…",
                lambda report: operations.set_rhythm(self.store, ids, days, circle,
                                                     report=report),
                f"Set the rhythm of {len(ids)} contacts")

    def _run_on_several(self, title: str, run: Callable[[Callable[[int, int], None]], Changes],
                        done: str) -> Job:
        """One operation on the selection, off the GUI thread: thousands of cards
        rewritten take seconds, so a progress with Cancel shows (Cancel: nothing is
        changed, the operation being one transaction)."""
        selected = self.selected_ids()

        def succeeded(changes: Changes) -> None:
            self.several_job = None
            self.operation_did_execute(changes)
            self.select_ids(selected)  # the same people stay selected for the next action
            self.statusBar().showMessage(done, 5000)

        def failed(message: str) -> None:
            self.several_job = None
            plain_warning(self, "Not done", message)

        def cancelled() -> None:
            self.several_job = None
            self.statusBar().showMessage("Cancelled — nothing was changed", 5000)

        self.several_job = run_job(self, title, run, succeeded, failed, cancelled,
                                   store=self.store)
        return self.several_job

    def select_ids(self, ids: list[int]) -> None:
        """Select these contacts in the list (those it shows), without loading one."""
        selection = QItemSelection()
        for cid in ids:
            row = self.model.row_for_id(cid)
            if row is not None:
                selection.select(self.model.index(row, 0),
                                 self.model.index(row, self.model.columnCount() - 1))
        if not selection.isEmpty():
            self.view.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # -- the whole book ---------------------------------------------------------------
    def find_duplicates(self) -> QDialog | None:
        """Edit ▸ Find Duplicates…: the groups, and a field-by-field merge of each (after
        the unsaved-edit question: a merge may take the open contact away)."""
        if not self.maybe_keep_edits():
            return None
        from .duplicates_dialog import DuplicatesDialog

        dialog = DuplicatesDialog(self, self.store)
        dialog.merged.connect(self._merged)
        dialog.open_contact.connect(self.select_contact)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.duplicates_dialog = dialog
        return dialog

    def _merged(self, result: operations.MergeResult) -> None:
        keep = result.plan.keep_id
        self.operation_did_execute(result.changes)
        store = self.store
        name = isolate(result.plan.names[keep])
        self.push_undo(UndoStep(f"Merge into {name}",
                                lambda: operations.undo_merge(store, result.undo),
                                lambda: self.select_contact(keep)))
        self.select_contact(keep)
        self.statusBar().showMessage(
            f"Merged {len(result.plan.other_ids) + 1} contacts into {name} — Ctrl+Z to "
            "undo", 8000)

    def manage_tags(self) -> QDialog | None:
        """Edit ▸ Manage Tags… (after the unsaved-edit question: a rename or delete
        changes the open contact's card too)."""
        if not self.maybe_keep_edits():
            return None
        from .tags_dialog import TagsDialog

        dialog = TagsDialog(self, self.store)
        dialog.changed.connect(partial(self.operation_did_execute, origin=dialog))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.tags_dialog = dialog
        return dialog

    def open_settings(self, page: str = "") -> SettingsDialog:
        """Settings ▸ Settings…: the block, circles, week and region, theme, reminders,
        accounts — one dialog of pages."""
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, self.store, self.settings,
                                sync_running=lambda: self.sync.running)
        dialog.changed.connect(self._settings_saved)
        dialog.interval_changed.connect(self.sync.apply_interval)
        self._editing_accounts(dialog, dialog.accounts_page)
        from .reminder_settings import RemindersPage

        reminders = RemindersPage(dialog, self.store, self.settings,
                                  tray_available=self.tray.available)
        dialog.add_page(reminders.title, reminders)
        dialog.accepted.connect(lambda: self.apply_tray(reminders.tray_check.isChecked()))
        for title, factory in self.settings_pages:
            dialog.add_page(title, factory(dialog))
        if page:
            dialog.show_page(page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def _settings_saved(self, changes: Changes) -> None:
        from .. import locale
        from ..data import settings as book_settings

        weekday = book_settings.first_weekday(self.store, locale.first_weekday())
        self.week_panel.set_first_weekday(weekday)
        if self.review is not None:  # an open Review counts its weeks from that day too
            self.review.set_first_weekday(weekday)
        self.operation_did_execute(changes)

    def restore_selection(self) -> None:
        cid = options.LAST_CONTACT.get(self.settings)
        if cid and self.store.exists(cid):
            self.select_contact(cid)
        elif self.model.rowCount():
            self._select_row(0)

    def save_state(self) -> None:
        s = self.settings
        options.WINDOW_GEOMETRY.set(s, self.saveGeometry())
        options.WINDOW_STATE.set(s, self.saveState())
        options.WINDOW_SPLITTER.set(s, self.splitter.saveState())
        options.LIST_HEADER.set(s, self.view.horizontalHeader().saveState())
        if self.detail.contact_id is not None:
            options.LAST_CONTACT.set(s, self.detail.contact_id)
        s.sync()

    # -- the block reminds you --------------------------------------------------
    def _build_reminders(self) -> None:
        from .app import app_icon
        from .reminder import BlockReminder, Tray

        self.tray = Tray(app_icon(), self)
        self.reminder = BlockReminder(self._plan_now, self.clock, self)
        self._reminder_timer = QTimer(self)
        self._reminder_timer.setSingleShot(True)
        self._reminder_timer.setInterval(REMINDER_AFTER_CHANGES_MS)
        self._reminder_timer.timeout.connect(self.reminder.check)
        self.reminder.badge_changed.connect(self.tray.set_badge)
        # the badge follows each plan the panel makes, on show or asked for while hidden
        self.week_panel.plan_reloaded.connect(self.reminder.check_plan)
        self.reminder.notify.connect(self._block_started)
        self.tray.open_requested.connect(self.show_from_tray)
        self.tray.capture_requested.connect(self.capture_someone)
        self.tray.quit_requested.connect(self.quit_app)
        self.apply_tray(options.REMIND_IN_TRAY.get(self.settings))

    def _check_reminder_soon(self) -> None:
        """After a change to the plan: with the panel on show, nothing here — its own
        refresh once the burst is over brings the badge along (`plan_reloaded`); hidden,
        the badge is read once the burst is over (a sync page by page with the window in
        the tray). Either way the week is planned once per burst, not once per change."""
        if not self.week_panel.isVisible():
            self._reminder_timer.start()  # restarted by each change of the burst

    @property
    def tray_in_use(self) -> bool:
        """The tray icon is up: closing the window hides it, the block still reminds."""
        return self.tray.available and options.REMIND_IN_TRAY.get(self.settings)

    def apply_tray(self, on: bool) -> None:
        """Show or hide the tray icon; with no tray on this desktop, say so once."""
        from . import reminder

        app = QApplication.instance()
        if on and self.tray.available:
            self.tray.show()
        else:
            self.tray.hide()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(not (on and self.tray.available))
        if on and not self.tray.available and not options.NO_TRAY_TOLD.get(self.settings):
            options.NO_TRAY_TOLD.set(self.settings, True)
            self.statusBar().showMessage(reminder.NO_TRAY_TEXT, reminder.NO_TRAY_SHOWN_MS)

    def _plan_now(self):
        """The plan of the week holding today (a new week: the panel plans it first; a
        new day: the panel words its rows for it, yesterday's "Today" is belated now)."""
        plan = self.week_panel.current_plan()
        if self.week_panel.shown_day != self.today():
            self.week_panel.refresh()
            plan = self.week_panel.current_plan()
        return plan

    def _block_started(self, title: str, text: str) -> None:
        """The block has started: a desktop notification, or the status bar without one
        (no tray, or a tray that cannot show messages: the block never starts silently)."""
        self.last_block_notice = text
        if self.tray_in_use and self.tray.shows_messages:
            self.tray.show_message(title, text)
        else:
            self.statusBar().showMessage(text.removesuffix(" — Open"), 0)
            QApplication.alert(self)

    def show_from_tray(self) -> None:
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.week_dock.show()
        self.raise_()
        self.activateWindow()

    def capture_someone(self):
        """"I just met someone": the ten-second form (non-blocking)."""
        from .capture_dialog import CaptureDialog

        dialog = CaptureDialog(self, self.store, today=self.today)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(partial(self._captured, dialog))
        dialog.open()
        return dialog

    def _captured(self, dialog, changes: Changes) -> None:
        self.operation_did_execute(changes)
        cid = dialog.added_id
        if cid is None:
            return
        name = self.store.display_names([cid]).get(cid, "")
        planned = cid in {i.contact_id for i in self.week_panel.current_plan().items}
        when = ("they are in this week's block" if planned
                else "netbook brings them up in next week's block")
        met_on = self.store.get_contact(cid).met_on  # the day picked in the form
        met = met_phrase(met_on, "", self.today()) or (
            f"met on {day_label(met_on)}" if met_on else "added")
        self.statusBar().showMessage(f"Added {isolate(name)}, {met} — {when}", 10000)
        if self.isVisible() and not self.detail.is_dirty():
            self.select_contact(cid)

    # -- the connector (issue 13) ----------------------------------------------------

    def who_can_help(self, text: str = ""):
        """Networking ▸ Who Could Help With…? (and the week panel's field)."""
        from .connector_dialogs import WhoCanHelpDialog

        dialog = WhoCanHelpDialog(self.store, self, text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_contact.connect(self.select_contact)
        # introduce the one who'd help to someone the user picks there: never to whoever
        # happens to be open in the card (their need is not the one typed here)
        dialog.introduce_requested.connect(self.open_introduce)
        dialog.show()
        return dialog

    def open_introduce(self, contact_id: int | None, other_id: int | None = None):
        """Introduce…: a draft to both, opened in the mail program or copied."""
        from .connector_dialogs import IntroduceDialog

        if contact_id is None:
            self.statusBar().showMessage("Pick the contact to introduce first", 4000)
            return None
        dialog = IntroduceDialog(self.store, contact_id, other_id, self, today=self.today)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(lambda changes: self._introduced(changes, dialog.logged_text))
        dialog.open()
        return dialog

    def _introduced(self, changes: Changes, text: str) -> None:
        self.operation_did_execute(changes)
        self.statusBar().showMessage(text, 6000)

    def open_network_map(self, contact_id: int | None = None):
        """Networking ▸ Network Map…: the selected contact's circle, or the whole book."""
        from .network_map import NetworkMapDialog

        dialog = NetworkMapDialog(self.store, self, center=contact_id, today=self.today)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_contact.connect(self.select_contact)
        dialog.show()
        return dialog

    def open_review(self) -> ReviewView:
        """View ▸ Review the Weeks…: this week and the trend (one window, kept)."""
        from .review import ReviewView

        self.week_panel.current_plan()  # this week's plan recorded, so the review counts it
        if self.review is None:
            self.review = ReviewView(self.store, self, today=self.today,
                                     first_weekday=self.week_panel.first_weekday)
        else:
            self.review.refresh()
        self.review.show()
        self.review.raise_()
        self.review.activateWindow()
        return self.review

    def reminder_settings(self):
        """Settings ▸ Reminders…: the Settings dialog, open at its Reminders page."""
        return self.open_settings(page="Reminders")

    def quit_app(self) -> None:
        """File ▸ Quit and the tray's Quit: really end, tray or not."""
        self._quitting = True
        if self.close():
            self.tray.hide()
            QApplication.quit()
        self._quitting = False

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_keep_edits():
            event.ignore()
            return
        self.save_state()
        if self.receive_dialog is not None:
            self.receive_dialog.reject()  # stop listening for the phone, tray or not
        if self.tray_in_use and not self._quitting:
            # the window goes; netbook stays in the tray to remind you of the block
            event.ignore()
            self.hide()
            if not self._told_tray_keeps_running:
                self._told_tray_keeps_running = True
                self.tray.show_message("netbook", "netbook keeps running in the tray to "
                                       "remind you of your block; Quit from its menu.")
            return
        event.accept()
