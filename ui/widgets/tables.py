"""Read-only tables as every page shows them, set up and filled in one place.

A customer's ledger, the VIP list and the staff list should behave alike: nothing is edited in place, rows
carry no numbers, amounts sit right-aligned, and a list meant for picking selects whole rows, one at a time.
Each page used to repeat the same half-dozen calls (and drift apart); it now says only what differs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal, TypedDict, Unpack

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTableWidget, QTableWidgetItem, QWidget

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


def read_only(
    view: QTableView,
    *,
    stretch: Stretch = 0,
    rows: bool = False,
    single: bool = False,
    striped: bool = False,
    wrap: bool = True,
) -> None:
    """Sets up a table the user reads, not edits. ``rows``: a click selects the whole row; ``single``: one
    row at a time; ``striped``: alternating row colours, for wide lists read across; ``wrap=False`` keeps
    each entry on one line, for lists scanned down."""
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
    header = view.horizontalHeader()
    if stretch == "last":
        header.setStretchLastSection(True)
    elif stretch == "all":
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


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
