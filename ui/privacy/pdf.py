"""A customer's data export as a PDF they can read: one bilingual document, every heading and label in English
and Arabic side by side, whatever the screen's language (one document rather than one per language: the
customer and whoever helps them read the same pages).

The profile is a row per field: the English label on the left, the value in the middle, the Arabic label on the
right (shaped and laid out right to left by Qt). Every other section is a table: a header of English and Arabic
labels (repeated on each page), then a line per record, drawn as one tab-separated text (one text item a record:
drawing each cell apart cost as much per cell as the whole line). Free text (a message's body, a comment), a
value too long for its column and a field the table has no column for follow on lines of their own. Each value
is an isolated run in its own direction; one with no Arabic letter (an amount, a phone number, a code, a time)
is a single left-to-right run, so it keeps its order on any line. The PDF holds text, not pictures of it: a
reader can search and copy it.

It is written as the records come (``ExportSink``): a page is handed to QPdfWriter as soon as it is full and
nothing of the records already drawn is kept, so a long history costs pages on disk, not memory
(benchmarks/bench_export.py). The page count is unknown until the end, so pages say "Page n" alone. QPdfWriter
and QPainter paint off the main thread (ui.receipts.printer does the same), which is where the export runs.

The PDF is for the customer: it leaves out what only the system reads (the records' ids, the tills', the staff
ids) and shows amounts in dirhams only; the JSON beside it keeps every field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt, QTranslator
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextOption,
)

from core.kernel.clock import local
from core.kernel.money import format_aed
from core.privacy.export import Record
from ui.app import FONT_FAMILIES
from ui.i18n import FSI, LRI, LRM, PDI, TRANSLATIONS
from ui.privacy import labels

RESOLUTION = 144  # dots per inch of the painter's coordinates (the text itself is vector)
MARGIN_MM = 14.0
LONG_VALUE = 700  # characters: a longer value (a message's body) is cut into rows of this many
# Fields the customer has no use for in a document: the system's own references. The JSON keeps them.
NO_CLIP = int(Qt.TextFlag.TextDontClip)
MAX_COLUMNS = 7  # of a section's table; further fields go on lines of their own
# Free text: never a column of a table, always a line of its own under its record.
LONG_FIELDS = frozenset(
    {
        "body",
        "comment",
        "notes",
        "note",
        "description",
        "changes",
        "detail",
        "evidence",
        "message",
        "params",
        "interactive",
        "last_error",
        "subject",
        "products_tried",
        "products_bought",
        "address_line",
    }
)
LEFT_OUT = frozenset({"id", "terminal", "escalated_to", "corporate_batch", "deleted"})


def arabic_catalogue() -> QTranslator:
    """The Arabic translations, loaded for the document alone: the PDF prints both languages whatever the
    screen shows, so it cannot rely on the application's installed translator."""
    translator = QTranslator()
    translator.load(str(TRANSLATIONS / "ar.qm"))
    return translator


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_FIRST_STRONG = re.compile("[A-Za-z\u00c0-\u024f\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _has_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


def _shown(key: str, value: Any) -> bool:
    if key in LEFT_OUT or value is None or value == "" or value == [] or value == {}:
        return False
    if key.endswith("_fils"):  # shown as its "_aed" text
        return False
    return not (key.endswith("_id") and key != "emirates_id")


class PdfExportWriter:
    """``ExportSink`` writing the PDF at ``path``."""

    def __init__(
        self,
        path: str | Path,
        exported_at: datetime,
        exported_by: str,
        arabic: QTranslator | None = None,
    ) -> None:
        self.path = Path(path)
        self._arabic = arabic if arabic is not None else arabic_catalogue()
        self._exported_at = exported_at
        self._exported_by = exported_by
        self._writer = QPdfWriter(str(self.path))
        self._writer.setResolution(RESOLUTION)
        self._writer.setTitle(self._both(labels.TITLE))
        self._writer.setCreator("Perfume & Oud Branch Companion")
        self._writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                QPageLayout.Unit.Millimeter,
            )
        )
        self._painter = QPainter()
        self._open = False
        self._page = 1
        area = self._writer.pageLayout().paintRectPixels(RESOLUTION)
        self._width = float(area.width())
        self._bottom = float(area.height())
        self._metrics: dict[int, _Metrics] = {}
        self._body = self._font(8)
        self._bold = self._font(8, bold=True)
        self._cell = self._font(7)
        self._cell_bold = self._font(7, bold=True)
        self._heading = self._font(12, bold=True)
        self._title = self._font(15, bold=True)
        self._small = self._font(7)
        self._y = 0.0
        self._label_width = self._width * 0.27
        self._value_left = self._label_width + self._width * 0.02
        self._value_width = self._width - 2 * self._value_left
        self._customer_line = ""
        self._section = ""
        self._table: _Table | None = None
        self._font_set: QFont | None = None  # the painter's font, when a table row last set it
        self._in_profile = False

    # -- ExportSink -----------------------------------------------------------------------------------------
    def begin(self, customer: Record) -> None:
        if not self._painter.begin(self._writer):
            raise OSError(f"cannot write {self.path}")
        self._open = True
        en = " ".join(str(customer.get(k) or "") for k in ("first_name_en", "last_name_en")).strip()
        ar = " ".join(str(customer.get(k) or "") for k in ("first_name_ar", "last_name_ar")).strip()
        number = str(customer.get("number") or "")
        self._customer_line = " · ".join(part for part in (en, ar, _ltr(number)) if part)
        self._line(self._title, self._both(labels.TITLE), Qt.AlignmentFlag.AlignHCenter)
        self._line(self._heading, self._customer_line, Qt.AlignmentFlag.AlignHCenter)
        when = _ltr(_time_text(self._exported_at))
        exported_en = labels.EXPORTED.replace("%1", when).replace("%2", self._exported_by)
        exported_ar = self._ar(labels.EXPORTED).replace("%1", when).replace("%2", self._exported_by)
        self._line(self._small, exported_en, Qt.AlignmentFlag.AlignHCenter)
        self._line(self._small, exported_ar, Qt.AlignmentFlag.AlignHCenter)
        self._y += 8
        self._section_heading("customer")
        # The profile is one record of many fields: a row per field, labels in both languages around it.
        for key, value in customer.items():
            if _shown(key, value):
                self._field_row(key, value)

    def section(self, name: str, count: int) -> None:
        self._section = name
        self._table = None
        self._y += 10
        self._section_heading(name, count)
        if count == 0:
            self._row(labels.NOTHING, "", self._ar(labels.NOTHING), self._small)

    def record(self, record: Record) -> None:
        """One line of the section's table; a value too long for its column, and a field the table has no
        column for, follow on lines of their own."""
        if self._table is None:
            self._table = self._plan(record)
            self._table_header()
        table = self._table
        cells: list[str] = []
        below: list[tuple[str, Any]] = []
        for key, capacity in zip(table.keys, table.capacity, strict=True):
            value = record.get(key)
            if not _shown(key, value):
                cells.append("")
                continue
            text = _value_text(key, value, self._yes_no)
            if len(text) - 2 > capacity:  # its two isolation marks take no room
                cells.append("↓")
                below.append((key, value))
            else:
                cells.append(_isolated(text))
        below.extend((k, v) for k, v in record.items() if k not in table.columns and _shown(k, v))
        height = self._fm(self._cell).latin_height() * 1.3
        if self._ensure(height):
            self._table_header()
        if self._font_set is not self._cell:
            self._painter.setFont(self._cell)
            self._font_set = self._cell
        self._painter.drawText(QRectF(0, self._y, self._width, height), LRM + "\t".join(cells), table.option)
        self._y += height
        if below:
            for key, value in below:
                self._field_row(key, value, self._cell)
            # A record on several lines ends with a rule, so the next one is not read as part of it.
            self._painter.setPen(QPen(QColor("#dddddd"), 0.5))
            self._painter.drawLine(QPointF(0, self._y + 1), QPointF(self._width, self._y + 1))
            self._painter.setPen(QColor("black"))
            self._y += 3

    def finish(self) -> None:
        if self._open:
            self._footer()
            self._painter.end()
            self._open = False

    def abandon(self) -> None:
        """Ends the document without its last footer (a cancelled export; the caller removes the file)."""
        if self._open:
            self._painter.end()
            self._open = False

    # -- the section's table ------------------------------------------------------------------------------
    def _plan(self, first: Record) -> _Table:
        """The columns of a section's table: its short fields, as many as fit."""
        # Every record of a section has the same keys (its table's columns), set or not: the first one's say
        # what the section can hold. The time it was recorded comes first.
        keys = sorted((k for k in first if _shown(k, True) and k not in LONG_FIELDS), key=lambda k: k != "created_at")
        keys = keys[:MAX_COLUMNS]
        weights = [_weight(k) for k in keys]
        total = sum(weights) or 1.0
        widths = [self._width * w / total for w in weights]
        stops: list[float] = []
        left = 0.0
        for width in widths[:-1]:
            left += width
            stops.append(left)
        option = QTextOption()
        # Qt scales tab positions from 96 dots per inch to the device's, unlike the rest of the coordinates.
        option.setTabArray([stop * 96 / RESOLUTION for stop in stops])
        option.setWrapMode(QTextOption.WrapMode.NoWrap)
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
        # Characters a column takes: an estimate from the font's size, without measuring each value (measuring
        # cost as much as drawing); a value over it goes below its line instead of into the next column.
        advance = self._cell.pointSizeF() * RESOLUTION / 72 * 0.56  # an average character of Noto Sans
        capacity = [max(4, int((w - advance) / advance)) for w in widths]
        return _Table(tuple(keys), frozenset(keys), tuple(widths), tuple(capacity), option)

    def _table_header(self) -> None:
        self._font_set = None
        table = self._table
        if table is None or not table.keys:
            return
        fm = self._fm(self._cell_bold)
        english_height = fm.latin_height() * 2  # each label on up to two lines: English, then Arabic
        height = english_height + fm.height() * 2 + 2
        self._ensure(height)
        self._painter.setFont(self._cell_bold)
        self._painter.setPen(QColor("#5a3e1b"))
        wrap = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap) | NO_CLIP
        left = 0.0
        for key, width in zip(table.keys, table.widths, strict=True):
            english = labels.FIELD_LABELS.get(key, key.replace("_", " "))
            self._painter.drawText(QRectF(left, self._y, width - 6, english_height), wrap, english)
            self._painter.drawText(
                QRectF(left, self._y + english_height, width - 6, fm.height() * 2), wrap, self._ar(english)
            )
            left += width
        self._y += height
        self._painter.setPen(QPen(QColor("#5a3e1b"), 1))
        self._painter.drawLine(QPointF(0, self._y), QPointF(self._width, self._y))
        self._painter.setPen(QColor("black"))
        self._y += 2

    # -- drawing --------------------------------------------------------------------------------------------
    def _font(self, points: float, bold: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(FONT_FAMILIES)
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    def _fm(self, font: QFont) -> _Metrics:
        found = self._metrics.get(id(font))
        if found is None:
            found = self._metrics[id(font)] = _Metrics(font, self._writer)
        return found

    def _ar(self, english: str) -> str:
        return self._arabic.translate(labels.CONTEXT, english) or english

    def _both(self, english: str) -> str:
        return f"{english} · {self._ar(english)}"

    def _yes_no(self, value: bool) -> str:
        word = labels.YES if value else labels.NO
        return f"{word} / {self._ar(word)}"

    def _field_row(self, key: str, value: Any, font: QFont | None = None) -> None:
        english = labels.FIELD_LABELS.get(key, key.replace("_", " "))
        text = _value_text(key, value, self._yes_no)
        for chunk in _chunks(text):
            self._row(english, chunk, self._ar(english), font or self._body)

    def _section_heading(self, name: str, count: int | None = None) -> None:
        self._font_set = None
        english = labels.SECTION_TITLES.get(name, name)
        title = self._both(english)
        if count:
            title += f"  ({_ltr(str(count))})"
        height = self._fm(self._heading).height()
        self._ensure(height * 3)
        self._painter.setFont(self._heading)
        self._painter.setPen(QColor("#5a3e1b"))
        self._painter.drawText(
            QRectF(0, self._y, self._width, height), int(Qt.AlignmentFlag.AlignHCenter) | NO_CLIP, title
        )
        self._painter.setPen(QColor("black"))
        self._y += height + 4

    def _line(self, font: QFont, text: str, align: Qt.AlignmentFlag) -> None:
        self._font_set = None
        height = self._fm(font).height()
        self._ensure(height)
        self._painter.setFont(font)
        self._painter.drawText(QRectF(0, self._y, self._width, height), int(align) | NO_CLIP, text)
        self._y += height

    def _row(self, english: str, value: str, arabic: str, font: QFont) -> None:
        """English label, value, Arabic label; the value wraps in its column."""
        self._font_set = None
        fm = self._fm(font)
        wrap = int(Qt.TextFlag.TextWordWrap) | NO_CLIP
        value_align = Qt.AlignmentFlag.AlignRight if _rtl(value) else Qt.AlignmentFlag.AlignLeft
        height = fm.height()
        per_line = max(10, int(self._value_width / (height * 0.5)))
        if len(value) > per_line:
            height = fm.boundingRect(QRectF(0, 0, self._value_width, 1e6), wrap | int(value_align), value).height()
        self._ensure(height)
        painter = self._painter
        painter.setFont(self._bold if font is self._body else font)
        painter.drawText(QRectF(0, self._y, self._label_width, height), wrap | int(Qt.AlignmentFlag.AlignLeft), english)
        painter.drawText(
            QRectF(self._width - self._label_width, self._y, self._label_width, height),
            wrap | int(Qt.AlignmentFlag.AlignRight),
            arabic,
        )
        if value:
            painter.setFont(font)
            painter.drawText(
                QRectF(self._value_left, self._y, self._value_width, height), wrap | int(value_align), value
            )
        self._y += height + 1

    def _ensure(self, height: float) -> bool:
        """Starts a new page when ``height`` more does not fit on this one; says whether it did."""
        if self._y + height <= self._bottom - self._footer_height():
            return False
        self._footer()
        self._writer.newPage()
        self._page += 1
        self._y = 0.0
        self._painter.setFont(self._small)
        small = self._fm(self._small).height()
        self._painter.setPen(QColor("#707070"))
        top = self._customer_line
        if self._section:
            top += "  —  " + self._both(labels.SECTION_TITLES.get(self._section, self._section))
        self._painter.drawText(QRectF(0, 0, self._width, small), int(Qt.AlignmentFlag.AlignHCenter) | NO_CLIP, top)
        self._painter.setPen(QColor("black"))
        self._y = small + 6
        return True

    def _footer_height(self) -> float:
        return self._fm(self._small).height() + 6

    def _footer(self) -> None:
        self._font_set = None
        number = _ltr(str(self._page))
        text = labels.PAGE.replace("%1", number) + " · " + self._ar(labels.PAGE).replace("%1", number)
        small = self._fm(self._small).height()
        self._painter.setFont(self._small)
        self._painter.setPen(QColor("#707070"))
        self._painter.drawText(
            QRectF(0, self._bottom - small, self._width, small), int(Qt.AlignmentFlag.AlignHCenter) | NO_CLIP, text
        )
        self._painter.setPen(QColor("black"))


@dataclass(frozen=True)
class _Table:
    keys: tuple[str, ...]
    columns: frozenset[str]
    widths: tuple[float, ...]
    capacity: tuple[int, ...]
    option: QTextOption


def _weight(key: str) -> float:
    if key.endswith("_at") or key == "at":
        return 2.1  # 2026-12-03 11:30 +04:00
    if key.endswith("_aed") or key.endswith("_on") or key in ("birthday", "number", "tenders"):
        return 1.5
    return 1.0


def _isolated(text: str) -> str:
    """A cell as one isolated run in the line (its own direction), so an Arabic value cannot reorder the line's
    columns around it."""
    if not text or text.startswith(LRI):
        return text
    return f"{FSI}{text}{PDI}"


class _Metrics:
    """A font's metrics with its line height taken from the taller of its Latin and Arabic families: Noto Sans
    Arabic reaches further above and below the line, and a line sized for Latin alone cut its descenders."""

    def __init__(self, font: QFont, device: QPdfWriter) -> None:
        self._latin = QFontMetricsF(font, device)
        arabic = QFont(font)
        arabic.setFamilies(FONT_FAMILIES[1:])
        self._arabic = QFontMetricsF(arabic, device)
        self._height = max(self._latin.height(), self._arabic.height())

    def height(self) -> float:
        return self._height

    def latin_height(self) -> float:
        return self._latin.height()

    def horizontalAdvance(self, text: str) -> float:
        return self._latin.horizontalAdvance(text)

    def boundingRect(self, rect: QRectF, flags: int, text: str) -> QRectF:
        lines = self._latin.boundingRect(rect, flags, text).height() / max(self._latin.lineSpacing(), 1.0)
        return QRectF(rect.x(), rect.y(), rect.width(), max(1.0, round(lines)) * self._height)


def _ltr(text: str) -> str:
    return f"{LRI}{text}{PDI}" if text else text


def _rtl(text: str) -> bool:
    first = _FIRST_STRONG.search(text)
    return first is not None and _ARABIC.match(first.group()) is not None


def _time_text(moment: datetime) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M %z").replace("+0400", "+04:00")


def _value_text(key: str, value: Any, yes_no: Any) -> str:
    if isinstance(value, bool):
        return str(yes_no(value))
    if key == "tenders" and isinstance(value, dict):
        return _ltr(", ".join(f"{name}: {format_aed(int(fils))}" for name, fils in value.items()))
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
        if (key.endswith("_at") or key == "at") and len(text) >= 22 and text[10] == "T":
            # core gave ISO-8601 in Dubai time: the minute and the offset are what a reader needs.
            text = f"{text[:10]} {text[11:16]} {text[-6:]}"
    return text if _has_arabic(text) else _ltr(text)


def _chunks(text: str) -> list[str]:
    if len(text) <= LONG_VALUE:
        return [text]
    return [text[i : i + LONG_VALUE] for i in range(0, len(text), LONG_VALUE)]
