"""The customer screen's "Export this customer's data…": a manager or administrator picks a folder, and the
customer's data is written there as JSON and as the bilingual PDF, in the background, with a progress bar and
Cancel; the dialog then says where the files are.

Both files are written in one pass over the store (core.privacy.export feeds both writers), off the main
thread. A cancelled or failed export leaves no half-written file behind; it stays on record in the audit
trail, which is written before the first record is read.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.kernel.errors import DomainError
from core.privacy.export import ExportCancelled, JsonExportWriter
from core.staff.auth import Actor
from ui.i18n import Retranslating, error_text, ltr, number
from ui.ops import run_in_background
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels


@dataclass(frozen=True)
class ExportFiles:
    json: Path
    pdf: Path
    records: int


def export_files(
    services: AppServices,
    actor: Actor,
    customer_id: str,
    customer_number: str,
    folder: Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportFiles:
    """Writes ``<number>-<date>.json`` and ``.pdf`` into ``folder``; runs off the main thread. On a refusal, a
    cancel or an error both files are removed and the error passes on."""
    from ui.privacy.pdf import PdfExportWriter

    now = services.clock.now()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", customer_number or customer_id).strip("-") or "customer"
    base = folder / f"customer-data-{stem}-{services.clock.today().isoformat()}"
    json_path, pdf_path = base.with_suffix(".json"), base.with_suffix(".pdf")
    by = actor.display_name or actor.staff_id
    pdf = PdfExportWriter(pdf_path, now, by)
    try:
        with json_path.open("w", encoding="utf-8") as out:
            summary = services.customer_export.export(
                actor, customer_id, [JsonExportWriter(out, now, by), pdf], progress=progress, cancelled=cancelled
            )
    except BaseException:
        pdf.abandon()
        for path in (json_path, pdf_path):
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return ExportFiles(json_path, pdf_path, summary.records)


class _Progress(QObject):
    """Lives on the main thread; the export's thread emits into it (a queued connection)."""

    moved = Signal(int, int)


class ExportCustomerDialog(Retranslating, QDialog):
    def __init__(
        self,
        services: AppServices,
        actor: Actor,
        customer_id: str,
        customer_number: str,
        customer_name: str,
        *,
        folder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportCustomerDialog")
        self.setModal(True)
        self.setMinimumWidth(620)
        self._services = services
        self._actor = actor
        self._customer_id = customer_id
        self._customer_number = customer_number
        self._cancel = threading.Event()
        self._running = False
        self.files: ExportFiles | None = None

        self.title = QLabel(customer_name, self)
        self.title.setObjectName("pageTitle")
        self.explain = make_label(self, "hint", wrap=True)
        self.folder_caption = make_label(self)
        self.folder = named(QLineEdit(folder or str(Path.home()), self), "exportFolder")
        self.folder_caption.setBuddy(self.folder)
        self.choose_button = make_button(self, "chooseExportFolder")
        self.progress = named(QProgressBar(self), "exportProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setVisible(False)
        self.message = make_label(self, "message", wrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = QPushButton(self)
        self.export_button = make_button(self, "primary")
        self.export_button.setDefault(True)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explain)
        layout.addWidget(self.folder_caption)
        layout.addLayout(folder_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self._relay = _Progress(self)
        self._relay.moved.connect(self._moved)
        self.choose_button.clicked.connect(self.choose_folder)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start)
        self.retranslate()
        self.folder.setFocus()
        plain_labels(self)

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Where to save the customer's data"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def start(self) -> None:
        if self._running:
            return
        folder = Path(self.folder.text().strip()).expanduser()
        if not folder.is_dir():
            say(self.message, self.tr("Choose a folder that exists."), error=True)
            self.folder.setFocus()
            return
        self._running = True
        self._cancel.clear()
        self.files = None
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.folder.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.export_button.setEnabled(False)
        say(self.message, self.tr("Writing the customer's data…"))
        self.retranslate()
        services, actor, customer, number_, relay = (
            self._services,
            self._actor,
            self._customer_id,
            self._customer_number,
            self._relay,
        )
        run_in_background(
            lambda: export_files(services, actor, customer, number_, folder, relay.moved.emit, self._cancel.is_set),
            self._done,
            self._failed,
        )

    def cancel(self) -> None:
        """Stops a running export (its files are removed), or closes the dialog."""
        if self._running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            say(self.message, self.tr("Stopping…"))
        else:
            self.reject()

    def reject(self) -> None:
        if self._running:  # Esc while it runs: stop it first, then close once it has
            self.cancel()
            return
        super().reject()

    @Slot(int, int)
    def _moved(self, done: int, total: int) -> None:
        self.progress.setValue(round(100 * done / total) if total else 0)

    def _finished(self) -> None:
        self._running = False
        self.folder.setEnabled(True)
        self.choose_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.retranslate()

    def _done(self, files: ExportFiles) -> None:
        self.files = files
        self._finished()
        self.progress.setValue(100)
        say(
            self.message,
            self.tr("%1 records saved in:\n%2\n%3")
            .replace("%1", number(files.records))
            .replace("%2", ltr(str(files.json)))
            .replace("%3", ltr(str(files.pdf))),
        )
        self.adjustSize()  # the message grew by two lines of paths
        self.cancel_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self._finished()
        self.progress.setVisible(False)
        if isinstance(error, ExportCancelled):
            say(self.message, self.tr("Export cancelled. No file was kept."))
        elif isinstance(error, DomainError):
            say(self.message, error_text(error), error=True)
        elif isinstance(error, OSError):
            say(
                self.message,
                self.tr("The files could not be written: %1").replace("%1", error.strerror or str(error)),
                error=True,
            )
        else:
            raise error

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export this customer's data"))
        self.explain.setText(
            self.tr(
                "Everything held about this customer is saved as two files: a JSON file for other systems and a "
                "PDF in English and Arabic for the customer. The export is recorded with your name."
            )
        )
        self.folder_caption.setText(self.tr("Save in &folder:"))
        self.choose_button.setText(self.tr("Choose folder…"))
        self.export_button.setText(self.tr("Export (Ctrl+Enter)"))
        self.cancel_button.setText(self.tr("Cancel") if self._running or self.files is None else self.tr("Close"))
