"""The contact list's table model: ids come filtered and sorted from SQL.

Measured at 50,000 contacts: a QSortFilterProxyModel over a Python model took seconds to
sort, and even building 50,000 Python rows per keystroke took ~100 ms. So, as Anki's
browser does, the model holds only the ordered ids (one integer column read from a
covering index); names and dates are read in pages of PAGE rows for the rows the view
paints, and photos as thumbnails of those rows — both in one batch after the paint that
asked, never as a query inside data().
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap

from ..data.changes import Changes
from ..data.contacts import ListQuery, ListRow, Store
from ..plan.wording import long_date
from .text import isolate, plain_tooltip

NAME, ORGANIZATION, LAST_CONTACTED = range(3)
HEADERS = ("Name", "Organization", "Last contacted")
SORT_KEYS = ("name", "organization", "last_contacted")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
THUMB_CACHE = 400
PAGE = 200
SCANS_BEFORE_MAP = 8  # lookups by list scan before an id → row map is worth building
ROW_CACHE_PAGES = 50

Index = QModelIndex | QPersistentModelIndex


def last_contacted_text(day: dt.date | None, today: dt.date) -> str:
    if day is None:
        return "never"
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 365 * 2:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


class ContactTableModel(QAbstractTableModel):
    def __init__(self, store: Store, parent=None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.query = ListQuery()
        self.loaded = False  # until the first reload(), sorting only records the order
        self.ids: list[int] = []
        # id → row, built only when many are looked up: a keystroke at 100,000 contacts
        # looks up one or two, and a scan of `ids` costs far less than building it
        self._row_of: dict[int, int] | None = None
        self._scans = 0
        self._rows: OrderedDict[int, ListRow] = OrderedDict()  # id → row, recently used
        self._wanted_pages: set[int] = set()
        self._row_timer = QTimer(self)
        self._row_timer.setSingleShot(True)
        self._row_timer.setInterval(0)
        self._row_timer.timeout.connect(self._load_wanted_pages)
        self._thumbs: OrderedDict[int, QPixmap] = OrderedDict()
        self._pending: dict[int, int] = {}  # id → the row that asked for its photo
        self._thumb_timer = QTimer(self)
        self._thumb_timer.setSingleShot(True)
        self._thumb_timer.setInterval(0)
        self._thumb_timer.timeout.connect(self._load_pending_thumbnails)

    # -- filling ----------------------------------------------------------
    def set_query(self, query: ListQuery) -> None:
        self.query = query
        self.reload()

    def reload(self) -> None:
        """Re-run the query (after a search keystroke, a filter, a sort, an edit)."""
        ids = self.store.list_ids(self.query)
        self.loaded = True
        self.beginResetModel()
        self._set_ids(ids)
        self.endResetModel()

    def _set_ids(self, ids: list[int]) -> None:
        self.ids = ids
        self._row_of = None
        self._scans = 0
        self._rows.clear()  # names or dates may have changed: read them afresh
        self._load_pages({0})  # the first screenful at once: no blank flash

    def apply_changes(self, changes: Changes) -> None:
        """Redraw after an operation: a changed contact may have moved, come or gone, or
        left the filter (a logged call takes someone out of "Due now").

        When the list holds the same contacts, it is not reset: the rows that changed
        are read again (or moved, as a sort moves them), so the view keeps its
        selection and its scroll position. Only contacts coming or going reset it."""
        if not (changes.contacts or changes.everything):
            return
        if changes.everything:
            self._thumbs.clear()
        for cid in changes.contacts:
            self._thumbs.pop(cid, None)  # its photo may be new
        ids = self.store.list_ids(self.query)
        self.loaded = True
        if ids == self.ids and not changes.everything:
            self._reread(changes.contacts)
        elif len(ids) == len(self.ids) and set(ids) == set(self.ids):
            self._move_to(ids)
        else:
            self.beginResetModel()
            self._set_ids(ids)
            self.endResetModel()

    def _reread(self, contact_ids: AbstractSet[int]) -> None:
        """The same rows: those of `contact_ids` show what they now say."""
        rows = self.rows_for_ids(list(contact_ids))
        if not rows:
            return
        self._rows.update(self.store.rows_by_id(list(rows)))
        self.dataChanged.emit(self.index(min(rows.values()), 0),
                              self.index(max(rows.values()), len(HEADERS) - 1))

    def _move_to(self, ids: list[int]) -> None:
        """The same contacts in a new order (a sort, a rename): selections and the
        current row follow their contacts, not their rows."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_ids = [self.ids[pi.row()] if 0 <= pi.row() < len(self.ids) else None
                   for pi in persistent]
        self._set_ids(ids)
        rows = self.rows_for_ids([cid for cid in old_ids if cid is not None])
        moved = [self.index(rows[cid], pi.column()) if cid in rows
                 else QModelIndex() for pi, cid in zip(persistent, old_ids, strict=True)]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def row_for_id(self, contact_id: int) -> int | None:
        return self.rows_for_ids([contact_id]).get(contact_id)

    def rows_for_ids(self, ids: Sequence[int]) -> dict[int, int]:
        """The rows of those of `ids` the list shows."""
        if self._row_of is None and self._scans + len(ids) <= SCANS_BEFORE_MAP:
            self._scans += len(ids)
            found = {}
            for cid in ids:
                with contextlib.suppress(ValueError):  # not in the list
                    found[cid] = self.ids.index(cid)
            return found
        if self._row_of is None:
            self._row_of = {cid: i for i, cid in enumerate(self.ids)}
        return {cid: self._row_of[cid] for cid in ids if cid in self._row_of}

    def id_at(self, row: int) -> int:
        return self.ids[row]

    def row_at(self, row: int) -> ListRow | None:
        """The row's data if read already; otherwise its page is fetched right after."""
        found = self._rows.get(self.ids[row])
        if found is None:
            self._wanted_pages.add(row // PAGE)
            self._row_timer.start()
        return found

    def _load_pages(self, pages: set[int]) -> list[int]:
        ids = [cid for p in sorted(pages) for cid in self.ids[p * PAGE:(p + 1) * PAGE]]
        self._rows.update(self.store.rows_by_id(ids))
        while len(self._rows) > PAGE * ROW_CACHE_PAGES:
            self._rows.popitem(last=False)
        return ids

    def _load_wanted_pages(self) -> None:
        pages, self._wanted_pages = self._wanted_pages, set()
        for page in sorted(pages):
            if page * PAGE >= len(self.ids):
                continue
            self._load_pages({page})
            last = min((page + 1) * PAGE, len(self.ids)) - 1
            self.dataChanged.emit(self.index(page * PAGE, 0),
                                  self.index(last, len(HEADERS) - 1))

    # -- Qt API -----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.ids):
            return None
        if role == ID_ROLE:
            return self.ids[index.row()]
        row = self.row_at(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == NAME:  # a name's direction characters stay inside its cell's text
                return isolate(row.name)
            if col == ORGANIZATION:
                return isolate(row.organization)
            return last_contacted_text(row.last_contacted, self.today())
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == LAST_CONTACTED and row.last_contacted:
                return long_date(row.last_contacted, weekday=True)
            text = row.name if col == NAME else row.organization if col == ORGANIZATION else ""
            return plain_tooltip(isolate(text)) if len(text) > 30 else None
        if role == Qt.ItemDataRole.DecorationRole and col == NAME and row.has_photo:
            pixmap = self._thumbs.get(row.id)
            if pixmap is None:
                self._pending[row.id] = index.row()
                self._thumb_timer.start()
            return pixmap
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is a new ORDER BY; selections follow their contacts, not their rows."""
        if not 0 <= column < len(SORT_KEYS):
            return
        if not self.loaded:  # the view restoring its header at start-up: no query yet
            self.query = replace(self.query, sort=SORT_KEYS[column],
                                 descending=order == Qt.SortOrder.DescendingOrder)
            return
        self.query = replace(self.query, sort=SORT_KEYS[column],
                             descending=order == Qt.SortOrder.DescendingOrder)
        self._move_to(self.store.list_ids(self.query))

    # -- thumbnails -------------------------------------------------------
    def _load_pending_thumbnails(self) -> None:
        # the rows that asked, if they still show the same contacts
        asked = {cid: row for cid, row in self._pending.items()
                 if row < len(self.ids) and self.ids[row] == cid}
        self._pending.clear()
        ids = list(asked)
        if not ids:
            return
        for cid, blob in self.store.thumbnails(ids).items():
            image = QImage.fromData(blob)
            if not image.isNull():
                self._thumbs[cid] = QPixmap.fromImage(image)
        while len(self._thumbs) > THUMB_CACHE:
            self._thumbs.popitem(last=False)
        rows = sorted(asked[cid] for cid in ids if cid in self._thumbs)
        if rows:
            self.dataChanged.emit(self.index(rows[0], NAME), self.index(rows[-1], NAME),
                                  [Qt.ItemDataRole.DecorationRole])
