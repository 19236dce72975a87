"""Where a rendered slip goes: an ESC/POS printer (network, USB, serial or a device file) through python-escpos,
or a PDF of the same image written by Qt.

The printer is this till's setting (QSettings, like the camera): managers and administrators choose it on the
Receipts page. Sending and writing run off the main thread (``ui.ops.run_in_background``); a printer that
does not answer raises ``PrinterUnavailable``, whose message tells the cashier what to do.

The command stream is: ESC @ (initialise), the slip as GS v 0 raster blocks (python-escpos splits a long image
into blocks of at most 960 dot rows, which printers' buffers take), then a feed and GS V (cut).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QMarginsF, QRectF, QSettings, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

from core.kernel.errors import DomainError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from ui.cards.printing import pil_to_qimage
from ui.receipts.render import DOTS, DPI, Rendered, to_bitmap

PROFILE = "TM-T20II"  # a common 80 mm Epson: 576 dots, raster images, full cut
KINDS = ("none", "network", "usb", "serial", "file")
MM_PER_INCH = 25.4
PDF_PAGE_MM = 297.0  # a long slip is cut into A4-tall pages of 80 mm paper


class PrinterUnavailable(DomainError):
    """The receipt printer could not be reached or refused the job; nothing was printed."""


@dataclass(frozen=True)
class PrinterSettings:
    kind: str = "none"  # none: Qt's print dialog (or PDF) instead of a thermal printer
    host: str = ""
    port: int = 9100
    usb_vendor: str = ""  # hex, e.g. 04b8
    usb_product: str = ""
    serial_device: str = ""
    serial_baud: int = 9600
    file_path: str = ""
    auto_print: bool = False
    timeout_s: float = 5.0

    @property
    def target(self) -> str:
        """Where the slip goes, as the cashier is told."""
        if self.kind == "network":
            return f"{self.host}:{self.port}"
        if self.kind == "usb":
            return f"USB {self.usb_vendor}:{self.usb_product}"
        if self.kind == "serial":
            return self.serial_device
        if self.kind == "file":
            return self.file_path
        return ""


def load_settings(store: QSettings | None = None) -> PrinterSettings:
    settings = store or QSettings()
    values: dict[str, Any] = {}
    for item in fields(PrinterSettings):
        raw = settings.value(f"printer/{item.name}")
        if raw is None:
            continue
        default = item.default
        if isinstance(default, bool):
            values[item.name] = str(raw).lower() in ("1", "true", "yes")
        elif isinstance(default, int):
            values[item.name] = int(str(raw)) if str(raw).isdigit() else default
        elif isinstance(default, float):
            try:
                values[item.name] = float(str(raw))
            except ValueError:
                values[item.name] = default
        else:
            values[item.name] = str(raw)
    loaded = PrinterSettings(**values)
    return loaded if loaded.kind in KINDS else PrinterSettings()


def save_settings(printer: PrinterSettings, store: QSettings | None = None) -> None:
    settings = store or QSettings()
    for item in fields(PrinterSettings):
        settings.setValue(f"printer/{item.name}", getattr(printer, item.name))
    settings.sync()


def _hex(text: str) -> int:
    return int(text.strip().lower().removeprefix("0x"), 16)


def open_printer(printer: PrinterSettings) -> Any:
    """The python-escpos printer for these settings (not yet connected: it connects on first write)."""
    from escpos import printer as escpos_printer

    if printer.kind == "network":
        return escpos_printer.Network(printer.host, printer.port, timeout=printer.timeout_s, profile=PROFILE)
    if printer.kind == "usb":
        return escpos_printer.Usb(
            _hex(printer.usb_vendor), _hex(printer.usb_product), timeout=int(printer.timeout_s * 1000), profile=PROFILE
        )
    if printer.kind == "serial":
        return escpos_printer.Serial(printer.serial_device, printer.serial_baud, profile=PROFILE)
    if printer.kind == "file":
        return escpos_printer.File(printer.file_path, profile=PROFILE)
    raise ValueError("no thermal printer is set up")


def send_to_printer(rendered: Rendered | Image.Image, printer: PrinterSettings) -> None:
    """Initialise, print the slip as raster image blocks, feed and cut; runs in a worker thread."""
    image = rendered.image if isinstance(rendered, Rendered) else rendered
    bitmap = to_bitmap(image)
    device = None
    try:
        device = open_printer(printer)
        device.hw("INIT")  # ESC @
        device.image(bitmap, impl="bitImageRaster")  # GS v 0
        device.cut()  # feed, then GS V
    except Exception as error:  # every transport has its own errors (socket, USB, serial, file): one answer
        raise PrinterUnavailable(
            QT_TRANSLATE_NOOP(
                "core",
                "The receipt printer ({target}) did not answer. Check that it is on, has paper and is connected, "
                "then print again, or save the receipt as a PDF.",
            ),
            "printer",
            target=printer.target or "?",
        ) from error
    finally:
        if device is not None:
            # Closing a connection that never opened is not worth a second error.
            with contextlib.suppress(Exception):
                device.close()


def slip_size_mm(image: Image.Image) -> tuple[float, float]:
    return DOTS / DPI * MM_PER_INCH, image.height / DPI * MM_PER_INCH


def write_pdf(rendered: Rendered, path: str | Path, title: str = "Receipt") -> Path:
    """The slip as a PDF on 72 mm wide pages, cut every 297 mm, with its text under the image so a PDF reader
    can search and copy it. QPdfWriter paints off the main thread as well as on it."""
    target = Path(path)
    image = rendered.image
    width_mm, height_mm = slip_size_mm(image)
    pages = max(1, math.ceil(height_mm / PDF_PAGE_MM - 1e-9))
    page_dots = math.ceil(PDF_PAGE_MM / MM_PER_INCH * DPI)
    writer = QPdfWriter(str(target))
    writer.setResolution(DPI)
    writer.setTitle(title)
    writer.setCreator("Perfume & Oud Branch Companion")
    first_height = min(height_mm, PDF_PAGE_MM)
    writer.setPageLayout(_layout(width_mm, first_height))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {target}")
    try:
        for page in range(pages):
            top = page * page_dots
            bottom = min(image.height, top + page_dots)
            if page:
                writer.setPageLayout(_layout(width_mm, (bottom - top) / DPI * MM_PER_INCH))
                writer.newPage()
            scale_x = writer.logicalDpiX() / DPI
            scale_y = writer.logicalDpiY() / DPI
            font = QFont("Noto Sans")
            painter.setPen(QColor(Qt.GlobalColor.white))
            for text, line_top, line_height in rendered.lines:
                if top <= line_top < bottom and text:
                    size = max(4, int(line_height * 0.7 * scale_y))
                    font.setPixelSize(size)
                    # Whatever font "Noto Sans" resolves to, the line stays on the page: a PDF reader drops
                    # text drawn past the page's edge.
                    while size > 4 and QFontMetricsF(font, writer).horizontalAdvance(text) > DOTS * scale_x:
                        size -= 1
                        font.setPixelSize(size)
                    painter.setFont(font)
                    painter.drawText(
                        QRectF(0, (line_top - top) * scale_y, DOTS * scale_x, line_height * scale_y),
                        int(Qt.AlignmentFlag.AlignCenter),
                        text,
                    )
            part = image.crop((0, top, DOTS, bottom))
            painter.drawImage(QRectF(0, 0, DOTS * scale_x, (bottom - top) * scale_y), pil_to_qimage(part))
    finally:
        painter.end()
    return target


def _layout(width_mm: float, height_mm: float) -> QPageLayout:
    size = QPageSize(
        QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter, "Receipt", QPageSize.SizeMatchPolicy.ExactMatch
    )
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
