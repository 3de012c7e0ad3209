"""The block reminds you (issue 14): a quiet badge on the block's day, a notification
when it starts — read against a fake clock — "I just met someone", and Settings ▸
Reminders (the tray, starting hidden at login, the calendar alarm).

The tests run on Qt's offscreen platform, which has no system tray: exactly the case of
a desktop without one, where netbook must keep working and say so once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import make_card
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from netbook.data import autostart, networking, settings
from netbook.plan import service as week
from netbook.ui import settings as options
from netbook.ui.capture_dialog import CaptureDialog
from netbook.ui.main_window import MainWindow
from netbook.ui.reminder import NO_TRAY_TEXT, BlockReminder, Tray

TODAY = dt.date.today()
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


class Clock:
    """The time of day, moved by the test."""

    def __init__(self, hour: int, minute: int = 0) -> None:
        self.now = dt.datetime.combine(TODAY, dt.time(hour, minute))

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, hour: int, minute: int = 0) -> None:
        self.now = dt.datetime.combine(TODAY, dt.time(hour, minute))


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def block_today(store):
    """Today's block at 08:00 for 60 minutes, with three people due."""
    settings.set_block(store, weekday=TODAY.weekday(), start="08:00", minutes=60)
    ids = []
    for name in ("Ana Due", "Ben Due", "Cat Due"):
        cid = store.add_contact(make_card(name))
        networking.set_networking(store, cid, rhythm_days=30)
        networking.log_interaction(store, cid, on=TODAY - dt.timedelta(days=90), kind="call")
        ids.append(cid)
    return store, ids


def make_window(qtbot, store, qsettings, clock) -> MainWindow:
    win = MainWindow(store, settings=qsettings, clock=clock)
    win.show()
    qtbot.waitExposed(win)
    qtbot.addWidget(win)
    return win


def test_the_block_starts_and_the_user_is_told_once(qtbot, block_today, qsettings):
    store, _ = block_today
    clock = Clock(7, 30)
    win = make_window(qtbot, store, qsettings, clock)
    qtbot.waitUntil(lambda: win.reminder.badge != "")
    # before: a quiet badge, no notification
    assert win.reminder.badge == "Networking block today at 08:00: 3 people, 60 min"
    assert win.tray.tooltip == "netbook — Networking block today at 08:00: 3 people, 60 min"
    assert win.reminder.last_notification is None
    clock.at(8, 0)
    win.reminder.check()
    assert win.reminder.last_notification == (
        "netbook", "Your networking block: 3 people, 60 min — Open")
    # no tray on this desktop: the window's status bar says it instead
    assert win.statusBar().currentMessage() == "Your networking block: 3 people, 60 min"
    assert win.reminder.badge == "Networking block now: 3 people to go"
    clock.at(8, 20)
    win.statusBar().clearMessage()
    win.reminder.check()
    assert win.statusBar().currentMessage() == ""  # once a block, not every check
    clock.at(9, 5)
    win.reminder.check()
    assert win.reminder.badge == ""  # the block is over


def test_a_block_that_is_done_stays_quiet(qtbot, block_today, qsettings):
    store, ids = block_today
    for cid in ids:
        networking.log_interaction(store, cid, on=TODAY, kind="call")
    reminder = BlockReminder(lambda: week.load_plan(store, TODAY), Clock(8, 5), start=False)
    reminder.check()
    assert (reminder.badge, reminder.last_notification) == ("", None)


def test_starting_during_the_block_still_tells(qtbot, block_today):
    store, _ = block_today
    reminder = BlockReminder(lambda: week.load_plan(store, TODAY), Clock(8, 40), start=False)
    with qtbot.waitSignal(reminder.notify) as told:
        reminder.check()
    assert told.args == ["netbook", "Your networking block: 3 people, 60 min — Open"]


def test_without_a_tray_netbook_says_so_once(qtbot, store, qsettings):
    assert not Tray(make_window(qtbot, store, qsettings, Clock(6)).windowIcon()).available
    first = make_window(qtbot, store, qsettings, Clock(6))
    # told on the first start only (the first window above), never again
    assert options.NO_TRAY_TOLD.get(qsettings)
    assert first.statusBar().currentMessage() != NO_TRAY_TEXT


def test_the_first_start_without_a_tray_says_why_in_the_status_bar(qtbot, store, qsettings,
                                                                     monkeypatch):
    """Once, briefly and shortly: it used to stay half a minute and, at 1024 px, hide the
    count beside it."""
    from netbook.ui import reminder

    monkeypatch.setattr(reminder, "NO_TRAY_SHOWN_MS", 200)  # 8 s in the window
    win = make_window(qtbot, store, qsettings, Clock(6))
    assert win.statusBar().currentMessage() == NO_TRAY_TEXT
    assert len(NO_TRAY_TEXT) < 80
    qtbot.waitUntil(lambda: win.statusBar().currentMessage() == "")  # gone by itself
    win.close()
    assert not win.isVisible()  # without a tray, closing is closing


def test_a_tray_without_a_desktop_tray_keeps_its_words(qtbot):
    from netbook.ui.app import app_icon

    tray = Tray(app_icon())
    tray.set_badge("Networking block today at 08:00: 3 people, 60 min")
    tray.show_message("netbook", "Your networking block: 3 people, 60 min — Open")
    assert tray.last_message == ("netbook", "Your networking block: 3 people, 60 min — Open")
    assert [a.text() for a in tray.menu.actions() if a.text()] == [
        "Open netbook", "I Just Met Someone…", "Quit"]


# ------------------------------------------------------------------- I just met someone


def test_ctrl_shift_n_captures_a_stranger_in_ten_seconds(qtbot, store, qsettings):
    win = make_window(qtbot, store, qsettings, Clock(10))
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.keyClick(win.search, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    [dialog] = [d for d in win.findChildren(CaptureDialog) if d.isVisible()]
    assert dialog.met_edit.date().toPython() == TODAY
    qtbot.keyClicks(dialog.name_edit, "Mia Stranger")
    qtbot.keyClicks(dialog.where_edit, "seat 14C to Berlin")
    qtbot.keyClicks(dialog.does_edit, "runs a design studio")
    qtbot.keyClicks(dialog.needs_edit, "a data engineer")
    qtbot.keyClicks(dialog.reach_edit, "+49 151 2345 6710")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    cid = store.resolve("Mia Stranger")
    record = store.get_contact(cid)
    assert (record.met_on, record.met_where, record.does, record.needs) == (
        TODAY, "seat 14C to Berlin", "runs a design studio", "a data engineer")
    assert store.get_card(cid).phones[0].value == "+49 151 2345 6710"
    assert win.statusBar().currentMessage().startswith("Added Mia Stranger, met today — ")
    assert win.detail.contact_id == cid
    next_week = week.load_plan(store, TODAY + dt.timedelta(days=7), remember=False)
    assert [(i.contact_id, i.reason) for i in next_week.items] == [(cid, "new_acquaintance")]


def test_capture_refuses_in_words_and_stays_open(qtbot, store):
    dialog = CaptureDialog(None, store)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.reach_edit, "seat 14C")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.text() == "Give their name (the rest can wait)."
    qtbot.keyClicks(dialog.name_edit, "Mia")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert "neither a phone number nor an email address" in dialog.error.text()
    assert store.count() == 0


# ------------------------------------------------------------------ Settings ▸ Reminders


def test_reminder_settings_start_hidden_at_login_and_the_alarm(qtbot, store, qsettings):
    win = make_window(qtbot, store, qsettings, Clock(10))
    dialog = win.reminder_settings()  # Settings, open at its Reminders page
    page = dialog.page("Reminders")
    assert dialog.stack.currentWidget() is page
    assert page.tray_note.isVisibleTo(page)  # no tray here, and the page says so
    assert not page.login_check.isChecked() and page.alarm_spin.value() == 10
    qtbot.mouseClick(page.login_check, Qt.MouseButton.LeftButton)
    page.alarm_spin.setValue(30)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    entry = autostart.entry_path().read_text(encoding="utf-8")
    assert "Exec=" in entry and entry.split("Exec=")[1].split("\n")[0].endswith(" --hidden")
    assert settings.block_settings(store).alarm_minutes == 30
    dialog = win.reminder_settings()
    page = dialog.page("Reminders")
    assert page.login_check.isChecked()
    qtbot.mouseClick(page.login_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert not autostart.entry_path().exists()


def test_netbook_hidden_without_a_tray_shows_the_window_and_says_why(db_path, tmp_path):
    """`netbook --hidden` (the login entry) on a desktop with no tray: hidden there would
    mean unreachable, so the window opens, and the terminal hears why."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NETBOOK_EXIT_WHEN_SHOWN": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-m", "netbook", "--hidden", "--db", str(db_path)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "shown rows=0" in done.stdout
    assert "netbook: no system tray here (or reminders are off): showing the window" in \
        done.stderr


def test_a_tray_that_cannot_show_messages_still_says_the_block_started(
        qtbot, block_today, qsettings, monkeypatch):
    """A tray icon but no notification service (some desktops): the window's status bar
    says it, and the window asks for attention, instead of the block starting silently."""
    store, _ = block_today
    alerts: list[object] = []
    monkeypatch.setattr(QApplication, "alert", staticmethod(lambda w, ms=0: alerts.append(w)))
    monkeypatch.setattr(Tray, "supports_messages", staticmethod(lambda: False))
    clock = Clock(7, 30)
    win = make_window(qtbot, store, qsettings, clock)
    win.tray.available = True  # as if this desktop had a tray
    win.tray.icon = QSystemTrayIcon()
    options.REMIND_IN_TRAY.set(win.settings, True)
    assert win.tray_in_use and not win.tray.shows_messages
    clock.at(8, 0)
    win.reminder.check()
    assert win.statusBar().currentMessage() == "Your networking block: 3 people, 60 min"
    assert alerts == [win]


def test_changes_while_the_window_is_in_the_tray_plan_the_week_once(
        qtbot, block_today, qsettings, monkeypatch):
    """A sync brings many changes while the window is hidden: the week is planned once
    the burst is over, not once per change, and the badge follows."""
    from netbook.data import operations
    from netbook.ui import week_panel as panel_module

    store, ids = block_today
    win = make_window(qtbot, store, qsettings, Clock(7, 30))
    qtbot.waitUntil(lambda: win.week_panel.plan is not None)
    win.reminder.check()
    assert win.reminder.badge == "Networking block today at 08:00: 3 people, 60 min"
    loads: list[dt.date] = []
    real_load = panel_module.week.load_plan
    monkeypatch.setattr(panel_module.week, "load_plan",
                        lambda *args: loads.append(args[1]) or real_load(*args))
    win.hide()
    for cid in ids:
        win.operation_did_execute(operations.skip_week(store, cid, win.week_panel.plan.week_start))
    assert loads == []
    qtbot.waitUntil(lambda: win.reminder.badge == "", timeout=3000)  # nobody left this week
    assert len(loads) == 1


def test_a_burst_of_changes_with_the_panel_on_show_plans_the_week_once(
        qtbot, block_today, qsettings, monkeypatch):
    """During the block, calls logged one after another through the window (the card,
    a sync): the panel on show plans the week once the burst is over, and the tray's
    badge counts who is left from that same plan; a skip in the panel moves it at once."""
    from netbook.data import operations
    from netbook.ui import week_panel as panel_module

    store, ids = block_today
    win = make_window(qtbot, store, qsettings, Clock(8, 15))
    qtbot.waitUntil(lambda: win.reminder.badge == "Networking block now: 3 people to go")
    loads: list[dt.date] = []
    real_load = panel_module.week.load_plan
    monkeypatch.setattr(panel_module.week, "load_plan",
                        lambda *args, **kw: loads.append(args[1]) or real_load(*args, **kw))
    for cid in ids[:2]:
        win.operation_did_execute(operations.log_interaction(store, cid, on=TODAY,
                                                             kind="call"))
    assert loads == []  # not once per change: more may come
    qtbot.waitUntil(lambda: win.reminder.badge == "Networking block now: 1 person to go",
                    timeout=1000)
    assert len(loads) == 1
    assert win.week_panel.progress_label.text() == "2 of 3 done"
    (cat,) = [item for item in win.week_panel.plan.items if item.contact_id == ids[2]]
    win.week_panel.skip(cat)
    assert win.reminder.badge == ""  # nobody left to reach this week


def test_the_capture_confirmation_says_the_day_picked(qtbot, store, qsettings):
    """Met yesterday evening, captured this morning: the status bar says yesterday."""
    win = make_window(qtbot, store, qsettings, Clock(9))
    dialog = win.capture_someone()
    dialog.name_edit.setText("Yan Yesterday")
    dialog.met_edit.setDate(TODAY - dt.timedelta(days=1))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert win.statusBar().currentMessage().startswith("Added Yan Yesterday, met yesterday — ")
