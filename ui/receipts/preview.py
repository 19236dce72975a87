"""The receipt as it will print, on screen, with Print, Save as PDF and (for a sale) a full tax invoice.

Used by the Sale page, the order's detail (reprint, credit notes) and the gift-card page (voucher and sale
slips). The document is fetched and rendered off the main thread; printing too. A printer that does not answer
is said in words, with the PDF button offered instead. With "print automatically" set, a new document prints
as soon as it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.kernel.errors import DomainError
from core.receipts.documents import Buyer, Document, DocumentKind, clean_buyer
from ui.cards.printing import pil_to_qimage
from ui.i18n import errors_text, field_errors, is_arabic, show_refusal
from ui.ops import run_in_background
from ui.receipts.printer import PrinterSettings, load_settings, send_to_printer, slip_size_mm, write_pdf
from ui.receipts.render import Language, Rendered, render_document
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels

SHOWN_WIDTH = 336  # the 576-dot slip at about 58 %: its 22-dot text reads at almost 13 px


class BuyerDialog(QDialog):
    """A registered customer's name, address and TRN for a full tax invoice; checked by the core."""

    def __init__(self, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("buyerDialog")
        self.setWindowTitle(self.tr("Full tax invoice"))
        self.name = named(QLineEdit(self), "buyerName")
        self.name.setText(name)
        self.address = named(QLineEdit(self), "buyerAddress")
        self.trn = named(QLineEdit(self), "buyerTrn")
        self.trn.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.trn.setPlaceholderText(self.tr("15 digits"))
        self.error = make_label(self, "error", wrap=True)
        self.buyer: Buyer | None = None
        form = QFormLayout()
        form.addRow(self.tr("Registered name"), self.name)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Customer's TRN"), self.trn)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        hint = make_label(self, "hint", wrap=True)
        hint.setText(self.tr("For a customer registered for VAT: their invoice names them."))
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        plain_labels(self)

    def check(self) -> None:
        try:
            self.buyer = clean_buyer(self.name.text(), self.address.text(), self.trn.text())
        except DomainError as error:
            self.error.setText(errors_text(error))
            bad = field_errors(error)
            for key, edit in (("buyer_name", self.name), ("buyer_address", self.address), ("buyer_trn", self.trn)):
                edit.setProperty("error", key in bad)
                edit.style().unpolish(edit)
                edit.style().polish(edit)
            return
        self.accept()


def ask_buyer(parent: QWidget, name: str) -> Buyer | None:
    dialog = BuyerDialog(parent, name)
    return dialog.buyer if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_pdf_path(parent: QWidget, suggested: str) -> str | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("ReceiptPreview", "Save receipt as PDF"), suggested, "PDF (*.pdf)"
    )
    return path or None


def print_with_dialog(parent: QWidget, rendered: Rendered) -> bool:
    """No thermal printer set up: Qt's print dialog (any printer, or its own PDF) at the slip's size."""
    from ui.cards.printing import print_card

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("ReceiptPreview", "Print receipt"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return print_card(rendered.image, parent, printer=printer, show_dialog=False, size_mm=slip_size_mm(rendered.image))


class ReceiptPreview(QWidget):
    """Shows one document; ``printed`` carries a success message, ``failed`` a refusal in words."""

    printed = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPreview")
        self.picture = named(QLabel(self), "receiptImage")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroller = QScrollArea(self)
        self.scroller.setWidget(self.picture)
        self.scroller.setWidgetResizable(True)
        self.scroller.setMinimumWidth(SHOWN_WIDTH + 24)
        self.notes = make_label(self, "receiptNotes", wrap=True)
        self.status = make_label(self, "message", wrap=True)
        self.print_button = make_button(self, "primary")
        self.pdf_button = QPushButton(self)
        self.full_button = QPushButton(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.full_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_now)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.full_button.clicked.connect(self.ask_full_invoice)
        # Replaceable by tests: the dialogs a cashier would answer.
        self.ask_buyer: Callable[[QWidget, str], Buyer | None] = ask_buyer
        self.ask_pdf_path: Callable[[QWidget, str], str | None] = ask_pdf_path
        self.print_dialog: Callable[[QWidget, Rendered], bool] = print_with_dialog
        self.settings: Callable[[], PrinterSettings] = load_settings
        self._fetch: Callable[[Buyer | None], Document] | None = None
        self._document: Document | None = None
        self._rendered: Rendered | None = None
        self._auto = False
        self._notes: list[str] = []
        self.retranslate()
        plain_labels(self)
        self._enable()

    # -- what is shown -----------------------------------------------------------------------------------------
    def show_source(
        self, fetch: Callable[[Buyer | None], Document], notes: Sequence[str] = (), *, new: bool = True
    ) -> None:
        """Fetches the document off the main thread (``fetch(None)``: a sale's simplified invoice) and shows it;
        ``new`` documents print at once when the till prints automatically."""
        self._fetch = fetch
        self._set_notes(notes)
        self._auto = new
        self.status.clear()
        run_in_background(lambda: fetch(None), self._got, self._failed)

    def show_document(self, document: Document, notes: Sequence[str] = (), *, new: bool = True) -> None:
        self._fetch = None
        self._set_notes(notes)
        self._auto = new
        self.status.clear()
        self._got(document)

    def clear(self) -> None:
        self._fetch = self._document = self._rendered = None
        self.picture.clear()
        self._set_notes(())
        self.status.clear()
        self._enable()

    def document(self) -> Document | None:
        return self._document

    def rendered(self) -> Rendered | None:
        return self._rendered

    def toPlainText(self) -> str:
        """What the slip says, then the notes for the cashier shown under it."""
        parts = [self._rendered.text] if self._rendered is not None else []
        return "\n".join(parts + self._notes)

    def _set_notes(self, notes: Sequence[str]) -> None:
        self._notes = list(notes)
        self.notes.setText("\n".join(self._notes))
        self.notes.setVisible(bool(self._notes))

    def _got(self, document: Document) -> None:
        self._document = document
        self._render()

    def _render(self) -> None:
        document = self._document
        if document is None:
            return
        language: Language = "ar" if is_arabic() else "en"
        run_in_background(lambda: render_document(document, language), self._show_rendered, self._failed)

    def _show_rendered(self, rendered: Rendered) -> None:
        self._rendered = rendered
        pixmap = QPixmap.fromImage(pil_to_qimage(rendered.image))
        self.picture.setPixmap(pixmap.scaledToWidth(SHOWN_WIDTH, Qt.TransformationMode.SmoothTransformation))
        self._enable()
        if self._auto:
            self._auto = False
            if self.settings().auto_print:
                self.print_now()

    def _enable(self) -> None:
        ready = self._rendered is not None
        self.print_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready)
        document = self._document
        self.full_button.setVisible(
            self._fetch is not None and document is not None and document.kind == DocumentKind.SIMPLIFIED_TAX_INVOICE
        )

    # -- actions ------------------------------------------------------------------------------------------------
    def print_now(self) -> None:
        rendered = self._rendered
        if rendered is None:
            return
        printer = self.settings()
        if printer.kind == "none":
            if self.print_dialog(self, rendered):
                self._say(self.tr("Sent to the printer."))
            return
        self.status.setText(self.tr("Printing…"))
        run_in_background(
            lambda: send_to_printer(rendered, printer),
            lambda _none: self._say(self.tr("Printed.")),
            self._print_failed,
            busy=[self.print_button],
        )

    def save_pdf(self) -> None:
        rendered, document = self._rendered, self._document
        if rendered is None or document is None:
            return
        suggested = f"{document.number or document.kind.value}.pdf"
        path = self.ask_pdf_path(self, suggested)
        if not path:
            return
        title = document.number or document.kind.value
        run_in_background(
            lambda: write_pdf(rendered, path, title),
            lambda written: self._say(self.tr("Saved as %1.").replace("%1", str(written))),
            self._failed,
            busy=[self.pdf_button],
        )

    def ask_full_invoice(self) -> None:
        fetch, document = self._fetch, self._document
        if fetch is None or document is None:
            return
        buyer = self.ask_buyer(self, document.customer_name)
        if buyer is None:
            return
        run_in_background(lambda: fetch(buyer), self._got, self._failed, busy=[self.full_button])

    def _say(self, text: str) -> None:
        self.status.setProperty("error", False)
        self._polish()
        self.status.setText(text)
        self.printed.emit(text)

    def _print_failed(self, error: BaseException) -> None:
        self._failed(error)
        self.pdf_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self.status.setProperty("error", True)
        self._polish()
        show_refusal(self.status, error)
        self.failed.emit(self.status.text())

    def _polish(self) -> None:
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    # -- language -----------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.print_button.setText(self.tr("Print"))
        self.pdf_button.setText(self.tr("Save as PDF"))
        self.full_button.setText(self.tr("Full tax invoice…"))
        self.full_button.setToolTip(self.tr("For a customer registered for VAT, with their TRN"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._render()  # the slip is printed in the language the till now speaks
        super().changeEvent(event)
