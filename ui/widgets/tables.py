"""Read-only tables as every page shows them, set up and filled in one place.

A customer's ledger, the VIP list and the staff list should behave alike: nothing is edited in place, rows
carry no numbers, amounts sit right-aligned, and a list meant for picking selects whole rows, one at a time.
Each page used to repeat the same half-dozen calls (and drift apart); it now says only what differs.

Columns show their whole text: the columns that do not take the spare width are as wide as their text, so
"Personal shopper" no longer reads "Personal shop" in a 100 px default column. An empty table says so in
words over its blank rows (``set_empty_text``) rather than looking broken.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal, TypedDict, Unpack

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

# An int names the one column that takes the spare width; "all" shares it out; "last" gives it to the last.
Stretch = int | Literal["all", "last"]

NUMERIC = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight


class Look(TypedDict, total=False):
    """How a read-only table behaves: ``read_only``'s keywords, passed on by the helpers that make one."""

    stretch: Stretch
    rows: bool
    single: bool
    striped: bool
    wrap: bool
    tall_rows: bool


def read_only(
    view: QTableView,
    *,
    stretch: Stretch = 0,
    rows: bool = False,
    single: bool = False,
    striped: bool = False,
    wrap: bool = True,
    tall_rows: bool = False,
) -> None:
    """Sets up a table the user reads, not edits. ``rows``: a click selects the whole row; ``single``: one
    row at a time; ``striped``: alternating row colours, for wide lists read across; ``wrap=False`` keeps
    each entry on one line, for lists scanned down; ``tall_rows``: a row grows to show the whole of a text
    wrapped in the stretching column (product names at the till). The columns that do not stretch are as wide
    as their text. An empty table shows a message (``set_empty_text``; a general one until a page sets its
    own)."""
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    if rows:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if striped:
        view.setAlternatingRowColors(True)
    if not wrap:
        view.setWordWrap(False)
    if tall_rows:
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = view.horizontalHeader()
    if stretch == "all":
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    else:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if stretch == "last":
            header.setStretchLastSection(True)
        else:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    EmptyState(view)


def set_widths(view: QTableView, widths: Sequence[int], row_height: int) -> None:
    """Fixed starting widths for a long list's columns, which the user may still drag (every column but the
    one ``read_only`` stretches), and rows of one height: the list does not reflow as pages of it load."""
    header = view.horizontalHeader()
    for column, width in enumerate(widths):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(row_height)


class EmptyState(QLabel):
    """The words an empty table shows over its blank viewport, kept centred and shown exactly while the
    model has no rows. Made by ``read_only`` for every table; a page names what is missing with
    ``set_empty_text`` (in its ``retranslate``). A child of the viewport, so it goes before the model does
    when the table is destroyed and never hears of the rows removed then."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view.viewport())
        self.setObjectName("emptyState")
        self._view = view
        self._own_text = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._set_general_text()
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
            signal.connect(self.follow)
        self.follow()

    def set_own_text(self, text: str) -> None:
        self._own_text = True
        self.setText(text)

    def _set_general_text(self) -> None:
        self.setText(QCoreApplication.translate("EmptyState", "Nothing to show yet."))

    def follow(self) -> None:
        """Covers the viewport while the table has no rows; hidden otherwise."""
        self.setGeometry(self._view.viewport().rect().adjusted(16, 16, -16, -16))
        self.setVisible(self._view.model().rowCount() == 0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and not self._own_text:
            self._set_general_text()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.follow()
        return False


def empty_state(view: QTableView) -> EmptyState:
    """The empty-state message of a table set up by ``read_only``."""
    for child in view.viewport().children():
        if isinstance(child, EmptyState):
            return child
    raise LookupError(f"{view.objectName()} was not set up by read_only")


def set_empty_text(view: QTableView, text: str) -> None:
    """What an empty ``view`` says: what is missing and, where there is one, how to add it."""
    empty_state(view).set_own_text(text)


def read_only_table(parent: QWidget, columns: int, name: str, **look: Unpack[Look]) -> QTableWidget:
    """An empty read-only QTableWidget of ``columns`` columns, named for the style sheet and the tests."""
    view = QTableWidget(0, columns, parent)
    view.setObjectName(name)
    read_only(view, **look)
    return view


def pick_list(parent: QWidget, columns: int, name: str, *, stretch: Stretch = 0, wrap: bool = True) -> QTableWidget:
    """A list to pick one entry from: whole rows, one at a time, striped."""
    return read_only_table(parent, columns, name, stretch=stretch, rows=True, single=True, striped=True, wrap=wrap)


def select_row(view: QTableWidget, row: int) -> None:
    """Selects a whole row. QTableView.selectRow finds no column to anchor on in a right-to-left view whose
    last section stretches, and then selects nothing."""
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(view.model().index(row, 0), flags)


def cell(
    text: str, data: object = None, color: QColor | Qt.GlobalColor | None = None, *, numeric: bool = False
) -> QTableWidgetItem:
    """One plain-text cell; ``data`` rides along as the row's key, ``numeric`` aligns it right."""
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if color is not None:
        item.setForeground(QBrush(color))
    if numeric:
        item.setTextAlignment(NUMERIC)
    return item


def set_row(
    view: QTableWidget,
    row: int,
    texts: Sequence[str],
    *,
    numeric: Collection[int] = (),
    data: object = None,
    color: QColor | Qt.GlobalColor | None = None,
) -> None:
    """Fills one row with plain-text cells; the columns in ``numeric`` align right."""
    for col, text in enumerate(texts):
        view.setItem(row, col, cell(text, data, color, numeric=col in numeric))
