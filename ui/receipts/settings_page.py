"""Receipts and printer, for managers and administrators: the seller's details every tax invoice carries
(legal name, branch address, TRN) and the thermal printer this till prints to; below them the branch's opening
hours that support-ticket deadlines count in (ui.pages.branch.hours)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.kernel.errors import DomainError
from core.receipts.documents import SellerDetails, voucher_slip
from core.staff.auth import Actor
from ui.i18n import errors_text, field_errors, is_arabic
from ui.ops import run_in_background
from ui.pages.base import ServicePage
from ui.pages.branch.hours import BranchHoursBox
from ui.receipts.printer import PrinterSettings, load_settings, save_settings, send_to_printer
from ui.receipts.render import Language, render_document
from ui.widgets.digits import DigitSpinBox
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels


class ReceiptSettingsPage(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "receiptSettingsPage", parent)
        self.title = make_label(self, "pageTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        row.addWidget(self._build_seller(), 1)
        row.addWidget(self._build_printer(), 1)
        layout.addLayout(row)
        self.hours = BranchHoursBox(services, self)  # the branch's opening hours, which ticket deadlines count in
        layout.addWidget(self.hours)
        layout.addStretch(1)
        self.retranslate()
        plain_labels(self)

    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        self.hours.set_actor(actor)

    # -- layout ---------------------------------------------------------------------------------------------
    def _build_seller(self) -> QGroupBox:
        box = QGroupBox(self)
        self.seller_box = box
        self.name_en = named(QLineEdit(box), "sellerNameEn")
        self.name_ar = named(QLineEdit(box), "sellerNameAr")
        self.name_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.address_en = named(QLineEdit(box), "sellerAddressEn")
        self.address_ar = named(QLineEdit(box), "sellerAddressAr")
        self.address_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.trn = named(QLineEdit(box), "sellerTrn")
        self.trn.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.seller_message = make_label(box, "message", wrap=True)
        self.save_seller_button = make_button(box, "primary")
        seller_form = QFormLayout()
        self.seller_edits = (self.name_en, self.name_ar, self.address_en, self.address_ar, self.trn)
        self.seller_labels = [QLabel(box) for _ in self.seller_edits]
        for label, edit in zip(self.seller_labels, self.seller_edits, strict=True):
            seller_form.addRow(label, edit)
        layout = QVBoxLayout(box)
        layout.addLayout(seller_form)
        layout.addWidget(self.seller_message)
        layout.addWidget(self.save_seller_button, 0, Qt.AlignmentFlag.AlignRight)
        self.save_seller_button.clicked.connect(self.save_seller)
        return box

    def _build_printer(self) -> QGroupBox:
        box = QGroupBox(self)
        self.printer_box = box
        self.kind = named(QComboBox(box), "printerKind")
        self.host = named(QLineEdit(box), "printerHost")
        self.port = DigitSpinBox(box)
        self.port.setRange(1, 65535)
        self.usb_vendor = QLineEdit(box)
        self.usb_product = QLineEdit(box)
        self.serial_device = QLineEdit(box)
        self.serial_baud = QComboBox(box)
        for baud in (9600, 19200, 38400, 57600, 115200):
            self.serial_baud.addItem(str(baud), baud)
        self.file_path = QLineEdit(box)
        for edit in (self.host, self.usb_vendor, self.usb_product, self.serial_device, self.file_path):
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.auto_print = named(QCheckBox(box), "autoPrint")
        self.printer_message = make_label(box, "message", wrap=True)
        self.save_printer_button = make_button(box, "primary")
        self.test_button = QPushButton(box)
        self.target_labels: list[list[QLabel]] = []
        self.targets = QStackedWidget(box)
        for fields in (
            (),
            (self.host, self.port),
            (self.usb_vendor, self.usb_product),
            (self.serial_device, self.serial_baud),
            (self.file_path,),
        ):
            page = QWidget(self.targets)
            form = QFormLayout(page)
            form.setContentsMargins(0, 0, 0, 0)
            labels = [QLabel(page) for _ in fields]
            for label, widget in zip(labels, fields, strict=True):
                form.addRow(label, widget)
            self.target_labels.append(labels)
            self.targets.addWidget(page)
        self.kind_label = QLabel(box)
        kind_form = QFormLayout()
        kind_form.addRow(self.kind_label, self.kind)
        layout = QVBoxLayout(box)
        layout.addLayout(kind_form)
        layout.addWidget(self.targets)
        layout.addWidget(self.auto_print)
        layout.addWidget(self.printer_message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_printer_button)
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(self.targets.setCurrentIndex)
        self.save_printer_button.clicked.connect(self.save_printer)
        self.test_button.clicked.connect(self.print_test)
        return box

    # -- data -----------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        run_in_background(self._services.receipts.seller, self._show_seller)
        self._show_printer(load_settings())
        super().showEvent(event)

    def _show_seller(self, seller: SellerDetails) -> None:
        for edit, value in zip(
            self.seller_edits,
            (seller.name_en, seller.name_ar, seller.address_en, seller.address_ar, seller.trn),
            strict=True,
        ):
            edit.setText(value)

    def seller_details(self) -> SellerDetails:
        return SellerDetails(*(edit.text() for edit in self.seller_edits))

    def save_seller(self) -> None:
        actor = self._actor
        if actor is None:
            return
        details = self.seller_details()
        run_in_background(
            lambda: self._services.receipts.save_seller(actor, details),
            self._seller_saved,
            self._seller_refused,
            busy=[self.save_seller_button],
        )

    def _seller_saved(self, seller: SellerDetails) -> None:
        self._show_seller(seller)
        self._mark({})
        self._say(self.seller_message, self.tr("Saved. Tax invoices print these details."), error=False)

    def _seller_refused(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        self._mark(field_errors(error))
        self._say(self.seller_message, errors_text(error), error=True)

    def _mark(self, bad: dict[str, str]) -> None:
        names = ("name_en", "name_ar", "address_en", "address_ar", "trn")
        for name, edit in zip(names, self.seller_edits, strict=True):
            edit.setProperty("error", name in bad)
            edit.style().unpolish(edit)
            edit.style().polish(edit)

    def _show_printer(self, printer: PrinterSettings) -> None:
        index = max(0, self.kind.findData(printer.kind))
        self.kind.setCurrentIndex(index)
        self.targets.setCurrentIndex(index)
        self.host.setText(printer.host)
        self.port.setValue(printer.port)
        self.usb_vendor.setText(printer.usb_vendor)
        self.usb_product.setText(printer.usb_product)
        self.serial_device.setText(printer.serial_device)
        self.serial_baud.setCurrentIndex(max(0, self.serial_baud.findData(printer.serial_baud)))
        self.file_path.setText(printer.file_path)
        self.auto_print.setChecked(printer.auto_print)

    def printer_settings(self) -> PrinterSettings:
        return PrinterSettings(
            kind=str(self.kind.currentData() or "none"),
            host=self.host.text().strip(),
            port=self.port.value(),
            usb_vendor=self.usb_vendor.text().strip(),
            usb_product=self.usb_product.text().strip(),
            serial_device=self.serial_device.text().strip(),
            serial_baud=int(self.serial_baud.currentData() or 9600),
            file_path=self.file_path.text().strip(),
            auto_print=self.auto_print.isChecked(),
        )

    def _printer_problem(self, printer: PrinterSettings) -> str:
        if printer.kind == "network" and not printer.host:
            return self.tr("Enter the printer's network address, e.g. 192.168.1.50.")
        if printer.kind == "usb":
            try:
                int(printer.usb_vendor, 16), int(printer.usb_product, 16)
            except ValueError:
                return self.tr("Enter the USB vendor and product ids in hexadecimal, e.g. 04b8 and 0202.")
        if printer.kind == "serial" and not printer.serial_device:
            return self.tr("Enter the serial port, e.g. /dev/ttyUSB0 or COM3.")
        if printer.kind == "file" and not printer.file_path:
            return self.tr("Enter the device or file to write to, e.g. /dev/usb/lp0.")
        return ""

    def save_printer(self) -> None:
        printer = self.printer_settings()
        problem = self._printer_problem(printer)
        if problem:
            self._say(self.printer_message, problem, error=True)
            return
        save_settings(printer)
        self._say(self.printer_message, self.tr("Printer saved for this till."), error=False)

    def print_test(self) -> None:
        printer = self.printer_settings()
        problem = self._printer_problem(printer) or (
            self.tr("Choose a thermal printer first.") if printer.kind == "none" else ""
        )
        if problem:
            self._say(self.printer_message, problem, error=True)
            return
        branch = self._services.branch()
        names = (branch.name_en, branch.name_ar) if branch else ("", "")
        services = self._services
        language: Language = "ar" if is_arabic() else "en"

        def run() -> None:
            slip = voucher_slip(
                number="TEST",
                issued_at=services.clock.now(),
                seller=services.receipts.seller(),
                branch=names,
                served_by=("", ""),
                code="PO-TEST-TEST-TEST",
                amount_fils=0,
                balance_fils=0,
            )
            send_to_printer(render_document(slip, language), printer)

        self._say(self.printer_message, self.tr("Printing a test slip…"), error=False)
        run_in_background(
            run,
            lambda _none: self._say(self.printer_message, self.tr("The test slip printed."), error=False),
            lambda error: self._say(
                self.printer_message,
                errors_text(error) if isinstance(error, DomainError) else str(error),
                error=True,
            ),
            busy=[self.test_button],
        )

    @staticmethod
    def _say(label: QWidget, text: str, *, error: bool) -> None:
        label.setProperty("error", error)
        label.style().unpolish(label)
        label.style().polish(label)
        label.setText(text)  # type: ignore[attr-defined]

    # -- language -------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        # A status line was said in the language of its moment: it goes rather than stay in the other one.
        self.seller_message.clear()
        self.printer_message.clear()
        self.title.setText(self.tr("Printing"))
        self.seller_box.setTitle(self.tr("Seller on tax invoices"))
        captions = (
            self.tr("Legal name (English)"),
            self.tr("Legal name (Arabic)"),
            self.tr("Branch address (English)"),
            self.tr("Branch address (Arabic)"),
            self.tr("TRN (15 digits)"),
        )
        for label, caption in zip(self.seller_labels, captions, strict=True):
            label.setText(caption)
        self.save_seller_button.setText(self.tr("Save seller details"))
        self.printer_box.setTitle(self.tr("Receipt printer of this till"))
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for kind, text in (
            ("none", self.tr("None: use the print dialog or PDF")),
            ("network", self.tr("Network (ESC/POS, port 9100)")),
            ("usb", self.tr("USB (ESC/POS)")),
            ("serial", self.tr("Serial (ESC/POS)")),
            ("file", self.tr("Device or file (ESC/POS)")),
        ):
            self.kind.addItem(text, kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current or "none")))
        self.kind.blockSignals(False)
        self.kind_label.setText(self.tr("Printer"))
        target_captions = (
            (),
            (self.tr("Address"), self.tr("Port")),
            (self.tr("Vendor id (hex)"), self.tr("Product id (hex)")),
            (self.tr("Port"), self.tr("Speed (baud)")),
            (self.tr("Device or file"),),
        )
        for labels, names in zip(self.target_labels, target_captions, strict=True):
            for label, caption in zip(labels, names, strict=True):
                label.setText(caption)
        self.auto_print.setText(self.tr("Print receipts automatically after each sale and redemption"))
        self.save_printer_button.setText(self.tr("Save printer"))
        self.test_button.setText(self.tr("Print a test slip"))
