"""Message templates, for managers: the wording of each message customers get, in English and Arabic side by
side, with the variables to insert and a live preview of both languages on every channel.

The preview follows the typing a quarter of a second behind, computed on the thread pool (only the newest
answer is shown), so a long Arabic text never makes the editor stutter. Saving stores both languages for the
channels chosen in one transaction; a refusal says what is wrong and changes nothing stored.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.messaging.service import Wording
from core.messaging.templates import KEYS, LANGUAGES, supplied
from core.messaging.wording import CHANNELS, Preview
from ui import labels as common_labels
from ui.i18n import errors_text, show_refusal
from ui.ops import Latest, run_in_background
from ui.pages.base import RefreshingPage
from ui.pages.messaging import labels
from ui.pages.messaging.preview import LanguagePreview
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.panes import panes
from ui.widgets.plain import as_plain, plain_labels

PREVIEW_DELAY_MS = 250
EVERY_CHANNEL = "all"


class TemplatesPage(RefreshingPage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "templatesPage", parent)
        self._wordings: list[Wording] = []
        self._key: str = KEYS[0]
        self._latest = Latest()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._run_preview)

        self.title = make_label(self, "pageTitle")
        self.templates = named(QListWidget(self), "templateList")
        self.templates.setWordWrap(True)
        self.templates.setSpacing(4)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.title)
        ll.addWidget(self.templates, 1)
        self.hint = make_label(left, "hint", wrap=True)
        ll.addWidget(self.hint)
        self.whatsapp_hint = make_label(left, "hint", wrap=True)
        ll.addWidget(self.whatsapp_hint)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(12, 0, 0, 0)
        self.heading = make_label(right, "sectionTitle")
        self.channel_label = make_label(right)
        self.channels = named(QComboBox(right), "templateChannels")
        for value in (EVERY_CHANNEL, *CHANNELS):
            self.channels.addItem("", value)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.channel_label)
        top.addWidget(self.channels)
        rl.addLayout(top)

        self.editors: dict[str, QPlainTextEdit] = {}
        self.editor_titles: dict[str, QLabel] = {}
        grid = QGridLayout()
        for column, language in enumerate(("en", "ar")):
            title = make_label(right, "hint")
            editor = named(QPlainTextEdit(right), f"wording_{language}")
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(96)
            rtl = language == "ar"
            editor.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
            editor.textChanged.connect(self._timer.start)
            editor.installEventFilter(self)
            grid.addWidget(title, 0, column)
            grid.addWidget(editor, 1, column)
            self.editors[language] = editor
            self.editor_titles[language] = title
        rl.addLayout(grid)
        self._target: QPlainTextEdit = self.editors["en"]

        self.palette_label = make_label(right, "hint")
        self.variables = named(QWidget(right), "variablePalette")
        self._palette_row = QHBoxLayout(self.variables)
        self._palette_row.setContentsMargins(0, 0, 0, 0)
        self._palette_row.setSpacing(4)
        pl = QHBoxLayout()
        pl.addWidget(self.palette_label)
        pl.addWidget(self.variables, 1)
        rl.addLayout(pl)

        self.previews = {language: LanguagePreview(language, right) for language in ("en", "ar")}
        row = QHBoxLayout()
        row.addWidget(self.previews["en"], 1)
        row.addWidget(self.previews["ar"], 1)
        rl.addLayout(row, 1)

        self.message = make_label(right, "message", wrap=True)
        self.restore_button = make_button(right)
        self.save_button = make_button(right, "primary")
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.restore_button)
        bottom.addWidget(self.save_button)
        rl.addLayout(bottom)

        layout = QVBoxLayout(self)
        layout.addWidget(panes(self, left, right, (1, 4)))
        self.templates.currentRowChanged.connect(self._choose)
        self.channels.currentIndexChanged.connect(lambda _i: self._fill_editors())
        self.save_button.clicked.connect(self.save)
        self.restore_button.clicked.connect(self.restore_built_in)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self.retranslate()
        plain_labels(self)

    # -- loading --------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        actor = self._actor
        if actor is None:
            return
        run_in_background(lambda: self._services.messages.wordings(actor), self._show_wordings, self._failed)

    def _show_wordings(self, wordings: list[Wording]) -> None:
        self._wordings = wordings
        row = KEYS.index(self._key) if self._key in KEYS else 0
        self.templates.blockSignals(True)
        self.templates.clear()
        for key in KEYS:
            item = QListWidgetItem(self._list_text(key))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.templates.addItem(item)
        self.templates.setCurrentRow(row)
        self.templates.blockSignals(False)
        self._choose(row)

    def _list_text(self, key: str) -> str:
        languages = " · ".join(common_labels.language(code) for code in LANGUAGES)
        reworded = any(w.reworded for w in self._wordings if w.key == key)
        second = self.tr("%1, reworded").replace("%1", languages) if reworded else languages
        return f"{labels.template_name(key)}\n{second}"

    def _choose(self, row: int) -> None:
        if not 0 <= row < len(KEYS):
            return
        if KEYS[row] != self._key:
            self.message.clear()  # what was said about another template
        self._key = KEYS[row]
        mine = [w for w in self._wordings if w.key == self._key]
        # One wording on every channel shows as "every channel"; otherwise the first channel that differs.
        same = all(len({w.body for w in mine if w.language == lang}) <= 1 for lang in LANGUAGES)
        self.channels.blockSignals(True)
        self.channels.setCurrentIndex(0 if same else 1)
        self.channels.blockSignals(False)
        self._fill_palette()
        self._fill_editors()

    def _channel(self) -> str:
        return str(self.channels.currentData() or EVERY_CHANNEL)

    def _chosen_channels(self) -> tuple[str, ...]:
        channel = self._channel()
        return CHANNELS if channel == EVERY_CHANNEL else (channel,)

    def _stored(self, language: str) -> Wording | None:
        channel = self._chosen_channels()[0]
        return next(
            (w for w in self._wordings if (w.key, w.language, w.channel) == (self._key, language, channel)), None
        )

    def _fill_editors(self) -> None:
        for language, editor in self.editors.items():
            stored = self._stored(language)
            editor.setPlainText(stored.body if stored else "")
        self.heading.setText(labels.template_name(self._key))
        self._run_preview()

    def _fill_palette(self) -> None:
        while self._palette_row.count():
            item = self._palette_row.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for name in supplied(self._key):
            button = named(QPushButton("{" + name + "}", self.variables), "variable")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the editor keeps the cursor where it was
            button.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            button.setToolTip(as_plain(labels.variable(name)))
            button.clicked.connect(lambda _c=False, n=name: self.insert_variable(n))
            self._palette_row.addWidget(button)
        self._palette_row.addStretch(1)

    # -- editing ----------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QPlainTextEdit):
            self._target = watched
        return super().eventFilter(watched, event)

    def insert_variable(self, name: str) -> None:
        """``{name}`` at the cursor of the editor last typed in."""
        self._target.insertPlainText("{" + name + "}")
        self._target.setFocus()

    def restore_built_in(self) -> None:
        for language, editor in self.editors.items():
            stored = self._stored(language)
            if stored is not None:
                editor.setPlainText(stored.built_in)

    def _run_preview(self) -> None:
        self._timer.stop()
        key, channels = self._key, self._chosen_channels()
        texts = {language: editor.toPlainText() for language, editor in self.editors.items()}
        services = self._services

        def work() -> dict[str, Preview]:
            branch = services.branch()
            names = {"en": branch.name_en if branch else "", "ar": branch.name_ar if branch else ""}
            return {
                language: services.messages.preview(key, language, text, channels, names[language])
                for language, text in texts.items()
            }

        self._latest.run(work, self._show_previews, self._failed)

    def _show_previews(self, previews: dict[str, Preview]) -> None:
        for language, seen in previews.items():
            self.previews[language].show_preview(seen)

    def save(self) -> None:
        actor = self._actor
        if actor is None:
            return
        key, channels = self._key, self._chosen_channels()
        texts = {language: editor.toPlainText() for language, editor in self.editors.items()}
        run_in_background(
            lambda: self._services.messages.save_wording(actor, key, texts, channels),
            self._saved,
            self._failed,
            busy=[self.save_button],
        )

    def _saved(self, _checked: object) -> None:
        say(self.message, self.tr("Saved. The next messages go out in this wording."))
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.message, error, errors_text)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Message templates"))
        self.hint.setText(self.tr("Customers get each message in their own language, on their preferred channel."))
        self.whatsapp_hint.setText(
            self.tr(
                "WhatsApp sends the template Meta approved under the template's name: a new wording reaches "
                "WhatsApp once Meta approves it."
            )
        )
        self.channel_label.setText(self.tr("Channels:"))
        for index, value in enumerate((EVERY_CHANNEL, *CHANNELS)):
            text = self.tr("Every channel") if value == EVERY_CHANNEL else common_labels.channel(value)
            self.channels.setItemText(index, text)
        self.editor_titles["en"].setText(self.tr("English wording"))
        self.editor_titles["ar"].setText(self.tr("Arabic wording"))
        self.palette_label.setText(self.tr("Insert:"))
        self.restore_button.setText(self.tr("Restore the built-in wording"))
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        self.heading.setText(labels.template_name(self._key))
        for row, key in enumerate(KEYS):
            if (item := self.templates.item(row)) is not None:
                item.setText(self._list_text(key))
