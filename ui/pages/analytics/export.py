"""A dashboard's figures out of the app: CSV (every table, raw figures: fils, counts, each share as its two
counts; text a spreadsheet would run as a formula is quoted) and PDF (the dashboard as shown, then every table
as text, on A4 landscape pages)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QMarginsF, QPoint, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPaintDevice, QPainter, QPdfWriter

from core.analytics.figures import Figure
from ui.pages.analytics.cells import cell_text, column_title, table_title
from ui.pages.feedback.dashboard import safe_cell


class DashboardTab(Protocol):
    """What the PDF takes of a dashboard's tab (ui.pages.analytics.page.DashboardTab): the widget as shown, the
    figures' tables and the names their ids stand for."""

    @property
    def payload(self) -> dict[str, Any]: ...

    @property
    def names(self) -> dict[str, Any]: ...

    def layoutDirection(self) -> Qt.LayoutDirection: ...

    def width(self) -> int: ...

    def height(self) -> int: ...

    def render(self, target: QPaintDevice | QPainter, targetOffset: QPoint) -> None: ...


def _raw(value: Any) -> list[str]:
    if value is None:
        return [""]
    if isinstance(value, list):
        return ["/".join(str(v) for v in value)]
    if isinstance(value, str):
        return [safe_cell(value)]
    if isinstance(value, float):
        return [f"{value:.1f}"]
    return [str(value)]


def write_csv(figure: Figure, path: Path) -> None:
    """One block per table: a line naming the dashboard, filter and table, its column keys, its rows. A share
    is written "part/whole"; money in fils; names in English."""
    payload = figure.payload
    names = {k: v[0] for k, v in payload.get("names", {}).items()}
    names.update({b[0]: b[1] for b in payload.get("branches", []) if len(b) == 3})
    key = figure.key
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "dashboard",
                key.dashboard,
                "period",
                key.period,
                "branch",
                safe_cell(names.get(key.branch_id, key.branch_id)),
                "segment",
                safe_cell(key.segment),
                "computed_at",
                figure.computed_at.isoformat(),
            ]
        )
        writer.writerow(["totals", *payload.get("totals", {}).keys()])
        writer.writerow(["", *(c for v in payload.get("totals", {}).values() for c in _raw(v))])
        for table, content in payload.get("tables", {}).items():
            columns = content.get("columns", [])
            writer.writerow([table, *columns])
            for row in content.get("rows", []):
                cells = []
                for column, value in zip(columns, row, strict=False):
                    shown = names.get(value, value) if column in ("shopper", "campaign", "branch") else value
                    cells.extend(_raw(shown))
                writer.writerow(["", *cells])


def write_pdf(tab: DashboardTab, title: str, stamp: str, path: Path) -> None:
    """The tab as it is on screen, scaled to the page, then its tables as text."""
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Perfume & Oud Branch Companion")
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(12, 12, 12, 12))
    )
    writer.setResolution(120)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        page = writer.pageLayout().paintRectPixels(writer.resolution())
        width, height = page.width(), page.height()
        font = QFont()
        font.setPixelSize(18)
        painter.setFont(font)
        direction = tab.layoutDirection()
        painter.setLayoutDirection(direction)
        align = (
            Qt.AlignmentFlag.AlignRight if direction == Qt.LayoutDirection.RightToLeft else Qt.AlignmentFlag.AlignLeft
        )
        painter.drawText(QRectF(0, 0, width, 30), int(align), f"{title} — {stamp}")
        scale = min(width / max(1, tab.width()), (height - 40) / max(1, tab.height()))
        painter.save()
        painter.translate(0, 40)
        painter.scale(scale, scale)
        tab.render(painter, QPoint())
        painter.restore()
        font.setPixelSize(13)
        painter.setFont(font)
        line = 20
        y = height  # start the tables on a new page
        names = tab.names
        for table, content in tab.payload.get("tables", {}).items():
            columns = content.get("columns", [])
            lines = [table_title(table), "  |  ".join(column_title(c) for c in columns)]
            lines += [
                "  |  ".join(cell_text(c, v, names, table) for c, v in zip(columns, row, strict=False))
                for row in content.get("rows", [])
            ]
            for text in lines:
                if y + line > height:
                    writer.newPage()
                    y = 0
                painter.drawText(QRectF(0, y, width, line), int(align), text)
                y += line
            y += line
    finally:
        painter.end()
