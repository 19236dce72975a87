"""Qt glue for printing rendered card faces and writing them to PDF at their physical size.

The image comes from :func:`ui.cards.layouts.render_card`, which must run in a worker thread (it takes a few
hundred milliseconds); these functions run on the GUI thread because the print dialog is a widget.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from ui.cards.layouts import MM_PER_INCH, image_dpi


def pil_to_qimage(image: Image.Image) -> QImage:
    """A QImage owning a copy of the pixels of a Pillow image (RGB, RGBA, L or 1)."""
    if image.mode == "1":
        image = image.convert("L")
    if image.mode == "L":
        data, fmt, bpl = image.tobytes(), QImage.Format.Format_Grayscale8, image.width
    else:
        rgba = image.convert("RGBA")
        data, fmt, bpl = rgba.tobytes(), QImage.Format.Format_RGBA8888, 4 * image.width
    return QImage(data, image.width, image.height, bpl, fmt).copy()


def physical_size_mm(image: Image.Image) -> tuple[float, float]:
    """Width and height in millimetres: ``size_mm`` recorded by the renderer, else pixels at the image's dpi."""
    recorded = image.info.get("size_mm")
    if recorded:
        return float(recorded[0]), float(recorded[1])
    dpi = image_dpi(image)
    return image.width / dpi * MM_PER_INCH, image.height / dpi * MM_PER_INCH


def _paint(device: QPrinter | QPdfWriter, image: Image.Image, size_mm: tuple[float, float]) -> bool:
    """Draws ``image`` at ``size_mm`` at the top left of the device's paintable area; False if it cannot paint."""
    painter = QPainter()
    if not painter.begin(device):
        return False
    try:
        # Pixel-exact scaling keeps the QR's module edges hard; printers' resolutions are multiples anyway.
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        dpi_x, dpi_y = device.logicalDpiX(), device.logicalDpiY()
        target = QRectF(0, 0, size_mm[0] / MM_PER_INCH * dpi_x, size_mm[1] / MM_PER_INCH * dpi_y)
        painter.drawImage(target, pil_to_qimage(image))
    finally:
        painter.end()
    return True


def _page_layout(size_mm: tuple[float, float]) -> QPageLayout:
    """A margin-less page of exactly ``size_mm``; "portrait" in Qt keeps the sides as given."""
    size = QPageSize(QSizeF(*size_mm), QPageSize.Unit.Millimeter, "Gift card", QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def print_card(
    image: Image.Image,
    parent: QWidget | None,
    *,
    printer: QPrinter | None = None,
    show_dialog: bool = True,
    size_mm: tuple[float, float] | None = None,
) -> bool:
    """Asks where to print (QPrintDialog) and prints the card at its physical size; False if cancelled.

    The page is preset to the card's size with no margins (a CR80 card printer, or 80 mm receipt paper); the
    cashier can still choose another printer or paper in the dialog. ``printer``/``show_dialog`` let a caller
    reuse a configured printer without asking.
    """
    size = size_mm or physical_size_mm(image)
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(_page_layout(size))
    printer.setFullPage(True)
    printer.setDocName("Gift card")
    if show_dialog:
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(QCoreApplication.translate("CardPrinting", "Print gift card"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    return _paint(printer, image, size)


def card_to_pdf_qt(image: Image.Image, path: str | Path, size_mm: tuple[float, float] | None = None) -> Path:
    """A one-page PDF of the card at ``size_mm`` (default: its physical size), written by Qt's QPdfWriter."""
    size = size_mm or physical_size_mm(image)
    target = Path(path)
    writer = QPdfWriter(str(target))
    writer.setPageLayout(_page_layout(size))
    writer.setResolution(round(image_dpi(image)))
    writer.setTitle("Gift card")
    writer.setCreator("Perfume & Oud Branch Companion")
    if not _paint(writer, image, size):
        raise OSError(f"cannot write {target}")
    return target
